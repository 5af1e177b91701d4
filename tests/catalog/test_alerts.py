"""Alerts: a published change more than 5 working days old that is not on the portal; versions superseded since a
date; open cases handled under an old version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.catalog.conftest import version_data
from zhifa.catalog import actions, alerts, rules
from zhifa.catalog.models import DiscretionStandard
from zhifa.law.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _stale_codes(today: dt.date) -> list[str]:
    return [s.version.item.code for s in alerts.stale_portal_items(today)]


def test_portal_deadline_counts_working_days_over_the_national_day_holiday():
    # Published Tue 30 Sep 2025: 1–8 Oct are holidays, Sat 11 Oct is a make-up working day (调休).
    published = dt.date(2025, 9, 30)
    assert rules.portal_deadline(published) == add_working_days(published, 5) == dt.date(2025, 10, 14)
    assert not rules.portal_overdue(published, dt.date(2025, 10, 14))
    assert rules.portal_overdue(published, dt.date(2025, 10, 15))


def test_stale_portal_alert_after_five_working_days(world):
    item = actions.create_item(world["head_a"], code="LK-CF-T-001", kind="penalty", level="county",
                               agencies=[world["a"]], data=version_data(), valid_from=dt.date(2025, 1, 1),
                               published_at=_at(dt.date(2025, 9, 30)))
    assert _stale_codes(dt.date(2025, 10, 14)) == []
    stale = alerts.stale_portal_items(dt.date(2025, 10, 15))
    assert [s.version.item for s in stale] == [item]
    assert stale[0].deadline == dt.date(2025, 10, 14) and stale[0].published_on == dt.date(2025, 9, 30)
    actions.publish_to_portal(world["head_a"], item.versions.get())
    assert _stale_codes(dt.date(2025, 10, 15)) == []


def test_weekend_after_the_deadline_is_already_late(world):
    # Published Mon 3 Mar 2025: the fifth working day is Mon 10 Mar; Sat 8 Mar is not yet late.
    actions.create_item(world["head_a"], code="LK-CF-T-002", kind="penalty", level="county", agencies=[world["a"]],
                        data=version_data(), valid_from=dt.date(2025, 1, 1), published_at=_at(dt.date(2025, 3, 3)))
    assert _stale_codes(dt.date(2025, 3, 8)) == []
    assert _stale_codes(dt.date(2025, 3, 10)) == []
    assert _stale_codes(dt.date(2025, 3, 11)) == ["LK-CF-T-002"]


def test_a_change_made_moot_by_a_later_portal_version_is_not_stale(world):
    item = actions.create_item(world["head_a"], code="LK-CF-T-003", kind="penalty", level="county",
                               agencies=[world["a"]], data=version_data(), valid_from=dt.date(2025, 1, 1),
                               published_at=_at(dt.date(2025, 3, 3)))
    v2 = actions.publish_version(world["head_a"], item, dt.date(2025, 6, 1), version_data(), change_note="修正",
                                 published_at=_at(dt.date(2025, 3, 4)))
    assert [s.version.number for s in alerts.stale_portal_items(dt.date(2025, 4, 1))] == [1, 2]
    actions.publish_to_portal(world["head_a"], v2)
    assert alerts.stale_portal_items(dt.date(2025, 4, 1)) == []


def test_repeal_not_on_the_portal_is_stale_but_a_draft_is_not(world):
    item = actions.create_item(world["head_a"], code="LK-CF-T-004", kind="penalty", level="county",
                               agencies=[world["a"]], data=version_data(), valid_from=dt.date(2024, 1, 1),
                               published_at=_at(dt.date(2024, 1, 2)))
    actions.publish_to_portal(world["head_a"], item.versions.get())
    actions.save_draft(world["head_a"], item, version_data(name="草稿"))
    assert alerts.stale_portal_items(dt.date(2025, 12, 1)) == []
    actions.repeal_item(world["head_a"], item, dt.date(2025, 6, 1), "法律废止", "废止决定",
                        published_at=_at(dt.date(2025, 6, 3)))
    assert [s.version.status for s in alerts.stale_portal_items(dt.date(2025, 12, 1))] == ["repealed"]


def test_deadline_beyond_the_known_holiday_calendar_is_not_yet_late(world):
    actions.create_item(world["head_a"], code="LK-CF-T-005", kind="penalty", level="county", agencies=[world["a"]],
                        data=version_data(), valid_from=dt.date(2026, 1, 1), published_at=_at(dt.date(2026, 12, 24)))
    assert _stale_codes(dt.date(2026, 12, 31)) == []


def test_scoped_alerts_only_show_the_users_agency(world):
    for code, agency in (("LK-A-0001", world["a"]), ("LK-B-0001", world["b"])):
        actions.create_item(world["admin"], code=code, kind="penalty", level="county", agencies=[agency],
                            data=version_data(), valid_from=dt.date(2025, 1, 1), published_at=_at(dt.date(2025, 3, 3)))
    from zhifa.catalog.models import ItemVersion

    scoped = alerts.stale_portal_items(dt.date(2025, 4, 1), ItemVersion.objects.visible_to(world["head_b"]))
    assert [s.version.item.code for s in scoped] == ["LK-B-0001"]


def test_versions_superseded_since_a_date(make_item, world):
    item = make_item(valid_from=dt.date(2020, 1, 1))
    other = make_item(code="LK-CF-T-010", valid_from=dt.date(2020, 1, 1))
    actions.publish_version(world["head_a"], item, dt.date(2024, 5, 1), version_data(), change_note="修正")
    actions.repeal_item(world["head_a"], other, dt.date(2023, 1, 1), "废止", "废止决定")
    assert [(v.item.code, v.number) for v in alerts.versions_superseded_since(dt.date(2024, 5, 1))] == [
        ("LK-CF-T-001", 1)]
    assert [(v.item.code, v.number) for v in alerts.versions_superseded_since(dt.date(2022, 1, 1))] == [
        ("LK-CF-T-001", 1), ("LK-CF-T-010", 1)]
    assert list(alerts.versions_superseded_since(dt.date(2024, 5, 2))) == []


def test_flag_open_cases_on_old_versions(make_item, world):
    """Any model with a foreign key to ItemVersion works; discretion rows stand in for cases here."""
    item = make_item()
    v1 = item.versions.get(number=1)
    v2 = actions.publish_version(world["head_a"], item, dt.date(2024, 1, 1), version_data(), change_note="修正")
    on_v1 = set(v1.discretion.values_list("pk", flat=True))
    rows = DiscretionStandard.objects.all()
    assert set(alerts.flag_open_cases(v2, rows, field="version").values_list("pk", flat=True)) == on_v1
    assert set(alerts.flag_open_cases(v1, rows, field="version").values_list("pk", flat=True)) == on_v1
    other = make_item(code="LK-CF-T-011")
    assert not alerts.flag_open_cases(other.versions.get(), rows, field="version").filter(version__item=item)


def test_registered_open_case_sources_are_consulted(make_item, world):
    item = make_item()
    v2 = actions.publish_version(world["head_a"], item, dt.date(2024, 1, 1), version_data(), change_note="修正")

    def source():
        return DiscretionStandard.objects.all()

    alerts.register_open_cases(source, field="version")
    try:
        assert len(alerts.open_cases_on_old_versions(v2)) == 3
    finally:
        alerts.unregister_open_cases(source, field="version")
    assert alerts.open_cases_on_old_versions(v2) == []
