"""The event log's part of `zhifa verify`, block by block.

The events are read in aligned blocks of 2^BLOCK_LEVEL: each block is a perfect subtree of the tree, so it is
verified on its own — its events against their leaf hashes, its subtree rebuilt and compared with the stored
nodes, the subtrees of each checkpoint that ends inside it — and blocks run in worker processes, one per core,
when the log is large. The caller joins the blocks' roots into the upper tree (verify.verify_log).

Where the database can write each event's leaf bytes (leaf_sql) it does, and a row whose bytes do not hash to its
stored leaf is recomputed from its columns here, as Event's fields read them: every finding is Python's.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import operator
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from multiprocessing.util import Finalize
from typing import Any

import orjson
from django.db import connection, connections
from django.utils.dateparse import parse_datetime

from zhifa.record import merkle, tree
from zhifa.record.crypto import profile
from zhifa.record.leaf_sql import leaf_bytes_sql
from zhifa.record.log import LEAF_COLUMNS, leaf_bytes
from zhifa.record.models import Event, MerkleNode

BLOCK_LEVEL = 12  # blocks of 4,096 events: a few milliseconds of work each, small next to a worker's start


@dataclass(frozen=True)
class Finding:
    kind: str  # event_altered, event_missing, event_inserted, tree_node_altered, tree_node_missing, checkpoint_*,
    # evidence_*
    object: str  # "event:12", "checkpoint:40", "node:1/3", "evidence:7"
    detail: str


@dataclass
class BlockResult:
    """What a block's verification found and what the upper tree needs from it (pickled back from a worker)."""

    start: int
    present: tuple[int, int] | None = None  # the first and last sequence numbers found in the block
    prefix: int = 0  # consecutive events from `start`: the block's subtree is rebuilt over these only
    event_findings: list[Finding] = field(default_factory=list)  # altered events, gaps between present events
    altered: list[int] = field(default_factory=list)
    tree_findings: list[Finding] = field(default_factory=list)  # stored nodes that differ or are missing
    leaf_mismatches: list[int] = field(default_factory=list)  # stored leaves that differ from the recomputed ones
    root: bytes | None = None  # the block's subtree hash, when all its events are there
    root_mismatched: bool = False  # the stored node of the block's subtree differs
    frontiers: dict[int, list[bytes]] = field(default_factory=dict)  # checkpoint size → subtrees of [start, size)


def prefixed_hash(prefix: bytes) -> Callable[[bytes], bytes]:
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


def _rows(columns: str, start: int, end: int) -> list[tuple]:
    quote = connection.ops.quote_name
    seq = quote("seq")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(Event._meta.db_table)} WHERE {seq} >= %s AND {seq} < %s "
                       f"ORDER BY {seq}", [start, end])
        return cursor.fetchall()


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


def _leaf_from_columns(row: tuple, leaf_hash: Callable[[bytes], bytes]) -> bytes:
    """The leaf hash of a row of LEAF_COLUMNS (then the stored hash); b"" for a column no event can hold."""
    seq, recorded_at, actor_id, actor_name, credential, agency_id, case_id, object_type, object_id, event_type, \
        payload, _stored = row
    try:
        return leaf_hash(leaf_bytes(seq, _aware(recorded_at), actor_id, actor_name, credential, agency_id, case_id,
                                    object_type, object_id, event_type, _json_value(payload)))
    except (ValueError, TypeError, AttributeError):  # a column no event can hold (the row was edited)
        return b""


def read_events(start: int, end: int, leaf_hash: Callable[[bytes], bytes]) -> tuple[list[int], list[bytes],
                                                                                        list[bytes]]:
    """The sequence numbers, recomputed leaf hashes and stored leaf hashes of the events numbered [start, end).
    Plain SQL and DB-API rows: the ORM's per-row converters cost more than the hashing."""
    quote = connection.ops.quote_name
    full_columns = ", ".join(quote(column) for column in (*LEAF_COLUMNS, "leaf_hash"))
    database_bytes = leaf_bytes_sql(connection.vendor)
    if database_bytes:
        rows = _rows(f"{quote('seq')}, {database_bytes}, {quote('leaf_hash')}", start, end)
        recomputed = [b"" if data is None else leaf_hash(data) for _seq, data, _stored in rows]
    else:
        rows = _rows(full_columns, start, end)
        recomputed = [_leaf_from_columns(row, leaf_hash) for row in rows]
    seqs, stored = [row[0] for row in rows], [row[-1] for row in rows]
    if database_bytes and recomputed != stored:  # (bytes and memoryview compare by content)
        full_rows = {row[0]: row for row in _rows(full_columns, start, end)}
        for index, value in enumerate(recomputed):
            if value != stored[index]:
                recomputed[index] = _leaf_from_columns(full_rows[seqs[index]], leaf_hash)
    return seqs, recomputed, stored


