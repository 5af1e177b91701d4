"""Public catalog pages: no login, Chinese, phone-friendly, only what was put on the portal."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from tests.catalog.conftest import version_data
from zhifa.catalog import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(world, make_item):
    food = make_item(code="LK-CF-T-001")
    licence = make_item(code="LK-XK-T-001", kind="licensing", name="食品经营许可", article="第三十五条")
    hidden = make_item(code="LK-CF-T-002", name="尚未公示的事项", portal=False)
    other = make_item(code="LK-CF-B-001", agency=world["b"], name="乙局的事项", actor=world["head_b"])
    repealed = make_item(code="LK-CF-T-003", name="价格监督检查（原）")
    actions.repeal_item(world["head_a"], repealed, dt.date(2020, 6, 1), "机构改革，职责划转", "机构改革方案")
    actions.publish_to_portal(world["head_a"], repealed.versions.get(number=2))
    amended = actions.publish_version(world["head_a"], food, dt.date(2021, 4, 29),
                                      version_data(name="对经营超过保质期的食品的行政处罚"), change_note="法律修正")
    actions.publish_to_portal(world["head_a"], amended)
    actions.publish_version(world["head_a"], licence, dt.date(2022, 1, 1), version_data(name="新的许可名称（未公示）"),
                            change_note="改名")
    inspection_item = make_item(code="LK-JC-T-001", kind="inspection", name="食品经营监督检查")
    inspection = actions.create_inspection_list(
        world["head_a"], world["a"], title="2026年度食品经营者抽查", items=[inspection_item],
        subject_scope="持证食品经营者", subject_total=100, sample_size=5, period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 10, 31))
    actions.record_inspection_result(world["head_a"], inspection, subject_name="渌口惠民超市",
                                     inspected_on=dt.date(2026, 4, 2), result="corrected", detail="已责令改正")
    actions.record_inspection_result(world["head_a"], inspection, subject_name="第二个检查对象",
                                     inspected_on=dt.date(2026, 4, 3), result="normal")
    actions.publish_inspection_results(world["head_a"], inspection)
    actions.record_inspection_result(world["head_a"], inspection, subject_name="后来检查的对象",
                                     inspected_on=dt.date(2026, 4, 4), result="normal")
    return {"food": food, "licence": licence, "hidden": hidden, "other": other, "repealed": repealed,
            "inspection": inspection}


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


PAGES = ["/public/catalog/", "/public/catalog/items/LK-CF-T-001/", "/public/catalog/items/LK-CF-T-001/v1/",
         "/public/catalog/inspections/", "/public/catalog/av/agency-a/"]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_render_without_login_for_phones(client, portal, url):
    html = get(client, url)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-hans">' in html and 'href="#main"' in html
    assert not re.search(r"\sstyle=", html)  # the CSP forbids inline styles
    assert "<script" not in html


def test_index_lists_items_in_force_on_the_portal_only(client, portal):
    html = get(client, "/public/catalog/")
    assert "对经营超过保质期的食品的行政处罚" in html and "食品经营许可" in html and "乙局的事项" in html
    assert "尚未公示的事项" not in html and "新的许可名称（未公示）" not in html
    assert "价格监督检查（原）" not in html  # repealed
    assert "共 4 项" in html


def test_index_filters_by_kind_agency_and_words(client, portal):
    assert "乙局的事项" not in get(client, "/public/catalog/?agency=agency-a")
    assert "共 1 项" in get(client, "/public/catalog/?agency=agency-b")
    html = get(client, "/public/catalog/?kind=licensing")
    assert "食品经营许可" in html and "共 1 项" in html
    assert "共 1 项" in get(client, "/public/catalog/?q=保质期")
    assert "共 0 项" in get(client, "/public/catalog/?q=不存在的词")
    assert "共 4 项" in get(client, "/public/catalog/?kind=nonsense&agency=nobody")


def test_item_page_shows_basis_discretion_guide_and_flowchart(client, portal):
    html = get(client, "/public/catalog/items/LK-CF-T-001/")
    assert "对经营超过保质期的食品的行政处罚" in html
    assert "《中华人民共和国食品安全法》第一百二十四条" in html and "（摘要）" in html
    assert "行政裁量权基准" in html and "第三十四条" in html and "罚款数额：50,000–65,000 元" in html
    assert "服务指南" in html and "承诺 5 个工作日" in html and "12345政务服务便民热线" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    ET.fromstring(svg)
    assert 'role="img"' in svg and "流程图" in svg
    assert "/public/catalog/items/LK-CF-T-001/v2/flowchart.svg" in html
    assert "版本记录" in html and "/public/catalog/items/LK-CF-T-001/v1/" in html
    assert "行政复议" in html  # remedies


def test_old_version_page_says_it_is_history(client, portal):
    html = get(client, "/public/catalog/items/LK-CF-T-001/v1/")
    assert "这是历史版本" in html and "对销售过期食品的行政处罚" in html and "2021-04-28" in html


def test_item_not_yet_updated_on_the_portal_shows_the_last_public_version(client, portal):
    html = get(client, "/public/catalog/items/LK-XK-T-001/")
    assert "食品经营许可" in html and "新的许可名称（未公示）" not in html
    get(client, "/public/catalog/items/LK-XK-T-001/v2/", 404)
    get(client, "/public/catalog/items/LK-XK-T-001/v2/flowchart.svg", 404)


def test_unpublished_and_unknown_items_are_not_found(client, portal):
    get(client, "/public/catalog/items/LK-CF-T-002/", 404)
    get(client, "/public/catalog/items/NO-SUCH-CODE/", 404)


def test_repealed_item_says_so(client, portal):
    html = get(client, "/public/catalog/items/LK-CF-T-003/")
    assert "已废止" in html and "2020-06-01" in html and "机构改革，职责划转" in html


def test_flowchart_is_served_as_svg(client, portal):
    response = client.get("/public/catalog/items/LK-CF-T-001/v2/flowchart.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "max-age=3600" in response["Cache-Control"]
    root = ET.fromstring(response.content)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "对经营超过保质期的食品的行政处罚 流程图"


def test_random_inspection_lists_and_published_results(client, portal):
    html = get(client, "/public/catalog/inspections/")
    assert "2026年度食品经营者抽查" in html and "已公示结果" in html
    html = get(client, f"/public/catalog/inspections/{portal['inspection'].pk}/")
    assert "渌口惠民超市" in html and "发现问题已责令改正" in html and "已责令改正" in html
    assert "第二个检查对象" in html  # published with the first batch
    assert "后来检查的对象" not in html  # recorded after publication, not yet public
    assert "食品经营监督检查" in html


def test_av_list_is_public(client, portal, world):
    actions.install_default_av_items(world["head_a"], world["a"])
    html = get(client, "/public/catalog/av/agency-a/")
    assert "查封、扣押财产" in html and "全过程音像记录" in html


def test_index_runs_a_fixed_number_of_queries(client, portal, make_item, django_assert_max_num_queries):
    for number in range(10):
        make_item(code=f"LK-CF-Q-{number:03d}")
    with django_assert_max_num_queries(12):
        get(client, "/public/catalog/")
