"""Issue 3 §3: `zhifa verify` finds every change, deletion, insertion and reordering, and names the object.

Each tamper drops the triggers inside the test's transaction, changes the database directly as an attacker with
database access would, then runs the command in-process.
"""

from __future__ import annotations

import json

import pytest

from tests.record.conftest import append_events, drop_append_only_triggers, raw
from zhifa import cli
from zhifa.record import checkpoints, signed_note, tree
from zhifa.record.crypto import profile
from zhifa.record.log import leaf_hash_of
from zhifa.record.models import Checkpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(crypto_profile):
    """22 events: checkpoints at 13 and 20, then two events not yet checkpointed."""
    append_events(13)
    checkpoints.make_checkpoint()
    append_events(7)
    checkpoints.make_checkpoint()
    append_events(2)
    tree.extend_tree()


def _verify(capsys) -> tuple[int, set[tuple[str, str]]]:
    code = cli.main(["verify", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is (code == 0)
    return code, {(f["kind"], f["object"]) for f in report["findings"]}


def _rewrite_leaf(seq: int) -> None:
    """Recompute an event's stored leaf hash from its (altered) content, as a careful attacker would."""
    raw("UPDATE record_event SET leaf_hash = %s WHERE seq = %s", [leaf_hash_of(Event.objects.get(seq=seq)), seq])


def _set_payload(seq: int, payload: dict) -> None:
    raw("UPDATE record_event SET payload = %s WHERE seq = %s", [json.dumps(payload), seq])


# --- clean --------------------------------------------------------------------------------------------------


def test_verify_clean_log_exits_0(log, capsys):
    assert cli.main(["verify"]) == 0
    assert "记录完整" in capsys.readouterr().out
    assert _verify(capsys) == (0, set())


def test_verify_empty_log_exits_0(capsys):
    assert _verify(capsys) == (0, set())


def test_verify_hashes_new_events_into_the_tree_first(log, capsys):
    append_events(3)
    assert _verify(capsys) == (0, set())
    assert tree.tree_size() == 25


def test_verify_text_output_names_each_finding(log, capsys):
    drop_append_only_triggers()
    _set_payload(5, {"n": 99})
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "event:5\tevent_altered" in out and "checkpoint:13\tcheckpoint_root_mismatch" in out


# --- tampering, one way at a time -----------------------------------------------------------------------------


def payload_changed():
    _set_payload(5, {"n": 99, "marker": "", "text": "执法记录"})


def payload_changed_after_the_last_checkpoint():
    _set_payload(21, {"n": 0})


def metadata_changed():
    raw("UPDATE record_event SET credential_number = %s WHERE seq = 3", ["43021226990000"])


def time_changed():
    event = Event.objects.get(seq=8)
    raw("UPDATE record_event SET recorded_at = %s WHERE seq = 8", [event.recorded_at.replace(microsecond=0)])


def leaf_hash_changed():
    raw("UPDATE record_event SET leaf_hash = %s WHERE seq = 2", [b"\x07" * 32])


def payload_and_leaf_hash_changed():
    payload_changed()
    _rewrite_leaf(5)


def payload_and_leaf_hash_changed_after_the_last_checkpoint():
    payload_changed_after_the_last_checkpoint()
    _rewrite_leaf(21)


def deleted_in_the_middle():
    raw("DELETE FROM record_event WHERE seq = 7")


def deleted_two_ranges():
    raw("DELETE FROM record_event WHERE seq = 3 OR seq = 9 OR seq = 10")


def deleted_last():
    raw("DELETE FROM record_event WHERE seq = 21")


def deleted_last_and_counter_lowered():
    raw("DELETE FROM record_event WHERE seq >= 17")
    raw("UPDATE record_loghead SET size = 17")


def inserted_at_the_end():
    _insert_copy(of=4, seq=22)


def inserted_at_the_end_and_counted():
    """Indistinguishable from a real append until a checkpoint signs it: only the counter move is visible."""
    _insert_copy(of=4, seq=22)
    raw("UPDATE record_loghead SET size = 23")


def _insert_copy(of: int, seq: int) -> None:
    event = Event.objects.get(seq=of)
    event.seq = seq
    event.leaf_hash = leaf_hash_of(event)
    event.save(force_insert=True)


def swapped():
    _swap(3, 9)


def swapped_with_recomputed_leaf_hashes():
    _swap(3, 9)
    _rewrite_leaf(3)
    _rewrite_leaf(9)


def _swap(a: int, b: int) -> None:
    columns = "recorded_at, actor_id, actor_name, credential_number, agency_id, case_id, object_type, object_id, " \
              "event_type, payload, leaf_hash"
    rows = {seq: row for seq, *row in raw(f"SELECT seq, {columns} FROM record_event WHERE seq IN (%s, %s)", [a, b])}
    assignments = ", ".join(f"{c.strip()} = %s" for c in columns.split(","))
    for seq, other in ((a, b), (b, a)):
        raw(f"UPDATE record_event SET {assignments} WHERE seq = %s", [*rows[other], seq])
    assert Event.objects.get(seq=a).payload["n"] == 9  # swapped


def tree_node_changed():
    raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [b"\x01" * 32, tree.node_key(2, 1)])


def leaf_node_changed():
    raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [b"\x01" * 32, tree.node_key(0, 3)])


