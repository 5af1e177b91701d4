"""文号: the agency's pattern per kind, serial numbers gap-free per agency, year and kind (zhifa.core.numbering)."""

from __future__ import annotations

import string
from dataclasses import dataclass

from zhifa.core.errors import RuleViolation
from zhifa.core.numbering import next_number
from zhifa.documents.kinds import DEFAULT_ABBR, DEFAULT_PATTERN, DEFAULT_PATTERNS

PLACEHOLDERS = frozenset({"short", "abbr", "year", "n", "case"})
BASIS_NUMBER = "《党政机关公文格式》（GB/T 9704-2012）发文字号"


def placeholders(pattern: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}


def check_pattern(pattern: str) -> None:
    """A pattern uses known placeholders only and numbers documents apart: {n} or {case}."""
    from django.core.exceptions import ValidationError

    try:
        names = placeholders(pattern)
    except ValueError as exc:
        raise ValidationError(f"文号格式有误：{exc}") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValidationError("文号格式含未知占位符：" + "、".join(sorted(unknown)))
    if not names & {"n", "case"}:
        raise ValidationError("文号格式须含序号 {n} 或案件编号 {case}")


def format_number(pattern: str, *, short: str, abbr: str, year: int, n: int | None, case: str = "") -> str:
    return pattern.format(short=short, abbr=abbr, year=year, n="" if n is None else n, case=case)


@dataclass(frozen=True)
class AllocatedNumber:
    number: str
    year: int
    serial: int | None


def pattern_for(agency, kind: str) -> tuple[str, str]:
    """(pattern, abbr) for the agency's documents of `kind`: its own NumberPattern, else the defaults."""
    from zhifa.documents.models import NumberPattern

    own = NumberPattern.objects.filter(agency=agency, kind=kind).first()
    if own is not None:
        return own.effective_pattern, own.effective_abbr
    return DEFAULT_PATTERNS.get(kind, DEFAULT_PATTERN), DEFAULT_ABBR[kind]


def sequence_kind(kind: str) -> str:
    """The NumberSequence kind of a document kind (the case numbers use "case")."""
    return f"doc.{kind}"


def allocate_number(case, kind: str, year: int) -> AllocatedNumber:
    """The next number for `kind` in the case's agency and `year`, inside the caller's transaction (a rollback gives
    it back). A pattern without {n} (the 立案审批表's {case}) takes no serial."""
    pattern, abbr = pattern_for(case.agency, kind)
    try:
        check_pattern(pattern)
    except Exception as exc:  # a pattern saved without clean(): refuse rather than print a wrong number
        raise RuleViolation("document_pattern_invalid", BASIS_NUMBER, f"文号格式“{pattern}”无效：{exc}") from exc
    uses_serial = "n" in placeholders(pattern)
    serial = next_number(case.agency_id, year, sequence_kind(kind)) if uses_serial else None
    number = format_number(pattern, short=case.agency.short_name, abbr=abbr, year=year, n=serial, case=case.number)
    return AllocatedNumber(number, year, serial)
