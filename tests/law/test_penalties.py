"""The penalty rules with numbers, each test named after its article."""

import datetime as dt
from decimal import Decimal

from zhifa.law import penalties
from zhifa.law.penalties import PenaltyKind as K


def test_simplified_procedure_limit_200_for_citizen_art51() -> None:
    assert penalties.simplified_procedure_allowed({K.FINE}, Decimal(200), party_is_person=True)
    assert not penalties.simplified_procedure_allowed({K.FINE}, Decimal("200.01"), party_is_person=True)


def test_simplified_procedure_limit_3000_for_organisation_art51() -> None:
    assert penalties.simplified_procedure_allowed({K.FINE}, Decimal(3000), party_is_person=False)
    assert not penalties.simplified_procedure_allowed({K.FINE}, Decimal(3001), party_is_person=False)


def test_simplified_procedure_only_warning_or_fine_art51() -> None:
    assert penalties.simplified_procedure_allowed({K.WARNING}, Decimal(0), party_is_person=True)
    assert not penalties.simplified_procedure_allowed({K.CONFISCATION}, Decimal(0), party_is_person=True)
    assert not penalties.simplified_procedure_allowed(set(), Decimal(0), party_is_person=True)


def test_hearing_offered_for_large_fine_by_configured_threshold_art63() -> None:
    assert penalties.hearing_offered({K.FINE}, Decimal(10_000), Decimal(0), party_is_person=True)
    assert not penalties.hearing_offered({K.FINE}, Decimal(9_999), Decimal(0), party_is_person=True)
    assert not penalties.hearing_offered({K.FINE}, Decimal(99_999), Decimal(0), party_is_person=False)
    strict = penalties.PenaltyConfig(hearing_fine_organisation=Decimal(50_000))
    assert penalties.hearing_offered({K.FINE}, Decimal(50_000), Decimal(0), party_is_person=False, config=strict)


def test_hearing_offered_for_licence_revocation_and_closure_art63() -> None:
    for kind in (K.REVOKE_LICENCE, K.LOWER_QUALIFICATION, K.SUSPEND_BUSINESS, K.CLOSE, K.RESTRICT_EMPLOYMENT):
        assert penalties.hearing_offered({kind}, Decimal(0), Decimal(0), party_is_person=True)
    assert not penalties.hearing_offered({K.WARNING}, Decimal(0), Decimal(0), party_is_person=True)


def test_no_heavier_penalty_after_defence_art45() -> None:
    assert penalties.heavier_than({K.FINE}, Decimal(6000), Decimal(0), {K.FINE}, Decimal(5000), Decimal(0))
    assert penalties.heavier_than({K.FINE, K.REVOKE_LICENCE}, Decimal(5000), Decimal(0), {K.FINE}, Decimal(5000),
                                  Decimal(0))
    assert not penalties.heavier_than({K.FINE}, Decimal(4000), Decimal(0), {K.FINE}, Decimal(5000), Decimal(0))
    assert not penalties.heavier_than({K.WARNING}, Decimal(0), Decimal(0), {K.FINE}, Decimal(5000), Decimal(0))


def test_limitation_two_years_five_for_serious_harm_art36() -> None:
    ended = dt.date(2023, 3, 1)
    assert not penalties.limitation_expired(dt.date(2025, 3, 1), ended, serious_harm=False)
    assert penalties.limitation_expired(dt.date(2025, 3, 2), ended, serious_harm=False)
    assert not penalties.limitation_expired(dt.date(2028, 3, 1), ended, serious_harm=True)
    assert penalties.limitation_expired(dt.date(2028, 3, 2), ended, serious_harm=True)


def test_limitation_from_leap_day_art36() -> None:
    assert not penalties.limitation_expired(dt.date(2026, 2, 28), dt.date(2024, 2, 29), serious_harm=False)


def test_decision_deadline_90_calendar_days_moved_off_rest_days_art60() -> None:
    # 2025-07-03 + 90 days = 2025-10-01 (National Day): the period ends on the first working day after.
    assert penalties.decision_deadline(dt.date(2025, 7, 3)) == dt.date(2025, 10, 9)
    assert penalties.decision_deadline(dt.date(2025, 3, 3)) == dt.date(2025, 6, 3)  # 06-01 Sun, 06-02 holiday


def test_decision_deadline_extension_and_suspension_art60() -> None:
    assert penalties.decision_deadline(dt.date(2025, 3, 3), extended=True) == dt.date(2025, 7, 1)
    assert penalties.decision_deadline(dt.date(2025, 3, 3), suspended_days=10) == dt.date(2025, 6, 11)
    assert penalties.decision_deadline_not_before(dt.date(2025, 3, 3)) == dt.date(2025, 6, 1)


def test_service_within_seven_working_days_art61_art85() -> None:
    assert penalties.service_deadline(dt.date(2025, 9, 30)) == dt.date(2025, 10, 16)  # 10-11 is a make-up Saturday


