"""The event log's part of `zhifa verify`, block by block.

The events are read in aligned blocks of 2^BLOCK_LEVEL: each block is a perfect subtree of the tree, so it is
verified on its own — its events against their leaf hashes, its subtree rebuilt and compared with the stored
nodes, the subtrees of each checkpoint that ends inside it — and blocks run in worker processes, one per core,
when the log is large. The caller joins the blocks' roots into the upper tree (verify.verify_log).

Where the database can write each event's leaf bytes (leaf_sql) it does, a block's in one value, hashed here in
one pass (CryptoProfile.digest_each); a block in which any event is missing or does not hash to its stored leaf is
read again row by row, and such a row recomputed from its columns as Event's fields read them: every finding is
Python's. The subtree is rebuilt a level at a time, each level's hashes as one value compared with the stored ones.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from multiprocessing.util import Finalize
from typing import Any

import orjson
from django.db import DatabaseError, connection, connections
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


def _rows(columns: str, start: int, end: int) -> list[tuple]:
    quote = connection.ops.quote_name
    seq = quote("seq")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(Event._meta.db_table)} WHERE {seq} >= %s AND {seq} < %s "
                       f"ORDER BY {seq}", [start, end])
        return cursor.fetchall()


def _json_value(text: str | None) -> tuple[Any, bool]:
    """JSONField.from_db_value, with orjson where it reads the text as json does; and whether orjson read it (it
    refuses NaN, Infinity, lone surrogates and integers beyond 64 bits: json decides those)."""
    if text is None or not isinstance(text, str | bytes):
        return text, False
    try:
        return orjson.loads(text), True
    except orjson.JSONDecodeError:
        return json.loads(text), False


def _aware(value: dt.datetime | str) -> dt.datetime:
    """DateTimeField's reading of the column: naive values are UTC (USE_TZ), text as Django parses it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _leaf_from_columns(row: tuple, leaf_hash: Callable[[bytes], bytes]) -> bytes:
    """The leaf hash of a row of LEAF_COLUMNS (then the stored hash); b"" for a column no event can hold.
    First from orjson's bytes of the values, unchecked, when orjson read the payload: the values then hold nothing
    orjson writes unfaithfully (NaN and Infinity it would write as null), so its text reads back as the same values,
    and bytes equal to the event's canonical bytes, as the stored hash says, hold the event's own values. Only when
    they differ are the bytes written as RFC 8785 demands (canonical.plain_json, or the reference)."""
    seq, recorded_at, actor_id, actor_name, credential, agency_id, case_id, object_type, object_id, event_type, \
        payload, stored = row
    try:
        value, read_by_orjson = _json_value(payload)
        columns = (seq, _aware(recorded_at), actor_id, actor_name, credential, agency_id, case_id, object_type,
                   object_id, event_type, value)
        if read_by_orjson:
            unchecked = leaf_hash(leaf_bytes(*columns, plain=True))
            if unchecked == stored:
                return unchecked
        return leaf_hash(leaf_bytes(*columns))
    except (ValueError, TypeError, AttributeError):  # a column no event can hold (the row was edited)
        return b""


def read_events(start: int, end: int, leaf_hash: Callable[[bytes], bytes]) -> tuple[list[int], list[bytes],
                                                                                        list[bytes]]:
    """The sequence numbers, recomputed leaf hashes and stored leaf hashes of the events numbered [start, end), row
    by row. Plain SQL and DB-API rows: the ORM's per-row converters cost more than the hashing."""
    quote = connection.ops.quote_name
    full_columns = ", ".join(quote(column) for column in (*LEAF_COLUMNS, "leaf_hash"))
    database_bytes = leaf_bytes_sql(connection.vendor)
    rows = None
    if database_bytes:
        try:
            rows = _rows(f"{quote('seq')}, {database_bytes}, {quote('leaf_hash')}", start, end)
        except DatabaseError:  # a BLOB where the expression expects a value JSON can hold: Python judges
            rows = None
    if rows is not None:
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
def _block_sql(vendor: str) -> str | None:
    """One row for a range of events: how many there are, the first and last number, the shortest and longest
    stored leaf hash, the leaf bytes written by the database (each row's, one per line: RFC 8785 text holds no raw
    newline) and the stored leaf hashes, concatenated in the same pass, in the order of the primary key's range scan
    (were it another, the hashes would differ and the rows be read one by one). None where the database cannot
    write the leaf bytes."""
    database_bytes = leaf_bytes_sql(vendor)
    if database_bytes is None:
        return None
    return (f"SELECT count(*), min(seq), max(seq), min(length(leaf_hash)), max(length(leaf_hash)), "
            f"CAST(group_concat(ifnull({database_bytes}, ''), char(10)) AS BLOB), "
            f"CAST(group_concat(leaf_hash, '') AS BLOB) "
            f"FROM {Event._meta.db_table} WHERE seq >= %s AND seq < %s")


