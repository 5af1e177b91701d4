"""zhifa.record.merkle against RFC 6962/9162 test vectors, a naive RFC transcription and pymerkle."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.record import merkle
from zhifa.record.merkle import InMemoryNodeStore, TreeBuilder

from . import HASHES, NaiveTree, leaf_data, sha256

# The leaves, roots and proofs of transparency-dev/merkle proof/verify_test.go (certificate-transparency-go
# has the same): leaf data, then the SHA-256 root after each leaf.
RFC_LEAVES = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
RFC_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
# (0-based leaf index, tree size, audit path)
RFC_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# (first size, second size, proof)
RFC_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def build(h: merkle.HashFunction, leaves: list[bytes]) -> InMemoryNodeStore:
    """A store holding the perfect subtrees of a tree over ``leaves`` (already leaf-hashed)."""
    store = InMemoryNodeStore()
    builder = TreeBuilder(h, store, 0)
    store.put_nodes(builder.append(leaves))
    return store


def hashed_leaves(h: merkle.HashFunction, n: int) -> list[bytes]:
    return [merkle.leaf_hash(h, leaf_data(i)) for i in range(n)]


@pytest.fixture(scope="module")
def rfc_store() -> InMemoryNodeStore:
    return build(sha256, [merkle.leaf_hash(sha256, bytes.fromhex(x)) for x in RFC_LEAVES])


def _hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


# --- RFC 6962 / 9162 test vectors ------------------------------------------------------------------------


def test_rfc_roots(rfc_store: InMemoryNodeStore) -> None:
    assert merkle.root_hash(sha256, rfc_store, 0).hex() == EMPTY_SHA256
    for size, expected in enumerate(RFC_ROOTS, start=1):
        assert merkle.root_hash(sha256, rfc_store, size).hex() == expected
    leaves = [merkle.leaf_hash(sha256, bytes.fromhex(x)) for x in RFC_LEAVES]
    assert merkle.root_from_leaves(sha256, leaves).hex() == RFC_ROOTS[-1]
    assert merkle.root_from_leaves(sha256, []).hex() == EMPTY_SHA256


@pytest.mark.parametrize(("index", "size", "path"), RFC_INCLUSION)
def test_rfc_inclusion_proofs(rfc_store: InMemoryNodeStore, index: int, size: int, path: list[str]) -> None:
    proof = merkle.inclusion_proof(sha256, rfc_store, index, size)
    assert proof == _hexes(path)
    leaf = merkle.leaf_hash(sha256, bytes.fromhex(RFC_LEAVES[index]))
    root = bytes.fromhex(RFC_ROOTS[size - 1])
    assert merkle.verify_inclusion(sha256, index, size, leaf, proof, root)
    for probe in inclusion_tamperings(index, size, leaf, proof, root):
        assert not merkle.verify_inclusion(sha256, *probe), probe


@pytest.mark.parametrize(("m", "n", "path"), RFC_CONSISTENCY)
def test_rfc_consistency_proofs(rfc_store: InMemoryNodeStore, m: int, n: int, path: list[str]) -> None:
    proof = merkle.consistency_proof(sha256, rfc_store, m, n)
    assert proof == _hexes(path)
    root_m, root_n = bytes.fromhex(RFC_ROOTS[m - 1]), bytes.fromhex(RFC_ROOTS[n - 1])
    assert merkle.verify_consistency(sha256, m, n, proof, root_m, root_n)
    if proof:
        for probe in consistency_tamperings(m, n, proof, root_m, root_n):
            assert not merkle.verify_consistency(sha256, *probe), probe


def inclusion_tamperings(
    index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes
) -> list[tuple[int, int, bytes, list[bytes], bytes]]:
    """Wrong index, size, leaf, root; proof with a flipped bit, an element added, removed or reordered."""
    other = hashlib.sha256(b"other").digest()
    probes = [
        (index - 1, size, leaf, proof, root),
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, other, proof, root),
        (index, size, leaf, proof, other),
        (index, size, b"WrongLeaf", proof, root),
        (index, size, leaf, [*proof, b""], root),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [b"", *proof], root),
        (index, size, leaf, [root, *proof], root),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([proof[i][0] ^ 8]) + proof[i][1:]
        probes.append((index, size, leaf, flipped, root))
    if proof:
        probes.append((index, size, leaf, proof[:-1], root))
    if len(proof) > 1:
        probes.append((index, size, leaf, [proof[0], other, *proof[1:]], root))
        probes.append((index, size, leaf, proof[::-1], root))
    return [p for p in probes if (p[0], p[1]) != (index, size) or p[2:] != (leaf, proof, root)]


def consistency_tamperings(
    m: int, n: int, proof: list[bytes], root_m: bytes, root_n: bytes
) -> list[tuple[int, int, list[bytes], bytes, bytes]]:
    other = hashlib.sha256(b"other").digest()
    probes = [
        (m - 1, n, proof, root_m, root_n),
        (m + 1, n, proof, root_m, root_n),
        (m ^ 2, n, proof, root_m, root_n),
        (m, n * 2, proof, root_m, root_n),
        (m, n // 2, proof, root_m, root_n),
        (m, n, proof, other, root_n),
        (m, n, proof, root_m, other),
        (m, n, proof, root_n, root_m),
        (m, n, [], root_m, root_n),
        (m, n, [*proof, b""], root_m, root_n),
        (m, n, [*proof, root_m], root_m, root_n),
        (m, n, [*proof, root_n], root_m, root_n),
        (m, n, [b"", *proof], root_m, root_n),
        (m, n, [root_m, *proof], root_m, root_n),
        (m, n, [root_n, *proof], root_m, root_n),
        (m, n, [proof[0], *proof], root_m, root_n),
        (m, n, proof[:-1], root_m, root_n),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([proof[i][0] ^ 16]) + proof[i][1:]
        probes.append((m, n, flipped, root_m, root_n))
    return probes


def test_verify_consistency_edge_cases() -> None:
    empty = bytes.fromhex(EMPTY_SHA256)
    r1, r2 = hashlib.sha256(b"1").digest(), hashlib.sha256(b"2").digest()
    good: list[tuple[int, int, list[bytes], bytes, bytes]] = [
        (0, 0, [], empty, empty),
        (0, 5, [], empty, r2),
        (1, 1, [], r1, r1),
        (7, 7, [], r2, r2),
    ]
    bad: list[tuple[int, int, list[bytes], bytes, bytes]] = [
        (1, 1, [], r1, r2),  # same size, other root: a fork
        (0, 3, [], r1, r2),  # the empty tree has one root
        (1, 0, [], r1, r2),  # time travel
        (3, 2, [r1], r1, r2),
        (1, 2, [], r1, r2),  # missing proof
        (1, 1, [empty], r1, r1),  # proof where none is due
        (0, 1, [empty], empty, r1),
        (1, 2, [r1], r1[:-1], r2),  # wrong hash sizes
    ]
    for probe in good:
        assert merkle.verify_consistency(sha256, *probe), probe
    for probe in bad:
        assert not merkle.verify_consistency(sha256, *probe), probe


def test_verify_inclusion_edge_cases() -> None:
    leaf = merkle.leaf_hash(sha256, b"data")
    assert merkle.verify_inclusion(sha256, 0, 1, leaf, [], leaf)
    for index, size in [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)]:
        assert not merkle.verify_inclusion(sha256, index, size, leaf, [], leaf)
    assert not merkle.verify_inclusion(sha256, 0, 1, leaf, [], b"")
    assert not merkle.verify_inclusion(sha256, 0, 1, b"", [], leaf)


# --- against the naive RFC transcription, both hashes ----------------------------------------------------


@pytest.mark.parametrize("hash_name", HASHES)
def test_every_proof_up_to_70_leaves(hash_name: str) -> None:
    h = HASHES[hash_name]
    leaves = hashed_leaves(h, 70)
    naive = NaiveTree(h, leaves)
    store = build(h, leaves)
    for n in range(0, 71):
        root = merkle.root_hash(h, store, n)
        assert root == naive.root(n)
        for i in range(n):
            calls = store.calls
            proof = merkle.inclusion_proof(h, store, i, n)
            assert store.calls == calls + (n > 1)  # one read per proof (none for a one-leaf tree)
            assert proof == naive.inclusion(i, n)
            assert merkle.verify_inclusion(h, i, n, leaves[i], proof, root)
            assert (
                not merkle.verify_inclusion(h, i, n, leaves[i - 1] if i else leaves[1 % n], proof, root)
                or n == 1
            )
        for m in range(1, n):
            proof = merkle.consistency_proof(h, store, m, n)
            assert proof == naive.consistency(m, n)
            assert merkle.verify_consistency(h, m, n, proof, naive.root(m), root)
            assert not merkle.verify_consistency(h, m, n, proof, naive.root(m - 1), root)


@pytest.mark.parametrize("hash_name", HASHES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_trees_match_naive(hash_name: str, data: st.DataObject) -> None:
    h = HASHES[hash_name]
    n = data.draw(st.integers(min_value=1, max_value=600), label="size")
    leaves = hashed_leaves(h, n)
    naive = NaiveTree(h, leaves)
    # append in random batches, reopening the builder from the store each time
    store, size = InMemoryNodeStore(), 0
    while size < n:
        step = data.draw(st.integers(min_value=1, max_value=n - size), label="batch")
        builder = TreeBuilder(h, store, size)
        store.put_nodes(builder.append(leaves[size : size + step]))
        size += step
        assert builder.root() == naive.root(size)
    index = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    m = data.draw(st.integers(min_value=0, max_value=n), label="m")
    root = merkle.root_hash(h, store, n)
    assert root == naive.root(n)
    assert merkle.inclusion_proof(h, store, index, n) == naive.inclusion(index, n)
    assert merkle.consistency_proof(h, store, m, n) == (naive.consistency(m, n) if 0 < m < n else [])
    # every stored node is the MTH of its perfect range
    for (level, i), value in random.Random(n).sample(sorted(store.nodes.items()), min(20, len(store.nodes))):
        assert value == naive.mth(i << level, (i + 1) << level)


def test_proofs_read_few_keys_once() -> None:
    """O(log n) distinct keys in one get_nodes call, even with a ragged right edge."""
    n = 1_000_003
    store = _SparseLeafStore(sha256, n)
    for size in (n, 2**20 - 1, 699_051):
        bound = 2 * size.bit_length() + 1
        for index in (0, 1, size // 2, size - 2, size - 1):
            calls, keys = store.calls, store.keys_read
            merkle.inclusion_proof(sha256, store, index, size)
            assert store.calls == calls + 1 and store.keys_read - keys <= bound
        for m in (1, 3, size // 3, size - 1):
            calls, keys = store.calls, store.keys_read
            merkle.consistency_proof(sha256, store, m, size)
            assert store.calls == calls + 1 and store.keys_read - keys <= bound


class _SparseLeafStore(InMemoryNodeStore):
    """Answers any perfect node with a hash derived from its key: enough to count reads on a huge tree."""

    def __init__(self, h: merkle.HashFunction, size: int) -> None:
        super().__init__()
        self.h = h

    def get_nodes(self, keys: Iterable[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
        self.calls += 1
        wanted = set(keys)
        self.keys_read += len(wanted)
        return {k: self.h(repr(k).encode()) for k in wanted}


# --- storage and builder ---------------------------------------------------------------------------------


def test_subtree_keys() -> None:
    assert merkle.subtree_keys(0, 0) == []
    assert merkle.subtree_keys(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert merkle.subtree_keys(4, 7) == [(1, 2), (0, 6)]
    assert merkle.subtree_keys(8, 16) == [(3, 1)]
    assert merkle.subtree_keys(3, 9) == [(0, 3), (2, 1), (0, 8)]
    for start in range(0, 40):
        for end in range(start, 80):
            ranges = [(i << level, (i + 1) << level) for level, i in merkle.subtree_keys(start, end)]
            bounds = [start, *(r[1] for r in ranges)]
            assert [r[0] for r in ranges] == bounds[:-1] and bounds[-1] == end
            assert len(ranges) <= 2 * (end - start).bit_length()
            width = end - start
            if width and start % (1 << (width - 1).bit_length()) == 0:  # a node of an RFC 9162 tree
                assert all(b - a > d - c for (a, b), (c, d) in zip(ranges, ranges[1:], strict=False))
    with pytest.raises(ValueError):
        merkle.subtree_keys(5, 4)


def test_builder_returns_each_perfect_node_once_children_first() -> None:
    h = sha256
    leaves = hashed_leaves(h, 37)
    nodes = TreeBuilder(h, None, 0).append(leaves)
    keys = [k for k, _ in nodes]
    assert len(keys) == len(set(keys)) == 37 + 18 + 9 + 4 + 2 + 1  # every perfect subtree of 37 leaves
    position = {k: i for i, k in enumerate(keys)}
    for level, index in keys:
        if level:
            assert position[(level - 1, 2 * index)] < position[(level, index)]
            assert position[(level - 1, 2 * index + 1)] < position[(level, index)]
    without_leaves = TreeBuilder(h, None, 0, include_leaves=False).append(leaves)
    assert [k for k, _ in without_leaves] == [k for k in keys if k[0] > 0]


def test_builder_needs_its_frontier() -> None:
    h = sha256
    store = build(h, hashed_leaves(h, 6))
    calls = store.calls
    builder = TreeBuilder(h, store, 6)
    assert store.calls == calls + 1 and builder.size == 6
    del store.nodes[(1, 2)]
    with pytest.raises(merkle.MissingNodeError):
        TreeBuilder(h, store, 6)
    with pytest.raises(merkle.MissingNodeError):
        merkle.root_hash(h, store, 6)
    with pytest.raises(ValueError):
        TreeBuilder(h, None, 3)
    with pytest.raises(ValueError):
        store.put_nodes([((0, 0), b"\x00" * 32)])


def test_bad_arguments() -> None:
    store = build(sha256, hashed_leaves(sha256, 4))
    with pytest.raises(ValueError):
        merkle.inclusion_proof(sha256, store, 4, 4)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(sha256, store, 0, 0)
    with pytest.raises(ValueError):
        merkle.consistency_proof(sha256, store, 3, 2)
    with pytest.raises(ValueError):
        merkle.root_hash(sha256, store, -1)
    assert merkle.consistency_proof(sha256, store, 0, 4) == []
    assert merkle.consistency_proof(sha256, store, 4, 4) == []


# --- an independent implementation: pymerkle (RFC 9162 hashing, selectable hash) ------------------------


@pytest.mark.parametrize("hash_name", HASHES)
def test_against_pymerkle(hash_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pymerkle = pytest.importorskip("pymerkle")
    from pymerkle import hasher as pm_hasher

    if hash_name == "sm3":  # pymerkle takes its hashes from a table: add hashlib's SM3 to it
        monkeypatch.setitem(pm_hasher.HASH_FUNCTIONS, "sm3", lambda data=b"": hashlib.new("sm3", data))
        monkeypatch.setattr(pm_hasher, "ALGORITHMS", [*pm_hasher.ALGORITHMS, "sm3"])
    h = HASHES[hash_name]
    tree = pymerkle.InmemoryTree(algorithm=hash_name)
    n = 45
    for i in range(n):
        tree.append_entry(leaf_data(i))
    store = build(h, hashed_leaves(h, n))
    for size in range(1, n + 1):
        root = merkle.root_hash(h, store, size)
        assert tree.get_root(size) == root
        for index in range(size):  # pymerkle counts leaves from 1 and puts the leaf first in its path
            assert tree.prove_inclusion(index + 1, size).path[1:] == merkle.inclusion_proof(
                h, store, index, size
            )
        for m in range(1, size):
            tree.prove_consistency(m, size).verify(merkle.root_hash(h, store, m), root)
