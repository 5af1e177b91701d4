"""The penalty procedure's actions: each checks the law's table (zhifa.law.procedure), changes the case and
appends exactly one event, in one transaction. `perform(case, actor, name, **data)` runs one by name."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from zhifa.cases import instalments as schedule_module
from zhifa.cases.facts import build_facts, current_draft
from zhifa.cases.models import (
    Activity,
    Case,
    CoerciveMeasure,
    Draft,
    Instalment,
    InstalmentPlan,
    InstalmentStatus,
    Payment,
    Recusal,
    Remedy,
    RemedyKind,
    Statement,
)
from zhifa.core.errors import RuleViolation, require
from zhifa.law import av_rules, instalments, penalties, procedure
from zhifa.people.models import Role, User
from zhifa.record import log

BASIS_ROLE = "实施办法三(一)；《行政处罚法》第五十七条"
HEAD_ACTIONS = {"decide_recusal", "preserve_evidence", "seize", "extend_deadline", "decide",
                "hold_collective_discussion", "approve_deferral", "approve_instalments", "reject_instalments",
                "transfer", "suspend", "resume", "withdraw_filing"}


def _require_role(actor: User, case: Case, action: str) -> None:
    require(actor.agency_id == case.agency_id, "not_your_agency", BASIS_ROLE, "只能办理本机关的案件")
    if action in HEAD_ACTIONS:
        require(actor.role == Role.AGENCY_HEAD, "agency_head_required", BASIS_ROLE,
                f"“{procedure.TRANSITIONS_BY_ACTION[action].label}”须由机关负责人批准或决定")
    elif action not in {"record_payment", "archive"}:
        require(actor.role in {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD} and case.officers.filter(
            pk=actor.pk).exists() or actor.role in {Role.UNIT_HEAD, Role.AGENCY_HEAD},
            "not_case_officer", BASIS_ROLE, "只有本案承办人员或负责人可以办理")


def _guard(case: Case, actor: User, action: str) -> procedure.Transition:
    transition = procedure.TRANSITIONS_BY_ACTION[action]
    _require_role(actor, case, action)
    block = procedure.check(transition, build_facts(case))
    if block is not None:
        raise RuleViolation(block.code, block.basis, block.detail)
    return transition


def _finish(case: Case, actor: User, transition: procedure.Transition, payload: dict[str, Any]) -> Case:
    """Save the case, then the step's 文书 (numbered, rendered, sealed before the record's lock is taken), the
    step's event, the documents' events, and for a decision its publication task."""
    before = case.stage
    if transition.target is not None:
        case.stage = transition.target
    case.save()
    payload = {"stage_from": before, "stage_to": case.stage, **payload}
    documents = apps.is_installed("zhifa.documents")
    if documents:
        from zhifa.documents.actions import prepare_for_action, record_prepared

        prepared = prepare_for_action(case, actor, transition.action, log.normalise_payload(payload))
    log.append(f"case.{transition.action}", actor=actor, agency=case.agency, obj=case, case_id=case.pk,
               payload=payload)
    if documents:
        record_prepared(prepared)
    if transition.action in {"decide", "decide_on_spot"} and apps.is_installed("zhifa.disclosure"):
        from zhifa.disclosure.actions import open_for_case  # publication within 7 working days (seed §二(一)3)

        open_for_case(case, actor)
    return case


def _decimal(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value or 0))
    except InvalidOperation:
        raise RuleViolation("invalid_amount", "", f"{label}不是有效金额") from None
    require(amount >= 0, "invalid_amount", "", f"{label}不能为负数")
    return amount


def _draft_digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _save_draft(case: Case, actor: User, data: dict[str, Any]) -> Draft:
    kinds = sorted(set(data.get("kinds") or []))
    unknown = [k for k in kinds if k not in penalties.PenaltyKind.__members__.values()]
    require(not unknown, "unknown_penalty_kind", "《行政处罚法》第九条", f"未知的处罚种类：{'、'.join(unknown)}")
    fields = {
        "kinds": kinds, "fine": _decimal(data.get("fine"), "罚款金额"),
        "confiscation": _decimal(data.get("confiscation"), "没收金额"), "no_penalty": bool(data.get("no_penalty")),
        **{name: str(data.get(name, "")).strip() for name in
           ("facts", "evidence_reason", "basis", "basis_reason", "discretion_reason")},
    }
    previous = current_draft(case)
    return Draft.objects.create(case=case, version=(previous.version + 1) if previous else 1, author=actor,
                                created_at=timezone.now(), digest=_draft_digest(fields), **fields)


# --- actions ------------------------------------------------------------------------------------------------


def record_activity(case: Case, actor: User, *, code: str, started_at: dt.datetime, ended_at: dt.datetime,
                    location: str = "", notes: str = "", recording_ids: list[int] | None = None,
                    av_exemption_reason: str = "", av_exemption_approver: User | None = None) -> Case:
    """An enforcement act with its AV record: the agency's AV item list decides what must be recorded."""
    transition = _guard(case, actor, "record_activity")
    require(ended_at >= started_at, "activity_times_reversed", "", "结束时间不得早于开始时间")
    requirement, name = _av_requirement(case, code)
    recordings = _recordings(case, recording_ids or [])
    recorded = sum(float(r.duration_seconds or 0) for r in recordings)
    met = av_rules.av_requirement_met(requirement, av_rules.activity_seconds(started_at, ended_at), recorded,
                                      len(recordings))
    if not met:
        exempt = (av_exemption_reason.strip() and av_exemption_approver is not None
                  and av_exemption_approver.role == Role.AGENCY_HEAD
                  and av_exemption_approver.agency_id == case.agency_id)
        require(exempt, "av_record_required" if requirement == av_rules.AVRequirement.AV else "full_av_required",
                av_rules.BASIS_AV, f"“{name}”须" + ("进行音像记录" if requirement == av_rules.AVRequirement.AV
                                                 else "全过程音像记录（录像须覆盖活动全程）") + "，未附音像记录")
    activity = Activity.objects.create(
        case=case, code=code, name=name, started_at=started_at, ended_at=ended_at, location=location, notes=notes,
        recording_ids=[r.pk for r in recordings], av_requirement=requirement.value,
        av_exemption_reason=av_exemption_reason if not met else "",
        av_exemption_approver=av_exemption_approver if not met else None,
    )
    activity.officers.set(case.officers.all())
    return _finish(case, actor, transition, {"activity": name, "code": code, "av": requirement.value,
                                             "recordings": activity.recording_ids, "av_met": met,
                                             "exemption": activity.av_exemption_reason})


