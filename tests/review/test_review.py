"""Legal review of major decisions (APL Art. 58; seed §二(三)): catalog, package, assignment, opinions, loop,
escalation, time limits, staffing — each test named after its rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.law import review_rules
from zhifa.law.review_rules import REVIEW_POINTS, ReviewCatalog, ReviewSubject, review_requirement
from zhifa.people.models import LegalQualification, Role
from zhifa.record.models import Event
from zhifa.review import actions
from zhifa.review.models import Review, ReviewStatus

from ..cases.conftest import DRAFT
from ..cases.test_procedure import inquiry

FINDINGS = {key: {"result": "符合", "comment": ""} for key, _ in REVIEW_POINTS}


def subject(**kw) -> ReviewSubject:
    values = {"procedure": "general", "kinds": frozenset({"fine"}), "fine": Decimal(500), "confiscation": Decimal(0)}
    return ReviewSubject(**{**values, **kw})


def test_simplified_procedure_needs_no_review_art58() -> None:
    assert review_requirement(subject(procedure="simplified"), ReviewCatalog()) is None


def test_hearing_held_requires_review_art58_item2() -> None:
    rule = review_requirement(subject(hearing_held=True), ReviewCatalog(every_general_procedure_penalty=False))
    assert rule and "听证" in rule


def test_complex_case_requires_review_art58_item3() -> None:
    rule = review_requirement(subject(complex_facts=True), ReviewCatalog(every_general_procedure_penalty=False))
    assert rule and "疑难复杂" in rule


def test_catalog_fine_threshold_requires_review() -> None:
    catalog = ReviewCatalog(fine_at_least=Decimal(10000), every_general_procedure_penalty=False)
    assert review_requirement(subject(fine=Decimal(10000)), catalog)
    assert review_requirement(subject(fine=Decimal(9999)), catalog) is None


def test_every_general_procedure_penalty_switch_seed() -> None:
    assert "除简易程序外" in review_requirement(subject(), ReviewCatalog())
    assert review_requirement(subject(), ReviewCatalog(every_general_procedure_penalty=False)) is None


def test_licence_revocation_in_default_catalog() -> None:
    catalog = ReviewCatalog(every_general_procedure_penalty=False)
    assert review_requirement(subject(kinds=frozenset({"revoke_licence"})), catalog)


def test_investigator_never_assigned_as_reviewer_seed() -> None:
    assert not review_rules.may_be_assigned(True, investigated_case=True, qualified_for_penalties=True)
    assert review_rules.may_be_assigned(True, investigated_case=False, qualified_for_penalties=True)


pytestmark = pytest.mark.django_db


def submitted(case, team):
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    return Review.objects.get(case=case)


def test_incomplete_package_refused_seed_submission(case, team) -> None:
    now = timezone.now()
    perform(case, team.officer, "record_activity", code="inquiry", started_at=now, ended_at=now)
    perform(case, team.officer, "end_investigation", **DRAFT)
    with pytest.raises(RuleViolation) as caught:
        perform(case, team.officer, "submit_review")
    assert caught.value.code == "review_package_incomplete" and "证据材料" in caught.value.detail


def test_first_time_reviewer_needs_qualification_art58(case, team) -> None:
    review = submitted(case, team)
    LegalQualification.objects.filter(holder=team.reviewer).delete()
    with pytest.raises(RuleViolation) as caught:
        actions.give_opinion(review, team.reviewer, opinion="agree", findings=FINDINGS, reasons="同意")
    assert caught.value.code == "reviewer_not_qualified"


def test_all_nine_points_need_a_finding_seed(case, team) -> None:
    review = submitted(case, team)
    with pytest.raises(RuleViolation) as caught:
        actions.give_opinion(review, team.reviewer, opinion="agree", findings={"facts": {}}, reasons="同意")
    assert caught.value.code == "review_points_missing" and "程序是否合法" in caught.value.detail


def test_returned_review_resubmitted_with_point_by_point_response(case, team) -> None:
    review = submitted(case, team)
    actions.give_opinion(review, team.reviewer, opinion="supplement", findings=FINDINGS, reasons="补充证据")
    perform(case, team.officer, "revise_draft", **{**DRAFT, "facts": "补充后的事实"})
    with pytest.raises(RuleViolation) as caught:
        perform(case, team.officer, "submit_review")
    assert caught.value.code == "response_required"
    perform(case, team.officer, "submit_review", response="已补充进货单据，违法事实据此修改")
    latest = Review.objects.filter(case=case).latest("submitted_at")
    assert latest.status == ReviewStatus.SUBMITTED and latest.draft.version == 2
    html = _client(team.reviewer).get(f"/review/{latest.pk}/").content.decode()
    assert "补充后的事实" in html and "已补充进货单据" in html  # differences and the response are shown


def test_review_due_in_ten_working_days_and_extension_needs_head(case, team) -> None:
    from zhifa.law.workdays import add_working_days

    review = submitted(case, team)
    assert review.due_on == add_working_days(timezone.localdate(), 10)
    with pytest.raises(RuleViolation):
        actions.extend_review(review, team.officer, working_days=5, reason="案情复杂")
    extended = actions.extend_review(review, team.head, working_days=5, reason="案情复杂")
    assert extended.due_on == add_working_days(review.due_on, 5)


def test_disagreement_settled_by_head_with_record_seed_coordination(case, team) -> None:
    review = submitted(case, team)
    actions.give_opinion(review, team.reviewer, opinion="correct", findings=FINDINGS, reasons="裁量过重")
    escalation = actions.escalate(review, team.officer, unit_position="裁量符合基准“一般”情节")
    with pytest.raises(RuleViolation):
        actions.resolve_escalation(escalation, team.head, resolution="adopt_unit", record="讨论", collective=True,
                                   participants=["甲"])
    actions.resolve_escalation(escalation, team.head, resolution="adopt_unit", record="集体讨论采纳承办意见",
                               collective=True, participants=["甲", "乙", "丙"])
    perform(case, team.officer, "notify")  # the review gate now passes, on the head's record
    assert Event.objects.filter(case_id=case.pk, event_type="review.escalation_resolved").count() == 1


def test_catalog_versions_kept_and_applied(case, team) -> None:
    actions.publish_catalog(team.head.agency, team.reviewer, fine_at_least=Decimal(100000), kinds=[], items=[],
                            every_general_procedure_penalty=False, review_working_days=15)
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "notify")  # 5,000 yuan is below this agency's catalog: no review needed
    actions.publish_catalog(team.head.agency, team.reviewer, fine_at_least=None, kinds=[], items=[],
                            every_general_procedure_penalty=True, review_working_days=10)
    assert team.head.agency.review_catalogs.count() == 2


def test_decision_record_names_who_answered_for_what_seed_responsibility(case, team) -> None:
    review = submitted(case, team)
    actions.give_opinion(review, team.reviewer, opinion="agree", findings=FINDINGS, reasons="同意")
    perform(case, team.officer, "notify")
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    payload = Event.objects.get(case_id=case.pk, event_type="case.decide").payload
    handling = sorted([team.officer, team.partner], key=lambda user: user.username)  # listed by username
    assert payload["responsibility"] == {"materials": [user.get_full_name() for user in handling],
                                         "legality": team.reviewer.get_full_name(),
                                         "decision": team.head.get_full_name()}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staffing_page_warns_below_five_percent(team) -> None:
    html = _client(team.head).get("/review/staffing/").content.decode()
    assert "法制审核人员配备" in html


def test_reviewer_queue_shows_due_dates(case, team) -> None:
    submitted(case, team)
    html = _client(team.reviewer).get("/review/").content.decode()
    assert case.number in html and "待审核" in html


def test_review_page_records_opinion(case, team) -> None:
    review = submitted(case, team)
    form = {"opinion": "agree", "reasons": "事实清楚"}
    for key, _label in REVIEW_POINTS:
        form[f"{key}_result"] = "符合"
        form[f"{key}_comment"] = ""
    response = _client(team.reviewer).post(f"/review/{review.pk}/", form)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.PASSED and review.reviewer == team.reviewer


def test_unqualified_role_cannot_give_opinion(case, team, make_user) -> None:
    review = submitted(case, team)
    with pytest.raises(RuleViolation) as caught:
        actions.give_opinion(review, team.head, opinion="agree", findings=FINDINGS, reasons="同意")
    assert caught.value.code == "reviewer_required"
    assert Role.REVIEWER == "reviewer" and dt.date.today()
