"""复议 and 诉讼 outcomes (行政复议法 2023 Art. 63–69, 74; 行政诉讼法 Art. 62, 69–77), recorded with an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.core.errors import RuleViolation
from zhifa.record.models import Event
from zhifa.reports import actions
from zhifa.reports.models import RemedyOutcome

pytestmark = pytest.mark.django_db


def decide(case, on: dt.date):
    case.decided_on = on
    case.save(update_fields=["decided_on"])
    return case


def test_remedy_outcome_recorded_with_a_record_event_xingzheng_fuyi_fa(team, case) -> None:
    decide(case, dt.date(2025, 3, 1))
    outcome = actions.record_remedy_outcome(case, team.reviewer, kind="reconsideration", outcome="upheld",
                                            decided_on=dt.date(2025, 6, 1), organ="株洲市渌口区人民政府",
                                            reference="渌政复决字〔2025〕3号")
    event = Event.objects.get(event_type="remedy.outcome_recorded")
    assert event.case_id == case.pk and event.payload["outcome"] == "upheld"
    assert outcome.recorded_by == team.reviewer and RemedyOutcome.objects.count() == 1


def test_litigation_has_no_upheld_outcome_xingzheng_susong_fa_art69(team, case) -> None:
    decide(case, dt.date(2025, 3, 1))
    with pytest.raises(RuleViolation) as caught:
        actions.record_remedy_outcome(case, team.head, kind="litigation", outcome="upheld",
                                      decided_on=dt.date(2025, 9, 1), organ="株洲市天元区人民法院")
    assert caught.value.code == "litigation_not_upheld" and "第六十九条" in caught.value.basis
    assert actions.record_remedy_outcome(case, team.head, kind="litigation", outcome="dismissed",
                                         decided_on=dt.date(2025, 9, 1), organ="株洲市天元区人民法院")


def test_remedy_outcome_needs_a_decision_and_a_date_after_it(team, case) -> None:
    with pytest.raises(RuleViolation) as caught:
        actions.record_remedy_outcome(case, team.head, kind="reconsideration", outcome="revoked",
                                      decided_on=dt.date(2025, 9, 1), organ="区政府")
    assert caught.value.code == "not_decided"
    decide(case, dt.date(2025, 3, 1))
    for day in (dt.date(2025, 2, 1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(RuleViolation):
            actions.record_remedy_outcome(case, team.head, kind="reconsideration", outcome="revoked",
                                          decided_on=day, organ="区政府")


def test_remedy_outcome_only_by_the_agency_s_head_unit_head_or_legal_unit(team, case) -> None:
    decide(case, dt.date(2025, 3, 1))
    for actor in (team.officer, team.outsider):
        with pytest.raises(RuleViolation):
            actions.record_remedy_outcome(case, actor, kind="reconsideration", outcome="upheld",
                                          decided_on=dt.date(2025, 6, 1), organ="区政府")
