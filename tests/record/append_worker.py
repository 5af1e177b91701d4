"""Helper process of test_concurrency.py (not a test): works on a real database, with real commits.

    python -m tests.record.append_worker append WORKER COUNT BARRIER_DIR   appends, some rolled back
    python -m tests.record.append_worker checkpoint COUNT BARRIER_DIR      make_checkpoint() COUNT times
    python -m tests.record.append_worker verify COUNT BARRIER_DIR          verify_all() COUNT times, live
    python -m tests.record.append_worker populate COUNT                    COUNT events in one transaction
    python -m tests.record.append_worker dump                              the log as JSON
    python -m tests.record.append_worker tamper SEQ NODE_LEVEL NODE_INDEX  rewrite an event's payload and a tree
                                                                           node, committed (triggers dropped)

The database is the one the environment names (ZHIFA_DATA_DIR, ZHIFA_DATABASE_URL), as for the `zhifa` command.
Each mode prints one JSON line. Workers touch BARRIER_DIR/ready-NAME, then wait for BARRIER_DIR/go, so that
they all start at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


class Rollback(Exception):
    """Raised to roll a transaction back on purpose."""


def _wait_for_start(barrier: Path, name: str) -> None:
    (barrier / f"ready-{name}").touch()
    deadline = time.monotonic() + 120
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)


def append(worker: int, count: int, barrier: Path) -> dict:
    """`count` transactions: every 5th rolls back whole, every 5th commits after rolling back a savepoint."""
    from django.db import transaction

    from zhifa.record import log

    _wait_for_start(barrier, f"append-{worker}")
    committed, rolled_back = [], []
    for i in range(count):
        payload = {"worker": worker, "i": i}
        try:
            with transaction.atomic():
                if i % 5 == 3:
                    try:
                        with transaction.atomic():
                            log.append("test.rolled_back", actor=None, payload={**payload, "savepoint": True})
                            raise Rollback
                    except Rollback:
                        pass
                log.append("test.concurrent", actor=None, payload=payload)
                if i % 5 == 4:
                    raise Rollback
            committed.append(i)
        except Rollback:
            rolled_back.append(i)
    return {"worker": worker, "committed": committed, "rolled_back": rolled_back}


def checkpoint(count: int, barrier: Path, name: str) -> dict:
    from zhifa.record.checkpoints import make_checkpoint

    _wait_for_start(barrier, name)
    sizes = []
    for _ in range(count):
        sizes.append(make_checkpoint().size)
        time.sleep(0.01)
    return {"sizes": sizes}


def verify(count: int, barrier: Path) -> dict:
    from zhifa.record.verify import verify_all

    _wait_for_start(barrier, "verify")
    findings = []
    for _ in range(count):
        findings += [f"{f.object} {f.kind}: {f.detail}" for f in verify_all()]
    return {"findings": findings}


def populate(count: int) -> dict:
    from django.db import transaction

    from zhifa.record import log

    with transaction.atomic():
        for i in range(count):
            log.append("test.populated", actor=None, payload={"i": i})
    return {"appended": count}


def dump() -> dict:
    from zhifa.record import tree
    from zhifa.record.models import Checkpoint, Event, LogHead

    return {
        "head": LogHead.objects.get(id=1).size,
        "tree_size": tree.tree_size(),
        "events": list(Event.objects.order_by("seq").values_list("seq", "event_type", "payload")),
        "checkpoints": list(Checkpoint.objects.order_by("size").values_list("size", flat=True)),
    }


def tamper(seq: int, level: int, index: int) -> dict:
    """An attacker with database access: the triggers dropped for good, an event's payload and a node rewritten."""
    from django.db import transaction

    from tests.record.conftest import drop_append_only_triggers, raw
    from zhifa.record.tree import node_key

    with transaction.atomic():
        drop_append_only_triggers()
        raw("UPDATE record_event SET payload = %s WHERE seq = %s", ['{"i":-1}', seq])
        raw("UPDATE record_merklenode SET hash = %s WHERE key = %s", [b"\x05" * 32, node_key(level, index)])
    return {"tampered": seq}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    mode, *args = argv
    if mode == "append":
        result = append(int(args[0]), int(args[1]), Path(args[2]))
    elif mode == "checkpoint":
        result = checkpoint(int(args[0]), Path(args[1]), f"checkpoint-{os.getpid()}")
    elif mode == "verify":
        result = verify(int(args[0]), Path(args[1]))
    elif mode == "populate":
        result = populate(int(args[0]))
    elif mode == "dump":
        result = dump()
    elif mode == "tamper":
        result = tamper(*map(int, args))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
