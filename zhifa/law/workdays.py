"""Working days and legal periods (期间) under Chinese administrative law.

Working days follow the State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知),
including make-up working weekends (调休). Sources, in order of precedence:

1. ``NoticeDay`` entries an administrator entered (corrections, or a new year's notice);
2. for a year in ``notice_years`` (the whole notice was entered), any other day is working iff Mon–Fri;
3. the ``chinese_calendar`` library;
4. otherwise ``UnknownYearError``: an unknown year is an explicit error, never a guess.

Counting rules:

- The start day is not counted (民事诉讼法 Art. 85: 期间开始的时和日，不计算在期间内), so a period of
  n days ends on the n-th (working or calendar) day after the start day.
- 行政处罚法 Art. 85: periods written as 二日、三日、五日、七日 are working days (不含法定节假日);
  行政强制法 Art. 69: periods of ten days or less are working days.
- Longer periods (15 days, 90 days, ...) are calendar days; if the last day is a rest day the period ends on
  the first working day after it (民事诉讼法 Art. 85: 期间届满的最后一日是法定休假日的，以法定休假日后的
  第一日为期间届满的日期; applied to administrative matters e.g. by 行政复议法 Art. 88).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import chinese_calendar

__all__ = [
    "WORKING_DAY_PERIOD_MAX",
    "NoticeDay",
    "UnknownYearError",
    "WorkdayCalendar",
    "add_calendar_days",
    "add_legal_period",
    "add_working_days",
    "default_calendar",
    "is_working_day",
    "set_calendar_provider",
    "working_days_between",
]

WORKING_DAY_PERIOD_MAX: Final[int] = 10
"""Longest period counted in working days: 行政处罚法 Art. 85 (二日、三日、五日、七日 are working days) and
行政强制法 Art. 69 (periods of ten days or less are working days). Longer periods are calendar days."""

_ONE_DAY: Final = timedelta(days=1)


class UnknownYearError(ValueError):
    """No holiday notice is known for a year: the administrator must enter the State Council notice."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"no holiday data for {year}: enter the State Council notice for {year}")


@dataclass(frozen=True)
class NoticeDay:
    """One day of a State Council holiday notice.

    A holiday is ``working=False`` (usually on a weekday); a make-up working day (调休) is ``working=True``
    (usually on a weekend).
    """

    day: date
    working: bool
    name: str = ""


class WorkdayCalendar:
    """Decides which days are working days; see the module docstring for the order of sources."""

    def __init__(self, notice_days: Iterable[NoticeDay] = (), notice_years: Iterable[int] = ()) -> None:
        # A later entry for the same day wins, so callers can append corrections.
        self._overrides: dict[date, bool] = {nd.day: nd.working for nd in notice_days}
        self._notice_years: frozenset[int] = frozenset(notice_years)

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day; raises ``UnknownYearError`` if the year's notice is unknown."""
        override = self._overrides.get(d)
        if override is not None:
            return override
        if d.year in self._notice_years:
            return d.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            raise UnknownYearError(d.year) from None

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself is not counted).

        ``n == 0`` returns ``d`` if it is a working day, else the next working day (a period of zero days
        ends at the earliest working day). Negative ``n`` is a ``ValueError``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return self.next_working_day(d)
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def add_calendar_days(self, d: date, n: int) -> date:
        """``d + n`` calendar days, moved forward to the next working day if that day is a rest day.

        民事诉讼法 Art. 85: a period whose last day is a rest day ends on the first working day after it.
        Negative ``n`` is a ``ValueError``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        return self.next_working_day(d + timedelta(days=n))

    def add_legal_period(self, d: date, days: int) -> date:
        """End of a legal period of ``days`` days starting on ``d``.

        Rule: 行政处罚法 Art. 85 and 行政强制法 Art. 69 — periods of up to ``WORKING_DAY_PERIOD_MAX`` (10)
        days are working days; longer periods are calendar days, ending on the next working day if the last
        day is a rest day (民事诉讼法 Art. 85).
        """
        if days <= WORKING_DAY_PERIOD_MAX:
            return self.add_working_days(d, days)
        return self.add_calendar_days(d, days)

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in ``(start, end]``; if ``end < start``, minus the count in (end, start].

        E.g. the working days elapsed since a deadline started, or remaining until it ends.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        d = start + _ONE_DAY
        while d <= end:
            if self.is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count


# --- default calendar, injectable by the Django layer (administrator-entered notice days) ---

_BUILTIN_CALENDAR: Final = WorkdayCalendar()


def _builtin_calendar() -> WorkdayCalendar:
    return _BUILTIN_CALENDAR


_provider: Callable[[], WorkdayCalendar] = _builtin_calendar


def set_calendar_provider(fn: Callable[[], WorkdayCalendar] | None) -> None:
    """Use ``fn()`` as the default calendar from now on; ``None`` restores the library-only calendar."""
    global _provider
    _provider = fn if fn is not None else _builtin_calendar


def default_calendar() -> WorkdayCalendar:
    """The calendar used by the module-level functions."""
    return _provider()


def is_working_day(d: date) -> bool:
    """``WorkdayCalendar.is_working_day`` on the default calendar."""
    return default_calendar().is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """``WorkdayCalendar.add_working_days`` on the default calendar."""
    return default_calendar().add_working_days(d, n)


def add_calendar_days(d: date, n: int) -> date:
    """``WorkdayCalendar.add_calendar_days`` on the default calendar."""
    return default_calendar().add_calendar_days(d, n)


def add_legal_period(d: date, days: int) -> date:
    """``WorkdayCalendar.add_legal_period`` on the default calendar.

    Rule: 行政处罚法 Art. 85 and 行政强制法 Art. 69 (periods of up to ten days are working days).
    """
    return default_calendar().add_legal_period(d, days)


def working_days_between(start: date, end: date) -> int:
    """``WorkdayCalendar.working_days_between`` on the default calendar."""
    return default_calendar().working_days_between(start, end)
