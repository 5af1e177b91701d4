"""The administrative penalty procedure, declared once: stages, actions, and the guards that block them.

Each guard is a named function of `CaseFacts` (a plain snapshot the Django layer builds) returning a `Block`
(stable code, article, Chinese detail) or None. `available_actions(facts)` answers, for every action, whether it
is allowed now and, if not, which rule blocks it. Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from zhifa.law import instalments, penalties
from zhifa.law.workdays import UnknownYearError


class Stage(StrEnum):
    FILED = "filed"  # 立案，调查取证
    INVESTIGATED = "investigated"  # 调查终结
    REVIEWED = "reviewed"  # 法制审核 / 集体讨论 done as required
    NOTIFIED = "notified"  # 事先告知
    DECIDED = "decided"  # 决定
    SERVED = "served"  # 送达
    EXECUTED = "executed"  # 执行完毕
    CLOSED = "closed"  # 结案
    ARCHIVED = "archived"  # 归档
    SUSPENDED = "suspended"  # 中止
    NOT_FILED = "not_filed"  # 不予立案
    WITHDRAWN = "withdrawn"  # 撤销立案
    TRANSFERRED = "transferred"  # 移送


STAGE_LABELS = {
    Stage.FILED: "调查取证", Stage.INVESTIGATED: "调查终结", Stage.REVIEWED: "审核决定", Stage.NOTIFIED: "事先告知",
    Stage.DECIDED: "已决定", Stage.SERVED: "已送达", Stage.EXECUTED: "执行完毕", Stage.CLOSED: "已结案",
    Stage.ARCHIVED: "已归档", Stage.SUSPENDED: "中止", Stage.NOT_FILED: "不予立案", Stage.WITHDRAWN: "撤销立案",
    Stage.TRANSFERRED: "已移送",
}


@dataclass(frozen=True)
class Block:
    code: str
    basis: str
    detail: str


@dataclass
class Draft:
    """The proposed decision (调查终结 → 事先告知 → 决定)."""

    kinds: set[str] = field(default_factory=set)
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)
    no_penalty: bool = False  # 不予处罚 (APL Art. 33)
    facts: str = ""
    evidence_reason: str = ""  # why evidence was adopted (湖南省行政程序规定 Art. 78)
    basis: str = ""  # legal basis
    basis_reason: str = ""  # why this basis
    discretion_reason: str = ""  # why this discretion level
    digest: str = ""


@dataclass
class CaseFacts:
    today: dt.date
    stage: str
    procedure: str = "general"  # general | simplified
    filed_on: dt.date | None = None
    act_ended_on: dt.date | None = None
    serious_harm: bool = False
    party_is_person: bool = True
    party_name: str = ""
    party_address: str = ""
    officers_with_valid_credentials: int = 0
    recusal_pending: bool = False
    open_measures: int = 0
    draft: Draft | None = None
    review_required: bool = False
    review_rule: str = ""
    review_passed: bool = False  # a passed review covers the current draft's digest
    collective_discussion_required: bool = False
    collective_discussion_done: bool = False
    notified_on: dt.date | None = None
    notified_draft: Draft | None = None
    statement_waived: bool = False
    statements_pending_review: int = 0  # statements not yet reviewed (复核)
    hearing_offered: bool = False
    hearing_requested: bool = False
    hearing_held: bool = False
    hearing_waived: bool = False
    decision_extended: bool = False
    suspended_days: int = 0
    decided_on: dt.date | None = None
    served_on: dt.date | None = None
    fine_due: Decimal = Decimal(0)  # the decided fine
    fine_paid: bool = False
    instalment_plan: bool = False  # an approved instalment plan
    instalment_request: tuple[instalments.Instalment, ...] | None = None  # the party's pending application
    seizure_open: bool = False
    preservation_open: bool = False
    remedies_pending: int = 0  # 复议/诉讼 applied for and not yet ended
    service_recorded: bool = False  # a 送达 (with its 送达回证) is recorded
    config: penalties.PenaltyConfig = field(default_factory=penalties.PenaltyConfig)


Guard = Callable[[CaseFacts], Block | None]


# --- guards -------------------------------------------------------------------------------------------------


def two_credentialed_officers(f: CaseFacts) -> Block | None:
    """APL Art. 42, 55: at least two officers, each with a valid credential, on every act of investigation."""
    if f.officers_with_valid_credentials < penalties.MIN_OFFICERS:
        return Block("two_officers_required", "《行政处罚法》第四十二条、第五十五条",
                     f"执法人员不得少于两人且须持有效执法证（现有 {f.officers_with_valid_credentials} 人）")
    return None


def no_pending_recusal(f: CaseFacts) -> Block | None:
    """APL Art. 43: a recusal request is decided by the agency head before the officer acts again."""
    if f.recusal_pending:
        return Block("recusal_pending", "《行政处罚法》第四十三条", "有回避申请尚未由机关负责人决定")
    return None


def within_limitation(f: CaseFacts) -> Block | None:
    """APL Art. 36: no penalty once the 2-year (5-year) limitation period has passed."""
    if f.act_ended_on and f.filed_on and penalties.limitation_expired(f.filed_on, f.act_ended_on, f.serious_harm):
        return Block("limitation_expired", "《行政处罚法》第三十六条", "违法行为超过追责时效，不再给予行政处罚")
    return None


def has_draft(f: CaseFacts) -> Block | None:
    """湖南省行政程序规定 Art. 78: the proposed decision states facts and its reasons (evidence, basis,
    discretion) before the investigation ends."""
    d = f.draft
    if d is None:
        return Block("draft_required", "《湖南省行政程序规定》第七十八条", "尚未拟定处理意见")
    missing = [label for label, value in (("违法事实", d.facts), ("证据采信理由", d.evidence_reason),
                                          ("法律依据", d.basis), ("依据选择理由", d.basis_reason),
                                          ("裁量理由", d.discretion_reason)) if not value.strip()]
    if not d.no_penalty and not d.kinds:
        missing.append("处罚种类")
    if penalties.PenaltyKind.FINE in d.kinds and d.fine <= 0:
        missing.append("罚款金额")
    if missing:
        return Block("draft_incomplete", "《湖南省行政程序规定》第七十八条", "处理意见缺少：" + "、".join(missing))
    return None


def legal_review_passed(f: CaseFacts) -> Block | None:
    """APL Art. 58 and the seed §二(三): no major decision without a legal review that passed, and the review
    must cover the current draft."""
    if f.review_required and not f.review_passed:
        return Block("legal_review_required", "《行政处罚法》第五十八条",
                     f"本案须经法制审核（{f.review_rule}），当前处理意见尚无通过的审核意见")
    return None


def collective_discussion_held(f: CaseFacts) -> Block | None:
    """APL Art. 57(2): complex or serious cases are decided by the heads' collective discussion."""
    if f.collective_discussion_required and not f.collective_discussion_done:
        return Block("collective_discussion_required", "《行政处罚法》第五十七条第二款",
                     "情节复杂或重大违法行为须经集体讨论决定")
    return None


