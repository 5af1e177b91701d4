"""`zhifa verify`: recompute every leaf, the tree, each checkpoint's signature and consistency with the next, and
re-hash every stored evidence file. Each finding names the object: an event's sequence number, a checkpoint's
size, a tree node, an evidence file's id."""

from __future__ import annotations

import datetime as dt
import json
import operator
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import orjson
from django.db import connection
from django.utils.dateparse import parse_datetime

from zhifa.record import merkle, signed_note, tree
from zhifa.record.checkpoints import verifier_keys
from zhifa.record.crypto import profile
from zhifa.record.log import LEAF_COLUMNS, leaf_bytes
from zhifa.record.models import Checkpoint, Event, LogHead, MerkleNode

CHUNK = 10000


@dataclass(frozen=True)
class Finding:
    kind: str  # event_altered, event_missing, event_inserted, tree_node_altered, tree_node_missing, checkpoint_*,
    # evidence_*
    object: str  # "event:12", "checkpoint:40", "node:1/3", "evidence:7"
    detail: str


Progress = Callable[[int, int], None]


def _events(below: int) -> Iterator[list[tuple]]:
    """Rows (LEAF_COLUMNS then the stored leaf hash) of the events numbered below `below`, in sequence order, a
    chunk at a time (keyset pagination: memory stays flat). Plain SQL and DB-API rows: the ORM's per-row
    converters cost more than the hashing; the row's values are read as Event's fields read them (_leaf_of)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in (*LEAF_COLUMNS, "leaf_hash"))
    sql = (f"SELECT {columns} FROM {quote(Event._meta.db_table)} WHERE {quote('seq')} > %s AND {quote('seq')} < %s "
           f"ORDER BY {quote('seq')} LIMIT {CHUNK}")
    after = -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after, below])
            chunk = cursor.fetchall()
            if not chunk:
                return
            yield chunk
            after = chunk[-1][0]


def _json_value(text: str | None) -> Any:
    """JSONField.from_db_value, with orjson where it reads the text as json does (it refuses NaN, lone
    surrogates and integers beyond 64 bits: json decides those)."""
    if text is None or not isinstance(text, str | bytes):
        return text
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _aware(value: dt.datetime | str) -> dt.datetime:
    """DateTimeField's reading of the column: naive values are UTC (USE_TZ), text as Django parses it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _check_stored_nodes(new_nodes: list[tuple[merkle.NodeKey, bytes]], first: int, last: int, tree_size: int,
                        mismatched: set[merkle.NodeKey], leaf_mismatches: list[int], findings: list[Finding]) -> None:
    """Compare the nodes recomputed while leaves [first, last) were added (children before parents) with the
    stored ones. A changed leaf makes all its ancestors differ too: only the lowest differing node is reported;
    differing leaves are attributed later. Those nodes are, at each level, the perfect subtrees that end in
    [first, last): one key range per level, read in key order and compared as a whole (the common case); node
    by node only when they differ."""
    if not new_nodes:
        return
    spans = []
    for level in range(last.bit_length()):
        low, high = first >> level, (last >> level) - 1
        if low <= high:
            spans.append((tree.node_key(level, low), tree.node_key(level, high)))
    quote = connection.ops.quote_name
    sql = (f"SELECT {quote('key')}, {quote('hash')} FROM {MerkleNode._meta.db_table} "
           f"WHERE {quote('key')} BETWEEN %s AND %s ORDER BY {quote('key')}")
    stored = []
    with connection.cursor() as cursor:
        for span in spans:  # a query per level: a range scan each (SQLite may scan the table for ORed ranges)
            cursor.execute(sql, span)
            stored += cursor.fetchall()
    new_nodes.sort(key=operator.itemgetter(0))  # (level, index): the order of the keys
    if len(stored) == len(new_nodes) and [row[1] for row in stored] == [value for _key, value in new_nodes]:
        return  # (bytes and memoryview compare by content)
    by_key = {key: bytes(value) for key, value in stored}
    for (level, index), value in new_nodes:
        found = by_key.get(tree.node_key(level, index))
        if found is None:
            if (index + 1) << level <= tree_size:  # the tree held it when verification began
                findings.append(Finding("tree_node_missing", f"node:{level}/{index}", "stored subtree was deleted"))
        elif found != value:
            mismatched.add((level, index))
            if level == 0:
                leaf_mismatches.append(index)
            elif (level - 1, 2 * index) not in mismatched and (level - 1, 2 * index + 1) not in mismatched:
                findings.append(Finding("tree_node_altered", f"node:{level}/{index}",
                                        "stored subtree hash differs from the one recomputed from the events"))