def top_node_changed():
    raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [b"\x01" * 32, tree.node_key(4, 0)])


def tree_nodes_rewritten_with_the_same_bytes_in_all():
    """Two neighbouring nodes whose hashes, run together, are the same bytes: a byte moved from one to the other."""
    left, right = (bytes(raw("SELECT hash FROM record_merklenode WHERE key = %s", [tree.node_key(1, index)])[0][0])
                   for index in (2, 3))
    raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [left[:-1], tree.node_key(1, 2)])
    raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [left[-1:] + right, tree.node_key(1, 3)])


def tree_node_deleted():
    raw("DELETE FROM record_merklenode WHERE key = %s", [tree.node_key(3, 1)])


def checkpoint_note_changed():
    checkpoint = Checkpoint.objects.get(size=13)
    raw("UPDATE record_checkpoint SET note = %s WHERE size = 13", [checkpoint.note.replace("\n13\n", "\n12\n")])


def checkpoint_root_changed():
    raw("UPDATE record_checkpoint SET root_hash = %s WHERE size = 20", [b"\x02" * 32])


def checkpoint_note_and_root_changed():
    """Rewrite the note's root and the row's root consistently: the signature no longer matches."""
    checkpoint = Checkpoint.objects.get(size=13)
    forged = signed_note.Checkpoint(checkpoint.note.split("\n")[0], 13, b"\x03" * 32).body()
    raw("UPDATE record_checkpoint SET note = %s, root_hash = %s WHERE size = 13",
        [forged + checkpoint.note[checkpoint.note.index("\n\n"):], b"\x03" * 32])


def checkpoint_resigned_by_a_stranger():
    stranger = profile().crypto.generate_signing_key()
    checkpoint = Checkpoint.objects.get(size=20)
    body = checkpoint.note[: checkpoint.note.index("\n\n") + 1]
    raw("UPDATE record_checkpoint SET note = %s WHERE size = 20",
        [signed_note.sign_note(body, checkpoints.key_name(), stranger)])


def checkpoint_beyond_the_log_inserted():
    """A correctly signed checkpoint for events that do not exist (the signing key was stolen)."""
    body = signed_note.Checkpoint(checkpoints.key_name(), 40, b"\x04" * 32).body()
    Checkpoint.objects.create(size=40, root_hash=b"\x04" * 32, created_at=Checkpoint.objects.get(size=20).created_at,
                              note=signed_note.sign_note(body, checkpoints.key_name(), checkpoints.signing_key()))


