"""Issuing documents (文书) and recording signatures: the only writers of zhifa.documents' tables.

`issue_document(case, kind, actor)` numbers a document with the agency's pattern (gap-free per agency, year and kind),
renders its template to an A4 PDF, seals it with the agency's certificate (PAdES), stores the signed PDF
content-addressed and appends `document.issued` to the record — all in the caller's transaction. The case's
actions call `issue_for_action(case, actor, action)` for the documents that step produces (DOCUMENTS_FOR_ACTION).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from zhifa.cases.facts import build_facts, current_draft
from zhifa.cases.models import Case, Draft
from zhifa.core.errors import RuleViolation, require
from zhifa.core.pdf import render_pdf
from zhifa.documents import content, seal
from zhifa.documents.kinds import (
    CURRENT_DRAFT,
    DECIDED_DRAFT,
    NEEDS_DRAFT,
    NOTIFIED_DRAFT,
    PARTY_SIGNS,
    DocumentKind,
    template_for,
)
from zhifa.documents.models import Document, DocumentSignature, SignerKind
from zhifa.documents.numbering import allocate_number
from zhifa.evidence import store
from zhifa.people.models import User
from zhifa.record import log

K = DocumentKind
BASIS_DOCUMENTS = "实施办法二(二)1；《湖南省行政程序规定》第七十八条"
BASIS_SIGNATURE = "《行政处罚法》第五十五条；《民事诉讼法》第八十九条"
# Activity codes (zhifa.law.av_rules) whose record is an inquiry; hearings and service have their own documents.
INQUIRY_ACTIVITIES = frozenset({"inquiry"})
NO_RECORD_ACTIVITIES = frozenset({"hearing", "direct_service", "lodged_service"})
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 4000
DOCUMENT_LANGUAGE = "zh-hans"


def title(kind: str) -> str:
    """The document's Chinese title, whatever the UI language."""
    with translation.override(DOCUMENT_LANGUAGE):
        return str(K(kind).label)


# Which documents each step of the procedure produces --------------------------------------------------------------


def _activity_kind(case: Case, payloads: dict[str, dict]) -> list[str]:
    activity = case.activities.order_by("-pk").first()
    if activity is None or activity.code in NO_RECORD_ACTIVITIES:
        return []
    return [K.INQUIRY_RECORD if activity.code in INQUIRY_ACTIVITIES else K.ONSITE_RECORD]


def _notice_kinds(case: Case, payloads: dict[str, dict]) -> list[str]:
    hearing = content.last_payload(case, "notify", payloads).get("hearing_offered")
    if hearing is None:
        hearing = build_facts(case).hearing_offered
    return [K.PRIOR_NOTICE, K.HEARING_RIGHTS] if hearing else [K.PRIOR_NOTICE]


def _statement_kinds(case: Case, payloads: dict[str, dict]) -> list[str]:
    return [] if content.last_payload(case, "record_statement", payloads).get("waived", True) else [K.STATEMENT]


# action → the kinds it may produce; a callable decides among them from the case when it depends on the facts.
DOCUMENTS_FOR_ACTION: dict[str, tuple[str, ...]] = {
    "open": (K.FILING,),
    "record_activity": (K.ONSITE_RECORD, K.INQUIRY_RECORD),
    "preserve_evidence": (K.PRESERVATION,),
    "seize": (K.SEIZURE,),
    "end_investigation": (K.INVESTIGATION,),
    "hold_collective_discussion": (K.DISCUSSION,),
    "notify": (K.PRIOR_NOTICE, K.HEARING_RIGHTS),
    "record_statement": (K.STATEMENT,),
    "hold_hearing": (K.HEARING_RECORD,),
    "decide": (K.DECISION,),
    "decide_on_spot": (K.ONSPOT_DECISION,),
    "serve": (K.SERVICE,),
    "approve_deferral": (K.DEFERRAL,),
    "approve_instalments": (K.DEFERRAL,),
    "close": (K.CLOSING,),
}
CHOOSERS: dict[str, Callable[[Case, dict[str, dict]], list[str]]] = {
    "record_activity": _activity_kind, "notify": _notice_kinds, "record_statement": _statement_kinds,
}
# submit_review: the 法制审核意见书 is the legal unit's document (zhifa.review), not issued here.


