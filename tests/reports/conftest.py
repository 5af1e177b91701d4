"""Annual report fixtures: an agency with a head, a legal reviewer, officers (the cases' team), and a report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import case, team  # noqa: F401  (shared fixtures: an agency's team and a case)


@pytest.fixture
def at(monkeypatch):
    """Move the clock: at(2026, 1, 19) makes timezone.now() 10:00 that day in Asia/Shanghai."""

    def move(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
        moment = dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


@pytest.fixture
def drafted(team):  # noqa: F811
    from zhifa.reports.actions import draft_report

    return draft_report(team.head.agency, 2025, None, today=dt.date(2026, 1, 1))
