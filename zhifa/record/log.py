"""Appending to the event log, in the caller's transaction (DESIGN.md: "How a change flows")."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from zhifa.record.canonical import CHECKED as _CHECKED
from zhifa.record.canonical import canonical_json, plain_json
from zhifa.record.crypto import profile
from zhifa.record.models import Event, LogHead

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from zhifa.people.models import Agency, User


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals and UUIDs as strings: what the database's JSON gives back, and RFC 8785 accepts."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def leaf_bytes(seq: int, recorded_at: dt.datetime, actor_id: int | None, actor_name: str, credential_number: str,
               agency_id: int | None, case_id: int | None, object_type: str, object_id: str, event_type: str,
               payload: Any, *, plain: bool = False) -> bytes:
    """The bytes of an event's leaf: RFC 8785 canonical JSON of every column but the hash (docs/transparency.md).
    Takes the columns in LEAF_COLUMNS order, so a verifier can feed it database rows without building models.
    `plain`: the caller has checked that the payload is plain JSON (canonical.plain_json)."""
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
    }, check=_CHECKED if plain else payload)


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


@cache
def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in (*LEAF_COLUMNS, "leaf_hash"))
    return f"INSERT INTO {quote(Event._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 12)})"


@cache
def _driver_sql(vendor: str) -> tuple[str, str]:
    """The two statements in the driver's own placeholder style (sqlite3 takes ?, psycopg %s)."""
    claim, insert = _claim_sql(vendor), _insert_sql(vendor)
    if vendor == "sqlite":  # neither statement holds a literal %
        claim, insert = claim.replace("%s", "?"), insert.replace("%s", "?")
    return claim, insert


class _Statements:
    """Runs the claim and the insert on one cursor. Straight on the DB-API cursor, with Django's error
    translation and broken-transaction check, unless something watches the queries (DEBUG's query log,
    assertNumQueries, an execute_wrapper): then through Django's cursor, so they see both statements. Django's
    cursor wrapper cost more per append than either statement (bench/README.md)."""

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db
        self.watched = bool(db.queries_logged or db.execute_wrappers)
        if self.watched:
            self.cursor = db.cursor()
            self.claim_sql, self.insert_sql = _claim_sql(db.vendor), _insert_sql(db.vendor)
        else:
            db.validate_no_broken_transaction()
            with db.wrap_database_errors:
                self.cursor = db.connection.cursor()
            self.claim_sql, self.insert_sql = _driver_sql(db.vendor)

    def run(self, sql: str, params: list[Any]) -> None:
        if self.watched:
            self.cursor.execute(sql, params)
        else:
            with self.db.wrap_database_errors:
                self.cursor.execute(sql, params)

    def claim(self, actor_id: int | None, today: dt.date) -> tuple[int, str]:
        """The event's sequence number and the actor's valid credential number ("" when none)."""
        day = self.db.ops.adapt_datefield_value(today)
        self.run(self.claim_sql, [actor_id, day, day])
        row = self.cursor.fetchone()
        if row is None:  # a database created without the migration's row
            LogHead.objects.using(self.db.alias).get_or_create(id=1)
            return self.claim(actor_id, today)
        return row[0] - 1, row[1] or ""

    def close(self) -> None:
        self.cursor.close()


def _rfc8785_text(value: Any) -> str | None:
    """orjson's text of a plain JSON value with sorted keys, which is its RFC 8785 text; None for any other value
    (or a lone surrogate, which orjson refuses: the reference path decides)."""
    if not plain_json(value):
        return None
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return None


def _payload_text(payload: dict[str, Any]) -> tuple[str, Any, bool]:
    """The payload as stored (JSON text), as read back (the value the leaf holds) and whether that value is
    plain JSON that orjson writes as RFC 8785 does. Plain JSON is its own read-back value: one orjson call
    instead of DjangoJSONEncoder's dump and a load. Dates, decimals and UUIDs read back as strings, which usually
    makes the read-back value plain too. A plain value is stored as its RFC 8785 text (keys sorted), so the database
    can write the leaf's bytes for `zhifa verify` (leaf_sql); any other (floats, integers beyond 2^53) as json
    writes it."""
    text = _rfc8785_text(payload)
    if text is not None:
        return text, payload, True
    dumped = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
    value = json.loads(dumped)
    text = _rfc8785_text(value)
    return (dumped, value, False) if text is None else (text, value, True)


_EVENT_ATTNAMES = (*LEAF_COLUMNS, "leaf_hash")


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
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the `connection` proxy is a context-local lookup
    if not db.in_atomic_block:
        raise transaction.TransactionManagementError("record.append must run inside the action's transaction")
    known_actor = actor is not None and actor.pk is not None
    now = timezone.now()
    payload_json, payload_value, plain = _payload_text(payload or {})
    statements = _Statements(db)
    try:
        # The calendar day of the deployment's zone (TIME_ZONE), in which credentials' dates are written; zhifa
        # activates no other zone. get_default_timezone() is cached, get_current_timezone() a context-local lookup.
        today = now.astimezone(timezone.get_default_timezone()).date()
        seq, valid_number = statements.claim(actor.pk if known_actor else None, today)
        values = [seq, now, actor.pk if known_actor else None,
                  (actor.get_full_name() if known_actor else "system")[:60], credential_number or valid_number,
                  agency.pk if agency is not None else None, case_id,
                  obj._meta.label_lower if obj is not None else "", str(obj.pk) if obj is not None else "",
                  event_type, payload_value]
        leaf_hash = profile().leaf_hash(leaf_bytes(*values, plain=plain))
        # The row as Model.save() would write it, without compiling a query each time (Event has no signals and
        # no defaults computed at save): the datetime adapted by the backend, the payload as the JSON text above.
        row = [*values[:-1], payload_json, leaf_hash]
        row[1] = db.ops.adapt_datetimefield_value(now)
        statements.run(statements.insert_sql, row)
    finally:
        statements.close()
    return _loaded_event(db.alias, [*values, leaf_hash])


def _loaded_event(alias: str, values: list[Any]) -> Event:
    """The Event as read back from the database, built as unpickling builds a model (no __init__: Event has no
    init signals, and every field is given), a third of Model.from_db's cost."""
    event = Event.__new__(Event)
    event.__dict__.update(zip(_EVENT_ATTNAMES, values, strict=True))
    state = event._state = ModelState()
    state.adding, state.db = False, alias
    return event
