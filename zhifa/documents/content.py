"""What each document says: the context its template renders, built from the case, its parties (personal data
decrypted: these are the documents served on the party), the draft version it renders and the case's record.

The reasons every document carries where it states a penalty (湖南省行政程序规定 Art. 78): why the evidence was
adopted (证据采信理由), why the legal basis was chosen (依据选择理由), why the discretion level was chosen
(裁量理由), with the discretion standard applied where the catalog knows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from zhifa.cases.models import Case, Draft, PartyKind
from zhifa.documents.kinds import DocumentKind as K
from zhifa.law import penalties

# APL Art. 67 and Art. 72(1): pay within 15 days; 3% of the fine a day when late, never more than the fine.
PAYMENT_DAYS = penalties.PAYMENT_DAYS
SURCHARGE_PERCENT = int(penalties.SURCHARGE_RATE * 100)
# 行政复议法 (2023) Art. 20: 60 days from knowing of the act; 行政诉讼法 Art. 46: 6 months.
REVIEW_DAYS = 60
LITIGATION_MONTHS = 6

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_SECTIONS = ["", "万", "亿", "万亿"]


def rmb_upper(amount: Decimal) -> str:
    """人民币大写, as amounts are written on official and financial documents: 5000 → 伍仟元整."""
    cents = int((Decimal(amount) * 100).quantize(Decimal(1)))
    if cents < 0:
        raise ValueError("negative amount")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text, zero, digits = "", False, str(yuan)
    if yuan:
        for index, char in enumerate(digits):
            digit, position = int(char), len(digits) - 1 - index
            section = _SECTIONS[position // 4] if position % 4 == 0 else ""
            if digit == 0:
                zero = True
                if section and int(digits[max(0, index - 3):index + 1]):
                    text += section
                continue
            if zero:
                text += "零"
                zero = False
            text += _DIGITS[digit] + _UNITS[position % 4] + section
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text


def yuan(amount: Decimal) -> str:
    return f"{Decimal(amount):,.2f}"


@dataclass
class PartyView:
    name: str
    kind: str
    is_person: bool
    credit_code: str
    legal_representative: str
    id_number: str
    phone: str
    address: str


@dataclass
class DraftView:
    version: int
    kinds: list[str]
    penalty_labels: list[str]
    fine: Decimal
    fine_text: str
    fine_upper: str
    confiscation: Decimal
    confiscation_text: str
    no_penalty: bool
    facts: str
    evidence_reason: str
    basis: str
    basis_reason: str
    discretion_reason: str
    penalty_lines: list[str] = field(default_factory=list)


def draft_view(draft: Draft | None) -> DraftView | None:
    if draft is None:
        return None
    known = set(penalties.PenaltyKind)
    labels = [penalties.PENALTY_LABELS[penalties.PenaltyKind(k)] if k in known else k for k in draft.kinds]
    lines = []
    for kind, label in zip(draft.kinds, labels, strict=True):
        if kind == penalties.PenaltyKind.FINE:
            lines.append(f"罚款人民币{yuan(draft.fine)}元（大写：{rmb_upper(draft.fine)}）")
        elif kind == penalties.PenaltyKind.CONFISCATION and draft.confiscation:
            lines.append(f"{label}，计人民币{yuan(draft.confiscation)}元（大写：{rmb_upper(draft.confiscation)}）")
        else:
            lines.append(label)
    if draft.no_penalty:
        lines = ["不予行政处罚"]
    return DraftView(
        version=draft.version, kinds=list(draft.kinds), penalty_labels=labels, fine=draft.fine,
        fine_text=yuan(draft.fine), fine_upper=rmb_upper(draft.fine), confiscation=draft.confiscation,
        confiscation_text=yuan(draft.confiscation), no_penalty=draft.no_penalty, facts=draft.facts,
        evidence_reason=draft.evidence_reason, basis=draft.basis, basis_reason=draft.basis_reason,
        discretion_reason=draft.discretion_reason, penalty_lines=lines,
    )


def party_views(case: Case) -> list[PartyView]:
    return [PartyView(
        name=p.name, kind=p.get_kind_display(), is_person=p.kind == PartyKind.PERSON, credit_code=p.credit_code,
        legal_representative=p.legal_representative, id_number=p.id_number, phone=p.phone, address=p.address,
    ) for p in case.parties.order_by("pk")]


def officer_rows(users, on: dt.date) -> list[dict[str, str]]:
    rows = []
    for user in users:
        credential = user.valid_credential(on)
        rows.append({"name": user.get_full_name(), "credential": credential.number if credential else ""})
    return rows


def last_payload(case: Case, action: str, payloads: dict[str, dict] | None = None) -> dict[str, Any]:
    """The payload of the case's latest `case.<action>` event (or the one given for an action in progress)."""
    if payloads and payloads.get(action) is not None:
        return dict(payloads[action])
    event = case.events_of(f"case.{action}").order_by("-seq").first()
    return dict(event.payload) if event is not None else {}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Remedies:
    review_organ: str
    court: str
    payment_bank: str
    contact: str


