"""`zhifa verify`: recompute every leaf, the tree, each checkpoint's signature and consistency with the next, and
re-hash every stored evidence file. Each finding names the object: an event's sequence number, a checkpoint's
size, a tree node, an evidence file's id."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict

from zhifa.record import merkle, signed_note, tree, verify_events
from zhifa.record.checkpoints import verifier_keys
from zhifa.record.crypto import profile
from zhifa.record.models import Checkpoint, Event, LogHead
from zhifa.record.verify_events import Finding, check_stored_nodes, verify_blocks

__all__ = ["Finding", "run_verify_command", "verify_all", "verify_evidence", "verify_log"]

Progress = Callable[[int, int], None]


def verify_log(progress: Progress | None = None, workers: int | None = None) -> list[Finding]:
    """The events, the tree and the checkpoints; the events in blocks (verify_events), on `workers` processes
    (default: one per core; one process inside a transaction or on an in-memory database)."""
    hash_function = profile().crypto.hash
    findings: list[Finding] = []
    # Read in this order, so that appends committed meanwhile (a live system) are neither missing nor inserted:
    # every checkpoint covers events the tree had, the tree covers committed events, each counted in the head.
    checkpoints = list(Checkpoint.objects.order_by("size"))
    tree_state = tree.tree_size()
    head_size = LogHead.objects.values_list("size", flat=True).first() or 0
    roots: dict[int, bytes] = {0: merkle.empty_root(hash_function)}
    block_level = verify_events.BLOCK_LEVEL
    # over the blocks' subtrees, level block_level up (their own nodes are the blocks' to compare)
    upper = merkle.TreeBuilder(hash_function, None, 0, include_leaves=False)
    upper_levels: dict[int, list[bytes]] = {}  # level → its new nodes' hashes, from index 0
    block_roots_mismatched: set[merkle.NodeKey] = set()
    altered: set[int] = set()
    leaf_mismatches: list[int] = []
    expected = 0  # the next sequence number
    whole = True  # every event so far is there: the tree is rebuilt up to the first missing one
    blocks = verify_blocks(head_size, [checkpoint.size for checkpoint in checkpoints], tree_state, workers)
    for end, block in blocks:
        findings += block.event_findings
        altered.update(block.altered)
        if block.present is not None:
            first, last = block.present
            if first != expected:
                findings.append(Finding("event_missing", f"event:{expected}",
                                        f"events {expected}–{first - 1} are missing (deleted)"))
            expected = last + 1
        if whole:
            for size, frontier in block.frontiers.items():
                roots[size] = merkle.root_of_subtrees(hash_function, upper.frontier() + frontier)
            findings += block.tree_findings
            leaf_mismatches += block.leaf_mismatches
            if block.root is not None:
                for (level, _index), value in upper.append([block.root]):
                    upper_levels.setdefault(level + block_level, []).append(value)
                if block.root_mismatched:
                    block_roots_mismatched.add((block_level, block.start >> block_level))
            whole = block.prefix == end - block.start
        if progress:
            progress(end, head_size)
    check_stored_nodes({level: (0, b"".join(hashes)) for level, hashes in upper_levels.items()}, tree_state,
                       block_roots_mismatched, findings, leaf_mismatches)
    if expected < head_size:
        findings.append(Finding("event_missing", f"event:{expected}",
                                f"the log counted {head_size} events, events {expected}–{head_size - 1} are gone"))
    # Events at or past the head: appended since it was read, or inserted outside the counter if the head,
    # read again now, does not count them.
    beyond = list(Event.objects.filter(seq__gte=head_size).order_by("seq").values_list("seq", flat=True))
    head_now = LogHead.objects.values_list("size", flat=True).first() or 0
    present = head_size
    for seq in beyond:
        if seq != present:
            break
        present += 1
    if expected == head_size and present < tree_state:  # the head was lowered over events the tree had hashed
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


def verify_all(progress: Progress | None = None, workers: int | None = None) -> list[Finding]:
    tree.extend_tree()
    return verify_log(progress, workers) + verify_evidence()


def _terminal_progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r校验记录 verifying [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def run_verify_command(as_json: bool, workers: int | None = None) -> int:
    progress = _terminal_progress if sys.stderr.isatty() and not as_json else None
    findings = verify_all(progress, workers)
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