def _prefixed_hash(prefix: bytes) -> Callable[[bytes], bytes]:
    """H(prefix ‖ data), from a hash object that has absorbed the prefix already (copying it is cheaper than a new
    one, and the data is not copied to prepend the byte)."""
    primed = profile().crypto.new_hash()
    primed.update(prefix)
    copy = primed.copy

    def digest(data: bytes) -> bytes:
        hasher = copy()
        hasher.update(data)
        return hasher.digest()

    return digest


def verify_log(progress: Progress | None = None) -> list[Finding]:
    hash_function = profile().crypto.hash
    leaf_hash = _prefixed_hash(b"\x00")  # merkle.leaf_hash, RFC 9162 §2.1.1
    findings: list[Finding] = []
    # Read in this order, so that appends committed meanwhile (a live system) are neither missing nor inserted:
    # every checkpoint covers events the tree had, the tree covers committed events, each counted in the head.
    checkpoints = list(Checkpoint.objects.order_by("size"))
    tree_state = tree.tree_size()
    head_size = LogHead.objects.values_list("size", flat=True).first() or 0
    pending = iter(checkpoints)
    next_checkpoint = next(pending, None)
    roots: dict[int, bytes] = {}
    builder = merkle.TreeBuilder(hash_function, None, 0)

    def settle_checkpoints() -> None:
        nonlocal next_checkpoint
        while next_checkpoint is not None and next_checkpoint.size <= builder.size:
            if next_checkpoint.size == builder.size:
                roots[next_checkpoint.size] = builder.root()
            next_checkpoint = next(pending, None)

    def grow(leaves: list[bytes]) -> list[tuple[merkle.NodeKey, bytes]]:
        """Append leaves to the rebuilt tree, stopping at each checkpoint's size to take its root."""
        nodes: list[tuple[merkle.NodeKey, bytes]] = []
        done = 0
        while done < len(leaves):
            stop = len(leaves) if next_checkpoint is None else min(len(leaves),
                                                                    done + next_checkpoint.size - builder.size)
            nodes.extend(builder.append(leaves[done:stop]))
            done = stop
            settle_checkpoints()
        return nodes

    settle_checkpoints()
    seen = 0
    gap_found = False
    altered: set[int] = set()
    mismatched: set[merkle.NodeKey] = set()
    leaf_mismatches: list[int] = []
    for chunk in _events(below=head_size):
        first = builder.size
        new_nodes: list[tuple[merkle.NodeKey, bytes]] = []
        leaves: list[bytes] = []  # recomputed leaf hashes up to the first gap: the tree cannot be rebuilt past one
        for (seq, recorded_at, actor_id, actor_name, credential, agency_id, case_id, object_type, object_id,
             event_type, payload, stored) in chunk:
            try:
                recomputed = leaf_hash(leaf_bytes(seq, _aware(recorded_at), actor_id, actor_name, credential,
                                                  agency_id, case_id, object_type, object_id, event_type,
                                                  _json_value(payload)))
            except (ValueError, TypeError, AttributeError):  # a column no event can hold (the row was edited)
                recomputed = b""
            if recomputed != stored:
                altered.add(seq)
                findings.append(Finding("event_altered", f"event:{seq}",
                                        "the event's content no longer matches its leaf hash"))
            if seq != seen:
                if not gap_found:
                    gap_found = True  # leaves are still checked
                    new_nodes = grow(leaves)
                findings.append(Finding("event_missing", f"event:{seen}",
                                        f"events {seen}–{seq - 1} are missing (deleted)"))
            seen = seq + 1
            if not gap_found:
                leaves.append(recomputed)
        if not gap_found:
            new_nodes = grow(leaves)
        _check_stored_nodes(new_nodes, first, builder.size, tree_state, mismatched, leaf_mismatches, findings)
        if progress:
            progress(seen, head_size)
    if seen < head_size:
        findings.append(Finding("event_missing", f"event:{seen}",
                                f"the log counted {head_size} events, events {seen}–{head_size - 1} are gone"))
    # Events at or past the head: appended since it was read, or inserted outside the counter if the head,
    # read again now, does not count them.
    beyond = list(Event.objects.filter(seq__gte=head_size).order_by("seq").values_list("seq", flat=True))
    head_now = LogHead.objects.values_list("size", flat=True).first() or 0
    present = head_size
    for seq in beyond:
        if seq != present:
            break
        present += 1
    if seen == head_size and present < tree_state:  # the head was lowered over events the tree had hashed
        findings.append(Finding("event_missing", f"event:{present}",
                                f"the tree held {tree_state} events, events from {present} on are gone"))
    inserted = [seq for seq in beyond if seq >= head_now]
    if inserted:
        findings.append(Finding("event_inserted", f"event:{inserted[0]}",
                                f"{len(inserted)} event(s) from {inserted[0]} on were inserted outside the log's "
                                f"counter ({head_now})"))
    checkpoint_findings = _verify_checkpoints(checkpoints, roots)
    wrong_roots = [int(f.object.split(":")[1]) for f in checkpoint_findings if f.kind == "checkpoint_root_mismatch"]
    for index in leaf_mismatches:
        if index in altered:
            continue  # reported already: its content does not match its own leaf hash
        if any(size > index for size in wrong_roots):  # the events, not the tree, disagree with the signed roots
            findings.append(Finding("event_altered", f"event:{index}",
                                    "the event was rewritten with a matching leaf hash: it differs from its leaf "
                                    "in the stored tree and from the signed checkpoints"))
        else:
            findings.append(Finding("tree_node_altered", f"node:0/{index}",
                                    f"the stored leaf differs from event {index}'s leaf hash (the node, or the event "
                                    "not yet in a signed checkpoint, was changed)"))
    return findings + checkpoint_findings


