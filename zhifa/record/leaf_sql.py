"""An event's leaf bytes (log.leaf_bytes) written by the database itself, for `zhifa verify`.

Re-serialising each row in Python costs several times the hashing; SQLite can concatenate the RFC 8785 text in C
when the payload column already holds it (appends store plain payloads as RFC 8785 text: log._payload_text).
The expression yields NULL or other bytes for any row it cannot vouch for (a payload stored otherwise, a column
of an unexpected type), and verify then recomputes that row in Python: so a row passes only when these bytes hash
to its stored leaf, whatever the expression made of it.

That is sound because the bytes cannot equal another row's canonical bytes unless the columns are that row's:
every column but the payload is an integer or goes through json_quote (which escapes as RFC 8785 does: tests pin
it), so no quote inside those values is bare. The part before the payload therefore parses token by token as the
original does and ends where the original's does; the part after it holds a bare `,"seq":` exactly once, at its
start, as the original's does; so the text in between is exactly the original payload, and the parts around it
the original columns. (Django's JSONField also keeps the column valid JSON by a CHECK constraint.)
"""

from __future__ import annotations

from functools import cache


def _integer_or_null(column: str) -> str:
    return f"CASE typeof({column}) WHEN 'integer' THEN {column} WHEN 'null' THEN 'null' END"


def _string(column: str) -> str:
    return f"CASE typeof({column}) WHEN 'text' THEN json_quote({column}) END"


def _utc_time(column: str) -> str:
    """Django's SQLite text of a UTC datetime ('YYYY-MM-DD HH:MM:SS[.ffffff]') as leaf_bytes writes it."""
    return (f"json_quote(CASE typeof({column}) WHEN 'text' THEN CASE length({column}) "
            f"WHEN 26 THEN replace({column}, ' ', 'T') || 'Z' "
            f"WHEN 19 THEN replace({column}, ' ', 'T') || '.000000Z' END END)")


def _sqlite_leaf_bytes() -> str:
    # RFC 8785 orders the keys: actor, actor_name, agency, case, credential, object, payload, seq, time, type.
    parts = [
        "'{\"actor\":'", _integer_or_null("actor_id"),
        "',\"actor_name\":'", _string("actor_name"),
        "',\"agency\":'", _integer_or_null("agency_id"),
        "',\"case\":'", _integer_or_null("case_id"),
        "',\"credential\":'", _string("credential_number"),
        "',\"object\":['", _string("object_type"), "','", _string("object_id"),
        "'],\"payload\":'", "CASE typeof(payload) WHEN 'text' THEN payload END",
        "',\"seq\":'", _integer_or_null("seq"),
        "',\"time\":'", _utc_time("recorded_at"),
        "',\"type\":'", _string("event_type"),
        "'}'",
    ]
    return "CAST(" + " || ".join(f"({part})" if part.startswith("CASE") else part for part in parts) + " AS BLOB)"


@cache
def leaf_bytes_sql(vendor: str) -> str | None:
    """A SELECT expression over record_event's columns giving each row's leaf bytes, or None where the database
    cannot write them (PostgreSQL keeps the payload as jsonb, whose text is not RFC 8785's)."""
    return _sqlite_leaf_bytes() if vendor == "sqlite" else None