def kinds_for_action(case: Case, action: str, payload: dict | None = None) -> list[str]:
    if action not in DOCUMENTS_FOR_ACTION:
        return []
    chooser = CHOOSERS.get(action)
    return chooser(case, _payloads(action, payload)) if chooser is not None else list(DOCUMENTS_FOR_ACTION[action])


def _payloads(action: str, payload: dict | None) -> dict[str, dict]:
    return {action: payload} if payload is not None else {}


def _subject_for(case: Case, action: str) -> models.Model | None:
    if action == "record_activity":
        return case.activities.order_by("-pk").first()
    if action in {"seize", "preserve_evidence"}:
        return case.measures.order_by("-pk").first()
    return None


def prepare_for_action(case: Case, actor: User, action: str, payload: dict | None = None) -> list[PreparedDocument]:
    """Number, render, seal and store the documents the step `action` produces, without touching the record yet.
    Call it inside the action's transaction before the action appends its own event (`payload`: that event's
    payload, which some documents state), then `record_prepared` after it: the PDFs are made before the record's
    lock is taken, so other writers do not wait for WeasyPrint. The action has checked the actor's role."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("prepare_for_action must run inside the action's transaction")
    kinds = kinds_for_action(case, action, payload)
    if not kinds or not getattr(settings, "ZHIFA_DOCUMENTS_ON_ACTIONS", True):
        return []
    subject = _subject_for(case, action)
    return [_prepare(case, kind, actor, action=action, subject=subject, payloads=_payloads(action, payload))
            for kind in kinds]


def record_prepared(prepared: list[PreparedDocument]) -> list[Document]:
    """Create the prepared documents and append one `document.issued` event each (in the same transaction)."""
    return [_record(item) for item in prepared]


def issue_for_action(case: Case, actor: User, action: str, payload: dict | None = None) -> list[Document]:
    """The documents the step `action` produces, issued in the action's transaction: prepared (rendered and sealed)
    all first, then recorded. Without `payload` the action's own event is read from the record."""
    with transaction.atomic():
        return record_prepared(prepare_for_action(case, actor, action, payload))


# Issuing one document ---------------------------------------------------------------------------------------------


def draft_for(case: Case, kind: str) -> Draft | None:
    if kind in NOTIFIED_DRAFT and case.notified_draft_id:
        return case.notified_draft
    if kind in DECIDED_DRAFT and case.decided_draft_id:
        return case.decided_draft
    if kind in CURRENT_DRAFT | NOTIFIED_DRAFT | DECIDED_DRAFT:
        return current_draft(case)
    return None


@dataclass
class PreparedDocument:
    case: Case
    kind: str
    actor: User
    action: str
    subject: models.Model | None
    number: str
    year: int
    serial: int | None
    issued_at: dt.datetime
    draft: Draft | None
    stored: store.StoredObject
    fingerprint: str


def _prepare(case: Case, kind: str, actor: User, *, action: str = "", subject: models.Model | None = None,
             payloads: dict[str, dict] | None = None) -> PreparedDocument:
    require(kind in K.values, "unknown_document_kind", BASIS_DOCUMENTS, f"未知的文书种类：{kind}")
    draft = draft_for(case, kind)
    require(draft is not None or kind not in NEEDS_DRAFT, "document_needs_draft", BASIS_DOCUMENTS,
            f"“{title(kind)}”须载明处理意见及理由，本案尚无处理意见")
    if kind == K.FILING:
        require(not Document.objects.filter(case=case, kind=K.FILING).exists(), "filing_form_exists",
                BASIS_DOCUMENTS, "本案已有立案审批表")
    issued_at = timezone.now()
    allocated = allocate_number(case, kind, timezone.localtime(issued_at).year)
    documents = case_documents(case) if kind == K.FILE_INDEX else None
    with translation.override(DOCUMENT_LANGUAGE):  # official documents are in Chinese whatever the UI language
        html_context = content.build_context(case, kind, number=allocated.number, issued_at=issued_at, draft=draft,
                                             subject=subject, documents=documents, payloads=payloads)
        pdf = render_pdf(template_for(kind), html_context)
    signed, fingerprint = seal.sign_pdf(pdf, case.agency, reason=f"{title(kind)} {allocated.number}",
                                        location=case.agency.jurisdiction)
    stored = store.put_bytes(signed, name=f"{allocated.number}.pdf", claimed_type="application/pdf")
    return PreparedDocument(case, kind, actor, action, subject, allocated.number, allocated.year, allocated.serial,
                     issued_at, draft, stored, fingerprint)


