"""The publication pipeline. Every step checks its rule and appends one record event in the same transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, PartyKind
from zhifa.core.errors import RuleViolation, require
from zhifa.disclosure import search_tokens
from zhifa.disclosure.models import Publication, Status
from zhifa.law import publicity, redaction
from zhifa.law.penalties import PENALTY_LABELS
from zhifa.people.models import Agency, Role, User
from zhifa.record import log
from zhifa.webhooks.models import EventType
from zhifa.webhooks.outbox import emit

BASIS_PUBLISH = "实施办法二(一)3；《行政处罚法》第四十八条"
BASIS_WITHDRAW = "实施办法二(一)3；《行政处罚法》第四十八条第二款"
BASIS_WITHHOLD = "实施办法二(一)3：不得公开国家秘密、商业秘密；《政府信息公开条例》第十四条、第十五条"
PUBLISHER_ROLES = {Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.REVIEWER}
SECRET = "secret"
SECRET_REPLACEMENT = "（依法不予公开）"


def search_text_of(publication: Publication) -> str:
    """What search looks in (NFKC, lower case): the summary fields and the redacted text — never the original."""
    parts = [publication.document_number, publication.target, publication.category, publication.conclusion,
             publication.agency.name, publication.redacted_text]
    return search_tokens.normalise("\n".join(parts))


def _known(case: Case) -> redaction.KnownData:
    parties = list(case.parties.all())
    punished = parties[0] if parties else None
    people = [p for p in parties if p.kind == PartyKind.PERSON]
    return redaction.KnownData(
        punished_name=punished.name if punished else None,
        punished_is_person=punished.kind == PartyKind.PERSON if punished else None,
        names=[p.name for p in people[1:]] + [p.legal_representative for p in parties if p.legal_representative],
        id_numbers=[p.id_number for p in people], phones=[p.phone for p in parties],
        addresses=[p.address for p in people],
        organisations=[p.name for p in parties if p.kind == PartyKind.ORGANISATION],
    )


def decision_text(case: Case) -> str:
    """The decision's text as served (the 决定书's content), the input of redaction."""
    draft = case.decided_draft
    party = case.parties.order_by("pk").first()
    penalty = "、".join(PENALTY_LABELS.get(k, k) for k in draft.kinds)
    lines = [
        f"{case.agency.name}行政处罚决定书",
        f"当事人：{party.name}" if party else "",
        f"统一社会信用代码：{party.credit_code}" if party and party.credit_code else "",
        f"法定代表人：{party.legal_representative}" if party and party.legal_representative else "",
        f"身份证号码：{party.id_number}" if party and party.id_number else "",
        f"住所：{party.address}" if party and party.address else "",
        f"联系电话：{party.phone}" if party and party.phone else "",
        f"违法事实：{draft.facts}",
        f"证据及采信理由：{draft.evidence_reason}",
        f"处罚依据：{draft.basis}（{draft.basis_reason}）",
        f"裁量理由：{draft.discretion_reason}",
        f"处罚决定：{penalty}" + (f"，罚款人民币{draft.fine}元" if draft.fine else "")
        + (f"，没收违法所得人民币{draft.confiscation}元" if draft.confiscation else "") + "。",
        f"{case.agency.name}　{case.decided_on:%Y年%m月%d日}",
    ]
    return "\n".join(line for line in lines if line)


def _mask_dicts(spans: list[redaction.Mask]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(span) for span in spans]


def _masks(rows: list[dict[str, Any]]) -> list[redaction.Mask]:
    return [redaction.Mask(**row) for row in rows]


def _document_number(case: Case) -> str:
    try:
        from zhifa.documents.models import Document

        document = Document.objects.filter(case=case, kind__in=["decision", "onsite_decision"]).order_by("pk").last()
    except (ImportError, LookupError):
        document = None
    return document.number if document is not None else case.number


def _policy(agency: Agency) -> str:
    return getattr(agency, "redaction_policy", "") or "default"


@transaction.atomic
def open_for_case(case: Case, actor: User) -> Publication:
    """Each decision opens a publication task with its legal deadline (7 working days for penalties)."""
    require(case.decided_on is not None and case.decided_draft is not None, "not_decided", BASIS_PUBLISH,
            "案件尚未作出决定")
    text = decision_text(case)
    policy = _policy(case.agency)
    result = redaction.redact(text, _known(case), policy)
    party = case.parties.order_by("pk").first()
    target = party.name if party else ""
    if party and party.kind == PartyKind.PERSON:
        target = redaction.apply_masks(target, redaction.redact(target, redaction.KnownData(
            punished_name=party.name, punished_is_person=True), policy).spans)
    draft = case.decided_draft
    conclusion = "、".join(PENALTY_LABELS.get(k, k) for k in draft.kinds)
    if draft.fine:
        conclusion += f"，罚款{draft.fine}元"
    publication = Publication.objects.create(
        agency=case.agency, case=case, act_type=publicity.ActType.PENALTY, document_number=_document_number(case),
        target=target, category=case.title, conclusion=conclusion, decided_on=case.decided_on,
        due_on=publicity.publication_deadline(publicity.ActType.PENALTY, case.decided_on), policy=policy,
        original_text=text, redacted_text=result.text, masks=_mask_dicts(result.spans),
    )
    log.append("publication.opened", actor=actor, agency=case.agency, obj=publication, case_id=case.pk,
               payload={"due_on": publication.due_on, "masks": len(result.spans), "policy": policy})
    return publication


@transaction.atomic
def import_decision(agency: Agency, actor: User, *, act_type: str, document_number: str, target: str,
                    conclusion: str, decided_on: dt.date, text: str, category: str = "",
                    known: redaction.KnownData | None = None) -> Publication:
    """Decisions made in other systems (e.g. the 行政审批局's licences) enter the same pipeline."""
    require(act_type in publicity.ActType.__members__.values(), "unknown_act_type", BASIS_PUBLISH, "未知的执法类别")
    require(document_number.strip() and target.strip() and conclusion.strip() and text.strip(), "fields_required",
            BASIS_PUBLISH, "须填写文号、执法对象、执法结论和决定全文")
    require(decided_on <= timezone.localdate(), "decided_in_future", BASIS_PUBLISH, "决定日期不能晚于今天")
    policy = _policy(agency)
    result = redaction.redact(text, known, policy)
    target = target.strip()
    if known is not None and known.punished_is_person:  # a person's name as the policy shows it (strict: 张某)
        target = redaction.apply_masks(target, redaction.redact(target, redaction.KnownData(
            punished_name=target, punished_is_person=True), policy).spans)
    publication = Publication.objects.create(
        agency=agency, source="import", act_type=act_type, document_number=document_number.strip(),
        target=target, category=category, conclusion=conclusion.strip(), decided_on=decided_on,
        due_on=publicity.publication_deadline(act_type, decided_on), policy=policy, original_text=text,
        redacted_text=result.text, masks=_mask_dicts(result.spans),
    )
    log.append("publication.imported", actor=actor, agency=agency, obj=publication,
               payload={"document_number": document_number, "act_type": act_type, "due_on": publication.due_on})
    return publication


def _editable(publication: Publication, actor: User) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(actor.agency_id == publication.agency_id and actor.role in PUBLISHER_ROLES, "publisher_required",
            BASIS_PUBLISH, "由本机关负责公开审核的人员办理")
    require(publication.status == Status.DRAFT, "not_draft", BASIS_PUBLISH, "该信息已不是待审核状态")
    return publication


@transaction.atomic
def change_masks(publication: Publication, actor: User, *, add: list[tuple[int, int, str]] = (),
                 remove: list[int] = (), reason: str) -> Publication:
    """The publisher adds masks (start, end, kind) or removes masks by index; every change keeps its reason."""
    publication = _editable(publication, actor)
    require(reason.strip(), "reason_required", BASIS_PUBLISH, "增删遮盖须说明理由")
    masks = _masks(publication.masks)
    removed = [masks[i] for i in sorted(set(remove)) if 0 <= i < len(masks)]
    require(len(removed) == len(set(remove)), "mask_not_found", BASIS_PUBLISH, "要取消的遮盖不存在")
    kept = [m for i, m in enumerate(masks) if i not in set(remove)]
    text = publication.original_text
    for start, end, kind in add:
        require(0 <= start < end <= len(text), "mask_out_of_range", BASIS_PUBLISH, "遮盖范围超出原文")
        if kind == SECRET:  # withholding in part: the head's approval, like withholding the whole decision
            require(actor.role == Role.AGENCY_HEAD, "agency_head_required", BASIS_WITHHOLD,
                    "部分不予公开（涉及国家秘密、商业秘密）须经机关负责人批准")
            kept.append(redaction.Mask(start, end, SECRET, text[start:end], SECRET_REPLACEMENT, "manual", reason))
        else:
            kept.append(redaction.manual_mask(text, start, end, kind, reason))
    kept.sort(key=lambda m: m.start)
    try:
        redacted = redaction.apply_masks(text, kept)
    except ValueError:
        raise RuleViolation("masks_overlap", BASIS_PUBLISH, "遮盖范围相互重叠，请先取消原有遮盖") from None
    publication.masks = _mask_dicts(kept)
    publication.redacted_text = redacted
    publication.save(update_fields=["masks", "redacted_text"])
    log.append("publication.masks_changed", actor=actor, agency=publication.agency, obj=publication,
               case_id=publication.case_id, payload={
                   "added": [[s, e, k] for s, e, k in add], "removed": [m.original for m in removed],
                   "reason": reason})
    return publication


def _taken_down_by_remedy(publication: Publication) -> bool:
    if publication.case_id is None:
        return False
    from zhifa.reports.models import RemedyOutcome

    return RemedyOutcome.objects.filter(case_id=publication.case_id,
                                        outcome__in=publicity.WITHDRAWAL_KIND_OF_REMEDY_OUTCOME).exists()


@transaction.atomic
def publish(publication: Publication, actor: User) -> Publication:
    """Approve and publish at /public/decisions/<id>/: the redacted text and the summary fields only."""
    publication = _editable(publication, actor)
    require(not _taken_down_by_remedy(publication), "decision_revoked", BASIS_WITHDRAW,
            "该决定已被复议或诉讼撤销、确认违法或无效、责令重新作出，不应公开")
    today = timezone.localdate()
    publication.status, publication.published_at, publication.published_by = Status.PUBLISHED, timezone.now(), actor
    kinds, fine = set(), 0
    if publication.case_id and publication.case.decided_draft:
        kinds, fine = set(publication.case.decided_draft.kinds), int(publication.case.decided_draft.fine)
    publication.display_until = publicity.display_until(today, kinds or {"other"}, fine)
    publication.search_text = search_text_of(publication)
    publication.save()
    emit(EventType.PUBLISHED, publication)
    log.append("publication.published", actor=actor, agency=publication.agency, obj=publication,
               case_id=publication.case_id, payload={"on_time": today <= publication.due_on,
                                                     "due_on": publication.due_on, "display_until":
                                                     publication.display_until})
    return publication


@transaction.atomic
def withhold(publication: Publication, head: User, *, reason: str) -> Publication:
    """Not published (state or commercial secret): only with the agency head's approval and a reason."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(head.role == Role.AGENCY_HEAD and head.agency_id == publication.agency_id, "agency_head_required",
            BASIS_WITHHOLD, "不予公开须经机关负责人批准")
    require(publication.status == Status.DRAFT, "not_draft", BASIS_WITHHOLD, "该信息已不是待审核状态")
    require(reason.strip(), "reason_required", BASIS_WITHHOLD, "须说明不予公开的理由（如涉及国家秘密、商业秘密）")
    publication.status, publication.withheld_reason = Status.WITHHELD, reason
    publication.save(update_fields=["status", "withheld_reason"])
    log.append("publication.withheld", actor=head, agency=publication.agency, obj=publication,
               case_id=publication.case_id, payload={"reason": reason})
    return publication


WITHDRAWAL_KINDS = {"revoked", "illegal", "void", "remade", "changed"}


def _withdrawable(publication: Publication, actor: User) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(actor.agency_id == publication.agency_id and actor.role in PUBLISHER_ROLES, "publisher_required",
            BASIS_WITHDRAW, "由本机关负责公开审核的人员办理")
    require(publication.status == Status.PUBLISHED, "not_published", BASIS_WITHDRAW, "只能撤下已公开的决定")
    return publication


@transaction.atomic
def open_withdrawal(publication: Publication, actor: User, *, kind: str, reason: str, decided_on: dt.date,
                    source: str = "agency") -> Publication:
    """The decision was revoked, confirmed illegal or void, or ordered re-made (by the agency itself, or recorded
    from a 复议/诉讼 outcome): the withdrawal is due within 3 working days of that decision and shows on the
    publisher's list as due or overdue until `withdraw` completes it. Opening it again keeps the earliest due date."""
    publication = _withdrawable(publication, actor)
    require(kind in WITHDRAWAL_KINDS and reason.strip(), "withdrawal_incomplete", BASIS_WITHDRAW,
            "须选择撤下情形并说明理由")
    due_on = publicity.withdrawal_deadline(decided_on)
    if publication.withdrawal_due_on is not None:
        due_on = min(due_on, publication.withdrawal_due_on)
    publication.withdrawal_kind, publication.withdrawal_reason = kind, reason.strip()
    publication.withdrawal_due_on = due_on
    publication.save(update_fields=["withdrawal_kind", "withdrawal_reason", "withdrawal_due_on"])
    log.append("publication.withdrawal_opened", actor=actor, agency=publication.agency, obj=publication,
               case_id=publication.case_id, payload={"kind": kind, "reason": publication.withdrawal_reason,
                                                     "decided_on": decided_on, "due_on": due_on, "source": source})
    return publication


@transaction.atomic
def withdraw(publication: Publication, actor: User, *, kind: str, reason: str, decided_on: dt.date) -> Publication:
    """A published decision that is revoked, confirmed illegal or void, or re-made comes down with the reason
    (due within 3 working days of that decision, or as opened by `open_withdrawal`); the page then shows the
    withdrawal notice."""
    publication = _withdrawable(publication, actor)
    require(kind in WITHDRAWAL_KINDS and reason.strip(), "withdrawal_incomplete",
            BASIS_WITHDRAW, "须选择撤下情形并说明理由")
    due_on = publicity.withdrawal_deadline(decided_on)
    if publication.withdrawal_due_on is not None:  # completing a withdrawal opened earlier
        due_on = min(due_on, publication.withdrawal_due_on)
    publication.status, publication.withdrawal_kind, publication.withdrawal_reason = Status.WITHDRAWN, kind, reason
    publication.withdrawal_due_on = due_on
    publication.withdrawn_at = timezone.now()
    publication.save()
    emit(EventType.WITHDRAWN, publication)
    log.append("publication.withdrawn", actor=actor, agency=publication.agency, obj=publication,
               case_id=publication.case_id, payload={"kind": kind, "reason": reason, "decided_on": decided_on,
                                                     "due_on": publication.withdrawal_due_on,
                                                     "on_time": timezone.localdate() <= publication.withdrawal_due_on})
    return publication


def pending_withdrawals(publications):
    """Published decisions with a withdrawal opened and not yet completed."""
    return publications.filter(status=Status.PUBLISHED, withdrawal_due_on__isnull=False)


@transaction.atomic
def expire_displays(today: dt.date | None = None) -> int:
    """Display periods end publication automatically (a periodic job)."""
    today = today or timezone.localdate()
    expired = 0
    for publication in Publication.objects.select_for_update().filter(status=Status.PUBLISHED,
                                                                      display_until__lt=today):
        publication.status = Status.EXPIRED
        publication.save(update_fields=["status"])
        log.append("publication.expired", actor=None, agency=publication.agency, obj=publication,
                   case_id=publication.case_id, payload={"display_until": publication.display_until})
        expired += 1
    return expired
