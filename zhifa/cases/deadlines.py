"""Each case's legal deadlines with a traffic light: green, yellow (near: ≤ NEAR_DAYS left), red (over)."""

from __future__ import annotations

import datetime as dt
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
    due: dt.date | None  # None: the holiday notice of `missing_year` is not entered yet
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


def case_deadlines(case: Case, today: dt.date | None = None) -> list[Deadline]:
    today = today or timezone.localdate()
    try:
        return _deadlines(case, today)
    except UnknownYearError as exc:
        return [Deadline("holidays", "期限", None, "《行政处罚法》第八十五条", "unknown", missing_year=exc.year)]


def _deadlines(case: Case, today: dt.date) -> list[Deadline]:
    rows: list[tuple[str, str, dt.date, str, bool]] = []
    filed_on = timezone.localtime(case.opened_at).date()
    if case.stage in OPEN_STAGES or case.decided_on:
        due = penalties.decision_deadline(filed_on, case.suspended_days, case.decision_extended)
        rows.append(("decision", "作出决定", due, "《行政处罚法》第六十条", case.decided_on is not None))
    if case.notified_on and not case.decided_on:
        rows.append(("statement", "陈述申辩期", penalties.statement_deadline(case.notified_on),
                     "《行政处罚法》第四十五条", case.statement_waived))
        rows.append(("hearing_request", "听证申请期", penalties.hearing_request_deadline(case.notified_on),
                     "《行政处罚法》第六十四条", case.hearing_requested_on is not None or case.hearing_waived))
    if case.decided_on and case.procedure == "general":
        rows.append(("service", "送达", penalties.service_deadline(case.decided_on), "《行政处罚法》第六十一条",
                     case.served_on is not None))
    if case.payment_due_on and case.fine_due():
        rows.append(("payment", "缴纳罚款", case.payment_due_on, "《行政处罚法》第六十七条", case.fine_paid()))
    for measure in case.measures.filter(released_on__isnull=True):
        basis = "《行政强制法》第二十五条" if measure.kind == "seizure" else "《行政处罚法》第五十六条"
        rows.append((f"measure_{measure.pk}", measure.get_kind_display(), measure.due_on, basis, False))
    return [Deadline(name, label, due, basis, _light(due, today, met), met) for name, label, due, basis, met in rows]


def worst_light(case: Case) -> str:
    lights = {d.status for d in case_deadlines(case) if not d.met}
    for light in ("red", "unknown", "yellow"):
        if light in lights:
            return light
    return "green"
