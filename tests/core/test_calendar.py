"""The administrator's holiday notices feed the working-day calendar (for years chinese-calendar lacks)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import calendar
from zhifa.core.models import HolidayNotice, NoticeDay
from zhifa.law import workdays

pytestmark = pytest.mark.django_db

D = dt.date


def test_year_without_notice_is_an_error_naming_the_year_never_a_guess():
    with pytest.raises(workdays.UnknownYearError) as caught:
        workdays.is_working_day(D(2031, 1, 2))
    assert caught.value.year == 2031 and "2031" in str(caught.value)


def test_entered_notice_makes_its_year_known():
    notice = HolidayNotice.objects.create(year=2031, document_number="国办发明电〔2030〕1号")
    NoticeDay.objects.create(notice=notice, day=D(2031, 1, 1), working=False, name="元旦")
    NoticeDay.objects.create(notice=notice, day=D(2031, 1, 4), working=True, name="元旦调休")
    assert not workdays.is_working_day(D(2031, 1, 1))  # Wednesday, holiday
    assert workdays.is_working_day(D(2031, 1, 2))  # Thursday
    assert workdays.is_working_day(D(2031, 1, 4))  # Saturday, make-up working day
    assert not workdays.is_working_day(D(2031, 1, 5))  # Sunday
    assert workdays.add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 2)


def test_notice_days_correct_the_library():
    notice = HolidayNotice.objects.create(year=2030, document_number="更正")
    assert workdays.is_working_day(D(2025, 10, 9))
    NoticeDay.objects.create(notice=notice, day=D(2025, 10, 9), working=False, name="更正")
    assert not workdays.is_working_day(D(2025, 10, 9))


def test_deleted_notice_day_is_forgotten_at_once():
    notice = HolidayNotice.objects.create(year=2031)
    day = NoticeDay.objects.create(notice=notice, day=D(2031, 1, 1), working=False, name="元旦")
    assert not workdays.is_working_day(D(2031, 1, 1))
    day.delete()
    assert workdays.is_working_day(D(2031, 1, 1))
    notice.delete()
    with pytest.raises(workdays.UnknownYearError):
        workdays.is_working_day(D(2031, 1, 1))


def test_notice_entered_by_another_process_seen_within_max_age(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(calendar.time, "monotonic", lambda: clock[0])
    calendar.forget()
    with pytest.raises(workdays.UnknownYearError):
        workdays.is_working_day(D(2031, 1, 2))
    HolidayNotice.objects.bulk_create([HolidayNotice(year=2031)])  # no save(): as if written elsewhere
    clock[0] += calendar.MAX_AGE_SECONDS - 1
    with pytest.raises(workdays.UnknownYearError):
        workdays.is_working_day(D(2031, 1, 2))  # still cached
    clock[0] += 2
    assert workdays.is_working_day(D(2031, 1, 2))
