#!/usr/bin/env python3
"""Check the translation catalogs under zhifa/locale: every message translated, no fuzzy entries, the same
placeholders in msgid and msgstr, and `msgfmt --check` passes.

    python scripts/check_translations.py [path/to/django.po ...]

Without arguments every zhifa/locale/*/LC_MESSAGES/*.po is checked. Exit status 1 if anything is wrong."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "zhifa" / "locale"

# printf-style conversions as Python's % operator reads them (named or positional, %% included)
PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
NAMED = re.compile(r"%\((\w+)\)[a-z]")
BRACE = re.compile(r"\{(\w*)\}")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int | None, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # PO escapes (\n \t \" \\) are a subset of Python's


def parse(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            text = _unquote(text)
            if keyword == "msgid":
                entry.msgid, target = text, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", None)
            elif keyword == "msgctxt":
                target = ("msgctxt", None)
            else:
                key = int(index) if index is not None else None
                entry.msgstr[key], target = text, ("msgstr", key)
        elif line.startswith('"') and target is not None:
            text = _unquote(line)
            kind, key = target
            if kind == "msgid":
                entry.msgid += text
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            elif kind == "msgstr":
                entry.msgstr[key] += text
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def placeholders(text: str, flags: set[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    if "python-format" in flags:
        found.update(match.group(0) for match in PYTHON_FORMAT.finditer(text))
    else:
        found.update(match.group(0) for match in NAMED.finditer(text))
    if "python-brace-format" in flags:
        found.update("{" + name + "}" for name in BRACE.findall(text))
    return found


def check_entries(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if entry.obsolete:
            continue
        where = f"line {entry.line}"
        if entry.msgid == "":  # the header
            if "fuzzy" in entry.flags:
                problems.append(f"{where}: the header is marked fuzzy")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy: {entry.msgid!r}")
        if entry.msgid_plural is None:
            pairs = [(entry.msgid, entry.msgstr.get(None, ""))]
        else:
            if None in entry.msgstr or not entry.msgstr:
                problems.append(f"{where}: plural entry without msgstr[n]: {entry.msgid!r}")
            pairs = [(entry.msgid if index == 0 else entry.msgid_plural, text)
                     for index, text in sorted((k, v) for k, v in entry.msgstr.items() if k is not None)]
        for source, translation in pairs:
            if not translation.strip():
                problems.append(f"{where}: empty msgstr: {source!r}")
                continue
            expected, got = placeholders(source, entry.flags), placeholders(translation, entry.flags)
            if expected != got:
                problems.append(f"{where}: placeholders differ: {source!r} has {sorted(expected.elements())}, "
                                f"{translation!r} has {sorted(got.elements())}")
    return problems


def msgfmt_check(path: Path) -> list[str]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return ["msgfmt not found (install gettext)"]
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {result.stderr.strip()}")
    return [] if result.returncode == 0 else [f"msgfmt --check failed:\n{result.stderr}"]


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    if not paths:
        print(f"no catalogs under {LOCALE}", file=sys.stderr)
        return 1
    failed = False
    for path in paths:
        entries = parse(path)
        problems = check_entries(entries) + msgfmt_check(path)
        messages = sum(1 for entry in entries if entry.msgid and not entry.obsolete)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        print(f"{path.name}: {messages} messages, {len(problems)} problems")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