TAMPERS = {
    payload_changed: {("event_altered", "event:5"), ("checkpoint_root_mismatch", "checkpoint:13"),
                      ("checkpoint_root_mismatch", "checkpoint:20")},
    payload_changed_after_the_last_checkpoint: {("event_altered", "event:21")},
    metadata_changed: {("event_altered", "event:3"), ("checkpoint_root_mismatch", "checkpoint:13"),
                       ("checkpoint_root_mismatch", "checkpoint:20")},
    time_changed: {("event_altered", "event:8"), ("checkpoint_root_mismatch", "checkpoint:13"),
                   ("checkpoint_root_mismatch", "checkpoint:20")},
    # the content is intact but the stored leaf hash is not: the tree (built from the content) still matches
    leaf_hash_changed: {("event_altered", "event:2")},
    # caught by the stored tree and the signed roots, not by the event's own leaf hash
    payload_and_leaf_hash_changed: {("event_altered", "event:5"), ("checkpoint_root_mismatch", "checkpoint:13"),
                                    ("checkpoint_root_mismatch", "checkpoint:20")},
    # not signed yet, but the tree already holds its leaf: the tree node disagrees
    payload_and_leaf_hash_changed_after_the_last_checkpoint: {("tree_node_altered", "node:0/21")},
    deleted_in_the_middle: {("event_missing", "event:7"), ("checkpoint_beyond_log", "checkpoint:13"),
                            ("checkpoint_beyond_log", "checkpoint:20")},
    deleted_two_ranges: {("event_missing", "event:3"), ("event_missing", "event:9"),
                         ("checkpoint_beyond_log", "checkpoint:13"), ("checkpoint_beyond_log", "checkpoint:20")},
    deleted_last: {("event_missing", "event:21")},
    deleted_last_and_counter_lowered: {("event_missing", "event:17"), ("checkpoint_beyond_log", "checkpoint:20")},
    inserted_at_the_end: {("event_inserted", "event:22")},
    inserted_at_the_end_and_counted: set(),
    swapped: {("event_altered", "event:3"), ("event_altered", "event:9"),
              ("checkpoint_root_mismatch", "checkpoint:13"), ("checkpoint_root_mismatch", "checkpoint:20")},
    swapped_with_recomputed_leaf_hashes: {("event_altered", "event:3"), ("event_altered", "event:9"),
                                          ("checkpoint_root_mismatch", "checkpoint:13"),
                                          ("checkpoint_root_mismatch", "checkpoint:20")},
    tree_node_changed: {("tree_node_altered", "node:2/1")},
    leaf_node_changed: {("tree_node_altered", "node:0/3")},
    top_node_changed: {("tree_node_altered", "node:4/0")},
    tree_nodes_rewritten_with_the_same_bytes_in_all: {("tree_node_altered", "node:1/2"),
                                                       ("tree_node_altered", "node:1/3")},
    tree_node_deleted: {("tree_node_missing", "node:3/1")},
    checkpoint_note_changed: {("checkpoint_signature_invalid", "checkpoint:13")},
    checkpoint_root_changed: {("checkpoint_altered", "checkpoint:20"), ("checkpoint_root_mismatch", "checkpoint:20")},
    checkpoint_note_and_root_changed: {("checkpoint_signature_invalid", "checkpoint:13"),
                                       ("checkpoint_root_mismatch", "checkpoint:13")},
    checkpoint_resigned_by_a_stranger: {("checkpoint_signature_invalid", "checkpoint:20")},
    checkpoint_beyond_the_log_inserted: {("checkpoint_beyond_log", "checkpoint:40")},
}


@pytest.mark.parametrize("block_level", [12, 2, 0], ids=["one_block", "blocks_of_4", "blocks_of_1"])
@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda f: f.__name__)
def test_tamper_is_found_and_names_the_object(log, capsys, monkeypatch, tamper, block_level):
    """Also with the log verified in blocks of 4 and of 1 event: checkpoints and gaps inside blocks and at their
    edges, the upper tree joined from many blocks."""
    from zhifa.record import verify_events

    monkeypatch.setattr(verify_events, "BLOCK_LEVEL", block_level)
    drop_append_only_triggers()
    tamper()
    code, findings = _verify(capsys)
    assert findings == TAMPERS[tamper]
    assert code == (1 if findings else 0)



def test_verify_shows_progress_on_a_terminal(log, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["verify"]) == 0
    captured = capsys.readouterr()
    assert "22/22" in captured.err and "记录完整" in captured.out
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["verify", "--json"]) == 0
    assert capsys.readouterr().err == ""  # machine output: no progress bar


def test_workers_asked_for_inside_a_transaction_verify_in_this_process(log, monkeypatch):
    """Worker processes could not see the test transaction's events: with many blocks and two workers asked for,
    verification stays in this process and finds nothing wrong."""
    from zhifa.record import verify_events
    from zhifa.record.verify import verify_log

    monkeypatch.setattr(verify_events, "BLOCK_LEVEL", 2)
    monkeypatch.setattr(verify_events, "ProcessPoolExecutor", None)  # a pool here would fail loudly
    assert verify_log(workers=2) == []
