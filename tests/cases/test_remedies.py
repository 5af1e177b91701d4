"""行政复议 and 行政诉讼 periods on a case: recorded through the case's actions, and the late surcharge (APL Art. 72)
not counted during them (Art. 73(3)) — for the whole fine, per instalment, on the case page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, Remedy
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.record.models import Event
from zhifa.reports import actions as reports

from .test_api import client_for
from .test_instalments import approved
from .test_review_flow import decided

pytestmark = pytest.mark.django_db
ORGAN = "株洲市渌口区人民政府"


def day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def blocked(case, actor, action: str, **data) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        perform(case, actor, action, **data)
    return caught.value


def test_pending_reconsideration_suspends_the_late_surcharge_art73_3(case, team) -> None:
    case = decided(case, team)
    due = case.payment_due_on
    case = perform(case, team.officer, "record_remedy", kind="reconsideration", applied_on=day(0), organ=ORGAN,
                   reference="渌政复申〔2026〕1号")
    assert Event.objects.get(case_id=case.pk, event_type="case.record_remedy").payload["applied_on"] == str(day(0))
    # paid 10 days late, every late day within the pending 复议: no surcharge
    case = perform(case, team.officer, "record_payment", amount=5000, paid_on=due + dt.timedelta(days=10),
                   channel="bank", reference="B1")
    assert case.payments.get().surcharge == 0


def test_surcharge_counts_again_after_the_reconsideration_ended_art73_3(case, team) -> None:
    case = decided(case, team)
    due = case.payment_due_on
    perform(case, team.officer, "record_remedy", kind="reconsideration", applied_on=day(0), organ=ORGAN)
    case = perform(case, team.officer, "end_remedy", kind="reconsideration", ended_on=day(0))
    assert Remedy.objects.get(case=case).ended_on == day(0)
    case = perform(case, team.officer, "record_payment", amount=5000, paid_on=due + dt.timedelta(days=10),
                   channel="bank", reference="B1")
    assert case.payments.get().surcharge == Decimal("1500.00")  # 3% × 10 days × 5,000


def test_remedy_period_rules_art73_3(case, team) -> None:
    assert blocked(case, team.officer, "record_remedy", kind="litigation", applied_on=day(0),
                   organ="株洲市天元区人民法院").code == "wrong_stage"
    case = decided(case, team)
    assert blocked(case, team.officer, "end_remedy", kind="litigation", ended_on=day(0)).code == "no_pending_remedy"
    error = blocked(case, team.officer, "record_remedy", kind="litigation", applied_on=day(1), organ="法院")
    assert error.code == "date_out_of_range" and "第七十三条第三款" in error.basis
    assert blocked(case, team.officer, "record_remedy", kind="appeal", applied_on=day(0),
                   organ="法院").code == "unknown_remedy"
    assert blocked(case, team.officer, "record_remedy", kind="litigation", applied_on=day(0),
                   organ=" ").code == "organ_required"
    perform(case, team.officer, "record_remedy", kind="litigation", applied_on=day(0), organ="株洲市天元区人民法院")
    assert blocked(case, team.officer, "record_remedy", kind="litigation", applied_on=day(0),
                   organ="株洲市天元区人民法院").code == "remedy_already_pending"
    # a 复议 and a 诉讼 may both be pending (different kinds)
    perform(case, team.officer, "record_remedy", kind="reconsideration", applied_on=day(0), organ=ORGAN)
    assert Remedy.objects.filter(case=case, ended_on__isnull=True).count() == 2


def test_remedy_outcome_ends_the_pending_period_art73_3(case, team) -> None:
    case = decided(case, team)
    perform(case, team.officer, "record_remedy", kind="reconsideration", applied_on=day(0), organ=ORGAN)
    reports.record_remedy_outcome(case, team.head, kind="reconsideration", outcome="upheld", decided_on=day(0),
                                  organ=ORGAN)
    assert Remedy.objects.get(case=case).ended_on == day(0)
    event = Event.objects.get(case_id=case.pk, event_type="remedy.outcome_recorded")
    assert event.payload["surcharge_suspension_ended"] == str(day(0))


def test_case_page_shows_the_suspended_days_art73_3(case, team) -> None:
    case = decided(case, team)
    # 20 days overdue today; a 复议 from 15 to 5 days ago (11 days, both ends included) is not counted
    Case.objects.filter(pk=case.pk).update(payment_due_on=day(-20))
    Remedy.objects.create(case=case, kind="reconsideration", applied_on=day(-15), ended_on=day(-5), organ=ORGAN)
    page = client_for(team.officer).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="remedies"' in page and "共 11 日，期间不计加处罚款" in page
    # 9 counted days × 3% × 5,000
    assert "加处罚款 1350.00 元" in page and "复议、诉讼期间 11 日不计" in page


def test_instalment_table_shows_the_suspended_days_art73_3(case, team) -> None:
    case = approved(case, team)
    first = case.instalment_plans.get().instalments.get(number=1)
    first.due_on = day(-10)
    first.save()
    Remedy.objects.create(case=case, kind="litigation", applied_on=day(-4), organ="株洲市天元区人民法院")
    page = client_for(team.officer).get(f"/cases/{case.pk}/").content.decode()
    # 1st instalment (2,000): 10 days late, the last 5 (from the day the suit was brought to today) not counted
    assert "<td>300.00</td><td>5</td>" in page and "尚未终结" in page


def test_remedy_recorded_from_the_case_page_and_the_api_art73_3(case, team) -> None:
    case = decided(case, team)
    client = client_for(team.officer)
    response = client.post(f"/cases/{case.pk}/do/record_remedy/", {
        "record_remedy-remedy_kind": "litigation", "record_remedy-applied_on": day(0).isoformat(),
        "record_remedy-organ": "株洲市天元区人民法院", "record_remedy-remedy_reference": "（2026）湘0211行初12号"})
    assert response.status_code == 302
    remedy = Remedy.objects.get(case=case)
    assert remedy.kind == "litigation" and remedy.reference == "（2026）湘0211行初12号" and remedy.ended_on is None
    url = f"/api/v1/cases/{case.pk}/actions/end_remedy/"
    blocked = client.post(url, {"kind": "reconsideration", "ended_on": day(0).isoformat()},
                          content_type="application/json")
    assert blocked.status_code == 409 and blocked.json()["code"] == "no_pending_remedy"
    done = client.post(url, {"kind": "litigation", "ended_on": day(0).isoformat()}, content_type="application/json")
    assert done.status_code == 200
    assert Remedy.objects.get(case=case).ended_on == day(0)