def _av_requirement(case: Case, code: str) -> tuple[av_rules.AVRequirement, str]:
    """The agency's own AV item list decides (catalog), the law's default table otherwise."""
    default = av_rules.default_activity(code)
    require(default is not None, "unknown_activity", av_rules.BASIS_AV, f"未知的执法活动：{code}")
    if apps.is_installed("zhifa.catalog"):
        from zhifa.catalog.actions import av_requirement

        return av_requirement(case.agency, code), default.name
    return default.requirement, default.name


def _recordings(case: Case, ids: list[int]) -> list:
    if not ids:
        return []
    from zhifa.evidence.models import EvidenceFile

    found = list(EvidenceFile.objects.filter(pk__in=ids, case=case))
    require(len(found) == len(set(ids)), "recording_not_in_case", av_rules.BASIS_AV, "所附音像记录不属于本案")
    return [r for r in found if (r.content_type or "").startswith(("video/", "audio/"))]


def request_recusal(case: Case, actor: User, *, officer: User, reason: str) -> Case:
    """APL Art. 43: a party asks, or an officer declares, recusal; the head decides."""
    transition = _guard(case, actor, "request_recusal")
    require(case.officers.filter(pk=officer.pk).exists(), "not_case_officer", "《行政处罚法》第四十三条",
            "被申请回避的人员不是本案承办人员")
    require(reason.strip(), "reason_required", "《行政处罚法》第四十三条", "须说明回避理由")
    Recusal.objects.create(case=case, officer=officer, reason=reason)
    return _finish(case, actor, transition, {"officer": officer.get_full_name(), "reason": reason})


