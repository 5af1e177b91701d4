"""Appending to the event log, in the caller's transaction (DESIGN.md: "How a change flows")."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import rfc8785
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from zhifa.record.crypto import profile
from zhifa.record.models import Event, LogHead

if TYPE_CHECKING:
    from zhifa.people.models import Agency, User


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals and UUIDs as strings: what the database's JSON gives back, and RFC 8785 accepts."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical_bytes(event: Event) -> bytes:
    """The bytes of an event's leaf: RFC 8785 canonical JSON of every column but the hash (docs/transparency.md)."""
    recorded_at = event.recorded_at.astimezone(timezone.UTC)
    return rfc8785.dumps(
        {
            "seq": event.seq,
            "time": recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": event.actor_id,
            "actor_name": event.actor_name,
            "credential": event.credential_number,
            "agency": event.agency_id,
            "case": event.case_id,
            "object": [event.object_type, event.object_id],
            "type": event.event_type,
            "payload": event.payload,
        }
    )


def leaf_hash_of(event: Event) -> bytes:
    return profile().leaf_hash(canonical_bytes(event))


def _next_seq() -> int:
    """Claim the next sequence number under LogHead's row lock, held until the transaction ends: appends of
    concurrent transactions queue there, so numbers are gap-free, and a rollback gives its number back."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE record_loghead SET size = size + 1 WHERE id = 1 RETURNING size")
        row = cursor.fetchone()
    if row is None:  # a database created without the migration's row
        LogHead.objects.get_or_create(id=1)
        return _next_seq()
    return row[0] - 1


def append(
    event_type: str,
    *,
    actor: User | None,
    agency: Agency | None = None,
    obj: models.Model | None = None,
    case_id: int | None = None,
    payload: dict[str, Any] | None = None,
    credential_number: str = "",
) -> Event:
    """Append one event. Must run inside the action's transaction, best as its last write (the head's lock is
    held from here to the commit). The actor's valid credential number is recorded unless one is given."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("record.append must run inside the action's transaction")
    if actor is not None and actor.pk and not credential_number:
        credential = actor.valid_credential(timezone.localdate())
        credential_number = credential.number if credential else ""
    event = Event(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() if actor is not None and actor.pk else "system")[:60],
        credential_number=credential_number,
        agency=agency,
        case_id=case_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        event_type=event_type,
        payload=normalise_payload(payload or {}),
    )
    event.seq = _next_seq()
    event.recorded_at = timezone.now()
    event.leaf_hash = leaf_hash_of(event)
    event.save(force_insert=True)
    return event
