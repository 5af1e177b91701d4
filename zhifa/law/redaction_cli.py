"""`zhifa redact [--policy NAME] [--known FILE.json] FILE… --out DIR`: redact decision texts before publication.

Each FILE (UTF-8 text) is written, redacted, under the same name in DIR. Every input is checked before anything is
written. Exit codes: 0 ok, 1 failure (a file could not be written), 2 bad usage or input (missing or non-UTF-8
file, unknown policy, bad known-data file, two inputs with the same name, output over an input).
Errors go to stderr, one a line: ``zhifa redact: error[CODE]: PATH: message``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from zhifa.law.redaction import POLICIES, KnownData, redact

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _error(stream: TextIO, code: str, path: Path | str | None, message: str) -> None:
    where = f"{path}: " if path is not None else ""
    print(f"zhifa redact: error[{code}]: {where}{message}", file=stream)


def load_known(path: Path) -> KnownData:
    """KnownData from a JSON object (keys: punished_name, punished_is_person, names, id_numbers, phones,
    addresses, bank_accounts, organisations). Raises ValueError with a message."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a UTF-8 JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    for key, value in data.items():
        if key in ("punished_name",) and not (value is None or isinstance(value, str)):
            raise ValueError(f"{key} must be a string")
        if key == "punished_is_person" and not (value is None or isinstance(value, bool)):
            raise ValueError(f"{key} must be true, false or null")
        if key not in ("punished_name", "punished_is_person") and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"{key} must be a list of strings")
    return KnownData.from_dict(data)


def run_redact(files: list[Path], out_dir: Path, policy: str = "default", known: KnownData | Path | None = None,
               stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Redact ``files`` into ``out_dir`` (same file names). Returns the exit code; prints one line per file."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if policy not in POLICIES:
        _error(err, "unknown_policy", None, f"unknown policy {policy!r}; one of: {', '.join(POLICIES)}")
        return EXIT_USAGE
    if not files:
        _error(err, "no_input", None, "no input file")
        return EXIT_USAGE
    if isinstance(known, Path):
        try:
            known = load_known(known)
        except ValueError as exc:
            _error(err, "bad_known", known, str(exc))
            return EXIT_USAGE
    if out_dir.exists() and not out_dir.is_dir():
        _error(err, "bad_out", out_dir, "exists and is not a directory")
        return EXIT_USAGE

    texts: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    status = EXIT_OK
    for path in files:
        if not path.is_file():
            _error(err, "missing", path, "no such file" if not path.exists() else "not a regular file")
            status = EXIT_USAGE
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            _error(err, "not_utf8", path, f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})")
            status = EXIT_USAGE
            continue
        except OSError as exc:
            _error(err, "unreadable", path, exc.strerror or str(exc))
            status = EXIT_USAGE
            continue
        if path.name in seen:
            _error(err, "duplicate_name", path,
                   f"same file name as {seen[path.name]}: both would be {out_dir / path.name}")
            status = EXIT_USAGE
            continue
        if (out_dir / path.name).resolve() == path.resolve():
            _error(err, "would_overwrite", path, "the output would overwrite the input; choose another --out")
            status = EXIT_USAGE
            continue
        seen[path.name] = path
        texts.append((path, text))
    if status != EXIT_OK:
        return status

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _error(err, "write_failed", out_dir, exc.strerror or str(exc))
        return EXIT_FAILURE
    for path, text in texts:
        result = redact(text, known, policy)
        target = out_dir / path.name
        try:
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(result.text.encode("utf-8"))
            tmp.replace(target)
        except OSError as exc:
            _error(err, "write_failed", target, exc.strerror or str(exc))
            status = EXIT_FAILURE
            continue
        counts = result.counts()
        summary = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "nothing masked"
        print(f"{path} → {target}: {len(result.spans)} masks ({summary})", file=out)
    return status
