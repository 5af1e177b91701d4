"""Portal pages: public (no login), Chinese, accessible landmarks, phone-ready, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse

from zhifa.people.models import Role
from zhifa.publicity import actions, views
from zhifa.publicity.models import DutyPost

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/public/", "/public/agencies/", "/public/agencies/lk-scjg/", "/public/officers/",
                "/public/officers/43021226000001/", "/public/windows/", "/public/progress/", "/public/complaints/",
                "/public/complaints/status/"]


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_need_no_login_and_are_accessible_on_phones(client, world, url):
    html = _html(client, url)
    assert '<html lang="zh-hans">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'href="#main"' in html and '<main id="main"' in html  # skip link and main landmark
    assert "<header" in html and "<footer" in html and 'aria-label="公示栏目"' in html
    assert "退出" not in html and "我的待办" not in html  # the public layout: no staff navigation
    assert " style=" not in html and "<script>" not in html  # the CSP forbids inline styles and scripts
    for match in re.finditer(r'<input [^>]*id="([^"]+)"', html):  # every visible input has a label
        if 'type="hidden"' not in match.group(0):
            assert f'for="{match.group(1)}"' in html, match.group(0)


def test_public_pages_send_the_content_security_policy(client, world):
    response = client.get("/public/")
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_home_links_every_published_section(client, world):
    html = _html(client, "/public/")
    for name in ("public-agencies", "public-officers", "public-windows", "public-progress", "public-complaints"):
        assert f'href="{reverse(name)}"' in html, name
    assert "执法证查验" in html and 'action="/public/check/"' in html


def test_home_links_the_catalog_decisions_and_reports_only_when_they_exist(client, world, monkeypatch):
    from zhifa.publicity.templatetags import publicity_tags

    published = {}
    for key, name in publicity_tags.OPTIONAL_SECTIONS.items():
        try:
            published[key] = reverse(name)
        except NoReverseMatch:
            published[key] = None
    html = _html(client, "/public/")
    nav = html.split('aria-label="公示栏目"', 1)[1].split("</nav>", 1)[0]
    for key, label in (("catalog", "执法事项"), ("decisions", "执法决定"), ("reports", "年度报告")):
        if published[key]:
            assert f'<a href="{published[key]}">{label}</a>' in nav
    monkeypatch.setattr(publicity_tags, "OPTIONAL_SECTIONS", {"catalog": "no-such-url-name"})
    html = _html(client, "/public/")
    assert ">执法事项</" not in html and publicity_tags.portal_links() == {"catalog": None}


def test_agencies_list_kind_level_and_valid_officer_count(client, world):
    html = _html(client, "/public/agencies/")
    assert "株洲市渌口区市场监督管理局" in html and "行政机关" in html and "县（区）级" in html
    assert 'href="/public/officers/?agency=lk-scjg">1 名</a>' in html  # only the valid credential counts
    assert 'href="/public/agencies/lk-scjg/"' in html


def test_agency_detail_duties_contacts_officers_link(client, world):
    html = _html(client, "/public/agencies/lk-scjg/")
    assert "负责市场综合监督管理。" in html and "渌口区建设路1号" in html and 'href="tel:0731-22221111"' in html
    assert "持有效执法证的执法人员 1 名" in html and 'href="/public/officers/?agency=lk-scjg"' in html
    assert 'href="/public/complaints/?agency=lk-scjg"' in html
    _html(client, "/public/agencies/no-such-agency/", status=404)


def test_officers_list_shows_every_column_and_all_four_statuses(client, world):
    html = _html(client, "/public/officers/")
    for name in ("王建国", "陈思远", "刘雨婷", "黄志文", "赵晓东"):
        assert name in html
    assert "43021226000001" in html and "市场监管、食品安全" in html and "2024-01-01 至 2099-12-31" in html
    assert "株洲市渌口区市场监督管理局 执法大队" in html
    for label in ("有效", "过期", "暂扣", "注销"):
        assert f"</span> {label}</span>" in html, label
    assert html.count("status-bad") == 3 and html.count("不得从事执法活动") >= 3


@pytest.mark.parametrize(("params", "expected", "absent"), [
    ({"q": "王建国"}, ["王建国"], ["陈思远", "赵晓东"]),
    ({"q": "000005"}, ["赵晓东"], ["王建国"]),
    ({"q": "城市管理"}, ["赵晓东", "黄志文"], ["王建国"]),
    ({"q": "渌城管"}, ["赵晓东", "黄志文"], ["王建国"]),
    ({"agency": "lk-scjg"}, ["王建国", "陈思远", "刘雨婷"], ["赵晓东", "黄志文"]),
    ({"status": "expired"}, ["陈思远"], ["王建国", "刘雨婷"]),
    ({"status": "revoked"}, ["黄志文"], ["王建国"]),
])
def test_officers_searchable_by_name_number_agency_and_status(client, world, params, expected, absent):
    html = client.get("/public/officers/", params).content.decode()
    listing = html.split('id="officers"', 1)[1]
    for name in expected:
        assert name in listing, (params, name)
    for name in absent:
        assert name not in listing, (params, name)


def test_officers_list_is_paginated_and_keeps_the_search(client, world, named_user, issue):
    for n in range(views.OFFICERS_PER_PAGE + 5):
        issue(named_user(world["A"], Role.OFFICER, full_name=f"分页{n:02d}"), number=f"4302122690{n:04d}",
              valid_to=dt.date(2099, 1, 1), actor=world["admin"])
    first = client.get("/public/officers/", {"q": "分页"}).content.decode()
    assert "第 1 / 2 页" in first and 'href="?q=%E5%88%86%E9%A1%B5&amp;page=2"' in first
    second = client.get("/public/officers/", {"q": "分页", "page": 2}).content.decode()
    assert second.count('class="status ') == 5


def test_officers_list_runs_in_a_fixed_number_of_queries(client, world, named_user, issue,
                                                         django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/public/officers/")
    for n in range(15):
        issue(named_user(world["B"], Role.OFFICER, full_name=f"查询{n}"), number=f"4302122691{n:04d}",
              actor=world["admin"])
    with django_assert_max_num_queries(4):
        html = client.get("/public/officers/").content.decode()
    assert "查询14" in html or "第 1 / 2 页" in html


def test_agency_pages_run_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/public/agencies/")
    with django_assert_max_num_queries(3):
        client.get("/public/agencies/lk-scjg/")
    with django_assert_max_num_queries(4):
        client.get("/public/")


def test_windows_page_lists_staff_duties_and_contacts_without_n_plus_one(client, world,
                                                                         django_assert_max_num_queries):
    for n in range(3):
        actions.save_duty_post(world["admin"], DutyPost(
            agency=world["A"], unit=world["window_a"], name=f"{n + 1}号窗口", duties="受理申请\n一次性告知",
            hours="工作日 8:30—17:30", phone="0731-22221111", complaint_phone="0731-22229999",
        ), [world["officer_a"], world["head_a"]])
    with django_assert_max_num_queries(3):
        html = client.get("/public/windows/").content.decode()
    assert html.count("<h3>") == 3 and "<li>一次性告知</li>" in html and 'href="tel:0731-22229999"' in html
    assert '<a href="/public/officers/43021226000001/">王建国</a>' in html and "李立新" in html


def test_inactive_duty_post_is_not_published(client, world):
    actions.save_duty_post(world["admin"], DutyPost(agency=world["A"], name="停用窗口", duties="x", active=False), [])
    assert "停用窗口" not in _html(client, "/public/windows/")


def test_english_on_request_keeps_working(client, world):
    client.cookies["django_language"] = "en"
    html = _html(client, "/public/officers/")
    assert '<html lang="en">' in html