def prior_notice_given(f: CaseFacts) -> Block | None:
    """APL Art. 44, 62: no decision before the party was told the proposed penalty, facts, reasons, basis and
    rights."""
    if f.notified_on is None:
        return Block("prior_notice_required", "《行政处罚法》第四十四条、第六十二条",
                     "作出处罚决定前须履行事先告知程序")
    return None


def statement_period_over(f: CaseFacts) -> Block | None:
    """APL Art. 45: the party's statement and defence are heard: wait for the period unless waived, and review
    every statement (复核)."""
    if f.notified_on and not f.statement_waived and f.today <= penalties.statement_deadline(f.notified_on, f.config):
        deadline = penalties.statement_deadline(f.notified_on, f.config)
        return Block("statement_period_open", "《行政处罚法》第四十五条",
                     f"陈述申辩期限至 {deadline}，期满或当事人放弃后方可决定")
    if f.statements_pending_review:
        return Block("statement_not_reviewed", "《行政处罚法》第四十五条", "当事人的陈述申辩尚未复核")
    return None


def hearing_settled(f: CaseFacts) -> Block | None:
    """APL Art. 63–64: where a hearing is offered, wait for the 5-working-day request window; a requested
    hearing is held before deciding."""
    if not f.hearing_offered or f.hearing_waived:
        return None
    if f.hearing_requested and not f.hearing_held:
        return Block("hearing_pending", "《行政处罚法》第六十四条", "当事人已申请听证，听证结束前不得作出决定")
    if not f.hearing_requested and f.notified_on and f.today <= penalties.hearing_request_deadline(f.notified_on):
        return Block("hearing_window_open", "《行政处罚法》第六十四条",
                     f"听证申请期限至 {penalties.hearing_request_deadline(f.notified_on)}")
    return None