def read_whole_block(start: int, end: int) -> bytes | None:
    """The recomputed leaf hashes of events [start, end), concatenated, when the database vouches for the whole
    range in one read: every event there, each one's bytes hashing to its stored leaf hash. None otherwise, and the
    caller reads the range row by row (read_events).
    The bytes are split at newlines: a row whose bytes hold one (never canonical) makes more pieces than rows, and
    every row makes at least one, so equal counts pair each row with its own bytes."""
    sql = _block_sql(connection.vendor)
    if sql is None:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, end])
            count, first, last, shortest, longest, joined_bytes, joined_stored = cursor.fetchone()
    except DatabaseError:  # a BLOB where the expression expects a value JSON can hold
        return None
    digest_size = profile().crypto.digest_size
    if (count, first, last) != (end - start, start, end - 1) or not shortest == longest == digest_size:
        return None
    pieces = bytes(joined_bytes).split(b"\n")
    if len(pieces) != count:
        return None
    recomputed = profile().crypto.digest_each(b"\x00", pieces)  # merkle.leaf_hash, RFC 9162
    return recomputed if recomputed == bytes(joined_stored) else None


@cache
def _pair_slices(pairs: int, digest_size: int) -> list[slice]:
    return [slice(offset, offset + 2 * digest_size) for offset in range(0, 2 * digest_size * pairs, 2 * digest_size)]


