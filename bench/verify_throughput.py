"""`zhifa verify` throughput vs hashing the same bytes with hashlib (issue 3 §7).

    python bench/verify_throughput.py [--events 100000] [--database-url postgres://user@host:5432/any] [--profile]

Sets up a throw-away data directory and SQLite database (or a scratch PostgreSQL database zhifa_test_bench_*
on the given server, dropped afterwards), writes N events with correct leaf hashes straight into the log
(bulk inserts: the append path is another bench), hashes them into the tree with a signed checkpoint every
N/10 events, then times in the same run:

* `zhifa.record.verify.verify_log()`: read every event, recompute its canonical bytes and leaf hash, rebuild
  the tree, compare it with the stored nodes, check every checkpoint's signature, root and consistency;
* the baseline: hashlib hashing the same canonical bytes, H(0x00 ‖ bytes), with the profile's hash (sm3 under
  gm), from memory.

Prints one JSON line; target ratio ≥ 0.5. `--profile` prints the top of a cProfile of verify_log to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchsetup import setup_django  # noqa: E402  (the bench folder is the script's own)


def populate(events: int) -> list[bytes]:
    """N events with correct leaf hashes, counted by the log head; checkpoints every N/10. Returns their bytes."""
    from django.db import transaction

    from zhifa.record import checkpoints, log
    from zhifa.record.models import Event, LogHead

    start = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    every = max(1, events // 10)
    details = {"title": "涉嫌销售过期食品", "parties": ["渌口区某某超市有限公司"], "amount": "2000.00"}
    canonical: list[bytes] = []
    for first in range(0, events, every):
        batch = []
        for seq in range(first, min(first + every, events)):
            event = Event(seq=seq, recorded_at=start + dt.timedelta(seconds=seq), actor_name="基准执法员",
                          credential_number="43021226990001", case_id=seq // 7, object_type="cases.case",
                          object_id=str(seq // 7), event_type="case.opened",
                          payload=log.normalise_payload({"number": f"渌市监立〔2025〕{seq}号", **details}))
            data = log.canonical_bytes(event)
            event.leaf_hash = log.profile().leaf_hash(data)
            canonical.append(data)
            batch.append(event)
        with transaction.atomic():
            Event.objects.bulk_create(batch, batch_size=2000)
            LogHead.objects.filter(id=1).update(size=batch[-1].seq + 1)
        checkpoints.make_checkpoint()
    return canonical


def run(events: int, profile_verify: bool) -> dict:
    from django.db import connection

    from zhifa.record.crypto import profile
    from zhifa.record.models import Checkpoint
    from zhifa.record.verify import verify_log

    canonical = populate(events)
    hash_name = profile().crypto.hash_name

    started, cpu = time.perf_counter(), time.process_time()
    for data in canonical:
        hashlib.new(hash_name, b"\x00" + data).digest()
    baseline_time, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu

    profiler = None
    if profile_verify:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    findings = verify_log()
    verify_time, verify_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    assert not findings, findings[:5]
    events_per_s = events / verify_time
    baseline = events / baseline_time
    return {"bench": "verify_throughput", "database": connection.vendor, "crypto": profile().crypto.name,
            "hash": hash_name, "events": events, "checkpoints": Checkpoint.objects.count(),
            "event_bytes_avg": round(sum(map(len, canonical)) / len(canonical)),
            "events_per_s": round(events_per_s), "baseline_hashlib_per_s": round(baseline),
            "ratio": round(events_per_s / baseline, 4), "target_ratio": 0.5,
            "events_per_cpu_s": round(events / verify_cpu), "ratio_cpu": round(baseline_cpu / verify_cpu, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL server (a scratch database is created on it)")
    parser.add_argument("--profile", action="store_true", help="cProfile verify_log (stderr)")
    args = parser.parse_args()
    cleanup = setup_django(args.database_url)
    try:
        print(json.dumps(run(args.events, args.profile), ensure_ascii=False))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
