"""Appending to the event log, in the caller's transaction (DESIGN.md: "How a change flows")."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from zhifa.record.canonical import canonical_json
from zhifa.record.crypto import profile
from zhifa.record.models import Event, LogHead

if TYPE_CHECKING:
    from zhifa.people.models import Agency, User


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals and UUIDs as strings: what the database's JSON gives back, and RFC 8785 accepts."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def leaf_bytes(seq: int, recorded_at: dt.datetime, actor_id: int | None, actor_name: str, credential_number: str,
               agency_id: int | None, case_id: int | None, object_type: str, object_id: str, event_type: str,
               payload: Any) -> bytes:
    """The bytes of an event's leaf: RFC 8785 canonical JSON of every column but the hash (docs/transparency.md).
    Takes the columns in LEAF_COLUMNS order, so a verifier can feed it database rows without building models."""
    utc = recorded_at.astimezone(dt.UTC).replace(tzinfo=None)
    # Only the payload can hold what the fast path must look at: the rest are typed columns.
    return canonical_json({
        "seq": seq,
        "time": utc.isoformat(timespec="microseconds") + "Z",
        "actor": actor_id,
        "actor_name": actor_name,
        "credential": credential_number,
        "agency": agency_id,
        "case": case_id,
        "object": [object_type, object_id],
        "type": event_type,
        "payload": payload,
    }, check=payload)


# Event's columns in model order, the hash last (test_append pins this).
LEAF_COLUMNS = ("seq", "recorded_at", "actor_id", "actor_name", "credential_number", "agency_id", "case_id",
                "object_type", "object_id", "event_type", "payload")


def canonical_bytes(event: Event) -> bytes:
    return leaf_bytes(*(getattr(event, column) for column in LEAF_COLUMNS))


def leaf_hash_of(event: Event) -> bytes:
    return profile().leaf_hash(canonical_bytes(event))


@cache
def _claim_sql(vendor: str) -> str:
    """One statement: claim the next sequence number under LogHead's row lock, held until the transaction ends
    (appends of concurrent transactions queue there, so numbers are gap-free, and a rollback gives its number
    back), and read the number of the actor's credential valid today. That is the rule of Credential.status_on
    (stored status valid, today within the dates; the first by number, as User.valid_credential) as plain SQL:
    building it with the ORM cost more than all the rest of an append (bench/README.md); test_append pins the
    two together."""
    return ("UPDATE record_loghead SET size = size + 1 WHERE id = 1 RETURNING size, "
            "(SELECT number FROM people_credential WHERE holder_id = %s AND stored_status = 'valid' "
            "AND valid_from <= %s AND valid_to >= %s ORDER BY number LIMIT 1)")


def _claim(actor_id: int | None, today: dt.date) -> tuple[int, str]:
    """The event's sequence number and the actor's valid credential number ("" when none)."""
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection.vendor), [actor_id, day, day])
        row = cursor.fetchone()
    if row is None:  # a database created without the migration's row
        LogHead.objects.get_or_create(id=1)
        return _claim(actor_id, today)
    return row[0] - 1, row[1] or ""


@cache
def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in (*LEAF_COLUMNS, "leaf_hash"))
    return f"INSERT INTO {quote(Event._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 12)})"


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
    known_actor = actor is not None and actor.pk is not None
    now = timezone.now()
    today = now.astimezone(timezone.get_current_timezone()).date()
    seq, valid_number = _claim(actor.pk if known_actor else None, today)
    payload_json = json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False)
    values = [seq, now, actor.pk if known_actor else None,
              (actor.get_full_name() if known_actor else "system")[:60], credential_number or valid_number,
              agency.pk if agency is not None else None, case_id, obj._meta.label_lower if obj is not None else "",
              str(obj.pk) if obj is not None else "", event_type, json.loads(payload_json)]
    leaf_hash = profile().leaf_hash(leaf_bytes(*values))
    # The row as Model.save() would write it, without compiling a query each time (Event has no signals and no
    # defaults computed at save): the datetime adapted by the backend, the payload as the JSON text above.
    row = [*values[:-1], payload_json, leaf_hash]
    row[1] = connection.ops.adapt_datetimefield_value(row[1])
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), row)
    return Event.from_db(connection.alias, [*LEAF_COLUMNS, "leaf_hash"], [*values, leaf_hash])
