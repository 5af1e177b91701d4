"""`zhifa verify` throughput vs hashing the same bytes with hashlib (issue 3 §7).

    python bench/verify_throughput.py [--events 100000] [--evidence-mb 1024] [--database-url postgres://…]
                                      [--workers N] [--repeat 3] [--profile]

Sets up a throw-away data directory and SQLite database (or a scratch PostgreSQL database zhifa_test_bench_* on the
given server, dropped afterwards), writes N events with correct leaf hashes straight into the log, as the append
path stores them (batched inserts: the append path is another bench), hashes them into the tree with a signed
checkpoint every N/10 events, stores --evidence-mb of audio-video evidence (generated MPEG-TS files of 128 MB, each
its own content) through the evidence action, then times in the same run:

* what `zhifa verify` does (`verify_all()`), in its two parts: `verify_log()` — read every event, recompute its
  canonical bytes and leaf hash, rebuild the tree, compare it with the stored nodes, check every checkpoint's
  signature, root and consistency, in blocks on one worker process per core (`--workers`) — and the evidence check —
  re-hash every stored file (SHA-256, and the log's hash on another core) against its row and the row against its
  event;
* the baseline: hashlib hashing the same bytes once with the profile's hash (sm3 under gm): each event's canonical
  bytes H(0x00 ‖ bytes) from memory, and each evidence file read from storage in 1 MiB chunks.

The event log's two sides run --repeat times, taking turns, and the fastest run of each counts (the evidence once).
Prints one JSON line: `ratio` is the whole command's (bytes per second against the baseline's over all the bytes);
`ratio_events` is the event log's alone (events per second against hashing their bytes), and `ratio_events_cpu` the
same per CPU second (the workers' included). Target ratio ≥ 0.5. `--profile` prints the top of a cProfile of
verify_log to stderr."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchsetup import make_officer, make_video, setup_django  # noqa: E402  (the bench folder is the script's own)


def populate(events: int) -> list[bytes]:
    """N events with correct leaf hashes, stored as the append path stores them (one INSERT per row, the payload's
    text as log.append writes it), counted by the log head; checkpoints every N/10. Returns their bytes."""
    from django.db import connection, transaction

    from zhifa.record import checkpoints, log
    from zhifa.record.models import LogHead

    start = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    every = max(1, events // 10)
    details = {"title": "涉嫌销售过期食品", "parties": ["渌口区某某超市有限公司"], "amount": "2000.00"}
    canonical: list[bytes] = []
    for first in range(0, events, every):
        rows = []
        for seq in range(first, min(first + every, events)):
            recorded_at = start + dt.timedelta(seconds=seq, microseconds=seq % 1000)
            payload_text, payload, plain = log._payload_text({"number": f"渌市监立〔2025〕{seq}号", **details})
            values = [seq, recorded_at, None, "基准执法员", "43021226990001", None, seq // 7, "cases.case",
                      str(seq // 7), "case.opened", payload]
            data = log.leaf_bytes(*values, plain=plain)
            canonical.append(data)
            rows.append([*values[:-1], payload_text, log.profile().leaf_hash(data)])
            rows[-1][1] = connection.ops.adapt_datetimefield_value(recorded_at)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(log._insert_sql(connection.vendor), rows)
            LogHead.objects.filter(id=1).update(size=rows[-1][0] + 1)
        checkpoints.make_checkpoint()
    return canonical


FILE_MB = 128


def store_evidence(megabytes: int) -> list[str]:
    """Audio-video evidence through the evidence action (stored, probed, recorded); returns the storage keys."""
    import tempfile

    from zhifa.evidence.actions import add_evidence

    _agency, officer = make_officer()
    keys = []
    with tempfile.TemporaryDirectory(prefix="zhifa-bench-av-") as folder:
        for number in range(-(-megabytes // FILE_MB)):
            path = Path(folder) / f"av-{number}.ts"
            make_video(path, min(FILE_MB, megabytes - number * FILE_MB) << 20)
            with path.open("rb") as handle:
                evidence = add_evidence(officer, handle, kind="audiovisual", title=f"执法记录仪视频 {number}")
            keys.append(evidence.storage_key)
            path.unlink()
    return keys


def hash_file(key: str, hash_name: str) -> int:
    from zhifa.evidence import store

    digest, size = hashlib.new(hash_name), 0
    for chunk in store.open_range(key):
        digest.update(chunk)
        size += len(chunk)
    digest.digest()
    return size


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (verify's worker processes)."""
    user, system, children_user, children_system, _elapsed = os.times()
    return user + system + children_user + children_system


