"""Public pages under /public/reports/ (charts from a static file fed by json_script data, tables, PDF after
GB/T 9704-2012 and XLSX downloads) and the staff pages (deadline lights, sign-off, submissions, 复议/诉讼 form)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import PASSWORD
from zhifa.reports import actions
from zhifa.reports.models import ReportStatus
from zhifa.reports.render import read_xlsx_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(team, drafted, at):
    at(2026, 1, 15)
    return actions.publish_report(actions.approve_report(drafted, team.head), team.head, seal=False)


def staff(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_public_list_shows_published_reports_only_seed(client, published, team) -> None:
    actions.draft_report(team.outsider.agency, 2025, None, today=dt.date(2026, 1, 1))
    page = client.get("/public/reports/").content.decode()
    assert published.agency.name in page and team.outsider.agency.name not in page
    assert reverse("report-public", args=[published.agency.code, 2025]) in page
    assert client.get(f"/public/reports/{team.outsider.agency.code}/2025/").status_code == 404


def test_public_report_page_has_text_tables_and_downloads_seed(client, published) -> None:
    response = client.get(f"/public/reports/{published.agency.code}/2025/")
    page = response.content.decode()
    assert response.status_code == 200
    assert published.title in page and "行政执法总体情况" in page and "处罚种类" in page and "按时公开率" in page
    for fmt in ("pdf", "xlsx"):
        assert reverse("report-public-file", args=[published.agency.code, 2025, fmt]) in page


def test_public_report_charts_from_static_js_and_json_data_not_inline_script_csp(client, published) -> None:
    response = client.get(f"/public/reports/{published.agency.code}/2025/")
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()
    assert "reports/charts.js" in page and "vendor/echarts/echarts.min.js" in page
    data = json.loads(re.search(r'<script id="report-chart-data" type="application/json">(.*?)</script>', page,
                                re.S)[1])
    assert data["acts"]["labels"][:2] == ["行政许可", "行政处罚"] and len(data["acts"]["values"]) == 7
    assert " style=" not in page


def test_public_pdf_has_title_agency_and_date_gbt9704(client, published) -> None:
    response = client.get(f"/public/reports/{published.agency.code}/2025/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "2025年度行政执法数据报告" in text and published.agency.name in text
    assert "— 1 —" in text and "2026年1月15日" in text  # page numbers; 成文日期 = the head's sign-off
    assert response.content == bytes(published.pdf)


def test_public_xlsx_round_trips_the_figures(client, published) -> None:
    response = client.get(f"/public/reports/{published.agency.code}/2025/report.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert read_xlsx_figures(response.content) == published.figures
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content))["行政执法行为"]
    assert [c.value for c in sheet[1]] == ["类别", "数量（件）"] and sheet["A2"].value == "行政许可"


def test_public_json_figures(client, published) -> None:
    assert client.get(f"/public/reports/{published.agency.code}/2025/figures.json").json() == published.figures


def test_staff_list_shows_status_deadline_light_and_alerts(team, drafted, settings, at) -> None:
    settings.ZHIFA_ANNUAL_REPORT_ALERT_DAYS = 10
    at(2026, 1, 14)
    page = staff(team.head).get("/reports/").content.decode()
    assert drafted.agency.name in page and "text-bg-warning" in page and "即将到期" in page
    assert "list-group-item-warning" in page  # the alert
    at(2026, 1, 22)
    page = staff(team.head).get("/reports/").content.decode()
    assert "text-bg-danger" in page and "已逾期" in page and "list-group-item-danger" in page


def test_staff_pages_scoped_to_the_agency(team, drafted) -> None:
    assert staff(team.outsider).get(f"/reports/{drafted.pk}/").status_code == 404
    assert drafted.agency.name not in staff(team.outsider).get("/reports/").content.decode().split("<table")[1]


def test_head_sees_and_uses_approve_and_publish_buttons_others_do_not(team, drafted) -> None:
    approve = reverse("report-act", args=[drafted.pk, "approve"])
    assert approve not in staff(team.officer).get(f"/reports/{drafted.pk}/").content.decode()
    staff(team.reviewer).post(approve)
    drafted.refresh_from_db()
    assert drafted.status == ReportStatus.DRAFTED
    head = staff(team.head)
    assert approve in head.get(f"/reports/{drafted.pk}/").content.decode()
    head.post(approve)
    drafted.refresh_from_db()
    assert drafted.status == ReportStatus.APPROVED
    head.post(reverse("report-act", args=[drafted.pk, "publish"]))
    drafted.refresh_from_db()
    assert drafted.status == ReportStatus.PUBLISHED and drafted.pdf


def test_staff_records_a_submission_through_the_form_seed(team, drafted) -> None:
    actions.approve_report(drafted, team.head)
    client = staff(team.reviewer)
    form = {"recipient": "government", "recipient_name": "株洲市渌口区人民政府", "reference": "渌报〔2026〕1号"}
    response = client.post(f"/reports/{drafted.pk}/", form)
    assert response.status_code == 302
    page = client.get(f"/reports/{drafted.pk}/").content.decode()
    assert "渌报〔2026〕1号" in page and "本级人民政府" in page


def test_staff_downloads_a_draft_pdf_marked_as_draft(team, drafted) -> None:
    response = staff(team.head).get(f"/reports/{drafted.pk}/report.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "草稿" in text


def test_remedy_form_records_an_outcome(team, case) -> None:
    case.decided_on = dt.date(2025, 3, 1)
    case.save(update_fields=["decided_on"])
    client = staff(team.head)
    form = {"case_number": case.number, "kind": "reconsideration", "outcome": "revoked", "decided_on": "2025-07-01",
            "organ": "株洲市渌口区人民政府", "reference": "渌政复决字〔2025〕9号"}
    assert client.post("/reports/remedies/", form).status_code == 302
    assert "渌政复决字〔2025〕9号" in client.get("/reports/remedies/").content.decode()
    response = staff(team.outsider).post("/reports/remedies/", form | {"reference": "x"})
    assert response.status_code == 200 and "没有这个编号的案件" in response.content.decode()
