"""Feeds the administrator's notice days into the pure working-day calendar (zhifa.law.workdays)."""

from functools import cache

from zhifa.law import workdays


@cache
def _calendar() -> workdays.WorkdayCalendar:
    from zhifa.core.models import HolidayNotice, NoticeDay

    days = [workdays.NoticeDay(d.day, d.working, d.name) for d in NoticeDay.objects.all()]
    years = list(HolidayNotice.objects.values_list("year", flat=True))
    return workdays.WorkdayCalendar(notice_days=days, notice_years=years)


def forget() -> None:
    """Drop the cached calendar after the administrator changed a notice."""
    _calendar.cache_clear()


def install() -> None:
    workdays.set_calendar_provider(_calendar)
