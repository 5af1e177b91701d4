"""An event's leaf bytes (log.leaf_bytes) written by the database itself, for `zhifa verify`.

Re-serialising each row in Python costs several times the hashing; SQLite can write the RFC 8785 text in C when
the payload column already holds it (appends store plain payloads as RFC 8785 text: log._payload_text). The
expression gives other bytes for any row it cannot vouch for (a payload stored otherwise, a value of an unexpected
type), or fails on a BLOB value, and verify then recomputes that row in Python: so a row passes only when these
bytes hash to its stored leaf, whatever the expression made of it.

That is sound because the bytes cannot equal another row's canonical bytes unless the columns are that row's:
every column but the payload goes through json_object (integers bare, NULL as null, text quoted and escaped as RFC
8785 escapes it, a REAL with a point or an exponent: tests pin it), so each is one JSON scalar with no bare quote
inside. The part before the payload therefore parses token by token as the original does and ends where the
original's does; the part after it holds a bare `,"seq":` exactly once, at its start, as the original's does; so the
text in between is exactly the original payload, and the parts around it the original columns. The time is
Django's text of a UTC datetime, 'YYYY-MM-DD HH:MM:SS[.ffffff]', with its space as a T: only that text, or the same
with a T already, gives the canonical time, and Django reads both as the same instant. (Django's JSONField also
keeps the payload column valid JSON by a CHECK constraint.)

json_object writes its values in C, a few times faster than concatenating quoted columns: the columns before the
payload are one object without its closing brace, those after it another without its opening one.
"""

from __future__ import annotations

from functools import cache

_BEFORE_PAYLOAD = ("rtrim(json_object('actor', actor_id, 'actor_name', actor_name, 'agency', agency_id, "
                   "'case', case_id, 'credential', credential_number, 'object', json_array(object_type, object_id)), "
                   "'}')")  # the object ends in "]}": one brace goes
_UTC_TIME = ("replace(recorded_at, ' ', 'T') || "
             "CASE length(recorded_at) WHEN 19 THEN '.000000Z' ELSE 'Z' END")  # isoformat(timespec="microseconds")
_AFTER_PAYLOAD = f"substr(json_object('seq', seq, 'time', {_UTC_TIME}, 'type', event_type), 2)"


def _sqlite_leaf_bytes() -> str:
    # RFC 8785 orders the keys: actor, actor_name, agency, case, credential, object, payload, seq, time, type.
    return f"CAST({_BEFORE_PAYLOAD} || ',\"payload\":' || payload || ',' || {_AFTER_PAYLOAD} AS BLOB)"


@cache
def leaf_bytes_sql(vendor: str) -> str | None:
    """A SELECT expression over record_event's columns giving each row's leaf bytes, or None where the database
    cannot write them (PostgreSQL keeps the payload as jsonb, whose text is not RFC 8785's)."""
    return _sqlite_leaf_bytes() if vendor == "sqlite" else None

