"""RFC 9162 §2.1 Merkle Tree Hash over the event log, with a pluggable hash (SM3 or SHA-256).

Leaf hash ``H(0x00 ‖ data)``, interior node ``H(0x01 ‖ left ‖ right)``, empty tree ``H("")``; a tree of n > 1
leaves splits at k, the largest power of two smaller than n.

Storage model: only PERFECT subtrees are stored. Key ``(level, index)`` names the hash of the perfect
subtree over leaves ``[index·2^level, (index+1)·2^level)``; level 0 holds the leaf hashes. A perfect node
never changes once its last leaf exists, so the store is append-only (about 2 nodes per leaf). Every node of
the size-n tree that is not perfect lies on its right edge: it covers ``[a, n)`` and is rebuilt from the
perfect subtrees of that range ("ragged" nodes, :func:`subtree_keys`).

Reads: :func:`root_hash`, :func:`inclusion_proof` and :func:`consistency_proof` each make exactly ONE
``NodeStore.get_nodes`` call with O(log n) keys: at most one perfect sibling per level, plus the perfect
subtrees of the ragged right edge, which all ragged siblings share (they are suffixes of the decomposition of
``[0, n)`` into popcount(n) perfect subtrees), so at most 2·log2(n) + 1 distinct keys and O(log n) hashing.

Writes: :class:`TreeBuilder` keeps the right frontier (one perfect subtree per set bit of the size, fetched in
one call) and returns the new perfect nodes to persist: amortised 2 nodes and 1 hash per appended leaf. The
caller serialises appends (one writer at a time, e.g. a row lock on the log head).

Pure Python: no Django import here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

__all__ = [
    "HashFunction",
    "InMemoryNodeStore",
    "MissingNodeError",
    "NodeKey",
    "NodeStore",
    "TreeBuilder",
    "consistency_proof",
    "empty_root",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_leaves",
    "root_of_subtrees",
    "root_hash",
    "subtree_keys",
    "verify_consistency",
    "verify_inclusion",
]

HashFunction = Callable[[bytes], bytes]  # e.g. CryptoProfile.hash
NodeKey = tuple[int, int]  # (level, index) of a perfect subtree


class NodeStore(Protocol):
    """Where perfect-subtree hashes live (the Django layer maps it to a table)."""

    def get_nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        """The stored hashes for ``keys``; missing keys are simply absent from the result."""
        ...


class MissingNodeError(LookupError):
    """The store lacks a perfect subtree that the requested size needs."""


class InMemoryNodeStore:
    """A dict-backed NodeStore for tests and tools; counts calls so tests can assert one read per proof."""

    def __init__(self) -> None:
        self.nodes: dict[NodeKey, bytes] = {}
        self.calls = 0
        self.keys_read = 0

    def get_nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        self.calls += 1
        wanted = set(keys)
        self.keys_read += len(wanted)
        return {k: self.nodes[k] for k in wanted if k in self.nodes}

    def put_nodes(self, items: Iterable[tuple[NodeKey, bytes]]) -> None:
        for key, value in items:
            if self.nodes.setdefault(key, value) != value:
                raise ValueError(f"node {key} already stored with another hash")


# --- hashing ---------------------------------------------------------------------------------------------


def leaf_hash(h: HashFunction, data: bytes) -> bytes:
    return h(b"\x00" + data)


def node_hash(h: HashFunction, left: bytes, right: bytes) -> bytes:
    return h(b"\x01" + left + right)


def empty_root(h: HashFunction) -> bytes:
    return h(b"")


def _split(width: int) -> int:
    """The largest power of two strictly smaller than ``width`` (width ≥ 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def root_from_leaves(h: HashFunction, leaf_hashes: Iterable[bytes]) -> bytes:
    """Root of the tree over already-hashed leaves, in O(n) time and O(log n) memory."""
    builder = TreeBuilder(h, None, 0, include_leaves=False)
    builder.append(leaf_hashes)
    return builder.root()


def root_of_subtrees(h: HashFunction, hashes: Sequence[bytes]) -> bytes:
    """MTH of the leaves [0, n) from the perfect subtrees they split into (a builder's frontier), largest first."""
    return _fold_right(h, hashes) if hashes else empty_root(h)


def _fold_right(h: HashFunction, hashes: Sequence[bytes]) -> bytes:
    """Hash of a ragged node from its perfect subtrees, left to right: H(p1, H(p2, … H(pk-1, pk)))."""
    acc = hashes[-1]
    for value in reversed(hashes[:-1]):
        acc = node_hash(h, value, acc)
    return acc


# --- storage layout --------------------------------------------------------------------------------------


def subtree_keys(start: int, end: int) -> list[NodeKey]:
    """Split ``[start, end)`` into maximal aligned perfect subtrees, left to right.

    For a node of an RFC 9162 tree (start aligned to the power of two ≥ its width) the sizes decrease, and the
    node's hash is the right fold of these subtrees' hashes.
    """
    if not 0 <= start <= end:
        raise ValueError(f"bad range [{start}, {end})")
    keys: list[NodeKey] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def _key_range(key: NodeKey) -> tuple[int, int]:
    level, index = key
    return index << level, (index + 1) << level


class _RangeHasher:
    """Hashes tree nodes ``[start, end)`` from fetched perfect subtrees, sharing work between ragged nodes."""

    def __init__(self, h: HashFunction, nodes: dict[NodeKey, bytes]) -> None:
        self._h = h
        self._nodes = nodes
        self._suffix: dict[tuple[int, int], bytes] = {}  # memo of right folds [s, end)

    def _node(self, key: NodeKey) -> bytes:
        try:
            return self._nodes[key]
        except KeyError:
            raise MissingNodeError(f"perfect subtree {key} is not in the store") from None

    def hash(self, start: int, end: int) -> bytes:
        keys = subtree_keys(start, end)
        starts = [index << level for level, index in keys]
        first_known = next((i for i, s in enumerate(starts) if (s, end) in self._suffix), None)
        if first_known is None:
            first_known = len(keys) - 1
            self._suffix[(starts[-1], end)] = self._node(keys[-1])
        acc = self._suffix[(starts[first_known], end)]
        for i in range(first_known - 1, -1, -1):
            acc = node_hash(self._h, self._node(keys[i]), acc)
            self._suffix[(starts[i], end)] = acc
        return acc


def _hash_ranges(h: HashFunction, store: NodeStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """Hashes of tree nodes given as leaf ranges, with one ``get_nodes`` call."""
    keys = {key for start, end in ranges for key in subtree_keys(start, end)}
    if not keys:
        return []
    hasher = _RangeHasher(h, store.get_nodes(keys))
    return [hasher.hash(start, end) for start, end in ranges]


# --- tree head and proofs --------------------------------------------------------------------------------


def root_hash(h: HashFunction, store: NodeStore, size: int) -> bytes:
    """MTH of the first ``size`` leaves (RFC 9162 §2.1.1)."""
    if size < 0:
        raise ValueError("size must be ≥ 0")
    if size == 0:
        return empty_root(h)
    return _hash_ranges(h, store, [(0, size)])[0]


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges of the RFC 9162 §2.1.3.1 PATH(index, D[0:size]) siblings, bottom-up."""
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def _consistency_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """Leaf ranges of RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), for 0 < m < n."""
    ranges: list[tuple[int, int]] = []
    start, end, whole_old_tree = 0, n, True
    while m - start != end - start:
        k = _split(end - start)
        if m - start <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            whole_old_tree = False
    if not whole_old_tree:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def inclusion_proof(h: HashFunction, store: NodeStore, index: int, size: int) -> list[bytes]:
    """Audit path of leaf ``index`` in the tree of ``size`` leaves, bottom-up (RFC 9162 §2.1.3.1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    return _hash_ranges(h, store, _inclusion_ranges(index, size))


def consistency_proof(h: HashFunction, store: NodeStore, m: int, n: int) -> list[bytes]:
    """Proof that the size-m tree is a prefix of the size-n tree (RFC 9162 §2.1.4.1); [] if m = 0 or m = n."""
    if not 0 <= m <= n:
        raise ValueError(f"need 0 ≤ first ≤ second, got {m} and {n}")
    if m == 0 or m == n:
        return []
    return _hash_ranges(h, store, _consistency_ranges(m, n))


# --- appending -------------------------------------------------------------------------------------------


class TreeBuilder:
    """Appends leaf hashes to a stored tree and says which perfect nodes to persist.

    ``TreeBuilder(h, store, size)`` reads the right frontier of the current tree (popcount(size) nodes) in
    one ``get_nodes`` call; ``store`` may be None only when ``size`` is 0. With ``include_leaves=False`` the
    level-0 nodes are not returned (for a schema that keeps leaf hashes on the event rows).
    """

    def __init__(
        self, h: HashFunction, store: NodeStore | None, size: int, *, include_leaves: bool = True
    ) -> None:
        if size < 0:
            raise ValueError("size must be ≥ 0")
        self._h = h
        self._size = size
        self._include_leaves = include_leaves
        keys = subtree_keys(0, size)
        if keys and store is None:
            raise ValueError("a non-empty tree needs its store")
        found = store.get_nodes(keys) if store is not None and keys else {}
        missing = [k for k in keys if k not in found]
        if missing:
            raise MissingNodeError(f"frontier nodes {missing} are not in the store")
        self._frontier: list[tuple[int, bytes]] = [(level, found[(level, i)]) for level, i in keys]

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf_hashes: Iterable[bytes]) -> list[tuple[NodeKey, bytes]]:
        """Add leaves (already ``H(0x00 ‖ data)``); return the new perfect nodes, level by level (children before
        parents). One level at a time: the new nodes of a level pair up into the next (a pending left sibling from
        the frontier first), so the hashing runs as one comprehension per level."""
        values = list(leaf_hashes)
        new: list[tuple[NodeKey, bytes]] = []
        frontier, h = self._frontier, self._h
        start, level = self._size, 0
        carried: list[tuple[int, bytes]] = []  # an odd last node of a level waits in the frontier for its sibling
        self._size += len(values)
        while values:
            if level or self._include_leaves:
                new.extend(zip(((level, index) for index in range(start, start + len(values))), values, strict=True))
            if start & 1:  # the left sibling of the first new node is in the frontier (a set bit of the old size)
                values.insert(0, frontier.pop()[1])
                start -= 1
            if len(values) & 1:
                carried.append((level, values.pop()))
            values = [node_hash(h, left, right) for left, right in zip(values[::2], values[1::2], strict=True)]
            start >>= 1
            level += 1
        frontier.extend(reversed(carried))
        return new

    def frontier(self) -> list[bytes]:
        """The hashes of the perfect subtrees the leaves so far split into, largest (leftmost) first."""
        return [value for _, value in self._frontier]

    def root(self) -> bytes:
        """MTH of the current tree."""
        return root_of_subtrees(self._h, self.frontier())


# --- verification ----------------------------------------------------------------------------------------


def verify_inclusion(
    h: HashFunction, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show leaf hash ``leaf`` at ``index`` in the tree with ``root``?"""
    digest_size = len(h(b""))
    if not 0 <= index < size or len(leaf) != digest_size or len(root) != digest_size:
        return False
    if any(len(p) != digest_size for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(h, p, r)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(h, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    h: HashFunction, m: int, n: int, proof: Sequence[bytes], root_m: bytes, root_n: bytes
) -> bool:
    """RFC 9162 §2.1.4.2: is the size-m tree with ``root_m`` a prefix of the size-n tree with ``root_n``?

    Edge cases (outside the RFC's 0 < m < n): m = n needs an empty proof and equal roots; m = 0 needs an
    empty proof and ``root_m`` = H(""), the empty tree being a prefix of every tree.
    """
    digest_size = len(h(b""))
    if not 0 <= m <= n or len(root_m) != digest_size or len(root_n) != digest_size:
        return False
    if any(len(p) != digest_size for p in proof):
        return False
    if m == 0:
        return not proof and root_m == empty_root(h)
    if m == n:
        return not proof and root_m == root_n
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:  # m is a power of two: the old root is a node of the new tree
        path.insert(0, root_m)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(h, c, fr)
            sr = node_hash(h, c, sr)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(h, sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root_m and sr == root_n
