"""Each case's legal deadlines with a traffic light: green, yellow (near: ≤ NEAR_DAYS left), red (over)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.law import penalties
from zhifa.law.procedure import Stage
from zhifa.law.workdays import UnknownYearError

NEAR_DAYS = 3
OPEN_STAGES = {Stage.FILED, Stage.INVESTIGATED, Stage.REVIEWED, Stage.NOTIFIED}


@dataclass(frozen=True)
class Deadline:
    name: str
    label: str
    due: dt.date | None  # with `missing_year`: the earliest it can be (None if unknown)
    basis: str
    status: str  # green | yellow | red | unknown
    met: bool = False
    missing_year: int | None = None



def _light(due: dt.date, today: dt.date, met: bool) -> str:
    if met:
        return "green"
    if today > due:
        return "red"
    return "yellow" if (due - today).days <= NEAR_DAYS else "green"


def _payment_row(case: Case) -> tuple[str, str, Callable[[], dt.date], str, bool, dt.date | None]:
    """Art. 67's deadline, or under an approved instalment plan (Art. 66(2)) the next open instalment's."""
    from zhifa.cases.instalments import allocation, approved_plan

    paid = case.fine_paid()
    if approved_plan(case) is None:
        due_on = case.payment_due_on
        return ("payment", "缴纳罚款", lambda: due_on, "《行政处罚法》第六十七条", paid, None)
    states = allocation(case).states
    current = next((s for s in states if s.open), states[-1])
    label = f"缴纳罚款（第{current.instalment.number}/{len(states)}期）"
    return ("payment", label, lambda: current.instalment.due_on, "《行政处罚法》第六十六条第二款", paid, None)


def case_deadlines(case: Case, today: dt.date | None = None) -> list[Deadline]:
    """Each deadline on its own: one that falls in a year whose holiday notice is missing shows as unknown
    (with the earliest date it can be, for calendar-day periods), the others as usual."""
    today = today or timezone.localdate()
    filed_on = timezone.localtime(case.opened_at).date()
    rows: list[tuple[str, str, Callable[[], dt.date], str, bool, dt.date | None]] = []
    if case.stage in OPEN_STAGES or case.decided_on:
        args = (filed_on, case.suspended_days, case.decision_extended)
        rows.append(("decision", "作出决定", lambda: penalties.decision_deadline(*args), "《行政处罚法》第六十条",
                     case.decided_on is not None, penalties.decision_deadline_not_before(*args)))
    if case.notified_on and not case.decided_on:
        notified = case.notified_on
        rows.append(("statement", "陈述申辩期", lambda: penalties.statement_deadline(notified),
                     "《行政处罚法》第四十五条", case.statement_waived, None))
        rows.append(("hearing_request", "听证申请期", lambda: penalties.hearing_request_deadline(notified),
                     "《行政处罚法》第六十四条", case.hearing_requested_on is not None or case.hearing_waived, None))
    if case.decided_on and case.procedure == "general":
        decided = case.decided_on
        rows.append(("service", "送达", lambda: penalties.service_deadline(decided), "《行政处罚法》第六十一条",
                     case.served_on is not None, None))
    if case.payment_due_on and case.fine_due():
        rows.append(_payment_row(case))
    for measure in case.measures.filter(released_on__isnull=True):
        basis = "《行政强制法》第二十五条" if measure.kind == "seizure" else "《行政处罚法》第五十六条"
        rows.append((f"measure_{measure.pk}", measure.get_kind_display(), lambda m=measure: m.due_on, basis, False,
                     None))
    deadlines = []
    for name, label, compute, basis, met, not_before in rows:
        try:
            due = compute()
        except UnknownYearError as exc:
            light = "green" if met or (not_before is not None and (not_before - today).days > NEAR_DAYS) else "unknown"
            deadlines.append(Deadline(name, label, not_before, basis, light, met, missing_year=exc.year))
            continue
        deadlines.append(Deadline(name, label, due, basis, _light(due, today, met), met))
    return deadlines


def worst_light(case: Case) -> str:
    lights = {d.status for d in case_deadlines(case) if not d.met}
    for light in ("red", "unknown", "yellow"):
        if light in lights:
            return light
    return "green"