@cache
def _concatenated_hashes_sql(vendor: str) -> str:
    """How many nodes a key range holds, their shortest and longest hash, and the hashes in key order as one value:
    a string of hex digits on SQLite (3.40 has no ordered aggregate: the subquery's order is kept), one bytea on
    PostgreSQL."""
    table, key = MerkleNode._meta.db_table, connection.ops.quote_name("key")
    lengths = "count(*), min(length(hash)), max(length(hash))"
    if vendor == "postgresql":
        return (f"SELECT {lengths}, string_agg(hash, ''::bytea ORDER BY {key}) FROM {table} "
                f"WHERE {key} BETWEEN %s AND %s")
    return (f"SELECT {lengths}, group_concat(hex(hash), '') FROM (SELECT hash FROM {table} "
            f"WHERE {key} BETWEEN %s AND %s ORDER BY {key})")


def _stored_range_as_recomputed(cursor: Any, span: tuple[int, int], recomputed: list[bytes]) -> bool:
    """Does the key range hold one node per key, each hash as recomputed (in key order)? One row read: the count
    and the lengths make the concatenated hashes comparable as a whole."""
    cursor.execute(_concatenated_hashes_sql(connection.vendor), span)
    count, shortest, longest, joined = cursor.fetchone()
    if count != span[1] - span[0] + 1 or count != len(recomputed) or not count:
        return False
    if shortest != longest or shortest != len(recomputed[0]):
        return False
    return (bytes.fromhex(joined) if isinstance(joined, str) else bytes(joined)) == b"".join(recomputed)


def check_stored_nodes(new_nodes: list[tuple[merkle.NodeKey, bytes]], first: int, last: int, levels: range,
                       tree_size: int, mismatched: set[merkle.NodeKey], findings: list[Finding],
                       leaf_mismatches: list[int]) -> None:
    """Compare the nodes at `levels` recomputed from leaves [first, last) with the stored ones; add the keys that
    differ to `mismatched` (which holds those found below `levels` already). A changed leaf makes all its
    ancestors differ too: only the lowest differing node is reported; differing leaves (`leaf_mismatches`) are
    attributed later.
    Those nodes are, at each level, the perfect subtrees that end in [first, last): one key range per level, read
    in key order and compared as a whole (the common case); node by node only when they differ."""
    spans = []
    for level in levels:
        low, high = first >> level, (last >> level) - 1
        if low <= high:
            spans.append((tree.node_key(level, low), tree.node_key(level, high)))
    if not spans:
        return
    new_nodes.sort(key=operator.itemgetter(0))  # (level, index): the order of the keys
    by_level: dict[int, list[bytes]] = {}
    for (level, _index), value in new_nodes:
        by_level.setdefault(level, []).append(value)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A query per level, a range scan each (SQLite may scan the table for ORed ranges): in the common case all
        # equal, compared as one value per level; node by node otherwise.
        if all(_stored_range_as_recomputed(cursor, span, by_level.get(span[0] >> tree.LEVEL_SHIFT, []))
               for span in spans):
            return
        stored = []
        for span in spans:
            cursor.execute(f"SELECT {quote('key')}, {quote('hash')} FROM {MerkleNode._meta.db_table} "
                           f"WHERE {quote('key')} BETWEEN %s AND %s ORDER BY {quote('key')}", span)
            stored += cursor.fetchall()
    by_key = {key: bytes(value) for key, value in stored}
    for (level, index), value in new_nodes:
        found = by_key.get(tree.node_key(level, index))
        if found is None:
            if (index + 1) << level <= tree_size:  # the tree held it when verification began
                findings.append(Finding("tree_node_missing", f"node:{level}/{index}", "stored subtree was deleted"))
        elif found != value:
            mismatched.add((level, index))
            if level == levels.start == 0:
                leaf_mismatches.append(index)
            elif (level - 1, 2 * index) not in mismatched and (level - 1, 2 * index + 1) not in mismatched:
                findings.append(Finding("tree_node_altered", f"node:{level}/{index}",
                                        "stored subtree hash differs from the one recomputed from the events"))