def remedies(agency) -> Remedies:
    from zhifa.documents.models import DocumentProfile

    profile = DocumentProfile.objects.filter(agency=agency).first()
    return Remedies(
        review_organ=(profile.review_organ if profile and profile.review_organ else f"{agency.jurisdiction}人民政府"),
        court=(profile.court if profile and profile.court else "人民法院"),
        payment_bank=(profile.payment_bank if profile and profile.payment_bank
                      else "缴款通知书指定的代收银行或者电子支付系统"),
        contact=(profile.contact if profile and profile.contact else agency.phone),
    )


def discretion_standards(case: Case, draft: Draft | None) -> list[str]:
    """The discretion standard rows the draft falls in, when the catalog links the case to an item version (the
    draft's own 裁量理由 is always shown; this adds the published standard it applied)."""
    if draft is None or not apps.is_installed("zhifa.catalog"):
        return []
    version = getattr(case, "item_version", None)
    if version is None:
        return []
    rows = []
    for standard in version.discretion.all():
        low, high = standard.fine_min, standard.fine_max
        fined = penalties.PenaltyKind.FINE in draft.kinds
        if fined and ((low is not None and draft.fine < low) or (high is not None and draft.fine > high)):
            continue
        rows.append(f"{standard.get_circumstance_display()}：{standard.conditions}（{standard.penalty_range_display}）")
    return rows


def build_context(case: Case, kind: str, *, number: str, issued_at: dt.datetime, draft: Draft | None,
                  subject=None, documents=None, payloads: dict[str, dict] | None = None) -> dict[str, Any]:
    """The template context. `payloads` gives the payload of an action whose event is not appended yet (the
    document is prepared before the action's own event); other steps are read from the case's record."""
    issued_on = timezone.localtime(issued_at).date()
    parties = party_views(case)
    context: dict[str, Any] = {
        "kind": kind, "title": K(kind).label, "number": number, "agency": case.agency, "case": case,
        "issued_on": issued_on, "opened_on": timezone.localtime(case.opened_at).date(),
        "parties": parties, "party": parties[0] if parties else None,
        "officers": officer_rows(case.officers.order_by("pk"), issued_on),
        "draft": draft_view(draft), "standards": discretion_standards(case, draft),
        "remedies": remedies(case.agency), "payment_days": PAYMENT_DAYS, "surcharge_percent": SURCHARGE_PERCENT,
        "review_days": REVIEW_DAYS, "litigation_months": LITIGATION_MONTHS,
        "source": case.get_source_display(), "stage": case.stage, "payloads": payloads or {},
    }
    extra = EXTRAS.get(kind)
    if extra is not None:
        context.update(extra(case, context, subject, documents))
    return context


# Per-kind facts ------------------------------------------------------------------------------------------------


def _activity(case, context, subject, documents) -> dict[str, Any]:
    activity = subject if subject is not None and subject._meta.label_lower == "cases.activity" else \
        case.activities.order_by("-started_at", "-pk").first()
    if activity is None:
        return {"activity": None}
    on = timezone.localtime(activity.started_at).date()
    return {
        "activity": activity, "started": timezone.localtime(activity.started_at),
        "ended": timezone.localtime(activity.ended_at),
        "activity_officers": officer_rows(activity.officers.order_by("pk"), on) or context["officers"],
        "recordings": len(activity.recording_ids or []),
    }


def _measure(kind: str):
    def extra(case, context, subject, documents) -> dict[str, Any]:
        measure = subject if subject is not None and subject._meta.label_lower == "cases.coercivemeasure" else \
            case.measures.filter(kind=kind).order_by("-pk").first()
        if measure is None:
            return {"measure": None, "items": []}
        return {"measure": measure, "items": [line.strip() for line in measure.items.splitlines() if line.strip()],
                "seizure_days": penalties.SEIZURE_DAYS, "preservation_days": penalties.PRESERVATION_WORKING_DAYS}
    return extra


def _notice(case, context, subject, documents) -> dict[str, Any]:
    from zhifa.cases.facts import build_facts

    notified_on = case.notified_on or context["issued_on"]
    payload = last_payload(case, "notify", context["payloads"])
    offered = payload.get("hearing_offered")
    if offered is None:
        offered = build_facts(case).hearing_offered
    return {
        "notified_on": notified_on, "hearing_offered": bool(offered),
        "statement_until": penalties.statement_deadline(notified_on),
        "hearing_request_until": penalties.hearing_request_deadline(notified_on),
        "hearing_request_days": penalties.HEARING_REQUEST_WORKING_DAYS,
    }


def _hearing(case, context, subject, documents) -> dict[str, Any]:
    payload = last_payload(case, "hold_hearing", context["payloads"])
    return {"hearing": payload, "held_on": _date(payload.get("held_on")) or case.hearing_held_on,
            "hearing_notified_on": _date(payload.get("notified_on")), "requested_on": case.hearing_requested_on,
            "hearing_notice_days": penalties.HEARING_NOTICE_WORKING_DAYS}


