"""Issue 3 §2: the stored tree is the RFC 9162 tree over the events' leaf hashes; proofs in O(log n) reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.record.conftest import append_events, drop_append_only_triggers, raw
from zhifa.record import merkle, tree
from zhifa.record.crypto import profile
from zhifa.record.models import Event, MerkleNode, TreeState

pytestmark = pytest.mark.django_db

SIZES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129]


def _leaves() -> list[bytes]:
    return [bytes(h) for h in Event.objects.order_by("seq").values_list("leaf_hash", flat=True)]


def _h():
    return profile().crypto.hash


@pytest.mark.parametrize("n", SIZES)
def test_root_hash_equals_rfc9162_root_of_the_event_leaves(crypto_profile, n):
    append_events(n)
    assert tree.extend_tree() == n == tree.tree_size()
    assert tree.root_hash(n) == merkle.root_from_leaves(_h(), _leaves())
    assert MerkleNode.objects.count() == sum(n >> level for level in range(n.bit_length() + 1))  # ~2 per leaf


def test_extending_in_uneven_steps_gives_the_same_tree_and_every_past_root():
    steps = [1, 2, 1, 5, 8, 3, 16, 1, 30, 2]
    for step in steps:
        append_events(step)
        tree.extend_tree()
    leaves = _leaves()
    assert tree.tree_size() == len(leaves) == sum(steps)
    for size in range(len(leaves) + 1):
        assert tree.root_hash(size) == merkle.root_from_leaves(_h(), leaves[:size]), size


def test_extend_tree_in_several_batches(monkeypatch):
    monkeypatch.setattr(tree, "BATCH", 7)
    append_events(40)
    assert tree.extend_tree() == 40
    assert tree.root_hash(40) == merkle.root_from_leaves(_h(), _leaves())


def test_extend_tree_without_new_events_changes_nothing():
    append_events(9)
    tree.extend_tree()
    nodes = MerkleNode.objects.count()
    assert tree.extend_tree() == 9
    assert MerkleNode.objects.count() == nodes


def test_extend_tree_stops_at_a_gap():
    append_events(10)
    drop_append_only_triggers()
    raw("DELETE FROM record_event WHERE seq = 6")
    assert tree.extend_tree() == 6
    assert TreeState.objects.get().size == 6


def test_extend_tree_ignores_events_the_log_head_does_not_count():
    """An event inserted behind the log's back (not counted by the head) is never hashed in, nor signed."""
    from zhifa.record.log import leaf_hash_of

    append_events(5)
    forged = Event.objects.get(seq=2)
    forged.seq = 5
    forged.leaf_hash = leaf_hash_of(forged)
    forged.save(force_insert=True)
    assert tree.extend_tree() == 5
    assert not MerkleNode.objects.filter(key=tree.node_key(0, 5)).exists()


N = 37  # not a power of two: ragged right edges at every level


@pytest.fixture
def built():
    append_events(N)
    tree.extend_tree()
    return _leaves()


def test_inclusion_proofs_from_the_store_verify(crypto_profile, built):
    h = _h()
    for size in range(1, N + 1):
        root = merkle.root_from_leaves(h, built[:size])
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert merkle.verify_inclusion(h, index, size, built[index], proof, root), (index, size)
    assert not merkle.verify_inclusion(h, 3, N, built[4], tree.inclusion_proof(3, N), tree.root_hash(N))


def test_consistency_proofs_from_the_store_verify(crypto_profile, built):
    h = _h()
    roots = [merkle.root_from_leaves(h, built[:size]) for size in range(N + 1)]
    for second in range(N + 1):
        for first in range(second + 1):
            proof = tree.consistency_proof(first, second)
            assert merkle.verify_consistency(h, first, second, proof, roots[first], roots[second]), (first, second)
    assert not merkle.verify_consistency(h, 5, N, tree.consistency_proof(5, N), roots[6], roots[N])


def _node_queries(queries: list[dict]) -> list[dict]:
    return [q for q in queries if "record_merklenode" in q["sql"]]


@pytest.mark.parametrize("index, size", [(0, 1), (0, 37), (36, 37), (17, 32), (5, 33), (20, 37)])
def test_inclusion_proof_is_one_query_of_log_n_rows(built, index, size, monkeypatch):
    keys_read = []
    real = tree.DatabaseNodeStore.get_nodes

    def counting(self, keys):
        keys = list(keys)
        keys_read.append(len(keys))
        return real(self, keys)

    monkeypatch.setattr(tree.DatabaseNodeStore, "get_nodes", counting)
    with CaptureQueriesContext(connection) as ctx:
        tree.inclusion_proof(index, size)
    assert len(ctx.captured_queries) <= 1 and len(_node_queries(ctx.captured_queries)) == len(ctx.captured_queries)
    assert sum(keys_read) <= 2 * size.bit_length() + 1


@pytest.mark.parametrize("first, second", [(1, 37), (16, 37), (20, 37), (36, 37), (7, 8), (5, 33)])
def test_consistency_proof_is_one_query_of_log_n_rows(built, first, second, django_assert_max_num_queries):
    with django_assert_max_num_queries(1) as ctx:
        tree.consistency_proof(first, second)
    (query,) = ctx.captured_queries
    assert "record_merklenode" in query["sql"]
    assert query["sql"].count(",") + 1 <= 2 * second.bit_length() + 1  # the IN list of keys


def test_root_hash_is_one_query(built, django_assert_num_queries):
    with django_assert_num_queries(1):
        tree.root_hash(N)


def test_proofs_read_few_rows_in_a_large_tree(monkeypatch):
    """2^16 + 3 leaves written straight into the node table: an inclusion proof still reads ≤ 2·log2(n)+1 rows."""
    h = _h()
    size = (1 << 16) + 3
    leaves = [h(i.to_bytes(4, "big")) for i in range(size)]
    builder = merkle.TreeBuilder(h, None, 0)
    MerkleNode.objects.bulk_create(
        [MerkleNode(key=tree.node_key(level, index), hash=value) for (level, index), value in builder.append(leaves)],
        batch_size=5000,
    )
    root = builder.root()
    assert tree.root_hash(size) == root
    with CaptureQueriesContext(connection) as ctx:
        proof = tree.inclusion_proof(40_000, size)
    assert len(ctx.captured_queries) == 1
    assert merkle.verify_inclusion(h, 40_000, size, leaves[40_000], proof, root)
    assert len(proof) <= size.bit_length()
    with CaptureQueriesContext(connection) as ctx:
        consistency = tree.consistency_proof(50_001, size)
    assert len(ctx.captured_queries) == 1
    assert merkle.verify_consistency(h, 50_001, size, consistency, merkle.root_from_leaves(h, leaves[:50_001]), root)