def decide_recusal(case: Case, actor: User, *, recusal_id: int, granted: bool, replacement: User | None = None) -> Case:
    transition = _guard(case, actor, "decide_recusal")
    recusal = Recusal.objects.get(pk=recusal_id, case=case, granted__isnull=True)
    if granted:
        require(replacement is not None and replacement.agency_id == case.agency_id, "replacement_required",
                "《行政处罚法》第四十三条", "决定回避的，须指定替换的执法人员")
        case.officers.remove(recusal.officer)
        case.officers.add(replacement)
    recusal.granted, recusal.decided_by, recusal.replacement = granted, actor, replacement
    recusal.save()
    return _finish(case, actor, transition, {"officer": recusal.officer.get_full_name(), "granted": granted,
                                             "replacement": replacement.get_full_name() if replacement else ""})


def _measure(case: Case, actor: User, action: str, kind: str, items: str, started_on: dt.date) -> Case:
    transition = _guard(case, actor, action)
    require(items.strip(), "items_required", "《行政强制法》第二十四条", "须列明物品清单")
    due = (penalties.seizure_end(started_on, False) if kind == "seizure"
           else penalties.preservation_decision_deadline(started_on))
    CoerciveMeasure.objects.create(case=case, kind=kind, items=items, started_on=started_on, due_on=due,
                                   approved_by=actor)
    return _finish(case, actor, transition, {"kind": kind, "items": items, "due_on": due})


def preserve_evidence(case: Case, actor: User, *, items: str, started_on: dt.date) -> Case:
    """APL Art. 56: 先行登记保存 with the head's approval; decided within 7 working days."""
    return _measure(case, actor, "preserve_evidence", "preservation", items, started_on)


def seize(case: Case, actor: User, *, items: str, started_on: dt.date) -> Case:
    """行政强制法 Art. 18–25: 查封扣押 with the head's prior approval, ≤ 30 days."""
    return _measure(case, actor, "seize", "seizure", items, started_on)


def release_measure(case: Case, actor: User, *, measure_id: int, released_on: dt.date) -> Case:
    transition = _guard(case, actor, "release_measure")
    measure = CoerciveMeasure.objects.get(pk=measure_id, case=case, released_on__isnull=True)
    measure.released_on = released_on
    measure.save()
    return _finish(case, actor, transition, {"kind": measure.kind, "released_on": released_on})


def end_investigation(case: Case, actor: User, **draft: Any) -> Case:
    """调查终结: the investigation report with the proposed decision and its reasons."""
    _require_role(actor, case, "end_investigation")
    with transaction.atomic():
        saved = _save_draft(case, actor, draft)
        transition = _guard(case, actor, "end_investigation")
        return _finish(case, actor, transition, {"draft_version": saved.version, "digest": saved.digest})


def revise_draft(case: Case, actor: User, **draft: Any) -> Case:
    """A changed draft voids earlier reviews and notices: they cover the old digest only (APL Art. 58, 44)."""
    _require_role(actor, case, "revise_draft")
    saved = _save_draft(case, actor, draft)
    transition = _guard(case, actor, "revise_draft")
    return _finish(case, actor, transition, {"draft_version": saved.version, "digest": saved.digest})


def hold_collective_discussion(case: Case, actor: User, *, participants: list[str], conclusion: str) -> Case:
    """APL Art. 57(2): the heads' collective discussion, with its record."""
    transition = _guard(case, actor, "hold_collective_discussion")
    require(len(participants) >= 3 and conclusion.strip(), "discussion_record_incomplete",
            "《行政处罚法》第五十七条第二款", "集体讨论记录须有参加人员（至少三人）和讨论结论")
    return _finish(case, actor, transition, {"participants": participants, "conclusion": conclusion})