def _record(item: PreparedDocument) -> Document:
    case = item.case
    subject = f"{item.subject._meta.label_lower}:{item.subject.pk}" if item.subject is not None else ""
    document = Document.objects.create(
        agency=case.agency, case=case, kind=item.kind, number=item.number, year=item.year, serial=item.serial,
        action=item.action, subject=subject, issued_at=item.issued_at, issued_by=item.actor, draft=item.draft,
        draft_version=item.draft.version if item.draft is not None else None, storage_key=item.stored.key,
        sha256=item.stored.sha256, log_hash=item.stored.log_hash, log_hash_algorithm=item.stored.log_hash_algorithm,
        size=item.stored.size, signer_fingerprint=item.fingerprint,
    )
    log.append("document.issued", actor=item.actor, agency=case.agency, obj=document, case_id=case.pk, payload={
        "kind": item.kind, "title": title(item.kind), "number": item.number, "sha256": item.stored.sha256,
        item.stored.log_hash_algorithm: item.stored.log_hash, "size": item.stored.size,
        "draft_version": document.draft_version, "action": item.action, "subject": subject,
        "certificate": item.fingerprint,
    })
    return document


def issue_document(case: Case, kind: str, actor: User, *, subject: models.Model | None = None) -> Document:
    """Issue one document of `kind` for the case (e.g. a 责令改正通知书 or the 卷内目录), by a member of the case's
    agency."""
    require(actor.agency_id == case.agency_id, "not_your_agency", BASIS_DOCUMENTS, "只能制作本机关案件的文书")
    with transaction.atomic():
        return _record(_prepare(case, kind, actor, action="", subject=subject))


def case_documents(case: Case) -> models.QuerySet[Document]:
    """The case's documents in the order they were issued, with their signatures (for the case page and the
    BagIt export: `storage_key`, `sha256`, `filename`)."""
    return (Document.objects.filter(case=case).select_related("issued_by")
            .prefetch_related("signatures").order_by("issued_at", "pk"))


# Reading back --------------------------------------------------------------------------------------------------


class DocumentDamaged(Exception):
    """The stored PDF no longer has the SHA-256 recorded when it was issued."""


def document_bytes(document: Document) -> bytes:
    """The sealed PDF, checked against the SHA-256 in the record (FileNotFoundError if the object is missing)."""
    data = b"".join(store.open_range(document.storage_key))
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentDamaged(f"document {document.pk} ({document.number}): stored bytes do not match their SHA-256")
    return data


def verify_document(document: Document) -> seal.SealCheck:
    """The stored PDF's hash and its seal, validated against the local CA."""
    try:
        return seal.validate_pdf(document_bytes(document))
    except (DocumentDamaged, FileNotFoundError) as exc:
        return seal.SealCheck(False, detail=str(exc))


# Signatures ----------------------------------------------------------------------------------------------------


