"""Issue 3 §1: appends from many OS processes give one gap-free, fork-free sequence, on SQLite and PostgreSQL.

These processes need real commits, so they work on a database of their own (a SQLite file in tmp_path, or a
PostgreSQL database zhifa_test_conc_*), migrated once by `zhifa manage migrate` and dropped afterwards: never
the test database, whose record tables cannot be flushed.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
PER_WORKER = 50
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str:
    """The server to create databases on: $ZHIFA_TEST_POSTGRES_URL, the suite's own PostgreSQL, or localhost."""
    url = os.environ.get("ZHIFA_TEST_POSTGRES_URL") or os.environ.get("ZHIFA_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_POSTGRES
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _postgres_admin(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres").replace("postgres://", "postgresql://", 1),
                           autocommit=True, connect_timeout=3)


def _run(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _json_of(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def real_database(request, tmp_path) -> dict[str, str]:
    """The environment of a freshly migrated database that the worker processes commit to."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_DATA_DIR": str(tmp_path / "data"),
                "ZHIFA_HTTPS": "0", "PYTHONPATH": str(ROOT), "ZHIFA_DB_CONN_MAX_AGE": "0"})
    name = None
    if request.param == "postgresql":
        admin_url = _postgres_admin_url()
        try:
            with _postgres_admin(admin_url):
                pass
        except Exception as exc:  # any failure to connect means: no PostgreSQL here
            pytest.skip(f"PostgreSQL not reachable at {admin_url} ({type(exc).__name__}: {exc}); "
                        "set ZHIFA_TEST_POSTGRES_URL to run the concurrency test on PostgreSQL")
        name = f"zhifa_test_conc_{secrets.token_hex(4)}"
        with _postgres_admin(admin_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["ZHIFA_DATABASE_URL"] = _with_database(admin_url, name)
    try:
        migrated = _run(env, "-m", "zhifa.cli", "manage", "migrate", "--verbosity", "0")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        yield env
    finally:
        if name is not None:
            with _postgres_admin(admin_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start_together(env: dict[str, str], barrier: Path, commands: list[list[str]]) -> list[dict]:
    """Launch the workers, wait until each is set up (Django imported), let them all go, collect their output."""
    barrier.mkdir()
    processes = [subprocess.Popen([sys.executable, "-m", "tests.record.append_worker", *command], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for command in commands]
    try:
        deadline = time.monotonic() + 120
        while len(list(barrier.glob("ready-*"))) < len(commands):
            failed = [p for p in processes if p.poll() not in (None, 0)]
            assert not failed, failed[0].communicate()[1][-3000:]
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.01)
        (barrier / "go").touch()
        outputs = [p.communicate(timeout=300) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


def _verify(env: dict[str, str], *options: str) -> dict:
    result = _run(env, "-m", "zhifa.cli", "verify", "--json", *options)
    report = json.loads(result.stdout)
    assert (result.returncode, report) == (0, {"ok": True, "findings": []}), report
    return report


def test_concurrent_appends_give_one_gap_free_fork_free_sequence(real_database, tmp_path):
    env = real_database
    commands = [["append", str(w), str(PER_WORKER), str(tmp_path / "go")] for w in range(WORKERS)]
    commands += [["checkpoint", "15", str(tmp_path / "go")] for _ in range(2)]  # extend_tree + sign meanwhile
    commands += [["verify", "3", str(tmp_path / "go")]]  # and verify the live log: no false alarm
    results = _start_together(env, tmp_path / "go", commands)
    appenders, verifier = results[:WORKERS], results[-1]
    assert verifier["findings"] == []

    log = _json_of(_run(env, "-m", "tests.record.append_worker", "dump"))
    committed = {(r["worker"], i) for r in appenders for i in r["committed"]}
    assert len(committed) == WORKERS * PER_WORKER * 4 // 5  # every 5th transaction rolled back
    seqs = [seq for seq, _, _ in log["events"]]
    assert seqs == list(range(len(seqs))), "the sequence has a gap or a duplicate"
    assert log["head"] == len(seqs) == len(committed)
    recorded = Counter((payload["worker"], payload["i"]) for _, _, payload in log["events"])
    assert set(recorded) == committed and max(recorded.values()) == 1  # exactly the committed events, once each
    assert {event_type for _, event_type, _ in log["events"]} == {"test.concurrent"}  # no rolled-back savepoint
    # the events of one process keep their order
    for worker in range(WORKERS):
        mine = [payload["i"] for _, _, payload in log["events"] if payload["worker"] == worker]
        assert mine == sorted(mine)

    _verify(env)  # leaf hashes, one tree over them, every checkpoint signed and consistent with the next
    assert log["checkpoints"] == sorted(set(log["checkpoints"]))


def test_concurrent_extend_tree_and_checkpoint_build_one_tree(real_database, tmp_path):
    """Two processes hash the same backlog into the tree and sign it at once: one tree, one checkpoint."""
    env = real_database
    backlog = 6_000  # more than tree.BATCH (5,000), so the two interleave over batches
    assert _json_of(_run(env, "-m", "tests.record.append_worker", "populate", str(backlog)))["appended"] == backlog
    results = _start_together(env, tmp_path / "go", [["checkpoint", "1", str(tmp_path / "go")]] * 2)
    assert [r["sizes"] for r in results] == [[backlog], [backlog]]
    log = _json_of(_run(env, "-m", "tests.record.append_worker", "dump"))
    assert (log["tree_size"], log["checkpoints"]) == (backlog, [backlog])
    _verify(env, "--workers", "2")  # two blocks of events, each in a worker process of its own


def test_verify_in_worker_processes_names_what_changed_in_a_later_block(real_database):
    """The events of the second block are checked in a worker process: an event changed there and a stored node
    of its subtree are named, and the signed checkpoint over both blocks no longer matches."""
    env = real_database
    assert _json_of(_run(env, "-m", "tests.record.append_worker", "populate", "6000"))["appended"] == 6000
    assert _run(env, "-m", "zhifa.cli", "checkpoint").returncode == 0
    _json_of(_run(env, "-m", "tests.record.append_worker", "tamper", "5000", "3", "700"))  # leaves 5600–5607
    result = _run(env, "-m", "zhifa.cli", "verify", "--json", "--workers", "2")
    findings = {(f["kind"], f["object"]) for f in json.loads(result.stdout)["findings"]}
    assert result.returncode == 1
    assert findings == {("event_altered", "event:5000"), ("tree_node_altered", "node:3/700"),
                        ("checkpoint_root_mismatch", "checkpoint:6000")}
