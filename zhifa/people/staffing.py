"""Staffing figures per agency: officers with valid credentials, reviewers, and the 5% reviewer ratio."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhifa.law import staffing
from zhifa.people.models import Agency, CredentialStatus, Role


@dataclass(frozen=True)
class AgencyStaffing:
    agency: Agency
    officers: int
    reviewers: int

    @property
    def ratio(self) -> Fraction | None:
        return staffing.reviewer_ratio(self.reviewers, self.officers)

    @property
    def ratio_percent(self) -> float | None:
        return None if self.ratio is None else round(float(self.ratio) * 100, 1)

    @property
    def sufficient(self) -> bool:
        return staffing.reviewer_ratio_sufficient(self.reviewers, self.officers)


def agency_staffing(agencies: QuerySet[Agency], on: dt.date | None = None) -> list[AgencyStaffing]:
    """Officers = distinct holders of a credential valid on `on`; reviewers = active users in the reviewer role."""
    on = on or timezone.localdate()
    valid = Q(credentials__stored_status=CredentialStatus.VALID, credentials__valid_from__lte=on,
              credentials__valid_to__gte=on)
    rows = agencies.annotate(
        officer_count=Count("credentials__holder", filter=valid, distinct=True),
        reviewer_count=Count("staff", filter=Q(staff__role=Role.REVIEWER, staff__is_active=True), distinct=True),
    )
    return [AgencyStaffing(a, a.officer_count, a.reviewer_count) for a in rows]
