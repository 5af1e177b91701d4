"""The penalty procedure through the action layer: each guard blocks with its rule's code and article."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.law import penalties
from zhifa.law.review_rules import REVIEW_POINTS
from zhifa.record.models import Event
from zhifa.review.actions import give_opinion
from zhifa.review.models import Review

from .conftest import DRAFT

pytestmark = pytest.mark.django_db


def blocked(case, actor, action, **data) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        perform(case, actor, action, **data)
    return caught.value


def inquiry(case, actor) -> None:
    """An inquiry (text record suffices) plus one piece of documentary evidence: the review package's minimum."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from zhifa.evidence.actions import add_evidence

    now = timezone.now()
    perform(case, actor, "record_activity", code="inquiry", started_at=now - dt.timedelta(minutes=30), ended_at=now)
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buffer, "JPEG")
    add_evidence(actor, SimpleUploadedFile("进货单.jpg", buffer.getvalue(), content_type="image/jpeg"),
                 kind="documentary", title="进货单据", case=case)


def agree(case, reviewer) -> None:
    review = Review.objects.filter(case=case).latest("submitted_at")
    give_opinion(review, reviewer, opinion="agree", reasons="事实清楚",
                 findings={k: {"result": "符合", "comment": ""} for k, _ in REVIEW_POINTS})


def test_onsite_inspection_without_av_refused_seed_av_rule(case, team) -> None:
    now = timezone.now()
    error = blocked(case, team.officer, "record_activity", code="onsite_inspection",
                    started_at=now - dt.timedelta(hours=1), ended_at=now)
    assert error.code == "av_record_required" and "实施办法二(二)2" in error.basis


def test_av_exemption_needs_agency_head_approval(case, team) -> None:
    now = timezone.now()
    perform(case, team.officer, "record_activity", code="onsite_inspection", started_at=now - dt.timedelta(hours=1),
            ended_at=now, av_exemption_reason="执法记录仪故障", av_exemption_approver=team.head)
    assert case.activities.get().av_exemption_reason == "执法记录仪故障"


def test_two_credentialed_officers_required_art42(case, team) -> None:
    credential = team.partner.credentials.get()
    credential.stored_status = "suspended"
    credential.save()
    now = timezone.now()
    error = blocked(case, team.officer, "record_activity", code="inquiry", started_at=now, ended_at=now)
    assert error.code == "two_officers_required" and "第四十二条" in error.basis


def test_end_investigation_needs_reasons_hunan_procedure_art78(case, team) -> None:
    inquiry(case, team.officer)
    error = blocked(case, team.officer, "end_investigation", **{**DRAFT, "discretion_reason": ""})
    assert error.code == "draft_incomplete" and "裁量理由" in error.detail


def test_decide_refused_without_passed_review_art58(case, team) -> None:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    error = blocked(case, team.officer, "notify")
    assert error.code == "legal_review_required" and "第五十八条" in error.basis


def test_review_approval_voided_by_changed_draft_art58(case, team) -> None:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    agree(case, team.reviewer)
    perform(case, team.officer, "revise_draft", **{**DRAFT, "fine": 8000})
    assert blocked(case, team.officer, "notify").code == "legal_review_required"


def test_reviewer_never_an_investigator_of_the_case(case, team) -> None:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    assert Review.objects.get(case=case).assigned_to == team.reviewer


def general_procedure_to_notice(case, team) -> Case:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    agree(case, team.reviewer)
    return perform(case, team.officer, "notify")


def test_decide_waits_for_statement_period_art45(case, team) -> None:
    general_procedure_to_notice(case, team)
    assert blocked(case, team.head, "decide").code == "statement_period_open"


