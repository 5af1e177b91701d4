"""Append throughput through the action layer vs plain INSERTs of same-size rows (issue 3 §7).

    python bench/append_throughput.py [--events 20000] [--database-url postgres://user@host:5432/any]

Sets up a throw-away data directory and SQLite database (or, with --database-url, a scratch PostgreSQL
database zhifa_test_bench_* on that server, dropped afterwards), then times, in the same run and interleaved
in blocks so that drift hits both alike:

* appends as an action makes them: `record.log.append` by an officer holding a credential, inside
  `transaction.atomic()`, one transaction per event (sequence claim, credential lookup, canonical JSON,
  leaf hash, insert);
* the baseline: plain INSERTs, one transaction per row, into a table with the same columns and the same row
  contents (the payload JSON and a 32-byte hash) and the same primary key; also reported, the same INSERTs into a
  table that has record_event's three secondary indexes too (`ratio_indexed`).

Prints one JSON line (wall-clock figures, and the same per CPU second of this process, which a busy machine
does not inflate). Targets: ratio ≥ 0.5 and ≥ 2,000 events/s on SQLite. `--profile` prints the top of a
cProfile of the appends to stderr.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchsetup import make_officer, setup_django  # noqa: E402  (the bench folder is the script's own)

BLOCK = 1000


def payload(i: int) -> dict:
    """A typical action payload (about 300 bytes of JSON)."""
    return {"number": f"渌市监立〔2025〕{i}号", "title": "涉嫌销售过期食品", "source": "inspection",
            "parties": ["渌口区某某超市有限公司"], "officers": ["基准执法员", "李四"], "amount": "2000.00",
            "decided_on": "2025-03-01"}


def create_plain_tables() -> None:
    """Same columns, types and primary key as record_event (on SQLite the key is the rowid, as there), no triggers:
    bench_plain with the primary key only (the baseline), bench_indexed also with record_event's three secondary
    indexes (case, agency, object)."""
    from django.db import connection

    binary = "bytea" if connection.vendor == "postgresql" else "blob"
    json_type = "jsonb" if connection.vendor == "postgresql" else "text"
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    key = "bigint" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        for table in ("bench_plain", "bench_indexed"):
            cursor.execute(
                f"CREATE TABLE {table} (seq {key} NOT NULL PRIMARY KEY, recorded_at {timestamp} NOT NULL, "
                "actor_id bigint, "
                "actor_name varchar(60) NOT NULL, credential_number varchar(30) NOT NULL, agency_id bigint, "
                "case_id bigint, object_type varchar(40) NOT NULL, object_id varchar(64) NOT NULL, "
                f"event_type varchar(60) NOT NULL, payload {json_type} NOT NULL, leaf_hash {binary} NOT NULL)"
            )
        for columns in ("case_id", "agency_id", "object_type, object_id"):
            cursor.execute(f"CREATE INDEX bench_indexed_{columns.split(',')[0]} ON bench_indexed ({columns})")


def run(events: int, profile_appends: bool, profile_sort: str = "cumulative") -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.record import log
    from zhifa.record.crypto import profile
    from zhifa.record.models import Event

    agency, officer = make_officer()
    create_plain_tables()
    insert = ("INSERT INTO {} (seq, recorded_at, actor_id, actor_name, credential_number, agency_id, "
              "case_id, object_type, object_id, event_type, payload, leaf_hash) "
              "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")

    def appends(start: int, stop: int) -> None:
        for i in range(start, stop):
            with transaction.atomic():
                log.append("case.opened", actor=officer, agency=agency, obj=officer, case_id=i, payload=payload(i))

    def inserts(start: int, stop: int, table: str = "bench_plain") -> None:
        now = timezone.now()
        sql = insert.format(table)
        with connection.cursor() as cursor:
            for i in range(start, stop):
                row = (i, now, officer.pk, "基准执法员", "43021226990001", agency.pk, i, "people.user",
                       str(officer.pk), "case.opened", json.dumps(payload(i), ensure_ascii=False),
                       secrets.token_bytes(32))
                with transaction.atomic():
                    cursor.execute(sql, row)

    appends(0, 200)  # warm up both paths (imports, caches, statement preparation)
    inserts(0, 200)
    inserts(0, 200, "bench_indexed")
    append_time = insert_time = append_cpu = insert_cpu = indexed_time = 0.0
    profiler = None
    if profile_appends:
        import cProfile

        profiler = cProfile.Profile()
    done = 200
    while done < events + 200:
        stop = min(done + BLOCK, events + 200)
        started, cpu = time.perf_counter(), time.process_time()
        inserts(done, stop)
        insert_time += time.perf_counter() - started
        insert_cpu += time.process_time() - cpu
        started = time.perf_counter()
        inserts(done, stop, "bench_indexed")
        indexed_time += time.perf_counter() - started
        if profiler:
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        appends(done, stop)
        append_time += time.perf_counter() - started
        append_cpu += time.process_time() - cpu
        if profiler:
            profiler.disable()
        done = stop
    assert Event.objects.count() == events + 200
    if profiler:
        import pstats

        pstats.Stats(profiler, stream=sys.stderr).sort_stats(profile_sort).print_stats(30)
    events_per_s = events / append_time
    baseline = events / insert_time
    return {"bench": "append_throughput", "database": connection.vendor, "crypto": profile().crypto.name,
            "events": events, "events_per_s": round(events_per_s), "baseline_inserts_per_s": round(baseline),
            "ratio": round(events_per_s / baseline, 3), "target_ratio": 0.5, "target_events_per_s": 2000,
            # CPU seconds of this process (SQLite runs in it): figures a busy machine does not inflate
            "events_per_cpu_s": round(events / append_cpu), "baseline_inserts_per_cpu_s": round(events / insert_cpu),
            "ratio_cpu": round(insert_cpu / append_cpu, 3),
            # the same plain INSERTs into a table that also has record_event's three secondary indexes
            "indexed_inserts_per_s": round(events / indexed_time),
            "ratio_indexed": round(indexed_time / append_time, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database-url", help="a PostgreSQL server (a scratch database is created on it)")
    parser.add_argument("--profile", action="store_true", help="cProfile the appends (stderr)")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    args = parser.parse_args()
    cleanup = setup_django(args.database_url)
    try:
        print(json.dumps(run(args.events, args.profile, args.profile_sort), ensure_ascii=False))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
