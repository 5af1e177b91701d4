"""Staff catalog pages: login required, scoped to the user's agency, actions through the forms."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.catalog.conftest import version_data
from tests.catalog.test_xlsx import row, workbook
from zhifa.catalog import actions
from zhifa.catalog.models import EnforcementItem, VersionStatus
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/catalog/", "/catalog/import/", "/catalog/alerts/", "/catalog/av/", "/catalog/export.xlsx",
               "/catalog/items/LK-CF-T-001/", "/catalog/items/LK-CF-T-001/v1/",
               "/catalog/items/LK-CF-T-001/v1/flowchart.svg"]


@pytest.fixture
def items(world, make_item):
    return {"a": make_item(code="LK-CF-T-001"),
            "b": make_item(code="LK-CF-B-001", agency=world["b"], name="乙局的事项", actor=world["head_b"])}


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_require_login(client, items, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize("who", ["officer_a", "head_a", "supervisor", "admin"])
def test_staff_pages_render_for_every_role(client, world, items, url, who):
    client.force_login(world[who])
    assert client.get(url).status_code == 200


def test_list_is_scoped_to_the_users_agency(client, world, items):
    client.force_login(world["head_a"])
    html = client.get("/catalog/").content.decode()
    assert "LK-CF-T-001" in html and "LK-CF-B-001" not in html
    assert client.get("/catalog/items/LK-CF-B-001/").status_code == 404
    assert client.get("/catalog/items/LK-CF-B-001/v1/").status_code == 404
    client.force_login(world["supervisor"])
    html = client.get("/catalog/").content.decode()
    assert "LK-CF-T-001" in html and "LK-CF-B-001" in html


def test_list_filters(client, world, items, make_item):
    make_item(code="LK-XK-T-001", kind="licensing", name="食品经营许可")
    client.force_login(world["admin"])
    html = client.get("/catalog/?kind=licensing").content.decode()
    assert "LK-XK-T-001" in html and "LK-CF-T-001" not in html
    html = client.get("/catalog/?q=乙局").content.decode()
    assert "LK-CF-B-001" in html and "LK-CF-T-001" not in html
    assert "LK-CF-T-001" not in client.get("/catalog/?agency=agency-b").content.decode()


def test_export_contains_only_visible_items(client, world, items):
    client.force_login(world["head_a"])
    response = client.get("/catalog/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    codes = [r[2] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)]
    assert codes == ["LK-CF-T-001"]


def test_import_page_shows_row_errors_and_imports_nothing(client, world):
    client.force_login(world["head_a"])
    upload = io.BytesIO(workbook([row(), row(2, code="LK-CF-X-002", kind="罚没")]))
    upload.name = "清单.xlsx"
    html = client.post("/catalog/import/", {"file": upload}).content.decode()
    assert "未导入任何数据" in html and "“罚没”不是规定的事项类型" in html and "D 事项类型" in html
    assert not EnforcementItem.objects.exists()
    upload = io.BytesIO(workbook([row()]))
    upload.name = "清单.xlsx"
    html = client.post("/catalog/import/", {"file": upload}).content.decode()
    assert "新增 1 项" in html and EnforcementItem.objects.filter(code="LK-CF-X-001").exists()


def test_import_page_refuses_other_file_types(client, world):
    client.force_login(world["head_a"])
    upload = io.BytesIO(b"a,b")
    upload.name = "清单.csv"
    html = client.post("/catalog/import/", {"file": upload}).content.decode()
    assert "请上传 .xlsx 格式的 Excel 文件" in html


def test_portal_publication_from_the_version_page(client, world, make_item):
    item = make_item(code="LK-CF-T-009", portal=False)
    client.force_login(world["head_a"])
    html = client.get("/catalog/items/LK-CF-T-009/v1/").content.decode()
    assert "尚未在门户公示" in html and "在门户公示" in html
    response = client.post("/catalog/items/LK-CF-T-009/v1/portal/")
    assert response.status_code == 302
    assert item.versions.get().portal_published_at is not None
    client.force_login(world["officer_a"])
    assert "/v1/portal/" not in client.get("/catalog/items/LK-CF-T-009/v1/").content.decode()


def test_officer_cannot_publish_through_the_form(client, world, make_item):
    item = make_item(code="LK-CF-T-009", portal=False)
    client.force_login(world["officer_a"])
    client.post("/catalog/items/LK-CF-T-009/v1/portal/")
    assert item.versions.get().portal_published_at is None


def test_new_version_and_repeal_through_the_forms(client, world, items):
    client.force_login(world["head_a"])
    response = client.post("/catalog/items/LK-CF-T-001/versions/new/", {
        "name": "对经营超过保质期的食品的行政处罚", "basis_law": "《中华人民共和国食品安全法》",
        "basis_article": "第一百二十四条第一款", "basis_text": "（摘要）", "field": "食品安全",
        "valid_from": "2021-04-29", "change_note": "法律修正"})
    assert response.status_code == 302 and response["Location"].endswith("/v2/")
    v2 = items["a"].versions.get(number=2)
    assert v2.basis_law == "中华人民共和国食品安全法" and v2.steps == items["a"].versions.get(number=1).steps
    response = client.post("/catalog/items/LK-CF-T-001/versions/new/", {
        "name": "x", "basis_law": "x", "basis_article": "第一条", "valid_from": "2021-04-29", "change_note": "y"})
    assert response.status_code == 302 and items["a"].versions.count() == 2  # refused: not after v2
    response = client.post("/catalog/items/LK-CF-T-001/repeal/", {
        "effective": "2024-01-01", "reason": "法律废止", "basis_law": "废止决定"})
    assert response.status_code == 302
    assert items["a"].versions.get(number=3).status == VersionStatus.REPEALED
    html = client.get("/catalog/items/LK-CF-T-001/").content.decode()
    assert "已废止" in html and "发布新版本（" not in html


def test_other_agency_cannot_post_to_an_item_it_cannot_see(client, world, items):
    client.force_login(world["head_b"])
    response = client.post("/catalog/items/LK-CF-T-001/repeal/", {
        "effective": "2024-01-01", "reason": "x", "basis_law": "x"})
    assert response.status_code == 404
    assert items["a"].versions.count() == 1


def test_alerts_page_lists_stale_changes_with_the_rule(client, world):
    published = timezone.now() - dt.timedelta(days=30)
    actions.create_item(world["head_a"], code="LK-CF-T-077", kind="penalty", level="county", agencies=[world["a"]],
                        data=version_data(name="逾期未公示的事项"), valid_from=dt.date(2020, 1, 1),
                        published_at=published)
    client.force_login(world["head_a"])
    html = client.get("/catalog/alerts/").content.decode()
    assert "逾期未公示的事项" in html and "动态调整" in html and "5个工作日" in html
    client.force_login(world["head_b"])
    assert "逾期未公示的事项" not in client.get("/catalog/alerts/").content.decode()


def test_page_views_record_nothing(client, world, items):
    client.force_login(world["head_a"])
    before = Event.objects.count()
    for url in ("/catalog/", "/catalog/items/LK-CF-T-001/", "/public/catalog/"):
        client.get(url)
    assert Event.objects.count() == before
