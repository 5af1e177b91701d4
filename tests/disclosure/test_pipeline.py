"""Publication of decisions (seed §二(一)3; APL Art. 48): deadlines, redaction review, publish, withhold, withdraw,
display periods, search semantics, feeds and downloads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.cases.actions import PartyInput, open_case
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.disclosure import actions
from zhifa.disclosure.models import Publication, Status
from zhifa.law import identifiers, publicity
from zhifa.law.review_rules import REVIEW_POINTS
from zhifa.review.actions import give_opinion
from zhifa.review.models import Review

from ..cases.conftest import DRAFT
from ..cases.test_procedure import inquiry


def test_penalty_published_within_seven_working_days_seed() -> None:
    assert publicity.publication_deadline("penalty", dt.date(2025, 9, 30)) == dt.date(2025, 10, 16)
    assert publicity.publication_deadline("licensing", dt.date(2025, 9, 30)) == dt.date(2025, 10, 16)


def test_other_decisions_within_twenty_working_days_seed() -> None:
    assert publicity.publication_deadline("inspection", dt.date(2025, 9, 1)) > dt.date(2025, 9, 26)


def test_withdrawal_within_three_working_days_art48() -> None:
    assert publicity.withdrawal_deadline(dt.date(2025, 9, 30)) == dt.date(2025, 10, 11)  # make-up Saturday


def test_annual_report_deadline_configurable_seed_jan20_national_jan31() -> None:
    assert publicity.annual_report_deadline(2025) == dt.date(2026, 1, 20)
    national = publicity.PublicityConfig(annual_report_day=31)
    assert publicity.annual_report_deadline(2025, national) == dt.date(2026, 1, 31)


def test_display_period_short_for_light_penalties_market_rule() -> None:
    assert publicity.display_until(dt.date(2026, 1, 15), {"warning"}, 0) == dt.date(2026, 4, 15)
    assert publicity.display_until(dt.date(2026, 1, 15), {"fine"}, 50_000) == dt.date(2029, 1, 15)


pytestmark = pytest.mark.django_db


def person_case(team):
    first17 = "43021219800101123"
    party = PartyInput(kind="person", name="张三丰", id_number=first17 + identifiers.id_check_char(first17),
                       phone="13912345678", address="株洲市渌口区建设路18号")
    return open_case(team.officer, team.officer.agency, "涉嫌无照经营案", "complaint", [party],
                     [team.officer, team.partner], opened_at=timezone.now() - dt.timedelta(days=5))


def decided(case, team) -> Publication:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    give_opinion(Review.objects.get(case=case), team.reviewer, opinion="agree", reasons="同意",
                 findings={k: {"result": "符合", "comment": ""} for k, _ in REVIEW_POINTS})
    perform(case, team.officer, "notify")
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    return Publication.objects.get(case=case)


def test_decision_opens_publication_task_with_deadline(case, team) -> None:
    publication = decided(case, team)
    assert publication.status == Status.DRAFT
    assert publication.due_on == publicity.publication_deadline("penalty", timezone.localdate())


def test_redaction_hides_id_phone_address_keeps_punished_name_seed_privacy(team) -> None:
    publication = decided(person_case(team), team)
    text = publication.redacted_text
    assert "张三丰" in text
    assert "13912345678" not in text and "建设路18号" not in text
    assert not re.search(r"\d{17}[\dX]", text)
    kinds = {m["kind"] for m in publication.masks}
    assert {"id_number", "phone", "address"} <= kinds


def test_publisher_changes_masks_with_reason(case, team) -> None:
    publication = decided(case, team)
    start = publication.original_text.index("保质期")
    with pytest.raises(RuleViolation):
        actions.change_masks(publication, team.head, add=[(start, start + 2, "secret")], reason="")
    publication = actions.change_masks(publication, team.head, add=[(start, start + 2, "secret")],
                                       reason="涉及商业秘密的商品名称")
    assert any(m["rule"] == "manual" and m["reason"] == "涉及商业秘密的商品名称" for m in publication.masks)


def test_publish_shows_redacted_text_publicly(team) -> None:
    publication = decided(person_case(team), team)
    actions.publish(publication, team.head)
    html = Client().get(f"/public/decisions/{publication.pk}/").content.decode()
    assert publication.document_number in html and "13912345678" not in html
    listing = Client().get("/public/decisions/", {"q": "张三"}).content.decode()
    assert publication.document_number in listing


def test_withhold_needs_head_and_reason(case, team) -> None:
    publication = decided(case, team)
    with pytest.raises(RuleViolation) as caught:
        actions.withhold(publication, team.officer, reason="商业秘密")
    assert caught.value.code == "agency_head_required"
    actions.withhold(publication, team.head, reason="涉及商业秘密")
    assert Client().get(f"/public/decisions/{publication.pk}/").status_code == 404


def test_withdrawn_decision_shows_notice_with_reason_art48(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    actions.withdraw(publication, team.head, kind="revoked", reason="经行政复议撤销", decided_on=timezone.localdate())
    html = Client().get(f"/public/decisions/{publication.pk}/").content.decode()
    assert "撤下公告" in html and "经行政复议撤销" in html and DRAFT["facts"] not in html


def test_display_period_ends_publication(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    assert actions.expire_displays(publication.display_until + dt.timedelta(days=1)) == 1
    assert Client().get(f"/public/decisions/{publication.pk}/").status_code == 404


def test_search_equals_substring_scan(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    for query, expected in (("保质期", True), ("期的食", True), ("食品保质", False), ("x", True)):
        html = Client().get("/public/decisions/", {"q": query}).content.decode()
        assert (publication.document_number in html) is expected, query


def test_feed_and_downloads(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    client = Client()
    assert publication.document_number in client.get("/public/feed.atom").content.decode()
    assert publication.document_number in client.get("/public/decisions/download.csv").content.decode("utf-8-sig")
    assert client.get("/public/decisions/download.json").json()[0]["document_number"] == publication.document_number
    assert client.get("/public/decisions/download.xlsx").content[:2] == b"PK"


def test_import_from_other_system_enters_pipeline(team) -> None:
    publication = actions.import_decision(
        team.head.agency, team.head, act_type="licensing", document_number="渌审批许〔2026〕8号",
        target="株洲某餐饮有限公司", conclusion="准予食品经营许可", decided_on=timezone.localdate(),
        text="申请人：株洲某餐饮有限公司，联系人李四，电话13800001111。准予许可。")
    assert publication.status == Status.DRAFT and "13800001111" not in publication.redacted_text


def test_withdrawal_kind_after_remedy_outcome_art48() -> None:
    assert publicity.withdrawal_kind_after_remedy("revoked") == "revoked"
    assert publicity.withdrawal_kind_after_remedy("illegal") == "illegal"
    assert publicity.withdrawal_kind_after_remedy("void") == "void"
    assert publicity.withdrawal_kind_after_remedy("remade") == "remade"
    assert publicity.withdrawal_kind_after_remedy("changed") == "changed"
    for kept in ("upheld", "dismissed", "withdrawn", "other"):
        assert publicity.withdrawal_kind_after_remedy(kept) is None


def test_withdrawal_status_due_then_overdue_art48() -> None:
    due_on = publicity.withdrawal_deadline(dt.date(2025, 9, 30))
    assert publicity.withdrawal_status(due_on, due_on) == "due"
    assert publicity.withdrawal_status(due_on, due_on + dt.timedelta(days=1)) == "overdue"


def test_remedy_revocation_opens_withdrawal_due_in_three_working_days_art48(case, team) -> None:
    from zhifa.record.models import Event
    from zhifa.reports.actions import record_remedy_outcome

    publication = actions.publish(decided(case, team), team.head)
    today = timezone.localdate()
    record_remedy_outcome(case, team.reviewer, kind="reconsideration", outcome="revoked", decided_on=today,
                          organ="株洲市渌口区人民政府", reference="渌政复决字〔2026〕3号")
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED  # still up: the publisher completes the withdrawal
    assert publication.withdrawal_kind == "revoked" and publication.withdrawal_due_on == publicity.withdrawal_deadline(
        today)
    assert "渌政复决字〔2026〕3号" in publication.withdrawal_reason
    assert Event.objects.filter(event_type="publication.withdrawal_opened", object_id=str(publication.pk)).exists()
    client = Client()
    client.force_login(team.head)
    queue = client.get("/disclosure/").content.decode()
    assert "待撤下" in queue and publication.document_number in queue
    actions.withdraw(publication, team.head, kind="revoked", reason=publication.withdrawal_reason,
                     decided_on=today + dt.timedelta(days=5))  # a later date keeps the due date opened
    publication.refresh_from_db()
    assert publication.status == Status.WITHDRAWN and publication.withdrawal_due_on == publicity.withdrawal_deadline(
        today)
    assert publication.document_number not in client.get("/disclosure/").content.decode().split("最近处理")[0]


def test_overdue_withdrawal_flagged_on_publisher_list_art48(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    long_ago = timezone.localdate()
    actions.open_withdrawal(publication, team.head, kind="illegal", reason="经行政诉讼确认违法", decided_on=long_ago)
    Publication.objects.filter(pk=publication.pk).update(withdrawal_due_on=timezone.localdate() - dt.timedelta(days=1))
    client = Client()
    client.force_login(team.head)
    assert "已逾期" in client.get("/disclosure/").content.decode()


def test_remedy_upheld_or_unpublished_opens_no_withdrawal(case, team) -> None:
    from zhifa.reports.actions import record_remedy_outcome

    publication = decided(case, team)  # still a draft
    record_remedy_outcome(case, team.head, kind="reconsideration", outcome="upheld", decided_on=timezone.localdate(),
                          organ="株洲市渌口区人民政府")
    publication = actions.publish(publication, team.head)
    publication.refresh_from_db()
    assert publication.withdrawal_due_on is None


def test_draft_of_a_decision_revoked_on_remedy_is_not_published_art48(case, team) -> None:
    from zhifa.reports.actions import record_remedy_outcome

    publication = decided(case, team)
    record_remedy_outcome(case, team.head, kind="litigation", outcome="illegal", decided_on=timezone.localdate(),
                          organ="株洲市渌口区人民法院")
    publication.refresh_from_db()
    assert publication.withdrawal_due_on is None and publication.status == Status.DRAFT
    with pytest.raises(RuleViolation) as caught:
        actions.publish(publication, team.head)
    assert caught.value.code == "decision_revoked"


def test_agency_revokes_its_own_decision_from_the_publisher_page(case, team) -> None:
    publication = actions.publish(decided(case, team), team.head)
    client = Client()
    client.force_login(team.head)
    client.post(f"/disclosure/{publication.pk}/open_withdrawal/", {"kind": "revoked", "reason": "本机关自行撤销",
                                                                   "decided_on": str(timezone.localdate())})
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED and publication.withdrawal_kind == "revoked"
    with pytest.raises(RuleViolation):
        actions.open_withdrawal(publication, team.officer, kind="revoked", reason="x", decided_on=timezone.localdate())
    response = client.post(f"/disclosure/{publication.pk}/withdraw/", {"kind": "revoked", "reason": "本机关自行撤销",
                                                                       "decided_on": "not-a-date"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED


@pytest.mark.parametrize(("kind", "outcome", "withdrawal_kind"), [
    ("reconsideration", "revoked", "revoked"), ("litigation", "illegal", "illegal"),
    ("litigation", "void", "void"), ("reconsideration", "remade", "remade"), ("reconsideration", "changed", "changed")])
def test_each_remedy_outcome_that_takes_a_decision_down_opens_its_withdrawal_art48(case, team, kind, outcome,
                                                                                   withdrawal_kind) -> None:
    from zhifa.reports.actions import record_remedy_outcome

    publication = actions.publish(decided(case, team), team.head)
    record_remedy_outcome(case, team.head, kind=kind, outcome=outcome, decided_on=timezone.localdate(),
                          organ="株洲市中级人民法院")
    publication.refresh_from_db()
    assert publication.withdrawal_kind == withdrawal_kind and publication.status == Status.PUBLISHED