def verify_block(start: int, end: int, checkpoint_sizes: Sequence[int], tree_size: int) -> BlockResult:
    """Verify events [start, end): start a multiple of 2^BLOCK_LEVEL, end at most one block further."""
    result = BlockResult(start)
    seqs, recomputed, stored = read_events(start, end, prefixed_hash(b"\x00"))  # merkle.leaf_hash, RFC 9162
    if not seqs:
        return result
    result.present = (seqs[0], seqs[-1])
    if recomputed != stored or seqs[-1] - seqs[0] != len(seqs) - 1:  # rare: find what differs or is missing
        previous = None
        for seq, value, expected in zip(seqs, recomputed, stored, strict=True):
            if value != expected:
                result.altered.append(seq)
                result.event_findings.append(Finding("event_altered", f"event:{seq}",
                                                     "the event's content no longer matches its leaf hash"))
            if previous is not None and seq != previous + 1:
                result.event_findings.append(Finding("event_missing", f"event:{previous + 1}",
                                                     f"events {previous + 1}–{seq - 1} are missing (deleted)"))
            previous = seq
    if seqs[0] != start:
        return result  # no leaf at the block's start: no subtree to rebuild
    if seqs[-1] == start + len(seqs) - 1:
        result.prefix = len(seqs)
    else:
        result.prefix = next(i for i, seq in enumerate(seqs) if seq != start + i)
    builder = merkle.TreeBuilder(profile().crypto.hash, None, 0)
    nodes: list[tuple[merkle.NodeKey, bytes]] = []
    done = 0
    for size in sorted(size for size in checkpoint_sizes if start < size <= start + result.prefix):
        nodes += builder.append(recomputed[done:size - start])
        done = size - start
        result.frontiers[size] = builder.frontier()
    nodes += builder.append(recomputed[done:result.prefix])
    if result.prefix == 1 << BLOCK_LEVEL:
        result.root = builder.root()
    # the block's subtree sits at index start >> level of each level: relative keys to the tree's
    placed = [((level, index + (start >> level)), value) for (level, index), value in nodes]
    mismatched: set[merkle.NodeKey] = set()
    check_stored_nodes(placed, start, start + result.prefix, range(BLOCK_LEVEL + 1), tree_size, mismatched,
                       result.tree_findings, result.leaf_mismatches)
    result.root_mismatched = (BLOCK_LEVEL, start >> BLOCK_LEVEL) in mismatched
    return result


_INHERITED: list[Any] = []


def _start_worker() -> None:
    """First thing in a forked worker: the parent's database connections are neither used nor closed here
    (closing a PostgreSQL one would end the parent's session), only kept referenced; the worker opens its own
    and closes them when it exits. The objects inherited from the parent are left out of garbage collection,
    whose full passes over them would cost more than a block's work."""
    for db in connections.all(initialized_only=True):
        _INHERITED.append(db.connection)
        db.connection = None
    Finalize(None, connections.close_all, exitpriority=10)
    gc.freeze()


def _workers_see_the_data() -> bool:
    """Workers read committed data through their own connections: not while this connection is inside a
    transaction (it may hold uncommitted events), nor for an in-memory SQLite database."""
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def verify_blocks(head_size: int, checkpoint_sizes: Sequence[int], tree_size: int,
                  workers: int | None) -> Iterator[tuple[int, BlockResult]]:
    """Each block's end and result, in order; in `workers` forked processes (default: one per core) when there
    is more than one block and the workers can see the data, else in this process."""
    starts = range(0, head_size, 1 << BLOCK_LEVEL)
    ends = [min(start + (1 << BLOCK_LEVEL), head_size) for start in starts]
    check = partial(verify_block, checkpoint_sizes=checkpoint_sizes, tree_size=tree_size)
    workers = len(os.sched_getaffinity(0)) if workers is None else workers
    if workers > 1 and len(starts) > 1 and _workers_see_the_data():
        with ProcessPoolExecutor(min(workers, len(starts)), mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker) as pool:
            yield from zip(ends, pool.map(check, starts, ends), strict=True)
    else:
        yield from zip(ends, map(check, starts, ends), strict=True)