def _statement(case, context, subject, documents) -> dict[str, Any]:
    return {"statement": case.statements.order_by("-pk").first(), "waived": case.statement_waived}


def _discussion(case, context, subject, documents) -> dict[str, Any]:
    payload = last_payload(case, "hold_collective_discussion", context["payloads"])
    return {"participants": payload.get("participants", []), "conclusion": payload.get("conclusion", "")}


def _review(case, context, subject, documents) -> dict[str, Any]:
    review = None
    if apps.is_installed("zhifa.review"):
        review = case.reviews.exclude(opinion="").order_by("-pk").first()
    return {"review": review}


def _decision(case, context, subject, documents) -> dict[str, Any]:
    from zhifa.documents.models import Document

    notice = Document.objects.filter(case=case, kind=K.PRIOR_NOTICE).order_by("-issued_at", "-pk").first()
    return {
        "decided_on": case.decided_on or context["issued_on"], "notified_on": case.notified_on,
        "notice": notice, "statements": list(case.statements.order_by("pk")), "waived": case.statement_waived,
        "hearing_held_on": case.hearing_held_on, "on_spot_max": yuan(penalties.ON_SPOT_COLLECTION_MAX),
    }


def _service(case, context, subject, documents) -> dict[str, Any]:
    from zhifa.documents.models import Document

    payload = (last_payload(case, "serve", context["payloads"])
               or last_payload(case, "decide_on_spot", context["payloads"]))
    served = Document.objects.filter(case=case, kind__in=[K.DECISION, K.ONSPOT_DECISION]).order_by(
        "-issued_at", "-pk").first()
    return {"method": payload.get("method", "直接送达" if case.procedure == "simplified" else ""),
            "served_on": _date(payload.get("served_on")) or case.served_on, "witness": payload.get("witness", ""),
            "electronic_address": payload.get("electronic_address", ""),
            "served_document": served, "payment_due_on": case.payment_due_on}


def _deferral(case, context, subject, documents) -> dict[str, Any]:
    """延期缴纳 (one new deadline) or 分期缴纳 (the approved schedule), whichever step issues the form."""
    payloads = context["payloads"]
    if "approve_instalments" in payloads or ("approve_deferral" not in payloads and _latest(
            case, "approve_instalments") > _latest(case, "approve_deferral")):
        payload = last_payload(case, "approve_instalments", payloads)
        schedule = [{"number": row.get("number"), "amount": yuan(Decimal(str(row.get("amount", 0)))),
                     "due_on": _date(row.get("due_on"))} for row in payload.get("schedule", [])]
        return {"instalments": schedule, "reason": payload.get("reason", ""), "opinion": payload.get("opinion", "")}
    payload = last_payload(case, "approve_deferral", payloads)
    return {"new_due_on": _date(payload.get("new_due_on")) or case.payment_due_on,
            "reason": payload.get("reason", "")}


def _latest(case: Case, action: str) -> int:
    event = case.events_of(f"case.{action}").order_by("-seq").first()
    return event.seq if event is not None else -1


def _closing(case, context, subject, documents) -> dict[str, Any]:
    from zhifa.documents.models import Document

    decision = Document.objects.filter(case=case, kind__in=[K.DECISION, K.ONSPOT_DECISION]).order_by(
        "-issued_at", "-pk").first()
    from zhifa.cases import instalments

    rows = instalments.payment_rows(case)
    return {"decision": decision, "payments": rows,
            "paid_total": yuan(sum((row.payment.amount for row in rows), Decimal(0))),
            "surcharge_total": yuan(instalments.surcharge_total(case)),
            "closed_on": case.closed_on or context["issued_on"], "decided_on": case.decided_on}


def _file_index(case, context, subject, documents) -> dict[str, Any]:
    evidence = []
    if apps.is_installed("zhifa.evidence"):
        from zhifa.evidence.models import EvidenceFile

        evidence = list(EvidenceFile.objects.filter(case=case).order_by("pk"))
    return {"documents": list(documents or []), "evidence": evidence}


EXTRAS = {
    K.ONSITE_RECORD: _activity, K.INQUIRY_RECORD: _activity,
    K.PRESERVATION: _measure("preservation"), K.SEIZURE: _measure("seizure"),
    K.PRIOR_NOTICE: _notice, K.HEARING_RIGHTS: _notice,
    K.HEARING_NOTICE: _hearing, K.HEARING_RECORD: _hearing,
    K.STATEMENT: _statement, K.DISCUSSION: _discussion, K.LEGAL_REVIEW: _review,
    K.DECISION: _decision, K.ONSPOT_DECISION: _decision,
    K.SERVICE: _service, K.DEFERRAL: _deferral, K.CLOSING: _closing, K.FILE_INDEX: _file_index,
}
