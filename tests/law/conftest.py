"""Law tests are pure: they count working days with the library's calendar, not the database's notice table."""

from collections.abc import Iterator

import pytest

from zhifa.law import workdays


@pytest.fixture(autouse=True)
def _library_calendar() -> Iterator[None]:
    previous = workdays._provider
    workdays.set_calendar_provider(None)
    yield
    workdays.set_calendar_provider(previous)
