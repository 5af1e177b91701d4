"""Appending to the event log, in the caller's transaction (DESIGN.md: "How a change flows")."""

from __future__ import annotations

import json
from functools import cache
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


def _valid_credential_number(actor_id: int) -> str:
    """The number of the actor's credential valid today: the rule of Credential.status_on (stored status valid,
    today within the dates; the first by number, as User.valid_credential) as one plain query. Building it with the
    ORM cost more than all the rest of an append (bench/README.md); test_append pins it to valid_credential()."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number FROM people_credential WHERE holder_id = %s AND stored_status = %s "
            "AND valid_from <= %s AND valid_to >= %s ORDER BY number LIMIT 1",
            [actor_id, "valid", today, today],
        )
        row = cursor.fetchone()
    return row[0] if row else ""


@cache
def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in Event._meta.concrete_fields)
    placeholders = ", ".join(["%s"] * len(Event._meta.concrete_fields))
    return f"INSERT INTO {quote(Event._meta.db_table)} ({columns}) VALUES ({placeholders})"


def _insert(event: Event) -> None:
    """INSERT the row as Model.save(force_insert=True) would (the fields prepare their own values), without
    compiling a query each time. Event has no signal receivers, no defaults computed at save."""
    values = [field.get_db_prep_save(getattr(event, field.attname), connection)
              for field in Event._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), values)
    event._state.adding = False
    event._state.db = connection.alias


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
        credential_number = _valid_credential_number(actor.pk)
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
    _insert(event)
    return event
