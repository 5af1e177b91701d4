"""The Merkle tree over the event log, stored as perfect subtrees in MerkleNode (zhifa.record.merkle).

Appends do not touch the tree: `extend_tree()` (run by the checkpoint task, and before proofs) hashes new
events into it, so an append costs one counter update and one insert.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from zhifa.record import merkle
from zhifa.record.crypto import profile
from zhifa.record.models import Event, LogHead, MerkleNode, TreeState

LEVEL_SHIFT = 48  # key = level << 48 | index: 2^48 leaves are far more than any log will hold
BATCH = 5000


def node_key(level: int, index: int) -> int:
    return (level << LEVEL_SHIFT) | index


class DatabaseNodeStore:
    """merkle.NodeStore over the MerkleNode table: one query per call."""

    def get_nodes(self, keys: Iterable[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
        wanted = {node_key(level, index): (level, index) for level, index in keys}
        rows = MerkleNode.objects.filter(key__in=list(wanted)).values_list("key", "hash")
        return {wanted[key]: bytes(value) for key, value in rows}


def tree_size() -> int:
    return TreeState.objects.values_list("size", flat=True).get(id=1)


def extend_tree() -> int:
    """Hash every event not yet in the tree into it; return the new tree size. Safe to run concurrently."""
    while True:
        with transaction.atomic():
            state = TreeState.objects.select_for_update().get(id=1)
            # Only events the log head counts: one inserted behind the log's back is never hashed in (nor signed).
            head = LogHead.objects.values_list("size", flat=True).get(id=1)
            leaves = list(
                Event.objects.filter(seq__gte=state.size, seq__lt=head).order_by("seq")
                .values_list("seq", "leaf_hash")[:BATCH]
            )
            # Stop at a gap: an event of a transaction that has not committed yet comes in a later run.
            contiguous = []
            for expected, (seq, leaf) in enumerate(leaves, start=state.size):
                if seq != expected:
                    break
                contiguous.append(bytes(leaf))
            if not contiguous:
                return state.size
            builder = merkle.TreeBuilder(profile().crypto.hash, DatabaseNodeStore(), state.size)
            nodes = builder.append(contiguous)
            MerkleNode.objects.bulk_create(
                [MerkleNode(key=node_key(level, index), hash=value) for (level, index), value in nodes],
                batch_size=2000,
            )
            state.size = builder.size
            state.save(update_fields=["size"])
        if len(contiguous) < BATCH:
            return builder.size


def root_hash(size: int) -> bytes:
    return merkle.root_hash(profile().crypto.hash, DatabaseNodeStore(), size)


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return merkle.inclusion_proof(profile().crypto.hash, DatabaseNodeStore(), index, size)


def consistency_proof(first: int, second: int) -> list[bytes]:
    return merkle.consistency_proof(profile().crypto.hash, DatabaseNodeStore(), first, second)
