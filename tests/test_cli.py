"""The `zhifa` command: --help everywhere; exit codes 0 ok, 1 a finding, 2 bad usage or input."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from zhifa.cli import build_parser, main

ISSUE_COMMANDS = [[], ["demo"], ["serve"], ["worker"], ["manage"], ["workdays"], ["workdays", "add"],
                  ["workdays", "is"]]


def _subcommand_paths() -> list[list[str]]:
    """Every command the parser knows, so a new one cannot go without its --help test."""
    paths: list[list[str]] = [[]]

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    paths.append([*prefix, name])
                    walk(child, [*prefix, name])

    walk(build_parser(), [])
    return paths


SUBCOMMANDS = _subcommand_paths()


def test_every_command_of_the_issue_exists():
    assert all(command in SUBCOMMANDS for command in ISSUE_COMMANDS)


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=lambda c: " ".join(c) or "zhifa")
def test_help_of_every_command_exits_0(capsys, command):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    if command == ["manage"]:  # everything after `manage` is Django's: its own help lists the commands
        assert "Available subcommands" in out and "migrate" in out
    else:
        assert out.startswith(f"usage: zhifa {' '.join(command)}".rstrip())


def test_manage_runs_any_django_command(capsys):
    assert main(["manage", "help", "migrate"]) == 0
    assert "usage:" in capsys.readouterr().out


def test_no_command_is_bad_usage(capsys):
    assert main([]) == 2
    assert "usage: zhifa" in capsys.readouterr().err


# --- workdays --------------------------------------------------------------------------------------------


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.strip(), captured.err


@pytest.mark.django_db
@pytest.mark.parametrize(("argv", "expected"), [
    (["2025-09-30", "1"], "2025-10-09"),  # over the National Day holiday, 10-01 to 10-08
    (["2025-01-24", "1"], "2025-01-26"),  # Saturday rests, Sunday 01-26 is a make-up working day
    (["2025-02-07", "1"], "2025-02-08"),  # Saturday 02-08 is a make-up working day
    (["2025-09-26", "1"], "2025-09-28"),  # Sunday 09-28 is a make-up working day
    (["2026-02-13", "1"], "2026-02-14"),  # Saturday 02-14 is a make-up working day (Spring Festival 2026)
    (["2025-10-01", "0"], "2025-10-09"),  # a period of zero days ends at the next working day
    (["2025-09-30", "0"], "2025-09-30"),
])
def test_workdays_add_counts_working_days_art85(capsys, argv, expected):
    assert _run(capsys, "workdays", "add", *argv)[:2] == (0, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("argv", "expected"), [
    # 09-26 + 10 = 10-06, a National Day holiday: the period ends on the first working day after it
    (["2025-09-26", "10"], "2025-10-09"),
    # 09-26 + 15 = 10-11, a Saturday but a make-up working day: the period ends there
    (["2025-09-26", "15"], "2025-10-11"),
    (["2025-09-26", "14"], "2025-10-10"),
    # 10-12 is a plain Sunday: moves to Monday 10-13
    (["2025-09-26", "16"], "2025-10-13"),
])
def test_workdays_add_calendar_moves_a_rest_day_end_to_the_next_working_day(capsys, argv, expected):
    assert _run(capsys, "workdays", "add", *argv, "--calendar")[:2] == (0, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "code"), [
    ("2025-10-01", 1),  # National Day
    ("2025-10-11", 0),  # make-up Saturday
    ("2025-02-08", 0),  # make-up Saturday
    ("2025-02-09", 1),  # plain Sunday
    ("2025-01-28", 1),  # Spring Festival eve, a holiday in 2025
    ("2026-01-05", 0),  # plain Monday
])
def test_workdays_is_exits_0_for_working_day_1_for_rest_day(capsys, day, code):
    exit_code, out, _ = _run(capsys, "workdays", "is", day)
    assert exit_code == code
    assert out == ("工作日 working day" if code == 0 else "休息日 rest day")


@pytest.mark.django_db
@pytest.mark.parametrize("argv", [["is", "2031-01-02"], ["add", "2031-01-02", "3"], ["add", "2030-12-31", "5"],
                                  ["add", "2031-01-02", "30", "--calendar"]])
def test_workdays_year_without_holiday_data_exits_2_naming_the_year(capsys, argv):
    exit_code, out, err = _run(capsys, "workdays", *argv)
    assert exit_code == 2 and out == ""
    assert "2031" in err and "Traceback" not in err


@pytest.mark.django_db
@pytest.mark.parametrize("argv", [["is", "2025-13-01"], ["is", "yesterday"], ["add", "2025/10/01", "1"],
                                  ["add", "2025-10-01", "one"], ["add", "2025-10-01", "-1"], ["add", "2025-10-01"],
                                  ["frobnicate"]])
def test_workdays_bad_input_exits_2(capsys, argv):
    exit_code, out, err = _run(capsys, "workdays", *argv)
    assert exit_code == 2 and out == ""
    assert err


@pytest.mark.parametrize("workers", ["0", "-2", "two", "1.5"])
def test_verify_workers_must_be_a_positive_whole_number(capsys, workers):
    exit_code, out, err = _run(capsys, "verify", "--workers", workers)
    assert exit_code == 2 and out == ""
    assert "not a positive whole number" in err


# --- as installed: a real process on a fresh data directory ---------------------------------------------


def _zhifa(tmp_path, *argv) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DJANGO_SETTINGS_MODULE"}
    env["ZHIFA_DATA_DIR"] = str(tmp_path / "fresh")
    return subprocess.run([sys.executable, "-m", "zhifa.cli", *argv], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)


def test_workdays_works_on_a_fresh_unmigrated_data_dir(tmp_path):
    result = _zhifa(tmp_path, "workdays", "add", "2025-09-30", "1")
    assert (result.returncode, result.stdout.strip()) == (0, "2025-10-09"), result.stderr
    result = _zhifa(tmp_path, "workdays", "is", "2025-10-01")
    assert result.returncode == 1, result.stderr


def test_unknown_year_in_a_real_process_exits_2_naming_the_year(tmp_path):
    result = _zhifa(tmp_path, "workdays", "is", "2031-06-01")
    assert result.returncode == 2
    assert "2031" in result.stderr and "Traceback" not in result.stderr


def test_console_help_in_a_real_process(tmp_path):
    result = _zhifa(tmp_path, "--help")
    assert result.returncode == 0 and "workdays" in result.stdout and "demo" in result.stdout


def test_serve_stopped_by_sigterm_stops_its_children():
    """A supervisor stops `zhifa serve` with SIGTERM: gunicorn and the task worker stop with it instead of running
    on as orphans. (Children stand in for them here: processes that would sleep for a minute.)"""
    import signal
    import time

    code = (
        "import subprocess, sys\n"
        "from zhifa import cli\n"
        "real = subprocess.Popen\n"
        "def child(args, env=None):\n"
        "    process = real([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "    print(process.pid, flush=True)\n"
        "    return process\n"
        "cli.subprocess.Popen = child\n"
        "sys.exit(cli._serve(0, with_worker=True))\n"
    )
    serve = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    children = [int(serve.stdout.readline()) for _ in range(2)]
    time.sleep(0.2)  # the handler is installed before the children start
    serve.send_signal(signal.SIGTERM)
    try:
        code = serve.wait(timeout=20)
    finally:
        alive = []
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                alive.append(pid)
            except ProcessLookupError:
                pass
    assert (code, alive) == (0, [])
