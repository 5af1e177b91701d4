"""Publication of enforcement decisions (事后公开): seed §二(一)3; APL Art. 48; 国办发〔2018〕118号.

Values that vary by jurisdiction or sector are in `PublicityConfig` with the documented defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from zhifa.law.workdays import add_working_days


class ActType(StrEnum):
    LICENSING = "licensing"  # 行政许可
    PENALTY = "penalty"  # 行政处罚
    COERCION = "coercion"  # 行政强制
    LEVY = "levy"  # 行政征收
    REQUISITION = "requisition"  # 行政征用
    INSPECTION = "inspection"  # 行政检查
    OTHER = "other"  # 其他


ACT_TYPE_LABELS = {ActType.LICENSING: "行政许可", ActType.PENALTY: "行政处罚", ActType.COERCION: "行政强制",
                   ActType.LEVY: "行政征收", ActType.REQUISITION: "行政征用", ActType.INSPECTION: "行政检查",
                   ActType.OTHER: "其他"}

# Seed §二(一)3: licensing and penalty decisions within 7 working days, other decisions within 20 working days.
PUBLISH_WORKING_DAYS_LICENSING_PENALTY = 7
PUBLISH_WORKING_DAYS_OTHER = 20
# Seed §二(一)3 and APL Art. 48(2): a revoked, illegal, void or re-made decision comes down within 3 working days.
WITHDRAW_WORKING_DAYS = 3


@dataclass(frozen=True)
class PublicityConfig:
    """Per jurisdiction. Defaults: the seed (annual report by 20 January, 每年1月20日前); the national rule
    (国办发〔2018〕118号) says 31 January. Display periods after 市场监督管理行政处罚信息公示规定 Art. 14:
    3 months for 警告、通报批评 and fines below the small-fine limit, 3 years otherwise."""

    annual_report_month: int = 1
    annual_report_day: int = 20
    short_display_months: int = 3
    long_display_years: int = 3
    small_fine_limit: int = 10_000  # fines below this are displayed for the short period (sector rule)


DEFAULT_CONFIG = PublicityConfig()


def publication_deadline(act_type: str, decided_on: dt.date) -> dt.date:
    """Seed §二(一)3: 7 working days for 行政许可 and 行政处罚 decisions, 20 working days for other decisions."""
    days = (PUBLISH_WORKING_DAYS_LICENSING_PENALTY if act_type in {ActType.LICENSING, ActType.PENALTY}
            else PUBLISH_WORKING_DAYS_OTHER)
    return add_working_days(decided_on, days)


def withdrawal_deadline(revoked_on: dt.date) -> dt.date:
    """Seed §二(一)3, APL Art. 48(2): withdraw within 3 working days of a change, revocation, illegality, re-making."""
    return add_working_days(revoked_on, WITHDRAW_WORKING_DAYS)


# Outcomes that take a published decision down (APL Art. 48(2); seed §二(一)3: 被依法撤销、确认违法
# 或者要求重新作出的…撤下):
# 行政复议法（2023）第六十四条 撤销（并可责令重新作出）、第六十五条 确认违法、第六十七条 确认无效;
# 行政诉讼法第七十条 撤销（并可判决重新作出）、第七十四条 确认违法、第七十五条 确认无效;
# and a change: APL Art. 48(2) 被依法变更 (行政复议法第六十三条、行政诉讼法第七十七条 变更).
WITHDRAWAL_KIND_OF_REMEDY_OUTCOME = {"revoked": "revoked", "illegal": "illegal", "void": "void", "remade": "remade",
                                    "changed": "changed"}


def withdrawal_kind_after_remedy(outcome: str) -> str | None:
    """Seed §二(一)3, APL Art. 48(2): the withdrawal kind a 复议/诉讼 outcome opens, or None (维持、驳回、撤回…)."""
    return WITHDRAWAL_KIND_OF_REMEDY_OUTCOME.get(outcome)


def withdrawal_status(due_on: dt.date, today: dt.date) -> str:
    """Seed §二(一)3, APL Art. 48(2): a pending withdrawal is 'overdue' after its 3 working days, else 'due'."""
    return "overdue" if today > due_on else "due"


def display_until(published_on: dt.date, kinds: set[str], fine: int,
                  config: PublicityConfig = DEFAULT_CONFIG) -> dt.date:
    """How long a penalty decision stays on the portal (configurable; default after the market regulation rule)."""
    light = kinds <= {"warning", "criticism", "fine"} and fine < config.small_fine_limit
    if light:
        month = published_on.month - 1 + config.short_display_months
        year, month = published_on.year + month // 12, month % 12 + 1
        day = min(published_on.day, 28)
        return dt.date(year, month, day)
    return published_on.replace(year=published_on.year + config.long_display_years, day=min(published_on.day, 28))


def annual_report_deadline(report_year: int, config: PublicityConfig = DEFAULT_CONFIG) -> dt.date:
    """Seed §二(一)3: last year's figures are published and reported by 20 January (national rule: 31 January)."""
    return dt.date(report_year + 1, config.annual_report_month, config.annual_report_day)
