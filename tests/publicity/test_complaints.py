"""投诉举报: the public form (acknowledgement number, secret shown once, honeypot, limits, CSRF), the reporter's
status query, and the agency's scoped inbox with its recorded answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from zhifa.core.errors import RuleViolation
from zhifa.publicity import actions
from zhifa.publicity.models import Complaint, ComplaintStatus
from zhifa.publicity.ratelimit import COMPLAINT_QUERY, COMPLAINT_SUBMIT
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

URL = "/public/complaints/"
FORM = {"agency": "lk-scjg", "subject": "超市销售过期食品", "content": "建设路某超市销售过期酸奶。",
        "contact_name": "刘先生", "contact_phone": "13911112222", "website": ""}


def _submit(client, ip: str = "10.0.0.1", **changes):
    return client.post(URL, {**FORM, **changes}, REMOTE_ADDR=ip)


def _receipt(client) -> tuple[str, str]:
    html = client.get("/public/complaints/received/").content.decode()
    number = re.search(r'id="receipt-number">([^<]+)<', html).group(1)
    secret = re.search(r'id="receipt-secret">([^<]+)<', html).group(1)
    return number, secret


@pytest.fixture
def complaint(world):
    return actions.submit_complaint(world["A"], "餐馆卫生差", "后厨苍蝇多。", "陈女士", "13800001111")


def test_form_creates_a_complaint_with_acknowledgement_and_one_event(client, world):
    before = Event.objects.count()
    response = _submit(client)
    assert response.status_code == 302 and response["Location"] == "/public/complaints/received/"
    number, secret = _receipt(client)
    today = timezone.localdate()
    assert number == f"TS{today:%Y%m%d}-0001" and len(secret) == actions.COMPLAINT_SECRET_LENGTH
    complaint = Complaint.objects.get(number=number)
    assert complaint.agency == world["A"] and complaint.status == ComplaintStatus.RECEIVED
    assert complaint.contact_name == "刘先生" and complaint.contact_phone == "13911112222"
    assert b"13911112222" not in bytes(complaint.contact_phone_sealed)  # encrypted at rest
    assert secret not in complaint.secret_hash
    events = list(Event.objects.filter(seq__gte=before))
    assert [e.event_type for e in events] == ["publicity.complaint_received"]
    assert events[0].agency_id == world["A"].pk and events[0].payload == {"number": number,
                                                                          "subject": "超市销售过期食品"}


def test_receipt_is_shown_only_once(client, world):
    _submit(client)
    _receipt(client)
    again = client.get("/public/complaints/received/")
    assert again.status_code == 302 and again["Location"] == "/public/complaints/status/"


def test_acknowledgement_numbers_are_gap_free_per_day(world, monkeypatch):
    numbers = [actions.submit_complaint(world["A"], "事由", "内容")[0].number for _ in range(3)]
    day = timezone.localdate()
    assert numbers == [f"TS{day:%Y%m%d}-{n:04d}" for n in (1, 2, 3)]
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    next_day = actions.submit_complaint(world["B"], "事由", "内容")[0].number
    assert next_day == f"TS{timezone.localdate(tomorrow):%Y%m%d}-0001"


def test_a_refused_submission_gives_its_number_back(world):
    with pytest.raises(RuleViolation):
        actions.submit_complaint(world["A"], "  ", "内容")
    first = actions.submit_complaint(world["A"], "事由", "内容")[0]
    assert first.number.endswith("-0001")


def test_missing_fields_are_explained_in_chinese(client, world):
    response = _submit(client, subject="", agency="")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("该字段是必填项") == 2
    assert not Complaint.objects.exists()


def test_honeypot_stops_robots_silently(client, world):
    response = _submit(client, website="http://spam.example")
    assert response.status_code == 200 and "感谢您的反馈" in response.content.decode()
    assert not Complaint.objects.exists() and not Event.objects.filter(event_type__startswith="publicity.").exists()


def test_honeypot_field_is_hidden_from_people(client, world):
    html = client.get(URL).content.decode()
    hidden = html.split('class="hp-field" aria-hidden="true"', 1)[1].split("</div>", 1)[0]
    assert 'name="website"' in hidden and 'tabindex="-1"' in hidden and 'autocomplete="off"' in hidden


def test_submissions_limited_per_address_without_hurting_others(client, world):
    for _ in range(COMPLAINT_SUBMIT.limit):
        assert _submit(client).status_code == 302
    limited = _submit(client)
    assert limited.status_code == 429 and "提交得过于频繁" in limited.content.decode()
    assert "12345" in limited.content.decode()  # a way out for a real person
    assert Complaint.objects.count() == COMPLAINT_SUBMIT.limit
    assert _submit(client, ip="10.0.0.2").status_code == 302


def test_invalid_submissions_do_not_count_against_the_limit(client, world):
    for _ in range(COMPLAINT_SUBMIT.limit + 2):
        _submit(client, content="")
    assert _submit(client).status_code == 302


def test_complaint_form_needs_csrf(world):
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(URL, FORM).status_code == 403


def test_agency_is_preselected_from_the_link(client, world):
    html = client.get(URL, {"agency": "lk-cgzf"}).content.decode()
    assert '<option value="lk-cgzf" selected>' in html


def test_channels_list_every_agency_phone(client, world):
    html = client.get(URL).content.decode()
    assert 'href="tel:0731-22221111"' in html and 'href="tel:0731-22223333"' in html and "12345" in html


def test_reporter_queries_status_with_number_and_secret(client, world, complaint):
    record, secret = complaint
    actions.answer_complaint(world["head_a"], record, ComplaintStatus.CLOSED, "已立案查处。")
    html = client.post("/public/complaints/status/", {"number": record.number.lower(), "secret": secret.lower()},
                       REMOTE_ADDR="10.0.0.1").content.decode()
    result = html.split('id="complaint-result"', 1)[1].split("</section>", 1)[0]
    assert "已办结" in result and "已立案查处。" in result and "株洲市渌口区市场监督管理局" in result
    assert "陈女士" not in html and "13800001111" not in html


def test_wrong_secret_is_refused_and_limited(client, world, complaint):
    record, secret = complaint
    for _ in range(COMPLAINT_QUERY.limit - 1):
        response = client.post("/public/complaints/status/", {"number": record.number, "secret": "XXXXXX"})
        assert "受理编号或查询密码不正确" in response.content.decode()
    client.post("/public/complaints/status/", {"number": record.number, "secret": "XXXXXX"})
    locked = client.post("/public/complaints/status/", {"number": record.number, "secret": secret})
    assert locked.status_code == 429 and "查询错误次数过多" in locked.content.decode()
    assert 'id="complaint-result"' not in locked.content.decode()


# --- the agency's side -------------------------------------------------------------------------------------


def test_each_answer_appends_exactly_one_event(world, complaint):
    record, _secret = complaint
    before = Event.objects.count()
    actions.answer_complaint(world["head_a"], record, ComplaintStatus.PROCESSING, "")
    actions.answer_complaint(world["officer_a"], record, ComplaintStatus.CLOSED, "经查属实，已处理。")
    events = list(Event.objects.filter(seq__gte=before).order_by("seq"))
    assert [e.event_type for e in events] == ["publicity.complaint_answered"] * 2
    assert [(e.payload["from"], e.payload["to"]) for e in events] == [("received", "processing"),
                                                                      ("processing", "closed")]
    assert events[1].actor_id == world["officer_a"].pk
    record.refresh_from_db()
    assert record.status == ComplaintStatus.CLOSED and record.answered_by == world["officer_a"]


@pytest.mark.parametrize("final", [ComplaintStatus.CLOSED, ComplaintStatus.REJECTED])
def test_closed_or_refused_is_final_and_needs_a_reason(world, complaint, final):
    record, _secret = complaint
    with pytest.raises(RuleViolation) as error:
        actions.answer_complaint(world["head_a"], record, final, "  ")
    assert error.value.code == "reply_required"
    actions.answer_complaint(world["head_a"], record, final, "理由")
    with pytest.raises(RuleViolation) as error:
        actions.answer_complaint(world["head_a"], record, ComplaintStatus.PROCESSING, "再看看")
    assert error.value.code == "complaint_final"


@pytest.mark.parametrize("who", ["officer_b", "head_b", "supervisor"])
def test_only_the_receiving_agency_answers(world, complaint, who):
    with pytest.raises(RuleViolation) as error:
        actions.answer_complaint(world[who], complaint[0], ComplaintStatus.PROCESSING, "")
    assert error.value.code == "complaint_not_yours"


def test_staff_inbox_is_scoped(client, world, complaint):
    other = actions.submit_complaint(world["B"], "占道经营", "老街早市占道。")[0]
    client.force_login(world["officer_a"])
    html = client.get("/public/staff/complaints/").content.decode()
    assert complaint[0].number in html and other.number not in html
    assert client.get(f"/public/staff/complaints/{other.number}/").status_code == 404
    client.force_login(world["supervisor"])
    html = client.get("/public/staff/complaints/").content.decode()
    assert complaint[0].number in html and other.number in html


def test_staff_answer_through_the_page(client, world, complaint):
    record, _secret = complaint
    client.force_login(world["head_a"])
    page = client.get(f"/public/staff/complaints/{record.number}/").content.decode()
    assert "陈女士" in page and "13800001111" in page  # the agency sees the contact to follow up
    before = Event.objects.count()
    response = client.post(f"/public/staff/complaints/{record.number}/",
                           {"status": "rejected", "reply": "不属于本机关职责，已告知向有权机关反映。"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ComplaintStatus.REJECTED
    assert Event.objects.filter(seq__gte=before).count() == 1
    missing = client.post(f"/public/staff/complaints/{record.number}/", {"status": "closed", "reply": "x"})
    assert missing.status_code == 302  # refused: final (message), nothing recorded
    assert Event.objects.filter(seq__gte=before).count() == 1


def test_supervisor_reads_but_cannot_answer_through_the_page(client, world, complaint):
    client.force_login(world["supervisor"])
    page = client.get(f"/public/staff/complaints/{complaint[0].number}/").content.decode()
    assert "办理与答复" not in page
    client.post(f"/public/staff/complaints/{complaint[0].number}/", {"status": "processing", "reply": ""})
    complaint[0].refresh_from_db()
    assert complaint[0].status == ComplaintStatus.RECEIVED


def test_staff_reply_requires_a_reason_on_the_page(client, world, complaint):
    client.force_login(world["head_a"])
    response = client.post(f"/public/staff/complaints/{complaint[0].number}/", {"status": "closed", "reply": ""})
    assert response.status_code == 200 and "办结或不予受理须填写答复" in response.content.decode()


def test_staff_inbox_queries_fixed(client, world, django_assert_max_num_queries):
    for n in range(5):
        actions.submit_complaint(world["A"], f"事由{n}", "内容")
    client.force_login(world["head_a"])
    with django_assert_max_num_queries(8):
        client.get("/public/staff/complaints/")


def test_complaint_becomes_a_case_source_of_its_agency(client, world, complaint, case):
    record, _secret = complaint
    client.force_login(world["head_a"])
    before = Event.objects.count()
    wrong = client.post(f"/public/staff/complaints/{record.number}/", {"case_number": "渌市监立〔1999〕1号"})
    assert wrong.status_code == 200 and "本机关没有这个案件编号" in wrong.content.decode()
    typed = case.number.replace("〔", "[").replace("〕", "]")
    response = client.post(f"/public/staff/complaints/{record.number}/", {"case_number": typed})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.case == case and record.status == ComplaintStatus.RECEIVED
    events = list(Event.objects.filter(seq__gte=before))
    assert [(e.event_type, e.case_id) for e in events] == [("publicity.complaint_case_linked", case.pk)]
    page = client.get(f"/public/staff/complaints/{record.number}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in page and "转为案件" not in page
    with pytest.raises(RuleViolation) as error:
        actions.link_case(world["head_a"], record, case)
    assert error.value.code == "complaint_already_linked"


def test_complaint_links_only_to_a_case_of_the_same_agency(world, case):
    other = actions.submit_complaint(world["B"], "占道经营", "老街早市占道。")[0]
    with pytest.raises(RuleViolation) as error:
        actions.link_case(world["head_b"], other, case)
    assert error.value.code == "case_of_other_agency"


def test_publicity_events_have_chinese_names():
    from zhifa.record.event_types import event_label

    assert event_label("publicity.complaint_received") == "受理投诉举报"
    assert event_label("publicity.query_code_issued") == "发放案件查询码"
