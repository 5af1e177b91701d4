"""`zhifa verify`: recompute every leaf, the tree, each checkpoint's signature and consistency with the next, and
re-hash every stored evidence file. Each finding names the object: an event's sequence number, a checkpoint's
size, a tree node, an evidence file's id."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from zhifa.record import merkle, signed_note, tree
from zhifa.record.checkpoints import verifier_keys
from zhifa.record.crypto import profile
from zhifa.record.log import leaf_hash_of
from zhifa.record.models import Checkpoint, Event, LogHead, MerkleNode

CHUNK = 5000


@dataclass(frozen=True)
class Finding:
    kind: str  # event_altered, event_missing, tree_node_altered, checkpoint_*, evidence_*
    object: str  # "event:12", "checkpoint:40", "node:1/3", "evidence:7"
    detail: str


Progress = Callable[[int, int], None]


def _events() -> Iterator[list[Event]]:
    """Events in sequence order, a chunk at a time (keyset pagination: memory stays flat)."""
    after = -1
    while True:
        chunk = list(Event.objects.filter(seq__gt=after).order_by("seq")[:CHUNK])
        if not chunk:
            return
        yield chunk
        after = chunk[-1].seq


def _check_stored_nodes(new_nodes: list[tuple[merkle.NodeKey, bytes]], findings: list[Finding]) -> None:
    keys = {tree.node_key(level, index): (level, index, value) for (level, index), value in new_nodes}
    stored = dict(MerkleNode.objects.filter(key__in=list(keys)).values_list("key", "hash"))
    for key, (level, index, value) in keys.items():
        if key in stored and bytes(stored[key]) != value:
            findings.append(Finding("tree_node_altered", f"node:{level}/{index}",
                                    "stored subtree hash differs from the one recomputed from the events"))


def verify_log(progress: Progress | None = None) -> list[Finding]:
    hash_function = profile().crypto.hash
    findings: list[Finding] = []
    head_size = LogHead.objects.values_list("size", flat=True).first() or 0
    checkpoints = list(Checkpoint.objects.order_by("size"))
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

    settle_checkpoints()
    seen = 0
    gap_found = False
    for chunk in _events():
        new_nodes = []
        for event in chunk:
            recomputed = leaf_hash_of(event)
            if recomputed != bytes(event.leaf_hash):
                findings.append(Finding("event_altered", f"event:{event.seq}",
                                        "the event's content no longer matches its leaf hash"))
            if event.seq != seen and not gap_found:
                gap_found = True  # the tree cannot be rebuilt past a hole; leaves are still checked
                findings.append(Finding("event_missing", f"event:{seen}",
                                        f"events {seen}–{event.seq - 1} are missing (deleted)"))
            seen = event.seq + 1
            if not gap_found:  # one leaf at a time, so every checkpoint size gets its root
                new_nodes.extend(builder.append([recomputed]))
                settle_checkpoints()
        _check_stored_nodes(new_nodes, findings)
        if progress:
            progress(seen, max(head_size, seen))
    if seen < head_size and not gap_found:
        findings.append(Finding("event_missing", f"event:{seen}",
                                f"the log counted {head_size} events, the last {head_size - seen} are gone"))
    elif seen > head_size:
        findings.append(Finding("event_inserted", f"event:{head_size}",
                                f"events {head_size}–{seen - 1} were inserted outside the log's counter"))
    findings.extend(_verify_checkpoints(checkpoints, roots))
    return findings


def _verify_checkpoints(checkpoints: list[Checkpoint], roots: dict[int, bytes]) -> list[Finding]:
    hash_function = profile().crypto.hash
    keys = verifier_keys()
    findings: list[Finding] = []
    previous: Checkpoint | None = None
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
        if previous is not None and recomputed is not None and previous.size in roots:
            proof = tree.consistency_proof(previous.size, checkpoint.size)
            if not merkle.verify_consistency(hash_function, previous.size, checkpoint.size, proof,
                                             bytes(previous.root_hash), bytes(checkpoint.root_hash)):
                findings.append(Finding("checkpoint_inconsistent", name,
                                        f"not an append-only extension of checkpoint {previous.size}"))
        previous = checkpoint
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
