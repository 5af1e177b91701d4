"""Property tests over random sequences of actions (hypothesis): whatever the order,
- no decision is reached for a case that needs review without a passed review of the current draft (APL Art. 58);
- no act is recorded by an officer without a valid credential (APL Art. 42, 55);
- every state change appends exactly one event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases.facts import current_draft
from zhifa.cases.models import Case
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.law.review_rules import REVIEW_POINTS
from zhifa.record.models import Event
from zhifa.review.actions import give_opinion
from zhifa.review.models import Review, ReviewStatus

from .conftest import DRAFT
from .test_procedure import inquiry

pytestmark = pytest.mark.django_db

STEPS = ["inquiry", "end_investigation", "revise_up", "revise_down", "submit_review", "agree", "return",
         "notify", "waive", "decide", "serve", "suspend_credential", "restore_credential", "pay", "close"]


def _step(name: str, case: Case, team) -> None:
    now = timezone.now()
    if name == "inquiry":
        perform(case, team.officer, "record_activity", code="inquiry", started_at=now - dt.timedelta(minutes=5),
                ended_at=now)
    elif name == "end_investigation":
        perform(case, team.officer, "end_investigation", **DRAFT)
    elif name in {"revise_up", "revise_down"}:
        perform(case, team.officer, "revise_draft", **{**DRAFT, "fine": 7000 if name == "revise_up" else 3000})
    elif name == "submit_review":
        perform(case, team.officer, "submit_review", response="已按意见补充")
    elif name in {"agree", "return"}:
        review = Review.objects.filter(case=case, status=ReviewStatus.SUBMITTED).first()
        if review is None:
            raise RuleViolation("no_review", "", "")
        give_opinion(review, team.reviewer, opinion="agree" if name == "agree" else "supplement", reasons="意见",
                     findings={k: {"result": "符合", "comment": ""} for k, _ in REVIEW_POINTS})
    elif name == "notify":
        perform(case, team.officer, "notify")
    elif name == "waive":
        perform(case, team.officer, "record_statement", content="", waived=True)
    elif name == "decide":
        perform(case, team.head, "decide")
    elif name == "serve":
        perform(case, team.officer, "serve", method="direct", served_on=timezone.localdate())
    elif name == "pay":
        perform(case, team.officer, "record_payment", amount=10000, paid_on=timezone.localdate(), channel="bank",
                reference="B1")
    elif name == "close":
        perform(case, team.officer, "close")
    elif name in {"suspend_credential", "restore_credential"}:
        credential = team.partner.credentials.get()
        credential.stored_status = "suspended" if name == "suspend_credential" else "valid"
        credential.save()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(STEPS), min_size=3, max_size=14))
def test_random_action_sequences_keep_the_law(team, steps) -> None:
    from zhifa.cases.actions import open_case

    from .conftest import organisation

    credential = team.partner.credentials.get()
    credential.stored_status = "valid"
    credential.save()
    case = open_case(team.officer, team.officer.agency, "涉嫌销售过期食品案", "inspection", [organisation()],
                     [team.officer, team.partner])
    inquiry(case, team.officer)  # the evidence the review package needs
    for name in steps:
        before_events = Event.objects.filter(case_id=case.pk).count()
        before_stage = Case.objects.get(pk=case.pk).stage
        credential_valid = team.partner.credentials.get().stored_status == "valid"
        try:
            _step(name, case, team)
        except RuleViolation:
            assert Event.objects.filter(case_id=case.pk).count() == before_events  # refused: nothing recorded
            continue
        case.refresh_from_db()
        if name in {"suspend_credential", "restore_credential"}:
            continue
        added = Event.objects.filter(case_id=case.pk).count() - before_events
        assert added >= 1, name
        new_events = list(Event.objects.filter(case_id=case.pk).order_by("-seq")[:added])
        assert len([e for e in new_events if e.event_type.startswith(("case.", "review."))]) == 1, name
        if name == "inquiry":
            assert credential_valid  # an act needs two valid credentials
        if case.stage == "decided" and before_stage != "decided":
            draft = current_draft(case)
            assert Review.objects.filter(case=case, digest=draft.digest, status=ReviewStatus.PASSED).exists()