def test_decide_needs_agency_head(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    assert blocked(case, team.officer, "decide").code == "agency_head_required"


def test_statement_must_be_reviewed_before_deciding_art45(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="我方不知道食品过期。")
    Case.objects.filter(pk=case.pk).update(statement_waived=True)  # period over; the statement still pending
    assert blocked(case, team.head, "decide").code == "statement_not_reviewed"


def test_no_heavier_penalty_after_defence_needs_new_notice_art45(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.officer, "revise_draft", **{**DRAFT, "fine": 9000})
    case.refresh_from_db()
    assert case.stage == "investigated"  # a revised draft goes back before the notice


def test_full_general_procedure_to_archive_one_event_per_step(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    perform(case, team.officer, "serve", method="direct", served_on=timezone.localdate())
    perform(case, team.officer, "record_payment", amount=5000, paid_on=timezone.localdate(), channel="bank",
            reference="BANK-1")
    perform(case, team.officer, "close")
    perform(case, team.officer, "archive")
    case.refresh_from_db()
    assert case.stage == "archived"
    types = list(Event.objects.filter(case_id=case.pk).values_list("event_type", flat=True))
    for step in ("case.opened", "case.end_investigation", "review.submitted", "review.opinion_given",
                 "case.notify", "case.record_statement", "case.decide", "case.serve", "case.record_payment",
                 "case.close", "case.archive"):
        assert types.count(step) == 1, step


def test_electronic_service_needs_consent_art61(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    error = blocked(case, team.officer, "serve", method="electronic", served_on=timezone.localdate())
    assert error.code == "electronic_service_needs_consent"


def test_service_after_seven_working_days_refused_art61(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    late = timezone.localdate() + dt.timedelta(days=30)
    assert blocked(case, team.officer, "serve", method="direct", served_on=late).code == "service_late"


def test_close_refused_while_fine_unpaid_art66(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    perform(case, team.officer, "serve", method="direct", served_on=timezone.localdate())
    assert blocked(case, team.officer, "close").code == "fine_unpaid"


def test_on_spot_collection_over_100_refused_art68(team) -> None:
    from zhifa.cases.actions import open_case

    from .conftest import organisation

    case = open_case(team.officer, team.officer.agency, "占道经营", "inspection", [organisation()],
                     [team.officer, team.partner], procedure="simplified")
    perform(case, team.officer, "decide_on_spot", **{**DRAFT, "fine": 2000})
    error = blocked(case, team.officer, "record_payment", amount=2000, paid_on=timezone.localdate(),
                    channel="on_spot", reference="No.1")
    assert error.code == "on_spot_collection_not_allowed"


def test_simplified_procedure_over_limit_refused_art51(team) -> None:
    from zhifa.cases.actions import open_case

    from .conftest import organisation

    case = open_case(team.officer, team.officer.agency, "占道经营", "inspection", [organisation()],
                     [team.officer, team.partner], procedure="simplified")
    assert blocked(case, team.officer, "decide_on_spot", **{**DRAFT, "fine": 3001}).code == "simplified_not_allowed"


def test_hearing_chair_not_an_investigator_art64(case, team) -> None:
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **{**DRAFT, "kinds": ["fine", "revoke_licence"]})
    perform(case, team.officer, "submit_review")
    agree(case, team.reviewer)
    perform(case, team.officer, "notify")
    perform(case, team.officer, "request_hearing")
    today = timezone.localdate()
    error = blocked(case, team.officer, "hold_hearing", notified_on=today - dt.timedelta(days=20), held_on=today,
                    chair=team.partner, record="听证笔录")
    assert error.code == "hearing_chair_investigated"
    assert blocked(case, team.head, "decide").code in {"hearing_pending", "statement_period_open"}


def test_officer_of_another_agency_cannot_act(case, team) -> None:
    assert blocked(case, team.outsider, "suspend", reason="x").code == "not_your_agency"


def test_on_the_spot_decision_service_recorded_once_service_outstanding_art61(team) -> None:
    from zhifa.cases.actions import open_case

    from .conftest import organisation

    case = open_case(team.officer, team.officer.agency, "占道经营", "inspection", [organisation()],
                     [team.officer, team.partner], procedure="simplified")
    case = perform(case, team.officer, "decide_on_spot", **{**DRAFT, "fine": 2000})
    today = timezone.localdate()
    assert blocked(case, team.officer, "serve", method="electronic", consent_to_electronic=True,
                   served_on=today).code == "electronic_address_required"
    case = perform(case, team.officer, "serve", method="electronic", consent_to_electronic=True,
                   electronic_address="zhao@example.cn", served_on=today)
    assert case.stage == "served" and case.payment_due_on == penalties.payment_deadline(today)
    assert blocked(case, team.officer, "serve", method="direct", served_on=today).code == "already_served"


def test_general_decision_served_once_service_outstanding_art61(case, team) -> None:
    general_procedure_to_notice(case, team)
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    case = perform(case, team.officer, "serve", method="direct", served_on=timezone.localdate())
    # a served general-procedure decision is not served again: the stage says so (not listed as blocked)
    assert blocked(case, team.officer, "serve", method="direct", served_on=timezone.localdate()).code == "wrong_stage"