def not_heavier_than_notice(f: CaseFacts) -> Block | None:
    """APL Art. 45(2): the penalty may not be increased because the party defended itself; a heavier draft
    needs a new prior notice."""
    d, n = f.draft, f.notified_draft
    if d and n and penalties.heavier_than(d.kinds, d.fine, d.confiscation, n.kinds, n.fine, n.confiscation):
        return Block("heavier_than_notice", "《行政处罚法》第四十五条第二款", "处罚重于事先告知的内容，须重新告知")
    if d and n and d.digest != n.digest and not penalties.heavier_than(
            d.kinds, d.fine, d.confiscation, n.kinds, n.fine, n.confiscation) and d.facts != n.facts:
        return Block("facts_changed_after_notice", "《行政处罚法》第四十四条", "认定的事实与告知内容不同，须重新告知")
    return None


def decision_content_complete(f: CaseFacts) -> Block | None:
    """APL Art. 59: the decision states the party's name and address, facts and evidence, penalty and basis,
    how and by when to comply, the remedies, the agency and date."""
    missing = [label for label, value in (("当事人姓名或名称", f.party_name), ("当事人地址", f.party_address))
               if not value.strip()]
    if missing:
        return Block("decision_content_incomplete", "《行政处罚法》第五十九条", "决定书缺少：" + "、".join(missing))
    return None


def within_decision_deadline(f: CaseFacts) -> Block | None:
    """APL Art. 60: decide within 90 days of filing (extension with approval); overdue decisions need the
    extension first."""
    if f.filed_on:
        if f.today <= penalties.decision_deadline_not_before(f.filed_on, f.suspended_days, f.decision_extended,
                                                             f.config):
            return None
        deadline = penalties.decision_deadline(f.filed_on, f.suspended_days, f.decision_extended, f.config)
        if f.today > deadline:
            return Block("decision_overdue", "《行政处罚法》第六十条", f"办案期限已于 {deadline} 届满，须先经批准延长")
    return None


def simplified_limits(f: CaseFacts) -> Block | None:
    """APL Art. 51: on-the-spot decisions only for warnings and small fines (checked on the decision's own draft,
    which the on-the-spot decision brings with it)."""
    d = f.draft
    if d is None or not penalties.simplified_procedure_allowed(d.kinds, d.fine, f.party_is_person):
        return Block("simplified_not_allowed", "《行政处罚法》第五十一条",
                     "当场处罚仅限警告或对公民200元以下、对法人或者其他组织3000元以下罚款")
    return None


def no_open_coercive_measures(f: CaseFacts) -> Block | None:
    """行政强制法 Art. 27, APL Art. 56: seized or preserved items are dealt with before the case closes."""
    if f.seizure_open or f.preservation_open:
        return Block("coercive_measure_open", "《行政强制法》第二十七条；《行政处罚法》第五十六条",
                     "查封扣押或先行登记保存的物品尚未依法处理")
    return None


def executed(f: CaseFacts) -> Block | None:
    """APL Art. 66–67: the case closes once the decision is carried out (fine paid) or enforcement ended."""
    d = f.draft
    if d and penalties.PenaltyKind.FINE in d.kinds and not f.fine_paid:
        return Block("fine_unpaid", "《行政处罚法》第六十六条", "罚款尚未缴纳，不能结案")
    return None


def fine_decided_unpaid(f: CaseFacts) -> Block | None:
    """APL Art. 66: deferral or instalments concern a decided fine that is not yet (fully) paid."""
    if f.decided_on is None or f.fine_due <= 0:
        return Block("no_fine_to_pay", instalments.BASIS_INSTALMENTS, "本案没有已决定的罚款")
    if f.fine_paid:
        return Block("fine_already_paid", instalments.BASIS_INSTALMENTS, "罚款已缴清")
    return None


def no_instalment_plan(f: CaseFacts) -> Block | None:
    """APL Art. 66(2): one approved instalment plan governs the payment; it is not changed or deferred again."""
    if f.instalment_plan:
        return Block("instalment_plan_exists", instalments.BASIS_INSTALMENTS, "本案已批准分期缴纳，按已批准的分期执行")
    return None


def instalment_request_pending(f: CaseFacts) -> Block | None:
    """APL Art. 66(2): instalments only 经当事人申请 — on the party's application."""
    if f.instalment_request is None:
        return Block("no_instalment_request", instalments.BASIS_INSTALMENTS, "当事人尚未申请分期缴纳")
    return None


def instalment_schedule_valid(f: CaseFacts) -> Block | None:
    """APL Art. 66(2): the approved schedule pays exactly the fine, in future, ordered instalments within the
    agency's maximum count and term (zhifa.law.instalments.schedule_problem)."""
    if f.instalment_request is None:
        return None
    problem = instalments.schedule_problem(f.instalment_request, f.fine_due, f.today, f.config)
    if problem is not None:
        return Block(problem[0], instalments.BASIS_INSTALMENTS, problem[1])
    return None


