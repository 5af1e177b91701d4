"""Supervised opening of evidence: each opening is an access event; a short-lived grant covers what it loads.

Opening a file's page (or the file itself without a grant) appends `record.viewed` through
`zhifa.record.access.record_access` — a marked file first asks for a reason — and issues a signed grant for that user
and file. The page's player, thumbnail and seeks (many Range requests) carry the grant and add no further events;
a download always appends `record.downloaded`, with the reason of the opening it follows. A grant names the user, the
object and that opening's event (so no reason travels in a URL), and expires.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import models

from zhifa.cases.models import Case
from zhifa.evidence.models import EvidenceFile
from zhifa.people.models import User
from zhifa.record.access import filter_cleared, record_access
from zhifa.record.models import Event

GRANT_SALT = "zhifa.evidence.grant"
GRANT_MAX_AGE = 4 * 3600  # seconds


def visible_evidence(user: User) -> models.QuerySet[EvidenceFile]:
    """Evidence the user may know exists: in scope, and of a marking the user is cleared for."""
    return filter_cleared(EvidenceFile.objects.visible_to(user), user).select_related(
        "agency", "case", "device", "officer", "uploaded_by")


def issue_grant(user: User, obj: models.Model, event: Event | None = None) -> str:
    return signing.dumps({"m": obj._meta.label_lower, "id": obj.pk, "u": user.pk,
                          "s": event.seq if event is not None else None}, salt=GRANT_SALT)


def read_grant(token: str, user: User, obj: models.Model) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        grant = signing.loads(token, salt=GRANT_SALT, max_age=GRANT_MAX_AGE)
    except signing.BadSignature:
        return None
    if grant.get("m") != obj._meta.label_lower or grant.get("id") != obj.pk or grant.get("u") != user.pk:
        return None
    return grant


def grant_reason(grant: dict[str, Any] | None) -> str:
    """The reason recorded with the opening a grant came from."""
    if not grant or grant.get("s") is None:
        return ""
    payload = Event.objects.filter(seq=grant["s"]).values_list("payload", flat=True).first() or {}
    return payload.get("reason", "")


def _access_event(user: User, obj: models.Model, action: str) -> Event | None:
    return Event.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), actor=user,
                                event_type=f"record.{action}").order_by("-seq").first()


def open_evidence(user: User, evidence: EvidenceFile, *, action: str, reason: str = "") -> str:
    """Record the access (RuleViolation if the user is not cleared or a reason is missing); return a grant."""
    reason = reason.strip()[:200]
    record_access(user, evidence, action=action, agency=evidence.agency, case_id=evidence.case_id,
                  marking=evidence.confidentiality, reason=reason)
    return issue_grant(user, evidence, _access_event(user, evidence, action))


def open_case_evidence(user: User, case: Case, *, reason: str = "") -> str:
    """Record that the user consulted a case's evidence list."""
    reason = reason.strip()[:200]
    record_access(user, case, action="evidence_listed", agency=case.agency, case_id=case.pk,
                  marking=case.confidentiality, reason=reason)
    return issue_grant(user, case, _access_event(user, case, "evidence_listed"))
