"""Issue 3 §1: the database itself refuses to change or delete the record (triggers, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.record.conftest import (
    APPEND_ONLY_TABLES,
    COUNTER_TABLES,
    append_events,
    drop_append_only_triggers,
    raw,
    refused,
)
from zhifa.record import checkpoints, tree
from zhifa.record.models import Checkpoint, Event, LogHead, MerkleNode, TreeState

pytestmark = pytest.mark.django_db

ROW_OF = {  # a WHERE clause naming an existing row, and an UPDATE that changes it
    "record_event": ("seq = 0", "payload = '{}'"),
    "record_merklenode": ("key = 0", "hash = hash"),
    "record_checkpoint": ("size > 0", "note = note"),
    "record_loghead": ("id = 1", "size = size"),
    "record_treestate": ("id = 1", "size = size"),
}


@pytest.fixture
def record():
    """A record with events, tree nodes and a checkpoint."""
    append_events(5)
    checkpoints.make_checkpoint()
    assert Event.objects.exists() and MerkleNode.objects.exists() and Checkpoint.objects.exists()


def _assert_refused(sql: str) -> None:
    message = refused(sql)
    assert "append-only" in message, message


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_update_refused_by_trigger(record, table):
    where, change = ROW_OF[table]
    _assert_refused(f"UPDATE {table} SET {change} WHERE {where}")
    _assert_refused(f"UPDATE {table} SET {change}")


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES + COUNTER_TABLES)
def test_delete_refused_by_trigger(record, table):
    where, _ = ROW_OF[table]
    _assert_refused(f"DELETE FROM {table} WHERE {where}")
    _assert_refused(f"DELETE FROM {table}")


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES + COUNTER_TABLES)
def test_truncate_refused_by_trigger_on_postgresql(record, table):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only (SQLite's DELETE without WHERE is covered above)")
    _assert_refused(f"TRUNCATE {table}")
    _assert_refused(f"TRUNCATE {table} CASCADE")


def test_event_update_refused_by_trigger_through_the_orm(record):
    event = Event.objects.get(seq=0)
    event.payload = {"altered": True}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(seq=1).update(event_type="altered")
    assert Event.objects.get(seq=0).payload != {"altered": True}


def test_event_delete_refused_by_trigger_through_the_orm(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.get(seq=2).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()
    assert Event.objects.count() == 5


def test_merkle_node_and_checkpoint_changes_refused_through_the_orm(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MerkleNode.objects.filter(key=0).update(hash=b"\x00" * 32)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Checkpoint.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Checkpoint.objects.update(note="forged")


def test_counters_may_grow_but_not_be_deleted(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogHead.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TreeState.objects.all().delete()
    assert append_events(1)[0].seq == 5  # the head's UPDATE is what an append does
    assert tree.extend_tree() == 6  # and the tree state's


def test_inserts_are_allowed(record):
    raw("INSERT INTO record_merklenode (key, hash) VALUES (%s, %s)", [(60 << 48), b"\x01" * 32])
    assert MerkleNode.objects.filter(key=60 << 48).exists()


def test_triggers_dropped_inside_a_transaction_come_back_on_rollback(record):
    """What every tamper test relies on: DDL is transactional, so the test's rollback restores the triggers."""
    with pytest.raises(RuntimeError), transaction.atomic():
        drop_append_only_triggers()
        raw("UPDATE record_event SET event_type = 'tampered' WHERE seq = 0")
        assert Event.objects.get(seq=0).event_type == "tampered"
        raise RuntimeError
    assert Event.objects.get(seq=0).event_type == "test.event"
    _assert_refused("UPDATE record_event SET event_type = 'tampered' WHERE seq = 0")


def test_trigger_names_are_the_ones_the_migration_creates():
    if connection.vendor == "sqlite":
        names = {name for (name,) in raw("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        expected = {f"{t}_no_{op}" for t in APPEND_ONLY_TABLES for op in ("update", "delete")}
        expected |= {f"{t}_no_delete" for t in COUNTER_TABLES}
    else:
        names = {name for (name,) in raw("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
        expected = {f"{t}_append_only" for t in APPEND_ONLY_TABLES} | {f"{t}_no_delete" for t in COUNTER_TABLES}
        expected |= {f"{t}_no_truncate" for t in APPEND_ONLY_TABLES + COUNTER_TABLES}
    assert expected <= names


def test_sqlite_event_and_node_keys_are_the_rowids():
    """Migration 0004: on SQLite seq and key are `integer PRIMARY KEY` (no separate key index to maintain), and the
    rebuilt tables keep their append-only triggers (the tests above)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's rowid tables")
    for table, column in (("record_event", "seq"), ("record_merklenode", "key")):
        ((sql,),) = raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        assert f'"{column}" integer NOT NULL PRIMARY KEY' in sql
        assert not raw("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND name LIKE 'sqlite_autoindex%%'", [table])
        triggers = {name for (name,) in raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                                            [table])}
        assert triggers == {f"{table}_no_update", f"{table}_no_delete"}
