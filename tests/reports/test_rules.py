"""The annual report's deadline (seed §二(一)3: by 20 January; 国办发〔2018〕118号: by 31 January — a per-jurisdiction
setting) and the deadline lights."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.env import ConfigError
from zhifa.reports import rules


def test_annual_report_deadline_defaults_to_seed_jan20(settings, monkeypatch) -> None:
    monkeypatch.delenv("ZHIFA_ANNUAL_REPORT_DEADLINE", raising=False)
    assert not hasattr(settings, "ZHIFA_ANNUAL_REPORT_DEADLINE")
    assert rules.report_deadline(2025) == dt.date(2026, 1, 20)


def test_annual_report_deadline_national_rule_jan31_as_setting_gbf_2018_118(settings) -> None:
    settings.ZHIFA_ANNUAL_REPORT_DEADLINE = rules.NATIONAL_DEADLINE
    assert rules.report_deadline(2025) == dt.date(2026, 1, 31)


def test_annual_report_deadline_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("ZHIFA_ANNUAL_REPORT_DEADLINE", "01-31")
    assert rules.report_deadline(2030) == dt.date(2031, 1, 31)


@pytest.mark.parametrize("value", ["1-20", "01/20", "13-01", "02-30", "02-29", "0120", "january"])
def test_annual_report_deadline_setting_rejects_what_is_not_a_yearly_date(monkeypatch, value) -> None:
    monkeypatch.setenv("ZHIFA_ANNUAL_REPORT_DEADLINE", value)
    with pytest.raises(ConfigError, match="ZHIFA_ANNUAL_REPORT_DEADLINE"):
        rules.report_deadline(2025)


def test_report_covers_last_year_seed() -> None:
    assert rules.report_year(dt.date(2026, 1, 1)) == 2025
    assert rules.report_year(dt.date(2026, 12, 31)) == 2025


def test_deadline_light_green_yellow_red(settings) -> None:
    settings.ZHIFA_ANNUAL_REPORT_ALERT_DAYS = 10
    due = dt.date(2026, 1, 20)
    assert rules.deadline_light(due, dt.date(2026, 1, 2), None) == "green"
    assert rules.deadline_light(due, dt.date(2026, 1, 10), None) == "yellow"
    assert rules.deadline_light(due, dt.date(2026, 1, 20), None) == "yellow"
    assert rules.deadline_light(due, dt.date(2026, 1, 21), None) == "red"
    assert rules.deadline_light(due, dt.date(2026, 3, 1), dt.date(2026, 1, 20)) == "green"
    assert rules.deadline_light(due, dt.date(2026, 3, 1), dt.date(2026, 1, 21)) == "red"
