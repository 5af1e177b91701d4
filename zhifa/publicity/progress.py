"""What a party sees of its case with a query code: stage, agency, deadlines, documents served to it. Nothing else:
no other party, no officer, no title or facts, no evidence.

Cases grow deadlines and documents in other apps; this module reads them if they exist:
* deadlines: ``case.public_deadlines()`` → iterable of (label, date), else the running deadlines of
  ``zhifa.cases.deadlines.case_deadlines``, else a ``case.deadlines`` relation whose
  rows have a label (``label``/``name``/``kind`` display) and a date (``due_on``/``due``/``date``);
* documents: ``case.public_documents_for(party)`` → iterable of (title, number, served date), else a
  ``case.documents`` relation restricted to rows served to the party (``served_to``/``party``) with ``served_at``,
  else the notice and decision on the case's ``notified_on`` / ``served_on`` dates (numbered from the case's
  documents of kind ``prior_notice`` / ``decision`` when there are any).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case, Party

logger = logging.getLogger(__name__)

STAGE_LABELS = {
    "filed": _("已立案"),
    "investigating": _("调查取证"),
    "investigation": _("调查取证"),
    "review": _("法制审核"),
    "legal_review": _("法制审核"),
    "notice": _("已告知（陈述、申辩、听证权利）"),
    "notified": _("已告知（陈述、申辩、听证权利）"),
    "hearing": _("听证"),
    "decided": _("已作出处理决定"),
    "decision": _("已作出处理决定"),
    "served": _("决定书已送达"),
    "executing": _("执行中"),
    "execution": _("执行中"),
    "closed": _("已结案"),
    "withdrawn": _("已撤销立案"),
}


@dataclass
class PublicProgress:
    case_number: str
    agency_name: str
    agency_phone: str
    agency_address: str
    stage: str
    opened_on: dt.date
    deadlines: list[tuple[str, dt.date]] = field(default_factory=list)
    documents: list[tuple[str, str, dt.date | None]] = field(default_factory=list)


def stage_label(case: Case) -> str:
    try:  # the procedure table's names, where the cases app has one
        from zhifa.law.procedure import STAGE_LABELS as PROCEDURE_LABELS
    except ImportError:
        PROCEDURE_LABELS = {}
    if case.stage in PROCEDURE_LABELS:
        return str(PROCEDURE_LABELS[case.stage])
    return str(STAGE_LABELS.get(case.stage, case.stage))


def _first_attr(obj: object, names: tuple[str, ...]):
    for name in names:
        value = getattr(obj, f"get_{name}_display", None) or getattr(obj, name, None)
        if value is not None:
            return value() if callable(value) else value
    return None


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def deadlines_of(case: Case) -> list[tuple[str, dt.date]]:
    hook = getattr(case, "public_deadlines", None)
    if callable(hook):
        return [(str(label), day) for label, day in hook()]
    try:
        from zhifa.cases.deadlines import case_deadlines
    except ImportError:
        case_deadlines = None
    if case_deadlines is not None:  # the legal deadlines still running (met ones are history)
        return [(str(d.label), d.due) for d in case_deadlines(case) if d.due is not None and not d.met]
    relation = getattr(case, "deadlines", None)
    if relation is None or not hasattr(relation, "all"):
        return []
    rows = []
    for row in relation.all():
        day = _as_date(_first_attr(row, ("due_on", "due", "date")))
        if day is not None:
            rows.append((str(_first_attr(row, ("label", "name", "kind")) or ""), day))
    return sorted(rows, key=lambda r: r[1])


def documents_served_to(case: Case, party: Party | None) -> list[tuple[str, str, dt.date | None]]:
    if party is None:
        return []
    hook = getattr(case, "public_documents_for", None)
    if callable(hook):
        return [(str(title), str(number), served) for title, number, served in hook(party)]
    relation = getattr(case, "documents", None)
    model = getattr(relation, "model", None)
    party_field = next((name for name in ("served_to", "party", "recipient") if _has_field(model, name)), None)
    if party_field and _has_field(model, "served_at"):
        rows = relation.filter(**{party_field: party, "served_at__isnull": False}).order_by("served_at")
        return [(str(_first_attr(r, ("title", "kind", "name")) or ""), str(getattr(r, "number", "") or ""),
                 _as_date(r.served_at)) for r in rows]
    return _documents_from_dates(case)


def _has_field(model, name: str) -> bool:
    if model is None:
        return False
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


# (date field on the case that records the service, document kind, title)
SERVED_ON_DATES = (("notified_on", "prior_notice", _("行政处罚事先告知书")),
                   ("served_on", "decision", _("行政处罚决定书")))


def _documents_from_dates(case: Case) -> list[tuple[str, str, dt.date | None]]:
    """The notice and the decision, on the dates the case records them served to its party, with their numbers
    when the case's documents table has them (a case's documents are addressed to its party)."""
    relation = getattr(case, "documents", None)
    numbered = _has_field(getattr(relation, "model", None), "kind") and _has_field(relation.model, "number")
    rows = []
    for name, kind, title in SERVED_ON_DATES:
        served = getattr(case, name, None)
        if not served:
            continue
        number = ""
        if numbered:
            number = relation.filter(kind=kind).order_by("-pk").values_list("number", flat=True).first() or ""
        rows.append((str(title), number, served))
    return rows


def public_progress(case: Case, party: Party | None) -> PublicProgress:
    from django.utils import timezone

    return PublicProgress(
        case_number=case.number, agency_name=case.agency.name, agency_phone=case.agency.phone,
        agency_address=case.agency.address, stage=stage_label(case),
        opened_on=timezone.localdate(case.opened_at), deadlines=_optional(deadlines_of, case),
        documents=_optional(documents_served_to, case, party),
    )


def _optional(read, *args) -> list:
    """Deadlines and documents come from other apps: a failure there leaves them out, not the party's page."""
    try:
        return read(*args)
    except Exception:
        logger.exception("progress query: %s failed for case %s", read.__name__, args[0].pk)
        return []
