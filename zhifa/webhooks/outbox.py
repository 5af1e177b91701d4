"""The outbox: `emit` runs inside the publish/withdraw transaction and writes one delivery per subscription; the
deliveries are sent after the commit (a rolled-back publication sends nothing)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.disclosure.models import Publication, Status
from zhifa.webhooks.models import Delivery, EventType, Subscription


def public_url(publication: Publication) -> str:
    base = settings.ZHIFA_PUBLIC_URL or f"http://{settings.ALLOWED_HOSTS[0]}"
    return base.rstrip("/") + publication.get_absolute_url()


def public_summary(publication: Publication) -> dict[str, Any]:
    """What the portal shows of the decision — the summary fields only, never the original text."""
    withdrawn = publication.status == Status.WITHDRAWN
    data: dict[str, Any] = {
        "id": publication.pk, "url": public_url(publication), "document_number": publication.document_number,
        "agency": {"code": publication.agency.code, "name": publication.agency.name,
                   "credit_code": publication.agency.credit_code},
        "target": publication.target, "act_type": publication.act_type,
        "act_type_label": str(publication.act_type_label), "category": publication.category,
        "conclusion": "" if withdrawn else publication.conclusion, "decided_on": publication.decided_on.isoformat(),
        "published_at": publication.published_at.isoformat() if publication.published_at else None,
        "status": publication.status,
    }
    if withdrawn:
        data["withdrawal"] = {"kind": publication.withdrawal_kind,
                              "kind_label": str(publication.get_withdrawal_kind_display()),
                              "reason": publication.withdrawal_reason,
                              "withdrawn_at": publication.withdrawn_at.isoformat() if publication.withdrawn_at
                              else None}
    return data


def subscribers(event: str, publication: Publication) -> list[Subscription]:
    candidates = Subscription.objects.filter(Q(agency__isnull=True) | Q(agency_id=publication.agency_id), active=True)
    return [s for s in candidates.order_by("pk") if event in (s.events or [])]


def emit(event: EventType, publication: Publication) -> list[Delivery]:
    """Write the deliveries of `event` in the caller's transaction and send them once it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("webhooks.emit must run inside the action's transaction")
    now = timezone.now()
    payload = {"type": str(event), "timestamp": now.isoformat(), "data": public_summary(publication)}
    deliveries = [Delivery.objects.create(subscription=subscription, publication=publication, event=event,
                                          message_id=f"msg_{uuid.uuid4().hex}", payload=payload, next_attempt_at=now)
                  for subscription in subscribers(event, publication)]
    if deliveries:
        from zhifa.webhooks.tasks import deliver_webhook_task

        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: [deliver_webhook_task.enqueue(pk) for pk in ids])
    return deliveries
