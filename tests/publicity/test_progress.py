"""办理进度查询: case number + query code; only stage, agency, deadlines and documents served; wrong codes limited."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.publicity import actions
from zhifa.publicity.models import CaseQueryCode
from zhifa.publicity.progress import public_progress
from zhifa.publicity.ratelimit import PROGRESS_QUERY
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

URL = "/public/progress/"


@pytest.fixture
def code(case):
    return actions.issue_query_code(case, actor=None)


def _ask(client, number: str, code: str, ip: str = "10.0.0.1"):
    return client.post(URL, {"case_number": number, "code": code}, REMOTE_ADDR=ip)


def test_issuing_a_code_appends_exactly_one_event_and_stores_only_a_hash(case, world):
    before = Event.objects.count()
    code = actions.issue_query_code(case, actor=world["officer_a"])
    assert len(code) == 8 and set(code) <= set(actions.CODE_ALPHABET)
    events = list(Event.objects.filter(seq__gte=before))
    assert [e.event_type for e in events] == ["publicity.query_code_issued"]
    assert events[0].case_id == case.pk and events[0].actor_id == world["officer_a"].pk
    assert code not in str(events[0].payload)
    row = CaseQueryCode.objects.get(case=case)
    assert code not in row.code_hash and row.party.name == "株洲渌口惠民超市有限公司"


def test_reissuing_replaces_the_old_code(client, case, code):
    new = actions.issue_query_code(case)
    assert new != code and CaseQueryCode.objects.filter(case=case).count() == 1
    assert "案件编号或查询码不正确" in _ask(client, case.number, code).content.decode()
    assert "查询结果" in _ask(client, case.number, new).content.decode()


def test_right_code_shows_stage_agency_and_nothing_more(client, world, case, code):
    response = _ask(client, case.number, code.lower())  # any case
    html = response.content.decode()
    assert response.status_code == 200
    result = html.split('id="progress-result"', 1)[1].split("</section>", 1)[0]
    assert case.number in result and "株洲市渌口区市场监督管理局" in result and "当前阶段" in result
    assert "0731-22221111" in result  # the agency's public phone, to ask about the case
    for secret in ("涉嫌销售超过保质期食品案",  # the title (facts of the case)
                   "湖南另一当事人商贸有限公司", "钱七", "0731-28880002",  # the other party
                   "株洲渌口惠民超市有限公司", "张三丰", "0731-28880001", "建设路8号",  # even its own personal data
                   "王建国", "13900001111", "43021226000001"):  # officers and their phones
        assert secret not in html, secret


def test_result_fields_are_only_the_allowed_ones(case):
    progress = public_progress(case, case.parties.first())
    assert set(vars(progress)) == {"case_number", "agency_name", "agency_phone", "agency_address", "stage",
                                   "opened_on", "deadlines", "documents"}


def test_deadlines_and_served_documents_are_shown_when_the_case_has_them(client, case, code, monkeypatch):
    from zhifa.cases.models import Case

    monkeypatch.setattr(Case, "public_deadlines", lambda self: [("陈述申辩期", dt.date(2026, 12, 3))],
                        raising=False)
    monkeypatch.setattr(Case, "public_documents_for",
                        lambda self, party: [("行政处罚事先告知书", "渌市监罚告〔2026〕1号", dt.date(2026, 11, 30))],
                        raising=False)
    html = _ask(client, case.number, code).content.decode()
    assert "陈述申辩期：2026-12-03" in html
    assert "行政处罚事先告知书（渌市监罚告〔2026〕1号），2026-11-30 送达" in html


def test_documents_only_for_the_party_given_the_code(case):
    from zhifa.publicity.progress import documents_served_to

    assert documents_served_to(case, None) == []


def test_served_notice_and_decision_from_the_case_dates(client, case, code):
    from zhifa.cases.models import Case

    if not all(hasattr(case, name) for name in ("notified_on", "served_on")):
        pytest.skip("the case has no service dates yet")
    Case.objects.filter(pk=case.pk).update(notified_on=dt.date(2026, 11, 30), served_on=dt.date(2026, 12, 20))
    html = _ask(client, case.number, code).content.decode()
    assert "行政处罚事先告知书" in html and "2026-11-30 送达" in html
    assert "行政处罚决定书" in html and "2026-12-20 送达" in html


def test_case_number_typed_with_other_brackets_and_spaces(client, case, code):
    typed = case.number.replace("〔", "[").replace("〕", "]")
    html = _ask(client, f" {typed} ", f"{code[:4]} {code[4:]}").content.decode()
    assert "查询结果" in html


def test_wrong_code_is_refused_plainly(client, case, code):
    response = _ask(client, case.number, "AAAAAAAA")
    assert response.status_code == 200 and "案件编号或查询码不正确" in response.content.decode()
    assert "查询结果" not in response.content.decode()
    assert "案件编号或查询码不正确" in _ask(client, "渌市监立〔1999〕9号", code).content.decode()


def test_wrong_codes_are_limited_per_address(client, case, code):
    for n in range(PROGRESS_QUERY.limit - 1):
        assert _ask(client, f"不存在〔2026〕{n}号", "AAAAAAAA").status_code == 200
    locked = _ask(client, "不存在〔2026〕99号", "AAAAAAAA")
    assert locked.status_code == 429 and "查询错误次数过多" in locked.content.decode()
    assert "15 分钟后再试" in locked.content.decode()
    # the right code from the same address still waits ...
    waiting = _ask(client, case.number, code)
    assert waiting.status_code == 429 and "查询结果" not in waiting.content.decode()
    # ... while another address is not hurt
    assert "查询结果" in _ask(client, case.number, code, ip="10.0.0.2").content.decode()


def test_wrong_codes_are_limited_per_case_number_across_addresses(client, case, code):
    for n in range(PROGRESS_QUERY.limit):
        _ask(client, case.number, "AAAAAAAA", ip=f"10.1.0.{n}")
    response = _ask(client, case.number, code, ip="10.9.9.9")  # a right code after the lock still waits
    assert response.status_code == 429 and "查询结果" not in response.content.decode()
    assert "查询错误次数过多" in response.content.decode()


def test_lock_ends_after_the_window(client, case, code):
    from django.core.cache import cache

    for _ in range(PROGRESS_QUERY.limit):
        _ask(client, case.number, "AAAAAAAA")
    assert _ask(client, case.number, code).status_code == 429
    cache.clear()  # the window (15 minutes) has passed
    assert "查询结果" in _ask(client, case.number, code).content.decode()


def test_right_answers_do_not_count(client, case, code):
    for _ in range(PROGRESS_QUERY.limit + 2):
        assert "查询结果" in _ask(client, case.number, code).content.decode()


def test_progress_form_has_csrf_protection(world, case, code):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"case_number": case.number, "code": code}).status_code == 403


def test_client_address_behind_the_proxy(rf, settings):
    from zhifa.publicity.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "127.0.0.1"  # a client-sent header is not trusted
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "2.2.2.2"  # the hop our proxy appended


def test_a_failing_deadline_source_does_not_break_the_party_page(client, case, code, monkeypatch):
    from zhifa.cases.models import Case

    def broken(self):
        raise RuntimeError("calendar not loaded")

    monkeypatch.setattr(Case, "public_deadlines", broken, raising=False)
    response = _ask(client, case.number, code)
    assert response.status_code == 200 and "暂无需要您注意的期限" in response.content.decode()


def test_filed_case_shows_its_running_legal_deadlines(case):
    progress = public_progress(case, case.parties.first())
    try:
        import zhifa.cases.deadlines  # noqa: F401
    except ImportError:
        pytest.skip("the cases app has no deadlines yet")
    assert progress.deadlines and all(isinstance(day, dt.date) for _label, day in progress.deadlines)
