"""Feeds the administrator's notice days into the pure working-day calendar (zhifa.law.workdays).

The calendar is cached per process. A change saved or deleted in this process is seen at once; other
processes (app servers, task workers) re-read the table within `MAX_AGE_SECONDS`. A database that has not been
migrated yet has no notice days: the library's calendar alone answers (unknown years are still an error).
"""

from __future__ import annotations

import threading
import time

from django.db import connection, transaction

from zhifa.law import workdays

MAX_AGE_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, workdays.WorkdayCalendar] | None = None


def _load() -> workdays.WorkdayCalendar:
    from zhifa.core.models import HolidayNotice, NoticeDay

    if NoticeDay._meta.db_table not in connection.introspection.table_names():
        return workdays.WorkdayCalendar()
    days = [workdays.NoticeDay(d.day, d.working, d.name) for d in NoticeDay.objects.all()]
    years = list(HolidayNotice.objects.values_list("year", flat=True))
    return workdays.WorkdayCalendar(notice_days=days, notice_years=years)


def _calendar() -> workdays.WorkdayCalendar:
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < MAX_AGE_SECONDS:
        return cached[1]
    with _lock:
        calendar = _load()
        _cached = (now, calendar)
    return calendar


def forget() -> None:
    """Drop the cached calendar after the administrator changed a notice (again when that change commits, so
    a calendar read inside the transaction does not outlive a rollback or miss the commit)."""
    global _cached
    _cached = None
    if connection.in_atomic_block:
        transaction.on_commit(forget)


def install() -> None:
    workdays.set_calendar_provider(_calendar)
