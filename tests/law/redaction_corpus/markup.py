"""Gold markup of the redaction corpus.

``[[kind|text]]`` marks a span that must be masked (kind: name, id_number, phone, bank_account, address);
``{{kind|text}}`` marks a span that must survive (organisation names, credit codes, law articles, dates, amounts,
document numbers, officers' names and credential numbers, the punished person's name under policy default…).
Markup does not nest. ``parse`` returns the plain text and the gold spans in its coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MASK_KINDS = ("name", "id_number", "phone", "bank_account", "address")
SURVIVE_KINDS = (
    "organisation", "credit_code", "law_article", "date", "amount", "doc_number", "credential", "postal_code",
    "batch_number", "licence_number", "barcode", "punished_name", "officer_name", "agency_phone", "gov_account",
    "org_address", "report_number", "plate",
)
NUMBER_AND_NAME_SURVIVE_KINDS = frozenset(SURVIVE_KINDS) - {"org_address"}
"""Survive kinds counted in the false-positive goal (non-personal numbers and names)."""

_MARK_RE = re.compile(r"\[\[(\w+)\|(.*?)\]\]|\{\{(\w+)\|(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    kind: str
    text: str


@dataclass
class Doc:
    name: str
    text: str
    masks: list[Gold] = field(default_factory=list)
    survives: list[Gold] = field(default_factory=list)
    known: dict = field(default_factory=dict)


def parse(name: str, marked: str, known: dict | None = None) -> Doc:
    out: list[str] = []
    masks: list[Gold] = []
    survives: list[Gold] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(marked):
        before = marked[pos:m.start()]
        out.append(before)
        length += len(before)
        kind, body = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        target = masks if m.group(1) else survives
        allowed = MASK_KINDS if m.group(1) else SURVIVE_KINDS
        if kind not in allowed:
            raise ValueError(f"{name}: unknown kind {kind!r}")
        target.append(Gold(length, length + len(body), kind, body))
        out.append(body)
        length += len(body)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "{{" in text:
        raise ValueError(f"{name}: unbalanced markup")
    return Doc(name, text, masks, survives, known or {})
