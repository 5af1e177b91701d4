"""A case's payment schedule from the database: the approved instalment plan (APL Art. 66(2)), or else one
implicit instalment of the whole fine due on the payment deadline (Art. 67, possibly deferred); the case's payments
allocated to it in order (zhifa.law.instalments.allocate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from zhifa.cases.models import Case, InstalmentPlan, InstalmentStatus, Payment
from zhifa.core.errors import RuleViolation
from zhifa.law import instalments, penalties


def penalty_config() -> penalties.PenaltyConfig:
    """The province/sector settings the law's rules are checked with."""
    return penalties.PenaltyConfig(
        instalment_max_count=getattr(settings, "ZHIFA_INSTALMENT_MAX_COUNT", 12),
        instalment_max_days=getattr(settings, "ZHIFA_INSTALMENT_MAX_DAYS", 365),
    )


def approved_plan(case: Case) -> InstalmentPlan | None:
    return case.instalment_plans.filter(status=InstalmentStatus.APPROVED).first()


def pending_plan(case: Case) -> InstalmentPlan | None:
    return case.instalment_plans.filter(status=InstalmentStatus.REQUESTED).order_by("-pk").first()


def law_schedule(plan: InstalmentPlan) -> tuple[instalments.Instalment, ...]:
    return tuple(instalments.Instalment(i.number, i.amount, i.due_on) for i in plan.instalments.order_by("number"))


def schedule_of(case: Case) -> tuple[instalments.Instalment, ...]:
    """The approved plan's instalments, or the whole fine as one instalment (none without a fine or due date)."""
    plan = approved_plan(case)
    if plan is not None:
        return law_schedule(plan)
    fine = case.fine_due()
    if fine <= 0 or case.payment_due_on is None:
        return ()
    return (instalments.Instalment(1, fine, case.payment_due_on),)


def remedies_of(case: Case) -> list[penalties.RemedyPeriod]:
    """The case's 复议/诉讼 periods (APL Art. 73(3)), pending ones open-ended."""
    return [penalties.RemedyPeriod(r.applied_on, r.ended_on) for r in case.remedies.order_by("applied_on", "pk")]


def payments_of(case: Case) -> list[instalments.Paid]:
    """Confirmations in the order the money was paid (then recorded)."""
    return [instalments.Paid(p.amount, p.paid_on) for p in case.payments.order_by("paid_on", "pk")]


def allocation(case: Case, today: dt.date | None = None) -> instalments.Allocation:
    return instalments.allocate(schedule_of(case), payments_of(case), today, remedies_of(case))


def settled_surcharge(result: instalments.Allocation) -> Decimal:
    """The Art. 72 surcharge of the instalments already settled (an open one's keeps accruing)."""
    return sum((s.surcharge for s in result.states if not s.open), Decimal(0))


@dataclass(frozen=True)
class PaymentRow:
    """A payment as shown on the case page and the 结案审批表: its change to the Art. 72 surcharge as an amount never
    below zero, and whether that change lowers the surcharge computed before (核减: a confirmation dated before ones
    already recorded shows the instalment was settled earlier)."""

    payment: Payment
    surcharge: Decimal
    correction: bool


def payment_rows(case: Case) -> list[PaymentRow]:
    return [PaymentRow(p, abs(p.surcharge), p.surcharge < 0) for p in case.payments.order_by("paid_on", "pk")]


def surcharge_total(case: Case, today: dt.date | None = None) -> Decimal:
    """The case's Art. 72 surcharge as computed now (settled instalments, and open ones to `today` when given), the
    复议/诉讼 days left out (Art. 73(3)); never below zero, whatever the recorded corrections."""
    return max(allocation(case, today).surcharge, Decimal(0))


def parse_schedule(value: Any) -> list[instalments.Instalment]:
    """A schedule from the form (lines of `YYYY-MM-DD 金额`) or the API (a list of {due_on, amount}), numbered in
    the order given; unreadable input is refused with the line at fault."""
    rows: list[tuple[Any, Any]] = []
    if isinstance(value, str):
        for line in value.replace("，", ",").splitlines():
            parts = line.replace(",", " ").split()
            if parts:
                rows.append((parts[0], parts[1] if len(parts) > 1 else ""))
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, dict):
                rows.append((item.get("due_on"), item.get("amount")))
            elif isinstance(item, list | tuple) and len(item) == 2:
                rows.append((item[0], item[1]))
            else:
                rows.append((None, None))
    result = []
    for number, (due_on, amount) in enumerate(rows, start=1):
        try:
            day = due_on if isinstance(due_on, dt.date) else dt.date.fromisoformat(str(due_on))
            money = Decimal(str(amount))
            if not money.is_finite():
                raise ValueError(amount)
        except (TypeError, ValueError, InvalidOperation):
            raise RuleViolation("invalid_schedule", instalments.BASIS_INSTALMENTS,
                                f"第{number}期：应写作“缴款期限 金额”，如 2026-12-31 1000") from None
        result.append(instalments.Instalment(number, money, day))
    return result
