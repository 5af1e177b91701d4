"""分期缴纳 (APL Art. 66(2)) schedule rule and allocation; the Art. 72 surcharge per overdue instalment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.law import instalments, penalties, procedure
from zhifa.law.instalments import Instalment, Paid

TODAY = dt.date(2026, 3, 2)


def plan(*rows: tuple[str, int]) -> list[Instalment]:
    return [Instalment(n, Decimal(amount), dt.date.fromisoformat(day)) for n, (day, amount) in enumerate(rows, 1)]


def code(schedule, fine=3000, **config) -> str | None:
    problem = instalments.schedule_problem(schedule, Decimal(fine), TODAY, penalties.PenaltyConfig(**config))
    return problem[0] if problem else None


def test_schedule_problem_accepts_future_ordered_exact_schedule_art66() -> None:
    assert code(plan(("2026-04-01", 1000), ("2026-05-01", 1000), ("2026-06-01", 1000))) is None


def test_schedule_problem_sum_must_equal_fine_art66() -> None:
    assert code(plan(("2026-04-01", 1000), ("2026-05-01", 1000))) == "instalments_sum_mismatch"
    assert code(plan(("2026-04-01", 2000), ("2026-05-01", 1001))) == "instalments_sum_mismatch"


def test_schedule_problem_instalments_in_future_and_ordered_art66() -> None:
    assert code(plan(("2026-03-02", 1500), ("2026-05-01", 1500))) == "instalment_not_in_future"
    assert code(plan(("2026-05-01", 1500), ("2026-04-01", 1500))) == "instalments_not_ordered"
    assert code(plan(("2026-05-01", 1500), ("2026-05-01", 1500))) == "instalments_not_ordered"


def test_schedule_problem_count_term_and_amounts_art66() -> None:
    assert code(plan(("2026-04-01", 3000))) == "instalments_too_few"
    assert code(plan(("2026-04-01", 1000), ("2026-05-01", 1000), ("2026-06-01", 1000)),
                instalment_max_count=2) == "instalments_too_many"
    assert code(plan(("2026-04-01", 1500), ("2026-05-01", 1500)), instalment_max_days=40) == "instalment_term_too_long"
    assert code(plan(("2026-04-01", 3500), ("2026-05-01", -500))) == "instalment_amount_invalid"
    assert code([Instalment(1, Decimal("1500.005"), dt.date(2026, 4, 1)),
                 Instalment(2, Decimal("1499.995"), dt.date(2026, 5, 1))]) == "instalment_amount_invalid"


def test_allocate_fills_instalments_in_order_and_keeps_excess() -> None:
    schedule = plan(("2026-04-01", 1000), ("2026-05-01", 1000), ("2026-06-01", 1000))
    result = instalments.allocate(schedule, [Paid(Decimal(1500), dt.date(2026, 3, 20)),
                                             Paid(Decimal(2000), dt.date(2026, 4, 20))])
    assert [s.paid for s in result.states] == [1000, 1000, 1000]
    assert [s.settled_on for s in result.states] == [dt.date(2026, 3, 20), dt.date(2026, 4, 20), dt.date(2026, 4, 20)]
    assert result.excess == 500 and result.all_paid and result.next_open is None


def test_late_surcharge_per_overdue_instalment_from_its_own_due_date_art72() -> None:
    schedule = plan(("2026-04-01", 1000), ("2026-05-01", 2000))
    # 1st paid 5 days late (3% × 5 of 1,000), 2nd on time: no surcharge on the whole fine.
    result = instalments.allocate(schedule, [Paid(Decimal(1000), dt.date(2026, 4, 6)),
                                             Paid(Decimal(2000), dt.date(2026, 5, 1))])
    assert [s.surcharge for s in result.states] == [Decimal("150.00"), Decimal(0)]
    # An open overdue instalment accrues to today, capped at its own amount (Art. 72: never above the fine).
    open_result = instalments.allocate(schedule, [], today=dt.date(2027, 1, 1))
    assert [s.surcharge for s in open_result.states] == [Decimal(1000), Decimal(2000)]
    assert open_result.surcharge <= sum(i.amount for i in schedule)


def test_instalment_surcharge_not_counted_during_reconsideration_art73_3() -> None:
    schedule = plan(("2026-04-01", 1000), ("2026-05-01", 2000))
    remedy = penalties.RemedyPeriod(dt.date(2026, 4, 3), dt.date(2026, 4, 30))
    # 1st paid 30 days late, 28 of them in the 复议: 2 days counted; the 2nd, on time, carries nothing.
    result = instalments.allocate(schedule, [Paid(Decimal(1000), dt.date(2026, 5, 1)),
                                             Paid(Decimal(2000), dt.date(2026, 5, 1))], remedies=[remedy])
    assert [s.surcharge for s in result.states] == [Decimal("60.00"), Decimal(0)]
    assert [s.suspended_days for s in result.states] == [28, 0]
    # an open instalment during a pending 诉讼 accrues only up to the day it was brought
    pending = instalments.allocate(schedule, [], today=dt.date(2026, 6, 1),
                                   remedies=[penalties.RemedyPeriod(dt.date(2026, 5, 11))])
    assert [s.surcharge for s in pending.states] == [Decimal(1000), Decimal("540.00")]  # 39 days, capped; 9 days
    assert [s.suspended_days for s in pending.states] == [22, 22]


amounts = st.lists(st.integers(min_value=1, max_value=500_000), min_size=1, max_size=6)


@given(instalment_cents=amounts, payment_cents=st.lists(st.integers(min_value=1, max_value=800_000), max_size=8))
def test_allocation_never_over_or_under_counts_paid_amounts(instalment_cents, payment_cents) -> None:
    start = dt.date(2026, 1, 1)
    schedule = [Instalment(n, Decimal(c) / 100, start + dt.timedelta(days=30 * n))
                for n, c in enumerate(instalment_cents, 1)]
    payments = [Paid(Decimal(c) / 100, start + dt.timedelta(days=7 * n)) for n, c in enumerate(payment_cents)]
    result = instalments.allocate(schedule, payments)
    fine, paid = sum(i.amount for i in schedule), sum((p.amount for p in payments), Decimal(0))
    assert result.allocated + result.excess == paid  # every yuan counted exactly once
    assert result.allocated == min(paid, fine)
    assert all(0 <= s.paid <= s.instalment.amount for s in result.states)
    assert all((s.settled_on is not None) == (s.paid == s.instalment.amount) for s in result.states)
    # in order: an instalment gets money only once every earlier one is settled
    for earlier, later in zip(result.states, result.states[1:], strict=False):
        assert later.paid == 0 or earlier.settled_on is not None
    assert result.all_paid == (paid >= fine)


def facts(**changes) -> procedure.CaseFacts:
    values = {"today": TODAY, "stage": "served", "decided_on": dt.date(2026, 2, 1), "fine_due": Decimal(3000)}
    return procedure.CaseFacts(**{**values, **changes})


def test_fine_decided_unpaid_art66() -> None:
    assert procedure.fine_decided_unpaid(facts()) is None
    assert procedure.fine_decided_unpaid(facts(fine_due=Decimal(0))).code == "no_fine_to_pay"
    assert procedure.fine_decided_unpaid(facts(fine_paid=True)).code == "fine_already_paid"


def test_no_instalment_plan_art66() -> None:
    assert procedure.no_instalment_plan(facts()) is None
    block = procedure.no_instalment_plan(facts(instalment_plan=True))
    assert block.code == "instalment_plan_exists" and "第六十六条" in block.basis


def test_instalment_request_pending_art66() -> None:
    assert procedure.instalment_request_pending(facts()).code == "no_instalment_request"
    assert procedure.instalment_request_pending(facts(instalment_request=tuple(plan(("2026-04-01", 3000))))) is None


def test_instalment_schedule_valid_art66() -> None:
    good = tuple(plan(("2026-04-01", 1000), ("2026-05-01", 2000)))
    assert procedure.instalment_schedule_valid(facts(instalment_request=good)) is None
    late = procedure.instalment_schedule_valid(facts(instalment_request=good, today=dt.date(2026, 4, 1)))
    assert late.code == "instalment_not_in_future"
    approve = procedure.TRANSITIONS_BY_ACTION["approve_instalments"]
    assert procedure.check(approve, facts(instalment_request=good)) is None
    assert procedure.check(approve, facts(instalment_request=good, stage="decided")).code == "wrong_stage"