def test_hearing_request_five_working_days_art64() -> None:
    assert penalties.hearing_request_deadline(dt.date(2025, 1, 24)) == dt.date(2025, 2, 7)  # 01-26 make-up Sunday


def test_hearing_notice_seven_working_days_ahead_art64() -> None:
    assert penalties.earliest_hearing_date(dt.date(2025, 4, 25)) == dt.date(2025, 5, 8)  # 04-27 make-up Sunday


def test_payment_within_fifteen_days_art67() -> None:
    assert penalties.payment_deadline(dt.date(2025, 9, 16)) == dt.date(2025, 10, 9)


def test_late_surcharge_three_percent_a_day_capped_at_fine_art72() -> None:
    due = dt.date(2025, 5, 1)
    assert penalties.late_surcharge(Decimal(1000), due, dt.date(2025, 5, 4)) == Decimal("90.00")
    assert penalties.late_surcharge(Decimal(1000), due, dt.date(2026, 5, 4)) == Decimal(1000)
    assert penalties.late_surcharge(Decimal(1000), due, due) == Decimal(0)


def test_late_surcharge_excludes_review_and_litigation_days_art73() -> None:
    due = dt.date(2025, 5, 1)
    assert penalties.late_surcharge(Decimal(1000), due, dt.date(2025, 5, 11), excluded_days=8) == Decimal("60.00")


def test_surcharge_suspended_during_reconsideration_and_litigation_art73_3() -> None:
    due, until = dt.date(2025, 5, 1), dt.date(2025, 5, 31)
    period = penalties.RemedyPeriod
    # 复议 from 5 May to 14 May, both days included: 10 of the 30 late days are not counted.
    assert penalties.surcharge_suspended_days(due, until, [period(dt.date(2025, 5, 5), dt.date(2025, 5, 14))]) == 10
    # A 复议 applied for before the due date only counts from the first late day.
    assert penalties.surcharge_suspended_days(due, until, [period(dt.date(2025, 4, 20), dt.date(2025, 5, 3))]) == 2
    # A pending 诉讼 runs to the day computed; one after that day or ended before the first late day does not count.
    assert penalties.surcharge_suspended_days(due, until, [period(dt.date(2025, 5, 22))]) == 10
    assert penalties.surcharge_suspended_days(due, until, [period(dt.date(2025, 6, 2))]) == 0
    assert penalties.surcharge_suspended_days(due, until, [period(dt.date(2025, 4, 1), dt.date(2025, 5, 1))]) == 0
    # 复议 then 诉讼 overlapping (or the same days recorded twice): each day counts once; the gap between counts.
    remedies = [period(dt.date(2025, 5, 21), dt.date(2025, 5, 25)), period(dt.date(2025, 5, 5), dt.date(2025, 5, 10)),
                period(dt.date(2025, 5, 8), dt.date(2025, 5, 12))]
    assert penalties.surcharge_suspended_days(due, until, remedies) == 8 + 5
    assert penalties.surcharge_suspended_days(due, until) == 0


def test_late_surcharge_not_counted_during_reconsideration_art73_3() -> None:
    due, paid = dt.date(2025, 5, 1), dt.date(2025, 5, 11)
    remedy = penalties.RemedyPeriod(dt.date(2025, 5, 3), dt.date(2025, 5, 10))  # 8 of the 10 late days
    assert penalties.late_surcharge(Decimal(1000), due, paid, remedies=[remedy]) == Decimal("60.00")
    # still capped at the fine (Art. 72) once the remaining days reach it
    assert penalties.late_surcharge(Decimal(1000), due, dt.date(2026, 5, 11), remedies=[remedy]) == Decimal(1000)
    # a 诉讼 still pending on the payment day: only the day before it was brought counts
    pending = penalties.RemedyPeriod(dt.date(2025, 5, 3))
    assert penalties.late_surcharge(Decimal(1000), due, dt.date(2025, 9, 1), remedies=[pending]) == Decimal("30.00")


def test_on_spot_collection_only_up_to_100_art68() -> None:
    assert penalties.on_spot_collection_allowed(Decimal(100))
    assert not penalties.on_spot_collection_allowed(Decimal(101))
    assert penalties.on_spot_collection_allowed(Decimal(500), remote_area=True)


def test_preservation_decided_within_seven_working_days_art56() -> None:
    assert penalties.preservation_decision_deadline(dt.date(2025, 9, 30)) == dt.date(2025, 10, 16)


def test_seizure_thirty_days_plus_thirty_with_approval_coercion_law_art25() -> None:
    assert penalties.seizure_end(dt.date(2025, 1, 1), extended=False) == dt.date(2025, 1, 31)
    assert penalties.seizure_end(dt.date(2025, 1, 1), extended=True) == dt.date(2025, 3, 2)
