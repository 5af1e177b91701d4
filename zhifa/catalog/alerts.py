"""What the catalog's changes ask of people: superseded versions with open cases, changes not yet on the portal.

Wiring for cases (there is no case → item link yet). A case model that records the item version it is handled
under gets a foreign key named `item_version` to `catalog.ItemVersion`, and its app registers where its open
cases are, e.g. in `AppConfig.ready()`::

    from zhifa.catalog import alerts
    alerts.register_open_cases(lambda: Case.objects.exclude(stage="closed"))

`flag_open_cases(version, queryset)` then tells which of those cases were opened under a version that `version`
superseded; the staff alert page lists them for every version superseded recently, and the cases engineer can
call it when a version is published (e.g. to put a task on each case's handler).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from zhifa.catalog import actions, rules
from zhifa.catalog.models import ItemVersion, VersionStatus

ONE_DAY = dt.timedelta(days=1)

_open_case_sources: list[tuple[Callable[[], QuerySet], str]] = []


def register_open_cases(source: Callable[[], QuerySet], field: str = "item_version") -> None:
    """Register a callable returning a queryset of open cases whose foreign key to ItemVersion is `field`."""
    if (source, field) not in _open_case_sources:
        _open_case_sources.append((source, field))


def unregister_open_cases(source: Callable[[], QuerySet], field: str = "item_version") -> None:
    if (source, field) in _open_case_sources:
        _open_case_sources.remove((source, field))


def versions_superseded_since(since: dt.date, versions: QuerySet | None = None) -> QuerySet:
    """Versions that stopped being in force on or after `since` — a newer version or a repeal took effect on a day
    D ≥ `since`, so their `valid_to` (D-1) is on or after the day before `since`. Newest first."""
    versions = ItemVersion.objects.all() if versions is None else versions
    return (versions.exclude(status=VersionStatus.DRAFT)
            .filter(valid_to__isnull=False, valid_to__gte=since - ONE_DAY)
            .select_related("item").order_by("-valid_to", "item__code"))


def flag_open_cases(version: ItemVersion, open_cases: QuerySet, field: str = "item_version") -> QuerySet:
    """The objects of `open_cases` (a queryset over a model with a foreign key to ItemVersion named `field`, already
    limited by the caller to cases still open) that are handled under an earlier version of `version`'s item than
    `version`. If `version` is itself superseded, cases on it count too (they are on an old version)."""
    older = open_cases.filter(**{f"{field}__item_id": version.item_id})
    newer_exists = ItemVersion.objects.filter(item_id=version.item_id, number__gt=version.number).exclude(
        status=VersionStatus.DRAFT).exists()
    lookup = f"{field}__number__lte" if newer_exists else f"{field}__number__lt"
    return older.filter(**{lookup: version.number})


def open_cases_on_old_versions(version: ItemVersion) -> list:
    """Every registered source's open cases on a version older than `version`."""
    flagged: list = []
    for source, field in _open_case_sources:
        flagged.extend(flag_open_cases(version, source(), field))
    return flagged


@dataclass(frozen=True)
class StaleVersion:
    version: ItemVersion
    published_on: dt.date
    deadline: dt.date


def stale_portal_items(today: dt.date, versions: QuerySet | None = None,
                       working_days: int | None = None) -> list[StaleVersion]:
    """Published changes (new versions and repeals) not yet on the portal (`portal_published_at` null) more than
    `working_days` (default 5, ZHIFA_CATALOG_PORTAL_WORKING_DAYS) working days after their publication; a change
    made moot by a later version already on the portal is not counted. Basis: rules.BASIS_PORTAL."""
    days = actions.portal_working_days() if working_days is None else working_days
    versions = ItemVersion.objects.all() if versions is None else versions
    later_on_portal = ItemVersion.objects.filter(item_id=OuterRef("item_id"), number__gt=OuterRef("number"),
                                                 portal_published_at__isnull=False)
    # n working days after P is at least n calendar days after P: older rows only.
    horizon = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    candidates = (versions.exclude(status=VersionStatus.DRAFT)
                  .filter(portal_published_at__isnull=True, published_at__isnull=False, published_at__lt=horizon)
                  .exclude(Exists(later_on_portal))
                  .select_related("item").order_by("published_at", "pk"))
    stale = []
    for version in candidates:
        published_on = timezone.localdate(version.published_at)
        if rules.portal_overdue(published_on, today, days):
            stale.append(StaleVersion(version, published_on, rules.portal_deadline(published_on, days)))
    return stale