def notify(case: Case, actor: User) -> Case:
    """APL Art. 44: 事先告知 of the proposed penalty, facts, reasons, basis and the rights to state, defend and
    (where offered) ask for a hearing."""
    transition = _guard(case, actor, "notify")
    draft = current_draft(case)
    case.notified_on = timezone.localdate()
    case.notified_draft = draft
    facts = build_facts(case)
    return _finish(case, actor, transition, {
        "draft_version": draft.version, "digest": draft.digest, "hearing_offered": facts.hearing_offered,
        "statement_until": penalties.statement_deadline(case.notified_on),
        "hearing_request_until": (penalties.hearing_request_deadline(case.notified_on)
                                  if facts.hearing_offered else None),
    })


def record_statement(case: Case, actor: User, *, content: str, waived: bool = False) -> Case:
    """APL Art. 45: the party's statement and defence are recorded (or the party's waiver)."""
    transition = _guard(case, actor, "record_statement")
    if waived:
        case.statement_waived = True
    else:
        require(content.strip(), "statement_empty", "《行政处罚法》第四十五条", "陈述申辩内容不能为空")
        Statement.objects.create(case=case, received_on=timezone.localdate(), content=content)
    return _finish(case, actor, transition, {"waived": waived, "content": content})


def review_statement(case: Case, actor: User, *, statement_id: int, accepted: bool, review: str) -> Case:
    """APL Art. 45: every fact, reason and piece of evidence the party puts forward is reviewed (复核)."""
    transition = _guard(case, actor, "review_statement")
    require(review.strip(), "review_reason_required", "《行政处罚法》第四十五条", "复核须说明采纳或不采纳的理由")
    statement = Statement.objects.get(pk=statement_id, case=case, accepted__isnull=True)
    statement.accepted, statement.review, statement.reviewed_by = accepted, review, actor
    statement.save()
    return _finish(case, actor, transition, {"statement": statement.pk, "accepted": accepted, "review": review})


def request_hearing(case: Case, actor: User, *, requested_on: dt.date | None = None, waived: bool = False) -> Case:
    """APL Art. 64(1): the party asks within 5 working days of the notice (or waives the hearing)."""
    transition = _guard(case, actor, "request_hearing")
    facts = build_facts(case)
    require(facts.hearing_offered, "hearing_not_offered", "《行政处罚法》第六十三条", "本案拟作出的处罚不属于听证范围")
    if waived:
        case.hearing_waived = True
    else:
        requested_on = requested_on or timezone.localdate()
        deadline = penalties.hearing_request_deadline(case.notified_on)
        require(requested_on <= deadline, "hearing_request_late", "《行政处罚法》第六十四条",
                f"听证申请期限已于 {deadline} 届满")
        case.hearing_requested_on = requested_on
    return _finish(case, actor, transition, {"waived": waived, "requested_on": requested_on})


def hold_hearing(case: Case, actor: User, *, notified_on: dt.date, held_on: dt.date, chair: User,
                 record: str) -> Case:
    """APL Art. 64: notified 7 working days ahead; chaired by someone who did not investigate the case."""
    transition = _guard(case, actor, "hold_hearing")
    require(case.hearing_requested_on is not None, "hearing_not_requested", "《行政处罚法》第六十四条",
            "当事人未申请听证")
    earliest = penalties.earliest_hearing_date(notified_on)
    require(held_on >= earliest, "hearing_notice_too_short", "《行政处罚法》第六十四条第二项",
            f"应当在举行听证的七日前通知当事人（最早 {earliest}）")
    require(not case.officers.filter(pk=chair.pk).exists(), "hearing_chair_investigated",
            "《行政处罚法》第六十四条第四项", "听证主持人不得是本案调查人员")
    require(record.strip(), "hearing_record_required", "《行政处罚法》第六十四条第八项", "须制作听证笔录")
    case.hearing_held_on = held_on
    return _finish(case, actor, transition, {"held_on": held_on, "chair": chair.get_full_name(), "record": record})


def extend_deadline(case: Case, actor: User, *, reason: str) -> Case:
    """APL Art. 60 with the sector rule: the head approves one extension (default +30 days)."""
    transition = _guard(case, actor, "extend_deadline")
    require(not case.decision_extended, "already_extended", "《行政处罚法》第六十条", "办案期限已延长过一次")
    require(reason.strip(), "reason_required", "《行政处罚法》第六十条", "延长办案期限须说明理由")
    case.decision_extended = True
    return _finish(case, actor, transition, {"reason": reason})


