"""Instalment payment of a fine (分期缴纳, APL Art. 66(2)) and the late surcharge per instalment (Art. 72).

Pure Python: the schedule rule the approval is checked against, and the allocation of bank confirmations to the
instalments in order, with the Art. 72 surcharge of each overdue instalment counted from its own due date by the one
rule function `penalties.late_surcharge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhifa.law import penalties

BASIS_INSTALMENTS = "《行政处罚法》第六十六条第二款"
BASIS_SURCHARGE = "《行政处罚法》第七十二条第一款第一项"


@dataclass(frozen=True)
class Instalment:
    number: int  # 1-based, in due-date order
    amount: Decimal
    due_on: dt.date


@dataclass(frozen=True)
class Paid:
    """One bank confirmation (or receipt), in the order it arrived."""

    amount: Decimal
    paid_on: dt.date


@dataclass(frozen=True)
class InstalmentState:
    instalment: Instalment
    paid: Decimal  # allocated to this instalment so far
    settled_on: dt.date | None  # the day the payment completing it was made
    surcharge: Decimal  # Art. 72: accrued from its own due date to the day it was settled (or `today`)
    suspended_days: int = 0  # Art. 73(3): late days within a 复议/诉讼 period, not counted in `surcharge`

    @property
    def open(self) -> bool:
        return self.settled_on is None


@dataclass(frozen=True)
class Allocation:
    states: tuple[InstalmentState, ...]
    excess: Decimal  # paid beyond the whole fine (to be refunded, never counted twice)

    @property
    def allocated(self) -> Decimal:
        return sum((s.paid for s in self.states), Decimal(0))

    @property
    def next_open(self) -> InstalmentState | None:
        return next((s for s in self.states if s.open), None)

    @property
    def all_paid(self) -> bool:
        return all(not s.open for s in self.states)

    @property
    def surcharge(self) -> Decimal:
        return sum((s.surcharge for s in self.states), Decimal(0))


def schedule_problem(schedule: Sequence[Instalment], fine: Decimal, today: dt.date,
                     config: penalties.PenaltyConfig = penalties.DEFAULT_CONFIG) -> tuple[str, str] | None:
    """APL Art. 66(2): an approved schedule pays exactly the fine (no more, no less), in instalments of positive
    amounts falling due after today in strictly increasing order, within the agency's maximum count and term
    (settings, see `PenaltyConfig`). Returns (code, Chinese detail) of the first problem, or None."""
    if len(schedule) < 2:
        return "instalments_too_few", "分期缴纳至少分为两期（只变更期限的，办理延期缴纳）"
    if len(schedule) > config.instalment_max_count:
        return "instalments_too_many", f"分期不得超过 {config.instalment_max_count} 期"
    if any(item.amount <= 0 or item.amount != item.amount.quantize(Decimal("0.01")) for item in schedule):
        return "instalment_amount_invalid", "每期金额须大于零且精确到分"
    total = sum((item.amount for item in schedule), Decimal(0))
    if total != fine:
        return "instalments_sum_mismatch", f"各期金额合计 {total} 元，应等于罚款金额 {fine} 元"
    dates = [item.due_on for item in schedule]
    if dates[0] <= today:
        return "instalment_not_in_future", f"第1期缴款期限（{dates[0]}）须晚于今日（{today}）"
    if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
        return "instalments_not_ordered", "各期缴款期限须按先后顺序排列且不得重复"
    last_allowed = today + dt.timedelta(days=config.instalment_max_days)
    if dates[-1] > last_allowed:
        return ("instalment_term_too_long",
                f"最后一期不得晚于 {last_allowed}（自批准之日起 {config.instalment_max_days} 日）")
    return None


def allocate(schedule: Sequence[Instalment], payments: Sequence[Paid], today: dt.date | None = None,
             remedies: Sequence[penalties.RemedyPeriod] = ()) -> Allocation:
    """Bank confirmations fill the instalments in order (the earliest open one first), each payment split across
    instalments as needed; what is paid beyond the fine is `excess`. An instalment settled after its due date carries
    the Art. 72 surcharge on its own amount from its own due date to the settling day; one still open and overdue
    shows the surcharge accrued to `today` (when given). Days of a 复议/诉讼 (`remedies`) are not counted
    (Art. 73(3))."""
    ordered = sorted(schedule, key=lambda item: (item.due_on, item.number))
    paid = [Decimal(0)] * len(ordered)
    settled: list[dt.date | None] = [None] * len(ordered)
    excess = Decimal(0)
    position = 0
    for payment in payments:
        left = payment.amount
        while left > 0 and position < len(ordered):
            take = min(left, ordered[position].amount - paid[position])
            paid[position] += take
            left -= take
            if paid[position] == ordered[position].amount:
                settled[position] = payment.paid_on
                position += 1
        excess += left
    states = []
    for item, amount, settled_on in zip(ordered, paid, settled, strict=True):
        until = settled_on or today
        if until is None:
            states.append(InstalmentState(item, amount, settled_on, Decimal(0)))
            continue
        suspended = penalties.surcharge_suspended_days(item.due_on, until, remedies)
        surcharge = penalties.late_surcharge(item.amount, item.due_on, until, excluded_days=suspended)
        states.append(InstalmentState(item, amount, settled_on, surcharge, suspended))
    return Allocation(tuple(states), excess)
