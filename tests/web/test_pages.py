"""Staff pages by role: my tasks, navigation, scoped lists, mobile meta, Chinese by default with English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from zhifa.people import actions
from zhifa.people.models import CredentialStatus, LegalQualification, Role

pytestmark = pytest.mark.django_db

PAGES = ["/", "/agencies/", "/officers/", "/record/events/"]
ROLES = [Role.OFFICER, Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN]


@pytest.fixture
def world(make_agency, make_user, issue):
    """Agencies 甲 and 乙, each with one person in every agency role and an officer's credential (乙's reviewer
    is qualified, 甲's is not); agency 丙 with an officer and a head but no reviewer (0% < 5%); a supervisor at
    the judicial bureau; an administrator."""
    admin = make_user(role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True)
    people = {"admin": admin}
    for key, short in (("A", "甲局"), ("B", "乙局")):
        agency = make_agency(f"agency-{key.lower()}", name=f"株洲市渌口区{short}", short_name=short)
        people[key] = {role: make_user(agency, role, username=f"{key}-{role}") for role in ROLES[:4]}
        people[key]["credential"] = issue(people[key][Role.OFFICER], number=f"4302122600{key}01", actor=admin)
    short = make_agency("agency-c", name="株洲市渌口区丙局", short_name="丙局")
    people["C"] = {role: make_user(short, role, username=f"C-{role}") for role in (Role.OFFICER, Role.AGENCY_HEAD)}
    issue(people["C"][Role.OFFICER], number="4302122600C01", actor=admin)
    LegalQualification.objects.create(holder=people["B"][Role.REVIEWER], number="A201700001",
                                      obtained_on=dt.date(2017, 12, 20))
    people["supervisor"] = make_user(make_agency("sfj", short_name="渌司", supervises=True), Role.SUPERVISOR,
                                     username="supervisor")
    return people


def _user(world, role, key="A"):
    if role == Role.SUPERVISOR:
        return world["supervisor"]
    if role == Role.ADMIN:
        return world["admin"]
    return world[key][role]


def _page(client, user, url="/") -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_staff_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_render_for_every_role_usable_on_phones(client, world, role, url):
    html = _page(client, _user(world, role), url)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-hans">' in html
    assert 'href="#main"' in html  # skip link for keyboard users


@pytest.mark.parametrize("role", ROLES)
def test_admin_navigation_only_for_administrators(client, world, role):
    html = _page(client, _user(world, role))
    assert ('href="/admin/">系统管理</a>' in html) is (role == Role.ADMIN)
    assert "我的待办" in html and "执法人员" in html


def test_admin_role_without_admin_site_access_gets_no_broken_link(client, make_user):
    html = _page(client, make_user(role=Role.ADMIN, is_staff=False))
    assert 'href="/admin/"' not in html


def test_admin_site_opens_for_the_administrator(client, world):
    client.force_login(world["admin"])
    assert client.get("/admin/").status_code == 200


def test_admin_site_signs_in_through_zhifa_login_and_returns(client, world):
    response = client.get("/admin/people/agency/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/people/agency/"
    response = client.post(response.redirect_chain[-1][0], {"username": "admin", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/people/agency/"
    assert "株洲市渌口区甲局" in response.content.decode()


def test_admin_site_refuses_signed_in_non_staff(client, world):
    client.force_login(world["A"][Role.AGENCY_HEAD])
    assert client.get("/admin/", follow=True).status_code == 403


# --- my tasks -------------------------------------------------------------------------------------------


def test_home_warns_suspended_officer_not_to_enforce_art42(client, world):
    actions.set_credential_status(world["admin"], world["A"]["credential"], CredentialStatus.SUSPENDED, "涉嫌违纪")
    html = _page(client, world["A"][Role.OFFICER])
    assert "list-group-item-danger" in html
    assert "状态为“暂扣”，不得从事执法活动" in html and "4302122600A01" in html


def test_home_warns_officer_with_expired_credential_art42(client, world, make_user, issue):
    officer = make_user(world["A"][Role.OFFICER].agency, Role.OFFICER)
    issue(officer, number="43021226EXP01", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2023, 12, 31))
    assert "状态为“过期”，不得从事执法活动" in _page(client, officer)


def test_home_reminds_officer_of_credential_expiring_within_60_days(client, world, make_user, issue):
    officer = make_user(world["A"][Role.OFFICER].agency, Role.OFFICER)
    soon = timezone.localdate() + dt.timedelta(days=30)
    issue(officer, number="43021226SOON1", valid_from=dt.date(2022, 1, 1), valid_to=soon)
    html = _page(client, officer)
    assert "list-group-item-warning" in html and f"将于 {soon.isoformat()} 到期" in html


def test_home_of_officer_with_valid_credential_has_no_tasks(client, world):
    assert "暂无待办事项" in _page(client, world["A"][Role.OFFICER])


def test_home_warns_agency_head_below_five_percent_reviewers(client, world):
    html = _page(client, world["C"][Role.AGENCY_HEAD])
    assert "株洲市渌口区丙局 法制审核人员 0 名，占执法人员 1 名的 0.0%，低于5%" in html


def test_home_of_agency_head_meeting_five_percent_has_no_ratio_warning(client, world):
    html = _page(client, world["B"][Role.AGENCY_HEAD])
    assert "低于5%" not in html


def test_supervisor_home_lists_every_agency_below_five_percent(client, world):
    html = _page(client, world["supervisor"])
    assert "株洲市渌口区丙局 法制审核人员 0 名" in html
    assert "株洲市渌口区甲局 法制审核人员" not in html and "株洲市渌口区乙局 法制审核人员" not in html


def test_home_warns_unqualified_first_time_reviewer_art58(client, world):
    html = _page(client, world["A"][Role.REVIEWER])
    assert "尚未取得法律职业资格，不得初次从事行政处罚决定法制审核" in html


def test_home_of_qualified_reviewer_has_no_qualification_warning(client, world):
    assert "法律职业资格" not in _page(client, world["B"][Role.REVIEWER])


def test_home_of_reviewer_before_2021_needs_no_qualification_art58(client, world):
    reviewer = world["A"][Role.REVIEWER]
    reviewer.first_reviewed_on = dt.date(2020, 3, 2)
    reviewer.save()
    assert "法律职业资格" not in _page(client, reviewer)


def test_home_counts_inactive_and_expired_credentials_once_each(client, world, make_user, issue):
    agency = world["A"][Role.OFFICER].agency
    expired = issue(make_user(agency), number="43021226EXP02", valid_from=dt.date(2019, 1, 1),
                    valid_to=dt.date(2023, 12, 31))
    actions.set_credential_status(world["admin"], expired, CredentialStatus.REVOKED, "调离")  # revoked, not 过期
    issue(make_user(agency), number="43021226EXP03", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2023, 12, 31))
    assert "辖内执法证：暂扣或注销 1 张，过期 1 张" in _page(client, world["A"][Role.AGENCY_HEAD])


# --- scoped lists ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES[:4])
def test_officer_list_never_shows_other_agency_credentials(client, world, role):
    html = _page(client, world["A"][role], "/officers/")
    assert "4302122600A01" in html and "4302122600B01" not in html


@pytest.mark.parametrize("role", ROLES[:4])
def test_agency_list_never_shows_other_agencies(client, world, role):
    html = _page(client, world["A"][role], "/agencies/")
    assert "株洲市渌口区甲局" in html and "株洲市渌口区乙局" not in html


@pytest.mark.parametrize("role", ROLES[:4])
def test_record_pages_never_show_other_agency_events(client, world, role):
    for url in ("/record/events/", "/"):
        html = _page(client, world["A"][role], url)
        assert "<td>甲局</td>" in html and "<td>乙局</td>" not in html


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisor_and_admin_lists_show_every_agency(client, world, role):
    user = _user(world, role)
    officers = _page(client, user, "/officers/")
    assert "4302122600A01" in officers and "4302122600B01" in officers
    agencies = _page(client, user, "/agencies/")
    assert "株洲市渌口区甲局" in agencies and "株洲市渌口区乙局" in agencies
    events = _page(client, user, "/record/events/")
    assert "<td>甲局</td>" in events and "<td>乙局</td>" in events


def test_officer_list_filters_by_status(client, world, make_user, issue):
    agency = world["A"][Role.OFFICER].agency
    issue(make_user(agency), number="43021226EXP04", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2023, 12, 31))
    issue(make_user(agency), number="43021226FUT01", valid_from=timezone.localdate() + dt.timedelta(days=10),
          valid_to=dt.date(2035, 1, 1))
    suspended = issue(make_user(agency), number="43021226SUS01")
    actions.set_credential_status(world["admin"], suspended, CredentialStatus.SUSPENDED, "涉嫌违纪")
    head = world["A"][Role.AGENCY_HEAD]
    expected = {
        "valid": {"4302122600A01"},
        "expired": {"43021226EXP04", "43021226FUT01"},  # shown as 过期 in the list, so filtered as such
        "suspended": {"43021226SUS01"},
        "revoked": set(),
    }
    numbers = {"4302122600A01", "43021226EXP04", "43021226FUT01", "43021226SUS01"}
    for status, shown in expected.items():
        html = _page(client, head, f"/officers/?status={status}")
        assert {n for n in numbers if n in html} == shown, status


def test_officer_list_searches_name_and_number(client, world):
    head = world["A"][Role.AGENCY_HEAD]
    assert "4302122600A01" in _page(client, head, "/officers/?q=A01")
    assert "4302122600A01" not in _page(client, head, "/officers/?q=没有这个人")


# --- language -------------------------------------------------------------------------------------------


def test_chinese_by_default_english_on_request(client, world):
    client.force_login(world["A"][Role.OFFICER])
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()