def subtree_levels(leaves: bytes) -> list[bytes]:
    """The perfect subtrees over leaf hashes (concatenated), level by level: level l holds, concatenated, the hashes
    of the subtrees over leaves [i·2^l, (i+1)·2^l) for each i from 0 while they fit (RFC 9162 node hashes)."""
    crypto = profile().crypto
    levels = [leaves]
    while len(levels[-1]) >= 2 * crypto.digest_size:
        below = memoryview(levels[-1])
        pairs = _pair_slices(len(below) // (2 * crypto.digest_size), crypto.digest_size)
        levels.append(crypto.digest_each(b"\x01", list(map(below.__getitem__, pairs))))  # merkle.node_hash
    return levels


def level_node(levels: list[bytes], level: int, index: int) -> bytes:
    size = profile().crypto.digest_size
    return levels[level][index * size:(index + 1) * size]


@cache
def _concatenated_hashes_sql(vendor: str) -> str:
    """How many nodes a key range holds, their shortest and longest hash, and the hashes in key order as one value
    (SQLite 3.40 has no ordered aggregate: the order of the key's range scan, the rowid's; were it another, the value
    would differ and the nodes be compared one by one)."""
    table, key = MerkleNode._meta.db_table, connection.ops.quote_name("key")
    lengths = "count(*), min(length(hash)), max(length(hash))"
    if vendor == "postgresql":
        return (f"SELECT {lengths}, string_agg(hash, ''::bytea ORDER BY {key}) FROM {table} "
                f"WHERE {key} BETWEEN %s AND %s")
    return f"SELECT {lengths}, CAST(group_concat(hash, '') AS BLOB) FROM {table} WHERE {key} BETWEEN %s AND %s"


def _stored_range_as_recomputed(cursor: Any, span: tuple[int, int], recomputed: bytes) -> bool:
    """Does the key range hold one node per key, each hash as recomputed (in key order)? One row read: the count
    and the lengths make the concatenated hashes comparable as a whole."""
    cursor.execute(_concatenated_hashes_sql(connection.vendor), span)
    count, shortest, longest, joined = cursor.fetchone()
    size = profile().crypto.digest_size
    if not count or count != span[1] - span[0] + 1 or count * size != len(recomputed):
        return False
    return shortest == longest == size and bytes(joined) == recomputed


def check_stored_nodes(levels: dict[int, tuple[int, bytes]], tree_size: int, mismatched: set[merkle.NodeKey],
                       findings: list[Finding], leaf_mismatches: list[int]) -> None:
    """Compare recomputed perfect nodes with the stored ones: `levels` maps a level to the index of its first node
    and the hashes of consecutive nodes from there, concatenated. Add the keys that differ to `mismatched` (which
    holds those found below these levels already). A changed leaf makes all its ancestors differ too: only the
    lowest differing node is reported; differing leaves (`leaf_mismatches`) are attributed later.
    Each level is one key range, read in key order and compared as a whole (the common case); node by node only
    when one differs."""
    size = profile().crypto.digest_size
    spans = {level: (tree.node_key(level, first), tree.node_key(level, first + len(hashes) // size - 1))
             for level, (first, hashes) in sorted(levels.items()) if hashes}
    if not spans:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A query per level, a range scan each (SQLite may scan the table for ORed ranges).
        if all(_stored_range_as_recomputed(cursor, span, levels[level][1]) for level, span in spans.items()):
            return
        stored = []
        for span in spans.values():
            cursor.execute(f"SELECT {quote('key')}, {quote('hash')} FROM {MerkleNode._meta.db_table} "
                           f"WHERE {quote('key')} BETWEEN %s AND %s ORDER BY {quote('key')}", span)
            stored += cursor.fetchall()
    by_key = {key: bytes(value) for key, value in stored}
    for level in spans:  # lower levels first
        first, hashes = levels[level]
        for offset in range(0, len(hashes), size):
            index, value = first + offset // size, hashes[offset:offset + size]
            found = by_key.get(tree.node_key(level, index))
            if found is None:
                if (index + 1) << level <= tree_size:  # the tree held it when verification began
                    findings.append(Finding("tree_node_missing", f"node:{level}/{index}",
                                            "stored subtree was deleted"))
            elif found != value:
                mismatched.add((level, index))
                if level == 0:
                    leaf_mismatches.append(index)
                elif (level - 1, 2 * index) not in mismatched and (level - 1, 2 * index + 1) not in mismatched:
                    findings.append(Finding("tree_node_altered", f"node:{level}/{index}",
                                            "stored subtree hash differs from the one recomputed from the events"))


def _read_block_events(result: BlockResult, end: int) -> bytes:
    """The recomputed leaf hashes of the block's consecutive events from its start (concatenated), filling in
    what the result says of its events: in one read when the database vouches for them all, else row by row."""
    start = result.start
    whole = read_whole_block(start, end)
    if whole is not None:
        result.present, result.prefix = (start, end - 1), end - start
        return whole
    seqs, recomputed, stored = read_events(start, end, profile().leaf_hash)
    if not seqs:
        return b""
    result.present = (seqs[0], seqs[-1])
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
    if seqs[0] == start:  # else no leaf at the block's start: no subtree to rebuild
        result.prefix = next((i for i, seq in enumerate(seqs) if seq != start + i), len(seqs))
    # An event with no leaf hash (reported above) keeps its place with a hash of zeros, wrong like its content.
    missing_leaf = bytes(profile().crypto.digest_size)
    return b"".join(value or missing_leaf for value in recomputed[:result.prefix])


def verify_block(start: int, end: int, checkpoint_sizes: Sequence[int], tree_size: int) -> BlockResult:
    """Verify events [start, end): start a multiple of 2^BLOCK_LEVEL, end at most one block further."""
    result = BlockResult(start)
    leaves = _read_block_events(result, end)
    if not result.prefix:
        return result
    levels = subtree_levels(leaves)
    for size in checkpoint_sizes:
        if start < size <= start + result.prefix:  # the perfect subtrees of [start, size), largest first
            covered, result.frontiers[size] = 0, []
            for level in reversed(range((size - start).bit_length())):
                if (size - start) >> level & 1:
                    result.frontiers[size].append(level_node(levels, level, covered >> level))
                    covered += 1 << level
    if result.prefix == 1 << BLOCK_LEVEL:
        result.root = levels[BLOCK_LEVEL]
    mismatched: set[merkle.NodeKey] = set()
    check_stored_nodes({level: (start >> level, hashes) for level, hashes in enumerate(levels)}, tree_size,
                       mismatched, result.tree_findings, result.leaf_mismatches)
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