def decide(case: Case, actor: User) -> Case:
    """作出处罚决定: every guard of the law's table, including the legal-review gate (APL Art. 58)."""
    transition = _guard(case, actor, "decide")
    draft = current_draft(case)
    case.decided_on, case.decided_draft, case.decided_by = timezone.localdate(), draft, actor
    case.payment_code = payment_code_for(case) if draft.fine or draft.confiscation else ""
    return _finish(case, actor, transition, {
        "draft_version": draft.version, "digest": draft.digest, "kinds": draft.kinds, "fine": draft.fine,
        "service_due": penalties.service_deadline(case.decided_on), "responsibility": _responsibility(case, draft),
        "payment_code": case.payment_code,
    })


def payment_code_for(case: Case) -> str:
    from zhifa.cases.payments import payment_code_for as code

    return code(case)


def _responsibility(case: Case, draft: Draft) -> dict[str, object]:
    """Seed §二(三)5: the handling unit answers for the materials, the reviewer for legality, the head decides."""
    passed = case.reviews.filter(digest=draft.digest, status="passed").select_related("reviewer").last()
    return {
        "materials": [o.get_full_name() for o in case.officers.order_by("username")],
        "legality": passed.reviewer.get_full_name() if passed and passed.reviewer else "",
        "decision": case.decided_by.get_full_name(),
    }


def decide_on_spot(case: Case, actor: User, **draft: Any) -> Case:
    """APL Art. 51–52: 当场处罚 — the decision handed over on the spot, then filed with the agency."""
    _require_role(actor, case, "decide_on_spot")
    saved = _save_draft(case, actor, draft)
    transition = _guard(case, actor, "decide_on_spot")
    today = timezone.localdate()
    case.decided_on = case.served_on = today
    case.decided_draft, case.decided_by = saved, actor
    case.payment_due_on = penalties.payment_deadline(today)
    case.payment_code = payment_code_for(case) if saved.fine else ""
    return _finish(case, actor, transition, {"draft_version": saved.version, "kinds": saved.kinds,
                                             "fine": saved.fine, "payment_due": case.payment_due_on,
                                             "payment_code": case.payment_code})


SERVICE_METHODS = {"direct": "直接送达", "lodged": "留置送达", "post": "邮寄送达", "electronic": "电子送达",
                   "public_notice": "公告送达"}


def serve(case: Case, actor: User, *, method: str, served_on: dt.date, consent_to_electronic: bool = False,
          witness: str = "", electronic_address: str = "") -> Case:
    """APL Art. 61: served on the spot or within 7 working days; electronic service only with consent, to the
    address the party confirmed; 留置送达 with a witness (民事诉讼法 Art. 89). For an on-the-spot decision (Art. 52)
    this records how it was handed over, once."""
    transition = _guard(case, actor, "serve")
    require(method in SERVICE_METHODS, "unknown_service_method", "《行政处罚法》第六十一条", "未知的送达方式")
    require(method != "electronic" or consent_to_electronic, "electronic_service_needs_consent",
            "《行政处罚法》第六十一条第二款", "电子送达须经当事人同意并签订确认书")
    require(method != "electronic" or electronic_address.strip(), "electronic_address_required",
            "《行政处罚法》第六十一条第二款；《民事诉讼法》第九十条", "电子送达须写明当事人确认的手机号码或电子邮箱")
    require(method != "lodged" or witness.strip(), "lodged_service_needs_witness", "《民事诉讼法》第八十九条",
            "留置送达须有见证人或音像记录")
    deadline = penalties.service_deadline(case.decided_on)
    require(served_on <= deadline, "service_late", "《行政处罚法》第六十一条",
            f"决定书应于 {deadline} 前送达（7个工作日）")
    require(served_on >= case.decided_on, "service_before_decision", "《行政处罚法》第六十一条",
            "送达日期不能早于决定日期")
    case.served_on = served_on
    case.payment_due_on = penalties.payment_deadline(served_on)
    payload = {"method": SERVICE_METHODS[method], "served_on": served_on, "payment_due": case.payment_due_on,
               "witness": witness}
    if method == "electronic":
        payload.update(consent_to_electronic=True, electronic_address=electronic_address.strip())
    return _finish(case, actor, transition, payload)


