"""Decisions of other systems imported by the API (JSON, CSV) and by Excel: same pipeline (redacted drafts), all rows
or none, errors by row and field."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from zhifa.core.spreadsheet import ImportFailed
from zhifa.disclosure import actions, imports
from zhifa.disclosure.models import Publication, Status
from zhifa.law import identifiers, publicity
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db
ID_NUMBER = "43021219850505123" + identifiers.id_check_char("43021219850505123")


def row(n: int = 1, **fields) -> dict:
    values = {"document_number": f"渌审批食许〔2026〕{n}号", "act_type": "licensing", "target": f"株洲渌口{n}号小吃店",
              "conclusion": "准予食品经营许可", "decided_on": str(timezone.localdate() - dt.timedelta(days=2)),
              "text": f"株洲渌口{n}号小吃店：经审查，决定准予食品经营许可。联系人王小明，电话13907310001，"
                      f"身份证号码{ID_NUMBER}。", "category": "食品经营许可"}
    return {**values, **fields}


def api(team, body, content_type="application/json"):
    client = Client()
    client.force_login(team.head)
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/decisions/import/", data, content_type=content_type)


def test_api_json_import_enters_pipeline_as_redacted_drafts(team) -> None:
    response = api(team, [row(1), row(2, act_type="行政检查", target="张三", target_kind="个人")])
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    first, second = Publication.objects.filter(source="import").order_by("pk")
    assert first.status == Status.DRAFT and first.agency == team.head.agency
    assert first.due_on == publicity.publication_deadline("licensing", timezone.localdate() - dt.timedelta(days=2))
    assert second.act_type == "inspection"
    for publication in (first, second):
        assert "13907310001" not in publication.redacted_text and ID_NUMBER not in publication.redacted_text
    assert Event.objects.filter(event_type="publication.imported").count() == 2
    actions.publish(first, team.head)  # then approved like any other
    assert Client().get(f"/public/decisions/{first.pk}/").status_code == 200


def test_api_csv_import(team) -> None:
    csv = "文号,执法类别,执法对象,对象类型,执法结论,决定日期,决定全文,事项或领域\n" \
          "渌审批卫许〔2026〕3号,许可,渌口区悦然美发店,单位,准予公共场所卫生许可,2026-01-05,经审查准予许可。,卫生许可\n"
    response = api(team, csv, "text/csv")
    assert response.status_code == 201, response.content
    assert Publication.objects.get().document_number == "渌审批卫许〔2026〕3号"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"act_type": "行政奖励"}, "act_type", "不是规定的执法类别"),
    ({"decided_on": "26年1月"}, "decided_on", "无法识别"),
    ({"decided_on": "2026-02-30"}, "decided_on", "不存在"),
    ({"decided_on": "2999-01-01"}, "decided_on", "不能晚于今天"),
    ({"target": ""}, "target", "不能为空"),
    ({"text": " "}, "text", "不能为空"),
    ({"document_number": "文" * 61}, "document_number", "超过60字"),
    ({"target_kind": "外星人"}, "target_kind", "应为“单位”或“个人”"),
])
def test_api_rejects_bad_row_with_structured_error_and_imports_nothing(team, fields, field, message) -> None:
    response = api(team, [row(1), row(2, **fields)])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "decision_import_refused"
    assert any(e["row"] == 2 and e["field"] == field and message in e["message"] for e in body["errors"]), body
    assert not Publication.objects.exists()


def test_duplicate_document_number_in_file_or_in_agency_refused(team, make_agency, make_user) -> None:
    body = api(team, [row(1), row(1)]).json()
    assert body["errors"] == [{"row": 2, "field": "document_number", "column": "文号", "message": "与第1行重复"}]
    assert api(team, [row(1)]).status_code == 201
    body = api(team, [row(2), row(1)]).json()
    assert body["errors"][0]["row"] == 2 and "本机关已有" in body["errors"][0]["message"]
    assert Publication.objects.count() == 1
    other = make_user(make_agency(), role="agency_head")  # the same number in another agency is another decision
    imports.import_decisions(other, imports.records_from_json([row(1)]))
    assert Publication.objects.count() == 2


def test_api_body_must_be_a_list_of_objects(team) -> None:
    assert api(team, {"document_number": "x"}).json()["errors"][0]["row"] == 0
    assert api(team, []).json()["errors"][0]["message"] == "没有可导入的决定"


def test_rule_violation_during_import_rolls_back_every_row(team, monkeypatch) -> None:
    real = actions.import_decision

    def fail_on_second(*args, **kwargs):
        if kwargs["document_number"].endswith("2号"):
            from zhifa.core.errors import RuleViolation

            raise RuleViolation("decided_in_future", "basis", "决定日期不能晚于今天")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "import_decision", fail_on_second)
    with pytest.raises(ImportFailed) as caught:
        imports.import_decisions(team.head, imports.records_from_json([row(1), row(2)]))
    assert caught.value.errors[0].row == 2
    assert not Publication.objects.exists()


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["某某局执法决定导入"])  # a title row above the header is allowed
    sheet.append(imports.COLUMNS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "decisions.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/disclosure/import/", {"file": SimpleUploadedFile(name, data)})


def test_excel_upload_page_imports_all_rows(team) -> None:
    client = Client()
    client.force_login(team.head)
    assert client.get("/disclosure/import/").status_code == 200
    today = timezone.localdate()
    data = workbook([["渌审批〔2026〕5号", "行政许可", "某小吃店", "单位", "准予许可", today, "经审查准予许可。", ""],
                     ["渌审批〔2026〕6号", "许可", "李四", "个人", "准予许可", today.isoformat(), "经审查准予。", ""]])
    response = upload(client, data)
    assert response.status_code == 302 and response["Location"] == "/disclosure/"
    assert Publication.objects.count() == 2


def test_excel_upload_errors_in_chinese_by_row_and_nothing_imported(team) -> None:
    client = Client()
    client.force_login(team.head)
    data = workbook([["渌审批〔2026〕5号", "行政许可", "某小吃店", "单位", "准予许可", "2026-01-05", "准予。", ""],
                     ["", "征用", "某某公司", "单位", "", "昨天", "决定。", ""]])
    html = upload(client, data).content.decode()
    assert "导入未执行" in html and "第4行" in html and "（文号）：不能为空" in html
    assert "（执法结论）：不能为空" in html and "日期“昨天”无法识别" in html
    assert not Publication.objects.exists()
    html = upload(client, b"not a workbook").content.decode()
    assert "不是有效的 Excel" in html
    html = upload(client, b"x", "decisions.pdf").content.decode()
    assert ".xlsx" in html and not Publication.objects.exists()


def test_excel_missing_column_reported(team) -> None:
    book = Workbook()
    book.active.append(["文号", "执法类别", "执法对象", "决定全文"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed) as caught:
        imports.records_from_xlsx(out.getvalue())
    assert {e.column for e in caught.value.errors} == {"执法结论", "决定日期"}


def test_template_downloads_and_reads_back(team) -> None:
    client = Client()
    client.force_login(team.head)
    response = client.get("/disclosure/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == imports.COLUMNS
    notes = list(book["填写说明"].iter_rows(values_only=True))
    assert notes[0] == ("列", "说明") and [column for column, _ in notes[1:]] == imports.COLUMNS
    records = imports.records_from_xlsx(response.content)
    assert imports.parse_records(records, team.head)[0].act_type == "licensing"


def test_strict_policy_masks_imported_person_target(team, monkeypatch) -> None:
    monkeypatch.setattr(actions, "_policy", lambda agency: "strict")
    imports.import_decisions(team.head, imports.records_from_json([row(1, target="张三丰", target_kind="个人")]))
    assert Publication.objects.get().target != "张三丰"


def test_only_staff_of_an_agency_import(team, make_user) -> None:
    assert Client().post("/api/v1/decisions/import/", "[]", content_type="application/json").status_code == 403
    admin = make_user(None, role="admin")
    with pytest.raises(ImportFailed) as caught:
        imports.import_decisions(admin, imports.records_from_json([row(1)]))
    assert "执法机关的工作人员" in caught.value.errors[0].problem
    assert not Publication.objects.exists()
