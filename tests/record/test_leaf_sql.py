"""The leaf bytes SQLite writes for `zhifa verify` (zhifa/record/leaf_sql.py) are log.leaf_bytes', and a row they do
not vouch for is still judged by Python: never a false finding, never a missed one."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import OperationalError, connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.record.conftest import append_events, drop_append_only_triggers, raw
from zhifa.record import log, tree
from zhifa.record.canonical import canonical_json
from zhifa.record.leaf_sql import leaf_bytes_sql
from zhifa.record.verify import verify_log

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the database writes leaf bytes on SQLite")

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # quotes, backslashes, C0 controls, beyond the BMP
ID = st.none() | st.integers(min_value=1, max_value=2**53 - 1)
JSON = st.recursive(st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)
TIMES = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=st.just(dt.UTC))


_NEW_SEQS = itertools.count(1)


def _database_bytes(seq: int) -> bytes | None:
    return raw(f"SELECT {leaf_bytes_sql('sqlite')} FROM record_event WHERE seq = %s", [seq])[0][0]


def test_leaf_bytes_sql_only_on_sqlite():
    assert (leaf_bytes_sql(connection.vendor) is None) is (connection.vendor != "sqlite")


@sqlite_only
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seq=st.integers(min_value=0, max_value=2**40), recorded_at=TIMES, actor=ID, agency=ID, case=ID,
       names=st.lists(TEXT, min_size=5, max_size=5), payload=st.dictionaries(TEXT, JSON, max_size=4))
def test_rule_leaf_bytes_written_by_sqlite_equal_rfc8785(seq, recorded_at, actor, agency, case, names, payload):
    """Stored as the append path stores an event, each row's database bytes are leaf_bytes' (RFC 8785), or the
    database declines (NULL or other bytes: a payload that is not plain JSON is stored in another form)."""
    seq = next(_NEW_SEQS) << 41 | seq  # the rows stay (append-only): a new number each time, of any size
    stored_payload, value, plain = log._payload_text(payload)
    actor_name, credential, object_type, object_id, event_type = names
    columns = [seq, recorded_at, actor, actor_name, credential, agency, case, object_type, object_id, event_type, value]
    expected = log.leaf_bytes(*columns)
    row = [*columns[:-1], stored_payload, b"\x00" * 32]
    row[1] = connection.ops.adapt_datetimefield_value(recorded_at)
    raw(log._insert_sql(connection.vendor), row)
    written = _database_bytes(seq)
    if plain:
        assert written == expected
    else:
        assert written != expected


@sqlite_only
def test_rows_the_database_cannot_vouch_for_are_judged_in_python(crypto_profile):
    """A payload stored in another JSON form (what Django's JSONField writes) is the same event: no finding, and
    the bytes the database writes for it differ (it went through Python). A column of the wrong type is a change."""
    append_events(6)
    tree.extend_tree()
    drop_append_only_triggers()
    django_form = '{"marker": "", "n": 1, "text": "\\u6267\\u6cd5\\u8bb0\\u5f55"}'  # json.dumps' spaces and escapes
    raw("UPDATE record_event SET payload = %s WHERE seq = 1", [django_form])
    assert _database_bytes(1) != log.canonical_bytes(log.Event.objects.get(seq=1))
    assert verify_log(workers=1) == []
    raw("UPDATE record_event SET event_type = CAST(event_type AS BLOB), actor_id = 'x' WHERE seq = 4")
    with pytest.raises(OperationalError, match="BLOB"):  # JSON cannot hold a BLOB: the database declines
        _database_bytes(4)
    assert {(f.kind, f.object) for f in verify_log(workers=1)} == {("event_altered", "event:4")}


@pytest.fixture
def read_row_by_row(monkeypatch) -> list[int]:
    """The starts of the blocks verify reads row by row (verify_events.read_events), in order."""
    from zhifa.record import verify_events

    starts: list[int] = []
    original = verify_events.read_events
    monkeypatch.setattr(verify_events, "read_events",
                        lambda start, *args: starts.append(start) or original(start, *args))
    return starts


@sqlite_only
def test_a_clean_block_is_verified_in_one_read(crypto_profile, monkeypatch, read_row_by_row):
    """Blocks whose events the database vouches for are never read row by row; a changed event sends its block
    (and only its block) back to the row-by-row reading, which names it."""
    from zhifa.record import verify_events

    append_events(12)
    tree.extend_tree()
    monkeypatch.setattr(verify_events, "BLOCK_LEVEL", 2)
    assert verify_log(workers=1) == []
    assert read_row_by_row == []
    drop_append_only_triggers()
    raw("UPDATE record_event SET actor_name = 'x' WHERE seq = 5")
    assert {(f.kind, f.object) for f in verify_log(workers=1)} == {("event_altered", "event:5")}
    assert read_row_by_row == [4]


@sqlite_only
def test_a_newline_in_stored_bytes_sends_the_block_row_by_row(crypto_profile, read_row_by_row):
    """A block's bytes are split at newlines, which RFC 8785 text never holds raw: a payload stored with one between
    its members makes more pieces than rows, so no row is paired with another's bytes; the block is read row by
    row, and it is the same event (no finding). Changed as well, the event is found."""
    append_events(4)
    tree.extend_tree()
    drop_append_only_triggers()
    raw("UPDATE record_event SET payload = replace(payload, ',', ',' || char(10)) WHERE seq = 1")
    assert verify_log(workers=1) == []
    assert read_row_by_row == [0]
    raw("UPDATE record_event SET payload = replace(payload, '执法', '执行') WHERE seq = 1")
    assert {(f.kind, f.object) for f in verify_log(workers=1)} == {("event_altered", "event:1")}


@sqlite_only
def test_a_row_python_cannot_read_leaves_the_rest_of_its_block_in_place(crypto_profile):
    """An event whose columns no event can hold has no leaf hash: it is the one finding, and the leaves after it
    keep their places in the rebuilt subtree (none of them is reported)."""
    append_events(12)
    tree.extend_tree()
    drop_append_only_triggers()
    raw("UPDATE record_event SET event_type = CAST(event_type AS BLOB), actor_id = 'x' WHERE seq = 1")
    assert {(f.kind, f.object) for f in verify_log(workers=1)} == {("event_altered", "event:1")}


@sqlite_only
def test_rule_payloads_with_dates_and_decimals_are_stored_as_rfc8785_text(crypto_profile, read_row_by_row):
    """Dates, decimals and UUIDs read back as strings: such a payload is plain JSON once read, stored as its RFC 8785
    text, and the database writes its leaf bytes (the block is verified in one read). A float keeps json's text."""
    import decimal
    import uuid

    payload = {"decided_on": dt.date(2026, 11, 27), "amount": decimal.Decimal("2000.00"), "id": uuid.uuid4(),
               "at": dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC), "parties": ["渌口区某某超市"]}
    event = log.append("test.normalised", actor=None, payload=payload)
    stored = raw("SELECT payload FROM record_event WHERE seq = %s", [event.seq])[0][0]
    assert stored == canonical_json(event.payload).decode()
    assert _database_bytes(event.seq) == log.canonical_bytes(event)
    with_float = log.append("test.float", actor=None, payload={"day": dt.date(2026, 11, 27), "ratio": 0.5})
    assert _database_bytes(with_float.seq) != log.canonical_bytes(with_float)
    tree.extend_tree()
    assert verify_log(workers=1) == []
    assert read_row_by_row == [0]  # the float's event sends its block row by row, and passes there