def record_payment(case: Case, actor: User, *, amount: Any, paid_on: dt.date, channel: str, reference: str) -> Case:
    """罚缴分离 (APL Art. 67): payments confirmed by the bank; on the spot only within Art. 68 with a receipt;
    late payments carry the Art. 72 surcharge."""
    transition = _guard(case, actor, "record_payment")
    amount = _decimal(amount, "缴款金额")
    require(amount > 0, "invalid_amount", "", "缴款金额须大于零")
    require(reference.strip(), "payment_reference_required", "《行政处罚法》第七十条", "须填写银行流水号或收据号")
    if channel == "on_spot":
        require(penalties.on_spot_collection_allowed(case.fine_due()), "on_spot_collection_not_allowed",
                "《行政处罚法》第六十八条", "当场收缴罚款仅限一百元以下（或法定的特殊情形）")
    plan, paid = schedule_module.schedule_of(case), schedule_module.payments_of(case)
    remedies = schedule_module.remedies_of(case)  # Art. 73(3): 复议/诉讼 days not counted
    before = instalments.allocate(plan, paid, remedies=remedies)
    # Allocated in the order the money was paid (a confirmation may arrive after a later-dated one).
    after = instalments.allocate(plan, sorted([*paid, instalments.Paid(amount, paid_on)], key=lambda p: p.paid_on),
                                 remedies=remedies)
    # Art. 72: each instalment settled late carries its surcharge from its own due date; a payment records the
    # change it makes to the settled instalments' surcharge, so the payments' surcharges add up to the schedule's,
    # never twice. Only a confirmation dated before ones already recorded can lower it (a negative correction:
    # the instalment was in fact settled earlier).
    surcharge = schedule_module.settled_surcharge(after) - schedule_module.settled_surcharge(before)
    Payment.objects.create(case=case, amount=amount, surcharge=surcharge, paid_on=paid_on, channel=channel,
                           reference=reference)
    if after.next_open is not None:
        case.payment_due_on = after.next_open.instalment.due_on
    if case.fine_paid():
        case.stage = procedure.Stage.EXECUTED
    was_open = {s.instalment.number for s in before.states if s.open}
    settled = [s.instalment.number for s in after.states if not s.open and s.instalment.number in was_open]
    return _finish(case, actor, transition, {"amount": amount, "surcharge": surcharge, "channel": channel,
                                             "reference": reference, "instalments_settled": settled,
                                             "excess": after.excess - before.excess})


def approve_deferral(case: Case, actor: User, *, new_due_on: dt.date, reason: str) -> Case:
    """APL Art. 66(2): deferral on the party's request, with the agency's approval (instalments: see below)."""
    transition = _guard(case, actor, "approve_deferral")
    require(reason.strip(), "reason_required", "《行政处罚法》第六十六条第二款", "须说明延期缴纳的理由")
    require(new_due_on > timezone.localdate(), "deferral_not_in_future", "《行政处罚法》第六十六条第二款",
            "延期后的缴款期限须晚于今日")
    case.payment_due_on = new_due_on
    return _finish(case, actor, transition, {"new_due_on": new_due_on, "reason": reason})


def _schedule_payload(items) -> list[dict[str, object]]:
    return [{"number": i.number, "amount": i.amount, "due_on": i.due_on} for i in items]