def run(events: int, evidence_mb: int, profile_verify: bool, workers: int | None, repeat: int) -> dict:
    from django.db import connection

    from zhifa.record import tree
    from zhifa.record.crypto import profile
    from zhifa.record.models import Checkpoint
    from zhifa.record.verify import verify_evidence, verify_log

    canonical = populate(events)
    keys = store_evidence(evidence_mb) if evidence_mb else []
    tree.extend_tree()
    hash_name = profile().crypto.hash_name

    # The event log's two sides take turns, `repeat` times each, and the fastest run of each counts: a noisy machine
    # slows single runs by half or more, and the fastest is the one least disturbed.
    baseline_time = baseline_cpu = verify_time = verify_cpu = float("inf")
    findings = []
    profiler = None
    for run_number in range(repeat):
        started, cpu = time.perf_counter(), cpu_seconds()
        for data in canonical:
            hashlib.new(hash_name, b"\x00" + data).digest()
        baseline_time = min(baseline_time, time.perf_counter() - started)
        baseline_cpu = min(baseline_cpu, cpu_seconds() - cpu)
        if profile_verify and run_number == repeat - 1:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started, cpu = time.perf_counter(), cpu_seconds()
        findings = verify_log(workers=workers)
        verify_time = min(verify_time, time.perf_counter() - started)
        verify_cpu = min(verify_cpu, cpu_seconds() - cpu)
        assert not findings, findings[:5]
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    started = time.perf_counter()
    evidence_bytes = sum(hash_file(key, hash_name) for key in keys)
    baseline_evidence_time = time.perf_counter() - started
    started = time.perf_counter()
    findings += verify_evidence()
    evidence_time = time.perf_counter() - started
    assert not findings, findings[:5]
    event_bytes = sum(map(len, canonical))
    total_bytes = event_bytes + evidence_bytes
    mb_per_s = total_bytes / (verify_time + evidence_time) / 1e6
    baseline_mb_per_s = total_bytes / (baseline_time + baseline_evidence_time) / 1e6
    return {"bench": "verify_throughput", "database": connection.vendor, "crypto": profile().crypto.name,
            "hash": hash_name, "events": events, "checkpoints": Checkpoint.objects.count(),
            "event_bytes_avg": round(event_bytes / len(canonical)), "evidence_files": len(keys),
            "evidence_mb": round(evidence_bytes / 1e6), "mb_per_s": round(mb_per_s, 1),
            "baseline_mb_per_s": round(baseline_mb_per_s, 1), "ratio": round(mb_per_s / baseline_mb_per_s, 3),
            "target_ratio": 0.5, "repeat": repeat,
            # the event log alone: events, tree and checkpoints against hashing the events' bytes
            "events_per_s": round(events / verify_time), "baseline_hashlib_events_per_s": round(events / baseline_time),
            "ratio_events": round(baseline_time / verify_time, 4), "events_per_cpu_s": round(events / verify_cpu),
            "ratio_events_cpu": round(baseline_cpu / verify_cpu, 4),
            # the evidence files alone
            "evidence_mb_per_s": round(evidence_bytes / evidence_time / 1e6, 1) if keys else None,
            "baseline_evidence_mb_per_s": round(evidence_bytes / baseline_evidence_time / 1e6, 1) if keys else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--evidence-mb", type=int, default=1024, help="megabytes of audio-video evidence (0: none)")
    parser.add_argument("--database-url", help="a PostgreSQL server (a scratch database is created on it)")
    parser.add_argument("--profile", action="store_true", help="cProfile verify_log (stderr; the workers' own work "
                        "is not seen: with --workers 1 it is)")
    parser.add_argument("--workers", type=int, help="verify_log's worker processes (default: one per core)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the event log's two sides, taking turns; "
                        "the fastest of each counts (default 3)")
    args = parser.parse_args()
    cleanup = setup_django(args.database_url)
    try:
        figures = run(args.events, args.evidence_mb, args.profile, args.workers, args.repeat)
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
