"""Supervised consultation of records (seed §二(二)4: 记录信息调阅监督): who may open what, and the access event.

Marked records (国家秘密/商业秘密/个人隐私, seed §二(二)3) are hidden from roles not cleared for the marking, never
public, and opening one needs a reason that is recorded with the access.
"""

from __future__ import annotations

from django.db import models, transaction

from zhifa.core.errors import require
from zhifa.core.models import Confidentiality
from zhifa.people.models import Agency, Role, User
from zhifa.record import log

BASIS_SECRECY = "实施办法二(二)3；《保守国家秘密法》"
BASIS_ACCESS = "实施办法二(二)4"

# Which roles may open a record of each marking (within the scope `visible_to` already gives them).
CLEARED_ROLES: dict[str, frozenset[str]] = {
    Confidentiality.NONE: frozenset(Role.values),
    Confidentiality.PERSONAL_PRIVACY: frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD,
                                                 Role.SUPERVISOR}),
    Confidentiality.COMMERCIAL_SECRET: frozenset({Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR}),
    Confidentiality.STATE_SECRET: frozenset({Role.AGENCY_HEAD, Role.SUPERVISOR}),
}


def is_cleared(user: User, marking: str) -> bool:
    """May `user` open a record with this marking? Administrators run the system, they do not read secrets."""
    return user.is_authenticated and user.role in CLEARED_ROLES.get(marking, frozenset())


def cleared_markings(user: User) -> list[str]:
    return [marking for marking in Confidentiality.values if is_cleared(user, marking)]


def filter_cleared(queryset: models.QuerySet, user: User, field: str = "confidentiality") -> models.QuerySet:
    """Hide rows whose marking the user is not cleared for."""
    return queryset.filter(**{f"{field}__in": cleared_markings(user)})


@transaction.atomic
def record_access(
    user: User, obj: models.Model, *, action: str, agency: Agency | None, case_id: int | None,
    marking: str = Confidentiality.NONE, reason: str = "",
) -> None:
    """Check the user may open `obj`, then append the access event ("record.viewed", "record.downloaded", …)."""
    require(is_cleared(user, marking), "not_cleared", BASIS_SECRECY,
            f"您无权查阅标记为“{Confidentiality(marking).label}”的记录")
    if marking != Confidentiality.NONE:
        require(reason.strip(), "access_reason_required", BASIS_SECRECY, "查阅涉密或隐私记录须填写查阅事由")
    log.append(f"record.{action}", actor=user, agency=agency, obj=obj, case_id=case_id,
               payload={"marking": marking, "reason": reason.strip()})