def request_instalments(case: Case, actor: User, *, reason: str, schedule: Any,
                        requested_on: dt.date | None = None) -> Case:
    """APL Art. 66(2): the party's written application to pay by instalments, with the proposed schedule, recorded
    by the case officer; a new application replaces one still pending."""
    transition = _guard(case, actor, "request_instalments")
    require(reason.strip(), "reason_required", instalments.BASIS_INSTALMENTS,
            "须写明当事人申请分期缴纳的理由（经济困难情况）")
    items = schedule_module.parse_schedule(schedule)
    problem = instalments.schedule_problem(items, case.fine_due(), timezone.localdate(),
                                           schedule_module.penalty_config())
    if problem is not None:
        raise RuleViolation(problem[0], instalments.BASIS_INSTALMENTS, problem[1])
    case.instalment_plans.filter(status=InstalmentStatus.REQUESTED).update(status=InstalmentStatus.SUPERSEDED)
    plan = InstalmentPlan.objects.create(case=case, reason=reason.strip(), recorded_by=actor,
                                         requested_on=requested_on or timezone.localdate())
    Instalment.objects.bulk_create(Instalment(plan=plan, number=i.number, amount=i.amount, due_on=i.due_on)
                                   for i in items)
    return _finish(case, actor, transition, {"plan": plan.pk, "reason": plan.reason,
                                             "requested_on": plan.requested_on, "schedule": _schedule_payload(items)})


def _decide_plan(case: Case, actor: User, status: str, opinion: str) -> InstalmentPlan:
    """The head's decision on the pending instalment application, with the opinion (or refusal's reasons)."""
    plan = schedule_module.pending_plan(case)
    plan.status, plan.decided_by, plan.decided_on, plan.opinion = status, actor, timezone.localdate(), opinion.strip()
    plan.save()
    return plan


def approve_instalments(case: Case, actor: User, *, opinion: str = "") -> Case:
    """APL Art. 66(2): the agency head approves the pending application; the payment deadline becomes the first
    instalment's and the 延期（分期）缴纳审批表 is issued."""
    transition = _guard(case, actor, "approve_instalments")
    plan = _decide_plan(case, actor, InstalmentStatus.APPROVED, opinion)
    items = schedule_module.law_schedule(plan)
    case.payment_due_on = schedule_module.allocation(case).next_open.instalment.due_on
    return _finish(case, actor, transition, {"plan": plan.pk, "reason": plan.reason, "opinion": plan.opinion,
                                             "schedule": _schedule_payload(items),
                                             "new_due_on": case.payment_due_on})


def reject_instalments(case: Case, actor: User, *, reason: str) -> Case:
    """APL Art. 66(2): the head may refuse the application (with reasons); the payment deadline stands."""
    transition = _guard(case, actor, "reject_instalments")
    require(reason.strip(), "reason_required", instalments.BASIS_INSTALMENTS, "不予批准须说明理由")
    plan = _decide_plan(case, actor, InstalmentStatus.REJECTED, reason)
    return _finish(case, actor, transition, {"plan": plan.pk, "reason": plan.opinion})


def _settled_surcharge(case: Case) -> Decimal:
    return schedule_module.settled_surcharge(schedule_module.allocation(case))


def record_remedy(case: Case, actor: User, *, kind: str, applied_on: dt.date, organ: str,
                  reference: str = "") -> Case:
    """The party applied for 行政复议 or brought 行政诉讼 against the decision: from that day the late surcharge is
    not counted (APL Art. 73(3)); the decision is still carried out meanwhile (Art. 73(1)). One pending of each kind."""
    transition = _guard(case, actor, "record_remedy")
    basis = penalties.BASIS_SURCHARGE_SUSPENDED
    require(kind in RemedyKind.values, "unknown_remedy", basis, "类别应为行政复议或行政诉讼")
    require(organ.strip(), "organ_required", basis, "须填写复议机关或人民法院")
    require(case.decided_on <= applied_on <= timezone.localdate(), "date_out_of_range", basis,
            "申请复议或起诉日期应在处罚决定之后、今天或之前")
    require(not case.remedies.filter(kind=kind, ended_on__isnull=True).exists(), "remedy_already_pending", basis,
            f"本案已有尚未终结的{RemedyKind(kind).label}")
    before = _settled_surcharge(case)
    remedy = Remedy.objects.create(case=case, kind=kind, applied_on=applied_on, organ=organ.strip(),
                                   reference=reference.strip())
    return _finish(case, actor, transition, {"remedy": remedy.pk, "kind": remedy.get_kind_display(),
                                             "applied_on": applied_on, "organ": remedy.organ,
                                             "reference": remedy.reference,
                                             "surcharge_change": _settled_surcharge(case) - before})


