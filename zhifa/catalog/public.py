"""What the public portal shows of the catalog: only versions the publicity officer put on the portal.

An item's public version is the newest portal-published version already in effect (or, before that, the first
portal-published one to come). A change not yet put on the portal is not shown: the staff alert
(`alerts.stale_portal_items`) chases it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery

from zhifa.catalog.models import EnforcementItem, ItemVersion, VersionStatus


def portal_versions() -> QuerySet:
    return ItemVersion.objects.exclude(status=VersionStatus.DRAFT).filter(portal_published_at__isnull=False)


def current_public_versions(today: dt.date) -> QuerySet:
    """One version per item: the newest portal-published version in effect on `today` (repeal versions included:
    callers exclude them for lists of items in force)."""
    newest = portal_versions().filter(item=OuterRef("pk"), valid_from__lte=today).order_by("-number").values("pk")[:1]
    ids = EnforcementItem.objects.annotate(public=Subquery(newest)).filter(public__isnull=False).values("public")
    return ItemVersion.objects.filter(pk__in=ids)


def search(versions: QuerySet, query: str) -> QuerySet:
    """Name, code or legal basis contains the words of `query` (every word must match)."""
    for word in query.split()[:8]:
        versions = versions.filter(Q(name__icontains=word) | Q(item__code__icontains=word)
                                   | Q(basis_law__icontains=word))
    return versions


def public_version_of(item: EnforcementItem, today: dt.date) -> ItemVersion | None:
    versions = portal_versions().filter(item=item)
    return (versions.filter(valid_from__lte=today).order_by("-number").first()
            or versions.filter(valid_from__gt=today).order_by("number").first())