def _verify_checkpoints(checkpoints: list[Checkpoint], roots: dict[int, bytes]) -> list[Finding]:
    hash_function = profile().crypto.hash
    keys = verifier_keys()
    findings: list[Finding] = []
    previous: Checkpoint | None = None
    previous_clean = False
    for checkpoint in checkpoints:
        name = f"checkpoint:{checkpoint.size}"
        try:
            body, _signers = signed_note.open_checkpoint(checkpoint.note, keys)
        except signed_note.NoteError as exc:
            findings.append(Finding("checkpoint_signature_invalid", name, str(exc)))
            body = None
        if body is not None and (body.size != checkpoint.size or body.root_hash != bytes(checkpoint.root_hash)):
            findings.append(Finding("checkpoint_altered", name, "the signed note and the stored row disagree"))
        recomputed = roots.get(checkpoint.size)
        if recomputed is None:
            findings.append(Finding("checkpoint_beyond_log", name, "the log has fewer events than the checkpoint"))
        elif recomputed != bytes(checkpoint.root_hash):
            findings.append(Finding("checkpoint_root_mismatch", name,
                                    "the root recomputed from the events differs from the signed root"))
        clean = not any(f.object == name for f in findings)
        if clean and previous is not None and previous_clean:  # a checkpoint with a finding proves nothing
            try:
                proof = tree.consistency_proof(previous.size, checkpoint.size)
            except merkle.MissingNodeError:  # reported as tree_node_missing
                proof = None
            if proof is not None and not merkle.verify_consistency(
                hash_function, previous.size, checkpoint.size, proof, bytes(previous.root_hash),
                bytes(checkpoint.root_hash),
            ):
                findings.append(Finding("checkpoint_inconsistent", name,
                                        f"not an append-only extension of checkpoint {previous.size}"))
        previous, previous_clean = checkpoint, clean
    return findings


def verify_evidence() -> list[Finding]:
    try:
        from zhifa.evidence.integrity import check_files
    except ImportError:  # the evidence app is not installed
        return []
    return [Finding(f.kind, f.object, f.detail) for f in check_files()]


def verify_all(progress: Progress | None = None) -> list[Finding]:
    tree.extend_tree()
    return verify_log(progress) + verify_evidence()


def _terminal_progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r校验记录 verifying [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def run_verify_command(as_json: bool) -> int:
    progress = _terminal_progress if sys.stderr.isatty() and not as_json else None
    findings = verify_all(progress)
    if progress:
        sys.stderr.write("\n")
    if as_json:
        print(json.dumps({"ok": not findings, "findings": [asdict(f) for f in findings]}, ensure_ascii=False))
    elif findings:
        for finding in findings:
            print(f"{finding.object}\t{finding.kind}\t{finding.detail}")
        print(f"发现 {len(findings)} 处问题 / {len(findings)} finding(s)")
    else:
        print("记录完整 / the record verifies: events, tree, checkpoints and evidence files are intact")
    return 1 if findings else 0