def end_remedy(case: Case, actor: User, *, kind: str, ended_on: dt.date) -> Case:
    """The 复议 or 诉讼 ended (复议决定, judgment, or withdrawal): from the next day the late surcharge counts again
    (APL Art. 73(3))."""
    transition = _guard(case, actor, "end_remedy")
    remedy = case.remedies.filter(kind=kind, ended_on__isnull=True).first()
    basis = penalties.BASIS_SURCHARGE_SUSPENDED
    require(remedy is not None, "no_pending_remedy", basis, "没有尚未终结的该类复议或诉讼")
    require(remedy.applied_on <= ended_on <= timezone.localdate(), "date_out_of_range", basis,
            f"终结日期应在申请复议或起诉之日（{remedy.applied_on}）之后、今天或之前")
    before = _settled_surcharge(case)
    remedy.ended_on = ended_on
    remedy.save(update_fields=["ended_on"])
    return _finish(case, actor, transition, {"remedy": remedy.pk, "kind": remedy.get_kind_display(),
                                             "ended_on": ended_on,
                                             "surcharge_change": _settled_surcharge(case) - before})


def close(case: Case, actor: User) -> Case:
    transition = _guard(case, actor, "close")
    case.closed_on = timezone.localdate()
    return _finish(case, actor, transition, {})


def archive(case: Case, actor: User) -> Case:
    return _finish(case, actor, _guard(case, actor, "archive"), {})


def withdraw_filing(case: Case, actor: User, *, reason: str) -> Case:
    transition = _guard(case, actor, "withdraw_filing")
    require(reason.strip(), "reason_required", "《行政处罚法》第五十四条", "撤销立案须说明理由")
    return _finish(case, actor, transition, {"reason": reason})


def transfer(case: Case, actor: User, *, to: str, reason: str) -> Case:
    """APL Art. 27, 57(4): transfer to judicial organs (suspected crime) or to the competent agency."""
    transition = _guard(case, actor, "transfer")
    require(to.strip() and reason.strip(), "transfer_incomplete", "《行政处罚法》第二十七条", "须写明移送机关和理由")
    return _finish(case, actor, transition, {"to": to, "reason": reason})


def suspend(case: Case, actor: User, *, reason: str) -> Case:
    transition = _guard(case, actor, "suspend")
    require(reason.strip(), "reason_required", "《行政处罚法》第六十条", "中止须说明理由")
    case.stage_before_suspension, case.suspended_on = case.stage, timezone.localdate()
    return _finish(case, actor, transition, {"reason": reason})


def resume(case: Case, actor: User) -> Case:
    """Suspended days are not counted in the decision deadline (APL Art. 60)."""
    transition = _guard(case, actor, "resume")
    case.suspended_days += (timezone.localdate() - case.suspended_on).days if case.suspended_on else 0
    case.stage, case.stage_before_suspension, case.suspended_on = case.stage_before_suspension, "", None
    return _finish(case, actor, transition, {"suspended_days": case.suspended_days})


ACTIONS: dict[str, Callable[..., Case]] = {
    name: globals()[name] for name in procedure.TRANSITIONS_BY_ACTION if name in globals()
}


def submit_review(case: Case, actor: User, response: str = "", advisers: str = "") -> Case:
    """法制审核 (APL Art. 58): the package goes to a qualified reviewer; see zhifa.review.actions."""
    from zhifa.review.actions import submit_for_review

    transition = procedure.TRANSITIONS_BY_ACTION["submit_review"]
    _require_role(actor, case, "submit_review")
    block = procedure.check(transition, build_facts(case))
    if block is not None:
        raise RuleViolation(block.code, block.basis, block.detail)
    return submit_for_review(case, actor, response=response, advisers=advisers)


ACTIONS["submit_review"] = submit_review


@transaction.atomic
def perform(case: Case, actor: User, name: str, **data: Any) -> Case:
    """Run the action `name` on `case` (locked for the transaction)."""
    require(name in ACTIONS, "unknown_action", "", f"未知的操作：{name}")
    case = Case.objects.select_for_update().get(pk=case.pk)
    return ACTIONS[name](case, actor, **data)
