"""Recall per kind and false-positive rate of ``redact`` over a gold corpus.

A gold mask span counts as found when every non-blank character of it lies under some mask; a span that must
survive counts as wrongly masked when any mask overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.law.redaction_corpus.markup import MASK_KINDS, NUMBER_AND_NAME_SURVIVE_KINDS, Doc, parse
from zhifa.law.redaction import KnownData, RedactionResult, redact

CORPUS_DIR = Path(__file__).parent


def tricky_docs() -> list[Doc]:
    return [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted((CORPUS_DIR / "tricky").glob("*.txt"))]


@dataclass
class Report:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    spurious: int = 0
    masks: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found.get(kind, 0) / self.total[kind] if self.total.get(kind) else 1.0

    def fp_rate(self, kinds: Iterable[str] = NUMBER_AND_NAME_SURVIVE_KINDS) -> float:
        kinds = set(kinds)
        wrong = sum(v for k, v in self.wrong.items() if k in kinds)
        total = sum(v for k, v in self.kept.items() if k in kinds)
        return wrong / total if total else 0.0

    def lines(self) -> list[str]:
        out = []
        for kind in MASK_KINDS:
            found, total = self.found.get(kind, 0), self.total.get(kind, 0)
            out.append(f"recall {kind:13s} {self.recall(kind):7.2%}  ({found}/{total})")
        wrong = sum(v for k, v in self.wrong.items() if k in NUMBER_AND_NAME_SURVIVE_KINDS)
        total = sum(v for k, v in self.kept.items() if k in NUMBER_AND_NAME_SURVIVE_KINDS)
        out.append(f"false positives (non-personal numbers and names) {self.fp_rate():.2%}  ({wrong}/{total})")
        for kind in sorted(self.kept):
            out.append(f"  masked wrongly {kind:15s} {self.wrong.get(kind, 0)}/{self.kept[kind]}")
        out.append(f"masks not touching any gold mask span: {self.spurious}/{self.masks}")
        return out


def _covered(doc_text: str, start: int, end: int, result: RedactionResult) -> bool:
    need = {i for i in range(start, end) if not doc_text[i].isspace()}
    for m in result.spans:
        if m.end > start and m.start < end:
            need -= set(range(m.start, m.end))
    return not need


def evaluate(docs: Iterable[Doc], policy: str = "default", use_known: bool = False) -> Report:
    rep = Report()
    for doc in docs:
        known = KnownData.from_dict(doc.known) if use_known and doc.known else None
        result = redact(doc.text, known, policy)
        for g in doc.masks:
            rep.total[g.kind] = rep.total.get(g.kind, 0) + 1
            if _covered(doc.text, g.start, g.end, result):
                rep.found[g.kind] = rep.found.get(g.kind, 0) + 1
            else:
                ctx = doc.text[max(0, g.start - 15):g.end + 10].replace("\n", "⏎")
                rep.misses.append(f"{doc.name} {g.kind} {g.text!r} …{ctx}…")
        for g in doc.survives:
            rep.kept[g.kind] = rep.kept.get(g.kind, 0) + 1
            hit = [m for m in result.spans if m.end > g.start and m.start < g.end]
            if hit:
                rep.wrong[g.kind] = rep.wrong.get(g.kind, 0) + 1
                rep.false_positives.append(f"{doc.name} {g.kind} {g.text!r} by {hit[0].rule}")
        for m in result.spans:
            rep.masks += 1
            if not any(g.end > m.start and g.start < m.end for g in doc.masks):
                rep.spurious += 1
                ctx = doc.text[max(0, m.start - 12):m.end + 8].replace("\n", "⏎")
                rep.false_positives.append(f"{doc.name} spurious {m.kind} {m.original!r} by {m.rule} …{ctx}…")
    return rep
