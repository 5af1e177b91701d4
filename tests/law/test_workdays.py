"""Working days and legal periods: zhifa.law.workdays (pure Python, no Django)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.law import workdays
from zhifa.law.workdays import (
    WORKING_DAY_PERIOD_MAX,
    NoticeDay,
    UnknownYearError,
    WorkdayCalendar,
)

CAL = WorkdayCalendar()

# Make-up working weekends (调休) from the State Council notices for 2025 and 2026.
NOTICE_MAKEUP_WORKDAYS: dict[int, frozenset[date]] = {
    2025: frozenset(
        {date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)}
    ),
    2026: frozenset(
        {
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        }
    ),
}


def days(start: date, end: date) -> Iterator[date]:
    """Every day in [start, end]."""
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


@pytest.fixture(autouse=True)
def _reset_provider() -> Iterator[None]:
    yield
    workdays.set_calendar_provider(None)


# --- the State Council notices, as the calendar knows them ---


@pytest.mark.parametrize("year", sorted(NOTICE_MAKEUP_WORKDAYS))
def test_make_up_weekends_are_working_days_state_council_notice(year: int) -> None:
    for d in NOTICE_MAKEUP_WORKDAYS[year]:
        assert d.weekday() >= 5, d
        assert CAL.is_working_day(d), d


def test_2025_national_day_period_is_rest_days_state_council_notice() -> None:
    assert [d for d in days(date(2025, 10, 1), date(2025, 10, 8)) if CAL.is_working_day(d)] == []
    assert CAL.is_working_day(date(2025, 9, 30))
    assert CAL.is_working_day(date(2025, 10, 9))


def test_2026_holidays_are_rest_days_state_council_notice() -> None:
    rest_periods = [
        (date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
        (date(2026, 2, 15), date(2026, 2, 23)),  # 春节
        (date(2026, 4, 4), date(2026, 4, 6)),  # 清明节
        (date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
        (date(2026, 6, 19), date(2026, 6, 21)),  # 端午节
        (date(2026, 9, 25), date(2026, 9, 27)),  # 中秋节
        (date(2026, 10, 1), date(2026, 10, 7)),  # 国庆节
    ]
    for start, end in rest_periods:
        assert [d for d in days(start, end) if CAL.is_working_day(d)] == [], (start, end)


@pytest.mark.parametrize("year", sorted(NOTICE_MAKEUP_WORKDAYS))
def test_every_day_agrees_with_holidays_package(year: int) -> None:
    """Cross-check against the independent ``holidays`` package for every day of the year.

    A day is a working day iff it is not a public holiday and it is Mon–Fri or a make-up working day.
    """
    china = holidays.China(years=year)
    library_makeup = getattr(china, "weekend_workdays", None)  # present in holidays >= 0.6x
    if library_makeup is not None:
        assert {d for d in library_makeup if d.year == year} == NOTICE_MAKEUP_WORKDAYS[year]
    makeup = NOTICE_MAKEUP_WORKDAYS[year]
    mismatches = [
        d
        for d in days(date(year, 1, 1), date(year, 12, 31))
        if CAL.is_working_day(d) != (d not in china and (d.weekday() < 5 or d in makeup))
    ]
    assert mismatches == []


# --- periods ---


def test_working_day_period_max_is_ten_coercion_art69() -> None:
    assert WORKING_DAY_PERIOD_MAX == 10


def test_seven_day_periods_count_working_days_art85() -> None:
    # From Tue 2025-09-30: Oct 1–8 off; Oct 9, 10, 11 (Sat, make-up), 13, 14, 15, 16.
    assert CAL.add_working_days(date(2025, 9, 30), 7) == date(2025, 10, 16)
    assert CAL.add_legal_period(date(2025, 9, 30), 7) == date(2025, 10, 16)
    assert workdays.add_legal_period(date(2025, 9, 30), 7) == date(2025, 10, 16)


@pytest.mark.parametrize(
    ("n", "end"), [(2, date(2025, 10, 10)), (3, date(2025, 10, 11)), (5, date(2025, 10, 14))]
)
def test_short_periods_count_working_days_art85(n: int, end: date) -> None:
    assert CAL.add_legal_period(date(2025, 9, 30), n) == end


def test_ten_day_periods_count_working_days_coercion_art69() -> None:
    # Ten working days after Fri 2025-01-24: Jan 26 (Sun, make-up), 27, then Feb 5, 6, 7, 8 (Sat, make-up),
    # 10, 11, 12, 13.
    assert CAL.add_legal_period(date(2025, 1, 24), 10) == date(2025, 2, 13)


def test_fifteen_day_periods_count_calendar_days_civil_procedure_art85() -> None:
    assert CAL.add_legal_period(date(2025, 3, 3), 15) == date(2025, 3, 18)
    assert CAL.add_legal_period(date(2025, 3, 3), 11) == date(2025, 3, 14)


def test_period_ending_on_rest_day_ends_next_working_day_civil_procedure_art85() -> None:
    # 2025-09-16 + 15 = Wed 2025-10-01 (National Day) -> Thu 2025-10-09.
    assert CAL.add_calendar_days(date(2025, 9, 16), 15) == date(2025, 10, 9)
    # Ordinary Saturday 2025-03-15 -> Monday 2025-03-17.
    assert CAL.add_calendar_days(date(2025, 2, 28), 15) == date(2025, 3, 17)
    # A make-up working Saturday (2025-10-11) is a working day: the period ends on it.
    assert CAL.add_calendar_days(date(2025, 9, 26), 15) == date(2025, 10, 11)
    # 90 days from 2025-07-03 is 2025-10-01 -> 2025-10-09.
    assert CAL.add_legal_period(date(2025, 7, 3), 90) == date(2025, 10, 9)


def test_start_day_is_not_counted_civil_procedure_art85() -> None:
    assert CAL.add_working_days(date(2025, 3, 3), 1) == date(2025, 3, 4)
    assert CAL.add_calendar_days(date(2025, 3, 3), 1) == date(2025, 3, 4)


def test_zero_working_days_is_the_day_itself_or_next_working_day() -> None:
    assert CAL.add_working_days(date(2025, 3, 3), 0) == date(2025, 3, 3)
    assert CAL.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)
    assert CAL.add_calendar_days(date(2025, 10, 1), 0) == date(2025, 10, 9)


def test_negative_periods_are_errors() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2025, 3, 3), -1)
    with pytest.raises(ValueError):
        CAL.add_calendar_days(date(2025, 3, 3), -1)
    with pytest.raises(ValueError):
        CAL.add_legal_period(date(2025, 3, 3), -1)


def test_working_days_between_counts_half_open_interval() -> None:
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 16)) == 7
    assert CAL.working_days_between(date(2025, 10, 16), date(2025, 9, 30)) == -7
    assert CAL.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert CAL.working_days_between(date(2025, 3, 2), date(2025, 3, 3)) == 1  # Sun -> Mon


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_working_days_between_inverts_add_working_days(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n


# --- unknown years and administrator-entered notices ---


def test_unknown_year_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnknownYearError) as excinfo:
        WorkdayCalendar().is_working_day(date(2099, 1, 5))
    assert excinfo.value.year == 2099
    assert "2099" in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


def test_period_running_into_unknown_year_is_an_error() -> None:
    cal = WorkdayCalendar(notice_years=[2098])
    with pytest.raises(UnknownYearError) as excinfo:
        cal.add_working_days(date(2098, 12, 30), 5)
    assert excinfo.value.year == 2099


def test_administrator_entered_notice_year() -> None:
    cal = WorkdayCalendar(
        notice_days=[
            NoticeDay(date(2099, 1, 1), working=False, name="元旦"),  # Thu
            NoticeDay(date(2099, 1, 3), working=True, name="调休"),  # Sat
        ],
        notice_years=[2099],
    )
    assert not cal.is_working_day(date(2099, 1, 1))
    assert cal.is_working_day(date(2099, 1, 2))  # unlisted Friday
    assert cal.is_working_day(date(2099, 1, 3))
    assert not cal.is_working_day(date(2099, 1, 4))  # unlisted Sunday
    assert cal.is_working_day(date(2099, 1, 5))
    assert cal.add_working_days(date(2098, 12, 31), 2) == date(2099, 1, 3)


def test_notice_days_override_library() -> None:
    corrections = [NoticeDay(date(2025, 10, 8), working=True), NoticeDay(date(2025, 3, 3), working=False)]
    cal = WorkdayCalendar(notice_days=corrections)
    assert cal.is_working_day(date(2025, 10, 8))
    assert not cal.is_working_day(date(2025, 3, 3))
    assert not cal.is_working_day(date(2025, 10, 7))  # library still decides unlisted days


def test_notice_year_overrides_library_for_unlisted_days() -> None:
    cal = WorkdayCalendar(notice_years=[2025])
    assert cal.is_working_day(date(2025, 10, 1))  # Wednesday, not listed by the administrator
    assert not cal.is_working_day(date(2025, 10, 11))  # Saturday, not listed


def test_notice_day_is_frozen() -> None:
    nd = NoticeDay(date(2025, 1, 1), working=False, name="元旦")
    with pytest.raises(dataclasses.FrozenInstanceError):
        nd.working = True  # type: ignore[misc]


# --- module-level functions and the injectable default calendar ---


def test_module_functions_use_library_calendar_by_default() -> None:
    assert workdays.is_working_day(date(2025, 1, 26))
    assert not workdays.is_working_day(date(2025, 10, 1))
    assert workdays.add_working_days(date(2025, 9, 30), 7) == date(2025, 10, 16)
    assert workdays.add_calendar_days(date(2025, 9, 16), 15) == date(2025, 10, 9)
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 10, 16)) == 7


def test_calendar_provider_injects_administrator_notice_days() -> None:
    cal = WorkdayCalendar(notice_days=[NoticeDay(date(2099, 1, 5), working=False)], notice_years=[2099])
    workdays.set_calendar_provider(lambda: cal)
    assert workdays.default_calendar() is cal
    assert not workdays.is_working_day(date(2099, 1, 5))
    assert workdays.add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 6)
    workdays.set_calendar_provider(None)
    with pytest.raises(UnknownYearError):
        workdays.is_working_day(date(2099, 1, 5))