def service_outstanding(f: CaseFacts) -> Block | None:
    """APL Art. 61: a general-procedure decision is served once, after the decision. An on-the-spot decision is
    handed over when made (Art. 52); how it reached the party — the paper copy, electronic service with the party's
    consent (Art. 61(2)), or a refusal to accept it before a witness — is then recorded once, with its 送达回证."""
    if f.stage == Stage.SERVED and f.procedure != "simplified":
        return Block("wrong_stage", "《行政处罚法》第五章", f"当前阶段（{STAGE_LABELS[Stage.SERVED]}）不能送达")
    if f.service_recorded:
        return Block("already_served", "《行政处罚法》第六十一条", "决定书的送达已经登记（见送达回证）")
    return None


def remedy_pending(f: CaseFacts) -> Block | None:
    """APL Art. 73(3): a 复议/诉讼 period ends only once it was recorded as begun."""
    if not f.remedies_pending:
        return Block("no_pending_remedy", penalties.BASIS_SURCHARGE_SUSPENDED, "没有尚未终结的复议或诉讼")
    return None


def recusal_requested(f: CaseFacts) -> Block | None:
    if not f.recusal_pending:
        return Block("no_recusal_request", "《行政处罚法》第四十三条", "没有待决定的回避申请")
    return None


def measure_in_force(f: CaseFacts) -> Block | None:
    if not f.open_measures:
        return Block("no_open_measure", "《行政强制法》第二十八条", "没有尚未解除的强制措施")
    return None


def statement_to_review(f: CaseFacts) -> Block | None:
    if not f.statements_pending_review:
        return Block("no_statement_to_review", "《行政处罚法》第四十五条", "没有待复核的陈述申辩")
    return None


def hearing_available(f: CaseFacts) -> Block | None:
    if not f.hearing_offered:
        return Block("hearing_not_offered", "《行政处罚法》第六十三条", "拟作出的处罚不属于听证范围")
    return None


def hearing_was_requested(f: CaseFacts) -> Block | None:
    if not f.hearing_requested or f.hearing_held:
        return Block("hearing_not_requested", "《行政处罚法》第六十四条", "没有待举行的听证")
    return None


# --- the table ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the stage does not change
    guards: tuple[Guard, ...] = ()
    procedure: str = "general"  # general | simplified | any
    brings_draft: bool = False  # the action carries the draft it is checked against


def _t(action: str, label: str, sources: set[str], target: str | None, *guards: Guard,
       procedure: str = "general", brings_draft: bool = False) -> Transition:
    return Transition(action, label, frozenset(sources), target, guards, procedure, brings_draft)


