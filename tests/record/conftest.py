"""Fixtures of the record tests: both crypto profiles, a fresh log signing key, events, and tampering helpers.

Record tables are append-only by triggers, so these tests never flush: they run in the test's rolled-back
transaction. Tamper tests drop the triggers INSIDE that transaction (DDL is transactional on SQLite and
PostgreSQL), so the rollback puts them back.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

APPEND_ONLY_TABLES = ["record_event", "record_merklenode", "record_checkpoint"]
COUNTER_TABLES = ["record_loghead", "record_treestate"]


def use_profile(settings, name: str) -> None:
    """Switch ZHIFA_CRYPTO for this test (pytest-django's `settings` restores it) and forget cached profiles."""
    from zhifa.record import crypto

    settings.ZHIFA_CRYPTO = name
    crypto._profile.cache_clear()


@pytest.fixture(params=["gm", "intl"])
def crypto_profile(request, settings) -> str:
    """Run the test under both profiles: gm (SM3/SM2) and intl (SHA-256/Ed25519)."""
    use_profile(settings, request.param)
    yield request.param
    from zhifa.record import crypto

    crypto._profile.cache_clear()


@pytest.fixture(autouse=True)
def log_key_file(tmp_path, monkeypatch):
    """Each test signs with its own key file, generated at first use (as at a deployment's first start)."""
    path = tmp_path / "keys" / "log-signing.pem"
    monkeypatch.setenv("ZHIFA_LOG_KEY_FILE", str(path))
    return path


@pytest.fixture
def officer(make_agency, make_user, issue):
    """An officer of an agency holding a valid enforcement credential (issued through the action)."""
    agency = make_agency()
    user = make_user(agency=agency, role="officer")
    issue(user, valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2099, 12, 31))
    return user


def append_events(count: int, *, marker: str = "", **fields) -> list:
    """Append `count` events in the current transaction (the test's), as actions do."""
    from zhifa.record import log

    assert connection.in_atomic_block
    event_type = fields.pop("event_type", "test.event")
    return [
        log.append(event_type, actor=None, payload={"n": i, "marker": marker, "text": "执法记录"}, **fields)
        for i in range(count)
    ]


def drop_append_only_triggers() -> None:
    """Remove the record's triggers inside the running transaction (the test's rollback restores them)."""
    assert connection.in_atomic_block, "only inside the test's transaction"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"DROP TRIGGER {table}_no_update")
                cursor.execute(f"DROP TRIGGER {table}_no_delete")
            for table in COUNTER_TABLES:
                cursor.execute(f"DROP TRIGGER {table}_no_delete")
        else:
            for table in APPEND_ONLY_TABLES + COUNTER_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def raw(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def refused(sql: str, params: list | tuple = ()) -> str:
    """Run `sql` in a savepoint; return the database's refusal message (fails the test if it was allowed)."""
    from django.db import DatabaseError

    try:
        with transaction.atomic():
            raw(sql, params)
    except DatabaseError as exc:
        return str(exc)
    pytest.fail(f"the database allowed: {sql}")
