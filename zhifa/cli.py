"""The `zhifa` command. Exit codes: 0 ok, 1 a finding or failure, 2 bad usage or input."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input: printed on stderr, exit 2."""


def _setup_django(data_dir: str | None) -> None:
    if data_dir:
        os.environ["ZHIFA_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="data directory (default: $ZHIFA_DATA_DIR or ./var)")


# --- commands -----------------------------------------------------------------------------------------


def cmd_workdays(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.law import workdays

    try:
        if args.workdays_command == "add":
            if args.n < 0:
                raise UsageError("N must be zero or more")
            result = (workdays.add_calendar_days if args.calendar else workdays.add_working_days)(args.date, args.n)
            print(result.isoformat())
        else:
            print("工作日 working day" if workdays.is_working_day(args.date) else "休息日 rest day")
            return EXIT_OK if workdays.is_working_day(args.date) else EXIT_FINDING
    except workdays.UnknownYearError as exc:
        raise UsageError(str(exc)) from exc
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa manage", *args.args])
    return EXIT_OK


def _migrate_and_collect() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(EXIT_OK)


def _serve(port: int, with_worker: bool) -> int:
    """gunicorn for the web, plus (optionally) one task worker; Ctrl-C or SIGTERM (a supervisor's stop) stops
    both: SIGTERM's default would end this process alone and leave its children running."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    env = dict(os.environ)
    children = []
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "zhifa.cli", "worker"], env=env))
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zhifa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "600", "--access-logfile", "-"],
        env=env,
    )
    children.append(web)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                child.wait(timeout=10)


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("ZHIFA_HTTPS", "0")  # the demo serves plain HTTP on 127.0.0.1
    _setup_django(args.data_dir)
    from django.conf import settings

    from zhifa.demo.load import load_demo, print_accounts

    _migrate_and_collect()
    accounts = load_demo(settings.DATA_DIR)
    print_accounts(accounts, settings.DATA_DIR)
    if args.no_serve:
        return EXIT_OK
    print(f"\n  zhifa 演示平台 / demo: http://127.0.0.1:{args.port}/   (Ctrl-C 停止 / to stop)\n", flush=True)
    return _serve(args.port, with_worker=True)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    _migrate_and_collect()
    return _serve(args.port, with_worker=not args.no_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.core.worker import run_worker

    return run_worker(once=args.once)


def cmd_verify(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.record.verify import run_verify_command

    return run_verify_command(as_json=args.json, workers=args.workers)


def cmd_checkpoint(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.record.checkpoints import make_checkpoint

    print(make_checkpoint().note, end="")
    return EXIT_OK


def cmd_export_case(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.cases.models import Case
    from zhifa.record.archive import export_case

    case = Case.objects.filter(number=args.case_no).first()
    if case is None:
        raise UsageError(f"no case numbered {args.case_no!r}")
    if case.confidentiality != "none" and not args.reason:
        raise UsageError(f"case {case.number} is marked {case.get_confidentiality_display()}: give --reason")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(export_case(case, out, reason=args.reason))
    return EXIT_OK


def cmd_verify_bag(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.record.archive import verify_bag

    bag = Path(args.bag)
    if not (bag / "bagit.txt").is_file():
        raise UsageError(f"{bag} is not a BagIt bag (no bagit.txt)")
    problems = verify_bag(bag, trusted_keys=args.key or None)
    for problem in problems:
        print(f"{problem.object}\t{problem.detail}")
    print("归档包完整 / the bag verifies" if not problems else f"{len(problems)} problem(s)")
    return EXIT_FINDING if problems else EXIT_OK


def cmd_redact(args: argparse.Namespace) -> int:
    from zhifa.law.redaction_cli import run_redact

    known = Path(args.known) if args.known else None
    return run_redact([Path(f) for f in args.files], Path(args.out), policy=args.policy, known=known)


def cmd_report(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir)
    from zhifa.reports.export import ExportUsageError, write_annual_report

    try:
        paths = write_annual_report(args.agency, args.year, Path(args.out))
    except ExportUsageError as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        print(f"zhifa report: cannot write into {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FINDING
    for path in paths:
        print(path)
    return EXIT_OK


# --- parser -------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhifa", description="zhifa 行政执法平台 — administrative enforcement")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="set up the demo data and serve it (idempotent)")
    _add_data_dir(demo)
    demo.add_argument("--no-serve", action="store_true", help="load the demo data and stop")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="migrate, then serve the platform with one task worker")
    _add_data_dir(serve)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="run workers separately (`zhifa worker`)")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run background tasks and the periodic checkpoint")
    _add_data_dir(worker)
    worker.add_argument("--once", action="store_true", help="run the periodic jobs once and stop")
    worker.set_defaults(func=cmd_worker)

    manage = sub.add_parser("manage", help="any Django management command", add_help=False)
    _add_data_dir(manage)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    wd = sub.add_parser("workdays", help="working days (APL Art. 85)")
    _add_data_dir(wd)
    wd_sub = wd.add_subparsers(dest="workdays_command", required=True, metavar="SUBCOMMAND")
    add = wd_sub.add_parser("add", help="the N-th working day after DATE")
    add.add_argument("date", type=_parse_date, metavar="DATE")
    add.add_argument("n", type=int, metavar="N")
    add.add_argument("--calendar", action="store_true",
                     help="count N calendar days; a last day on a rest day moves to the next working day")
    is_ = wd_sub.add_parser("is", help="is DATE a working day? (exit 0 yes, 1 no)")
    is_.add_argument("date", type=_parse_date, metavar="DATE")
    wd.set_defaults(func=cmd_workdays)

    verify = sub.add_parser("verify", help="check the record: events, tree, checkpoints, evidence files")
    _add_data_dir(verify)
    verify.add_argument("--json", action="store_true", help="print findings as JSON")
    verify.add_argument("--workers", type=_positive_int, help="processes checking the events (default: one per core)")
    verify.set_defaults(func=cmd_verify)

    checkpoint = sub.add_parser("checkpoint", help="sign a checkpoint of the record now and print it")
    _add_data_dir(checkpoint)
    checkpoint.set_defaults(func=cmd_checkpoint)

    export = sub.add_parser("export-case", help="write a case's archive as a BagIt bag")
    _add_data_dir(export)
    export.add_argument("case_no", metavar="CASE_NO")
    export.add_argument("--out", required=True, help="folder to write the bag into")
    export.add_argument("--reason", default="", help="why a marked (secret/private) case is exported")
    export.set_defaults(func=cmd_export_case)

    verify_bag = sub.add_parser("verify-bag", help="check a case archive offline: manifests, signature, proofs")
    _add_data_dir(verify_bag)
    verify_bag.add_argument("bag", metavar="DIR")
    verify_bag.add_argument("--key", action="append", help="trusted verifier key (default: the keys in the bag)")
    verify_bag.set_defaults(func=cmd_verify_bag)

    redact = sub.add_parser("redact", help="mask personal data in decision texts before publication (issue 7 §2)")
    redact.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files")
    redact.add_argument("--out", required=True, metavar="DIR", help="folder for the redacted files (same names)")
    redact.add_argument("--policy", default="default", metavar="NAME",
                        help="redaction policy: default (keeps the punished person's name) or strict")
    redact.add_argument("--known", metavar="FILE.json",
                        help="what the case knows (names, id_numbers, phones, addresses, bank_accounts, …)")
    redact.set_defaults(func=cmd_redact)

    report = sub.add_parser("report", help="enforcement reports (issue 7 §6)")
    _add_data_dir(report)
    report_sub = report.add_subparsers(dest="report_command", required=True, metavar="SUBCOMMAND")
    annual = report_sub.add_parser("annual", help="an agency's annual report: PDF, XLSX and JSON figures")
    annual.add_argument("--agency", required=True, metavar="CODE", help="the agency's code, e.g. lk-scjg")
    annual.add_argument("--year", required=True, type=int, metavar="Y", help="the report's year (a finished year)")
    annual.add_argument("--out", required=True, metavar="DIR", help="folder to write the files into")
    report.set_defaults(func=cmd_report)

    return parser


def _split_manage(argv: list[str]) -> argparse.Namespace | None:
    """`zhifa manage [--data-dir DIR] ARGS…`: everything after is Django's, options and --help included."""
    if not argv or argv[0] != "manage":
        return None
    rest, data_dir = argv[1:], None
    if rest[:1] == ["--data-dir"] and len(rest) >= 2:
        data_dir, rest = rest[1], rest[2:]
    elif rest and rest[0].startswith("--data-dir="):
        data_dir, rest = rest[0].split("=", 1)[1], rest[1:]
    return argparse.Namespace(command="manage", data_dir=data_dir, args=rest, func=cmd_manage)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _split_manage(argv) or parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 for bad usage, 0 for --help
        return int(exc.code or 0)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UsageError as exc:
        print(f"zhifa {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        from zhifa.env import ConfigError

        if isinstance(exc, ConfigError):
            print(f"zhifa: configuration error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    sys.exit(main())