ACTIVE = {Stage.FILED, Stage.INVESTIGATED, Stage.REVIEWED, Stage.NOTIFIED}
DECIDED_STAGES = {Stage.DECIDED, Stage.SERVED, Stage.EXECUTED, Stage.CLOSED}
TRANSITIONS: tuple[Transition, ...] = (
    _t("record_activity", "记录执法活动", {Stage.FILED}, None, two_credentialed_officers, no_pending_recusal,
       procedure="any"),
    _t("request_recusal", "申请回避", ACTIVE, None),
    _t("decide_recusal", "决定回避", ACTIVE, None, recusal_requested),
    _t("preserve_evidence", "先行登记保存", {Stage.FILED}, None, two_credentialed_officers),
    _t("seize", "查封扣押", {Stage.FILED}, None, two_credentialed_officers),
    _t("release_measure", "解除强制措施", ACTIVE | {Stage.DECIDED, Stage.SERVED}, None, measure_in_force),
    _t("end_investigation", "调查终结", {Stage.FILED}, Stage.INVESTIGATED, two_credentialed_officers, has_draft,
       within_limitation, brings_draft=True),
    _t("revise_draft", "修改处理意见", {Stage.INVESTIGATED, Stage.REVIEWED, Stage.NOTIFIED}, Stage.INVESTIGATED,
       has_draft, brings_draft=True),
    _t("submit_review", "提交法制审核", {Stage.INVESTIGATED}, None, has_draft),
    _t("hold_collective_discussion", "集体讨论", {Stage.INVESTIGATED, Stage.REVIEWED, Stage.NOTIFIED}, None),
    _t("notify", "事先告知", {Stage.INVESTIGATED, Stage.REVIEWED}, Stage.NOTIFIED, has_draft, legal_review_passed),
    _t("record_statement", "记录陈述申辩", {Stage.NOTIFIED}, None),
    _t("review_statement", "复核陈述申辩", {Stage.NOTIFIED}, None, statement_to_review),
    _t("request_hearing", "申请听证", {Stage.NOTIFIED}, None, hearing_available),
    _t("hold_hearing", "举行听证", {Stage.NOTIFIED}, None, hearing_was_requested),
    _t("extend_deadline", "延长办案期限", ACTIVE, None),
    _t("decide", "作出处罚决定", {Stage.NOTIFIED}, Stage.DECIDED, has_draft, prior_notice_given,
       statement_period_over, hearing_settled, not_heavier_than_notice, legal_review_passed,
       collective_discussion_held, decision_content_complete, within_decision_deadline, within_limitation),
    _t("decide_on_spot", "当场处罚", {Stage.FILED}, Stage.SERVED, two_credentialed_officers, simplified_limits,
       decision_content_complete, procedure="simplified", brings_draft=True),
    _t("serve", "送达", {Stage.DECIDED, Stage.SERVED}, Stage.SERVED, service_outstanding, procedure="any"),
    _t("record_payment", "登记缴款", {Stage.SERVED}, None, procedure="any"),
    _t("approve_deferral", "批准延期缴纳", {Stage.SERVED}, None, fine_decided_unpaid, no_instalment_plan,
       procedure="any"),
    _t("request_instalments", "登记分期缴纳申请", {Stage.SERVED}, None, fine_decided_unpaid, no_instalment_plan,
       procedure="any"),
    _t("approve_instalments", "批准分期缴纳", {Stage.SERVED}, None, fine_decided_unpaid, no_instalment_plan,
       instalment_request_pending, instalment_schedule_valid, procedure="any"),
    _t("reject_instalments", "不予批准分期缴纳", {Stage.SERVED}, None, instalment_request_pending, procedure="any"),
    _t("record_remedy", "登记申请复议或提起诉讼", DECIDED_STAGES, None, procedure="any"),
    _t("end_remedy", "登记复议或诉讼终结", DECIDED_STAGES, None, remedy_pending, procedure="any"),
    _t("close", "结案", {Stage.SERVED, Stage.EXECUTED}, Stage.CLOSED, executed, no_open_coercive_measures,
       procedure="any"),
    _t("archive", "归档", {Stage.CLOSED, Stage.NOT_FILED, Stage.WITHDRAWN, Stage.TRANSFERRED}, Stage.ARCHIVED,
       procedure="any"),
    _t("withdraw_filing", "撤销立案", {Stage.FILED, Stage.INVESTIGATED}, Stage.WITHDRAWN),
    _t("transfer", "移送", ACTIVE, Stage.TRANSFERRED),
    _t("suspend", "中止", ACTIVE, Stage.SUSPENDED),
    _t("resume", "恢复", {Stage.SUSPENDED}, None),
)
TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}
DRAFT_GUARDS = (has_draft, simplified_limits)


@dataclass(frozen=True)
class Availability:
    action: str
    label: str
    allowed: bool
    block: Block | None


def check(transition: Transition, facts: CaseFacts) -> Block | None:
    """The first rule that blocks `transition` now, or None."""
    if transition.procedure not in {"any", facts.procedure}:
        return Block("wrong_procedure", "《行政处罚法》第五章",
                     "该操作不适用于" + ("简易程序" if facts.procedure == "simplified" else "普通程序"))
    if facts.stage not in transition.sources:
        return Block("wrong_stage", "《行政处罚法》第五章",
                     f"当前阶段（{STAGE_LABELS.get(Stage(facts.stage), facts.stage)}）不能{transition.label}")
    for guard in transition.guards:
        if transition.brings_draft and guard in DRAFT_GUARDS and facts.draft is None:
            continue  # checked when the action runs, on the draft it brings
        try:
            block = guard(facts)
        except UnknownYearError as exc:
            return holiday_data_missing(exc.year)
        if block is not None:
            return block
    return None


def holiday_data_missing(year: int) -> Block:
    """APL Art. 85 counts working days by the State Council's notice: without it no deadline is guessed."""
    return Block("holiday_data_missing", "《行政处罚法》第八十五条",
                 f"{year}年节假日安排尚未录入，无法计算期限，请系统管理员录入国务院办公厅通知")


def available_actions(facts: CaseFacts) -> list[Availability]:
    return [Availability(t.action, t.label, (b := check(t, facts)) is None, b) for t in TRANSITIONS]