def decode_signature_image(data_url: str) -> bytes:
    """A PNG from the signature pad (a data: URL or bare base64), checked: a real PNG, not too large, not blank."""
    from PIL import Image, UnidentifiedImageError

    payload = data_url.strip()
    if payload.startswith("data:"):
        require(payload.startswith("data:image/png;base64,"), "signature_not_png", BASIS_SIGNATURE,
                "签名须为 PNG 图像")
        payload = payload.split(",", 1)[1]
    require(payload, "signature_image_required", BASIS_SIGNATURE, "请在签名框内签名")
    require(len(payload) <= SIGNATURE_MAX_BYTES * 4 // 3 + 4, "signature_too_large", BASIS_SIGNATURE, "签名图像过大")
    try:
        png = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise RuleViolation("signature_not_png", BASIS_SIGNATURE, "签名图像无法识别") from None
    require(png.startswith(b"\x89PNG\r\n\x1a\n"), "signature_not_png", BASIS_SIGNATURE, "签名须为 PNG 图像")
    try:
        with Image.open(io.BytesIO(png)) as image:
            require(max(image.size) <= SIGNATURE_MAX_SIDE, "signature_too_large", BASIS_SIGNATURE, "签名图像过大")
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise RuleViolation("signature_not_png", BASIS_SIGNATURE, "签名图像无法识别") from None
    on_white = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("L")
    require(on_white.point(lambda v: 255 if v < 200 else 0).getbbox() is not None, "signature_empty",
            BASIS_SIGNATURE, "签名为空，请在签名框内签名")
    return png


@transaction.atomic
def record_signature(document: Document, actor: User, *, signer_kind: str, name: str = "", image_png: bytes = b"",
                     refused: bool = False, note: str = "", witness_name: str = "") -> DocumentSignature:
    """An officer's signature, a party's or witness's signature, or a party's refusal (with what happened and a
    witness), captured on the case officer's device. Only the case's officers record signatures on its documents."""
    case = document.case
    require(case.officers.filter(pk=actor.pk).exists(), "not_case_officer", BASIS_SIGNATURE,
            "只能在本人承办案件的文书上签名或记录签名")
    require(signer_kind in SignerKind.values, "unknown_signer_kind", BASIS_SIGNATURE, "未知的签名人身份")
    note, witness_name = note.strip(), witness_name.strip()
    officer = None
    if signer_kind == SignerKind.OFFICER:
        require(not refused, "officer_cannot_refuse", BASIS_SIGNATURE, "执法人员不能拒绝签名")
        require(not document.signatures.filter(officer=actor).exists(), "already_signed", BASIS_SIGNATURE,
                "您已在该文书上签名")
        officer, name = actor, actor.get_full_name()
    name = name.strip()
    require(name, "signer_name_required", BASIS_SIGNATURE, "须填写签名人姓名")
    if refused:
        require(signer_kind == SignerKind.PARTY, "only_party_refuses", BASIS_SIGNATURE, "只有当事人可以拒绝签名")
        require(document.kind in PARTY_SIGNS, "party_does_not_sign", BASIS_SIGNATURE,
                f"“{document.get_kind_display()}”无须当事人签名")
        require(note and witness_name, "refusal_needs_witness", BASIS_SIGNATURE,
                "当事人拒绝签名的，须注明情况并由见证人见证")
        image_key = image_sha256 = ""
    else:
        require(image_png, "signature_image_required", BASIS_SIGNATURE, "请在签名框内签名")
        stored = store.put_bytes(image_png, name="signature.png", claimed_type="image/png")
        require(stored.content_type == "image/png", "signature_not_png", BASIS_SIGNATURE, "签名须为 PNG 图像")
        image_key, image_sha256 = stored.key, stored.sha256
    signature = DocumentSignature.objects.create(
        document=document, signer_kind=signer_kind, name=name, officer=officer, signed_at=timezone.now(),
        image_key=image_key, image_sha256=image_sha256, refused=refused, note=note,
        witness_name=witness_name, recorded_by=actor,
    )
    log.append("document.signature_refused" if refused else "document.signed", actor=actor, agency=document.agency,
               obj=signature, case_id=case.pk, payload={
                   "document": document.number, "kind": document.kind, "signer_kind": signer_kind, "name": name,
                   "image_sha256": image_sha256, "refused": refused, "note": note, "witness": witness_name,
               })
    return signature
