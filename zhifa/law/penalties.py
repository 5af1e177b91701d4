"""Penalty rules with numbers (APL = 《行政处罚法》2021): each rule a named function citing its article.

Values that vary by province or sector live in `PenaltyConfig` with the documented default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zhifa.law.workdays import add_calendar_days, add_working_days


class PenaltyKind(StrEnum):
    """APL Art. 9."""

    WARNING = "warning"  # 警告
    CRITICISM = "criticism"  # 通报批评
    FINE = "fine"  # 罚款
    CONFISCATION = "confiscation"  # 没收违法所得、没收非法财物
    SUSPEND_LICENCE = "suspend_licence"  # 暂扣许可证件
    LOWER_QUALIFICATION = "lower_qualification"  # 降低资质等级
    REVOKE_LICENCE = "revoke_licence"  # 吊销许可证件
    RESTRICT_ACTIVITY = "restrict_activity"  # 限制开展生产经营活动
    SUSPEND_BUSINESS = "suspend_business"  # 责令停产停业
    CLOSE = "close"  # 责令关闭
    RESTRICT_EMPLOYMENT = "restrict_employment"  # 限制从业
    DETENTION = "detention"  # 行政拘留


PENALTY_LABELS = {
    PenaltyKind.WARNING: "警告", PenaltyKind.CRITICISM: "通报批评", PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATION: "没收违法所得、没收非法财物", PenaltyKind.SUSPEND_LICENCE: "暂扣许可证件",
    PenaltyKind.LOWER_QUALIFICATION: "降低资质等级", PenaltyKind.REVOKE_LICENCE: "吊销许可证件",
    PenaltyKind.RESTRICT_ACTIVITY: "限制开展生产经营活动", PenaltyKind.SUSPEND_BUSINESS: "责令停产停业",
    PenaltyKind.CLOSE: "责令关闭", PenaltyKind.RESTRICT_EMPLOYMENT: "限制从业", PenaltyKind.DETENTION: "行政拘留",
}

# APL Art. 9: the order of severity used to tell whether a decision is heavier than the notice (Art. 45).
SEVERITY = [PenaltyKind.WARNING, PenaltyKind.CRITICISM, PenaltyKind.FINE, PenaltyKind.CONFISCATION,
            PenaltyKind.SUSPEND_LICENCE, PenaltyKind.LOWER_QUALIFICATION, PenaltyKind.RESTRICT_ACTIVITY,
            PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.RESTRICT_EMPLOYMENT, PenaltyKind.REVOKE_LICENCE,
            PenaltyKind.CLOSE, PenaltyKind.DETENTION]


@dataclass(frozen=True)
class PenaltyConfig:
    """Province/sector settings. Defaults: the market regulation hearing rule (市场监督管理行政处罚听证办法
    2021 Art. 5: fines ≥ 10,000 yuan for a natural person, ≥ 100,000 yuan for an organisation; confiscation of the
    same values) — each province sets its own 较大数额 (APL Art. 63)."""

    hearing_fine_person: Decimal = Decimal(10_000)
    hearing_fine_organisation: Decimal = Decimal(100_000)
    hearing_confiscation_person: Decimal = Decimal(10_000)
    hearing_confiscation_organisation: Decimal = Decimal(100_000)
    decision_days: int = 90  # APL Art. 60, unless a law or rule says otherwise
    extension_days: int = 30  # sector rules, e.g. 市场监督管理行政处罚程序规定 Art. 64: +30 with approval
    statement_working_days: int = 3  # period given for 陈述、申辩 after the notice (agency practice, not statute)
    # APL Art. 66(2) sets no limit on instalments: the agency's own ceiling (agency practice, not statute), settings
    # ZHIFA_INSTALMENT_MAX_COUNT / ZHIFA_INSTALMENT_MAX_DAYS (term counted from the approval).
    instalment_max_count: int = 12
    instalment_max_days: int = 365


DEFAULT_CONFIG = PenaltyConfig()

# APL Art. 51: simplified procedure (当场处罚) limits.
SIMPLIFIED_FINE_PERSON = Decimal(200)
SIMPLIFIED_FINE_ORGANISATION = Decimal(3000)
# APL Art. 68: fines an officer may collect on the spot.
ON_SPOT_COLLECTION_MAX = Decimal(100)
# APL Art. 42: at least two officers.
MIN_OFFICERS = 2
# APL Art. 36: limitation periods.
LIMITATION_YEARS = 2
LIMITATION_YEARS_SERIOUS = 5
# APL Art. 61, 85: service within 7 working days.
SERVICE_WORKING_DAYS = 7
# APL Art. 64: hearing requested within 5 working days of notice; hearing notified 7 working days ahead.
HEARING_REQUEST_WORKING_DAYS = 5
HEARING_NOTICE_WORKING_DAYS = 7
# APL Art. 67: payment within 15 days of service; Art. 72: surcharge 3% a day, capped at the fine.
PAYMENT_DAYS = 15
SURCHARGE_RATE = Decimal("0.03")
# APL Art. 56: evidence preserved in advance: decide within 7 working days.
PRESERVATION_WORKING_DAYS = 7
# 行政强制法 Art. 25: seizure up to 30 days, extendable once by 30 days with approval.
SEIZURE_DAYS = 30
SEIZURE_EXTENSION_DAYS = 30


def simplified_procedure_allowed(kinds: set[str], fine: Decimal, party_is_person: bool) -> bool:
    """APL Art. 51: 当场处罚 only for a warning or a fine ≤ 200 yuan (citizen) / ≤ 3,000 yuan (organisation)."""
    if not kinds or not kinds <= {PenaltyKind.WARNING, PenaltyKind.FINE}:
        return False
    limit = SIMPLIFIED_FINE_PERSON if party_is_person else SIMPLIFIED_FINE_ORGANISATION
    return PenaltyKind.FINE not in kinds or fine <= limit


def hearing_offered(kinds: set[str], fine: Decimal, confiscation: Decimal, party_is_person: bool,
                    config: PenaltyConfig = DEFAULT_CONFIG) -> bool:
    """APL Art. 63: a hearing is offered for large fines or confiscations (amounts set by the province),
    lowering qualifications, revoking licences, suspension of business, closure, restricting activity or
    employment, and other heavy penalties."""
    heavy = {PenaltyKind.LOWER_QUALIFICATION, PenaltyKind.REVOKE_LICENCE, PenaltyKind.RESTRICT_ACTIVITY,
             PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE, PenaltyKind.RESTRICT_EMPLOYMENT}
    if kinds & heavy:
        return True
    fine_limit = config.hearing_fine_person if party_is_person else config.hearing_fine_organisation
    confiscation_limit = (config.hearing_confiscation_person if party_is_person
                          else config.hearing_confiscation_organisation)
    return (PenaltyKind.FINE in kinds and fine >= fine_limit) or (
        PenaltyKind.CONFISCATION in kinds and confiscation >= confiscation_limit)


def heavier_than(kinds: set[str], fine: Decimal, confiscation: Decimal,
                 notified_kinds: set[str], notified_fine: Decimal, notified_confiscation: Decimal) -> bool:
    """APL Art. 45: a penalty may not be increased because the party defended itself. Heavier = a kind not
    notified that is more severe than every notified one, or a larger fine or confiscation."""
    rank = {kind: position for position, kind in enumerate(SEVERITY)}
    worst_notified = max((rank[k] for k in notified_kinds), default=-1)
    new_kind_heavier = any(rank[k] > worst_notified for k in kinds - notified_kinds)
    return new_kind_heavier or fine > notified_fine or confiscation > notified_confiscation


def limitation_expired(discovered_on: dt.date, act_ended_on: dt.date, serious_harm: bool) -> bool:
    """APL Art. 36: no penalty if the act is not discovered within 2 years (5 years where life, health or
    financial safety were harmed), counted from the act, or from its end if it continued."""
    years = LIMITATION_YEARS_SERIOUS if serious_harm else LIMITATION_YEARS
    try:
        limit = act_ended_on.replace(year=act_ended_on.year + years)
    except ValueError:  # 29 February
        limit = act_ended_on.replace(year=act_ended_on.year + years, day=28)
    return discovered_on > limit


def decision_deadline(filed_on: dt.date, suspended_days: int = 0, extended: bool = False,
                      config: PenaltyConfig = DEFAULT_CONFIG) -> dt.date:
    """APL Art. 60: decide within 90 days of filing (configurable by law/rule), + the sector extension when
    approved; suspended periods are not counted."""
    days = config.decision_days + (config.extension_days if extended else 0) + suspended_days
    return add_calendar_days(filed_on, days)


def decision_deadline_not_before(filed_on: dt.date, suspended_days: int = 0, extended: bool = False,
                                 config: PenaltyConfig = DEFAULT_CONFIG) -> dt.date:
    """The calendar date the Art. 60 period reaches before any move off a rest day: the deadline is never
    earlier, so a check up to this day needs no holiday data."""
    return filed_on + dt.timedelta(days=config.decision_days + (config.extension_days if extended else 0)
                                   + suspended_days)


def service_deadline(decided_on: dt.date) -> dt.date:
    """APL Art. 61 + Art. 85: the decision is served within 7 working days if not handed over on the spot."""
    return add_working_days(decided_on, SERVICE_WORKING_DAYS)


def hearing_request_deadline(notified_on: dt.date) -> dt.date:
    """APL Art. 64(1) + Art. 85: the party asks for a hearing within 5 working days of the notice."""
    return add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS)


def earliest_hearing_date(hearing_notice_on: dt.date) -> dt.date:
    """APL Art. 64(2) + Art. 85: the party is notified of the hearing 7 working days before it."""
    return add_working_days(hearing_notice_on, HEARING_NOTICE_WORKING_DAYS)


def statement_deadline(notified_on: dt.date, config: PenaltyConfig = DEFAULT_CONFIG) -> dt.date:
    """APL Art. 44–45: the party may state and defend; agencies give a period (default 3 working days)."""
    return add_working_days(notified_on, config.statement_working_days)


def payment_deadline(served_on: dt.date) -> dt.date:
    """APL Art. 67: pay within 15 days of receiving the decision (ends on a working day)."""
    return add_calendar_days(served_on, PAYMENT_DAYS)


BASIS_SURCHARGE_SUSPENDED = "《行政处罚法》第七十三条第三款"


@dataclass(frozen=True)
class RemedyPeriod:
    """A 行政复议 or 行政诉讼 against the decision: from the day the party applied for 复议 or sued (`started_on`)
    to the day it ended by the 复议决定, the judgment or the withdrawal (`ended_on`; None while pending)."""

    started_on: dt.date
    ended_on: dt.date | None = None


def surcharge_suspended_days(due_on: dt.date, until: dt.date, remedies: Sequence[RemedyPeriod] = ()) -> int:
    """APL Art. 73(3): 当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在行政复议或者行政诉讼期间，不予计算.
    The late days (after `due_on`, up to `until`) that fall within a 复议 or 诉讼 period, both its first and its
    last day included; a pending one runs to `until`; days covered by two periods (复议 then 诉讼) count once."""
    first, last = due_on + dt.timedelta(days=1), until
    spans = sorted((max(p.started_on, first), min(p.ended_on or last, last)) for p in remedies)
    days, covered_to = 0, first - dt.timedelta(days=1)
    for start, end in spans:
        start = max(start, covered_to + dt.timedelta(days=1))
        if end >= start:
            days += (end - start).days + 1
            covered_to = end
    return days


def late_surcharge(fine: Decimal, due_on: dt.date, paid_on: dt.date, excluded_days: int = 0,
                   remedies: Sequence[RemedyPeriod] = ()) -> Decimal:
    """APL Art. 72(1): 3% of the fine for every day late, never more than the fine; days of 复议/诉讼 are not
    counted (Art. 73(3), `surcharge_suspended_days`)."""
    excluded = excluded_days + surcharge_suspended_days(due_on, paid_on, remedies)
    days = max((paid_on - due_on).days - excluded, 0)
    return min((fine * SURCHARGE_RATE * days).quantize(Decimal("0.01")), fine)


def on_spot_collection_allowed(fine: Decimal, remote_area: bool = False) -> bool:
    """APL Art. 68: officers may collect on the spot only a fine ≤ 100 yuan (or where payment later would be
    hard, Art. 69, in remote areas), with an official receipt (Art. 70)."""
    return fine <= ON_SPOT_COLLECTION_MAX or remote_area


def preservation_decision_deadline(preserved_on: dt.date) -> dt.date:
    """APL Art. 56: evidence registered and preserved in advance is dealt with within 7 working days."""
    return add_working_days(preserved_on, PRESERVATION_WORKING_DAYS)


def seizure_end(seized_on: dt.date, extended: bool) -> dt.date:
    """行政强制法 Art. 25: seizure ≤ 30 days, extendable once by ≤ 30 days with the head's approval."""
    return seized_on + dt.timedelta(days=SEIZURE_DAYS + (SEIZURE_EXTENSION_DAYS if extended else 0))
