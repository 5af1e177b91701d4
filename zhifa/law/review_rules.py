"""When a decision needs legal review (重大执法决定法制审核): APL Art. 58 and the seed §二(三)2.

A review catalog (法制审核目录清单) is a list of criteria; an agency's catalog starts from DEFAULT_CRITERIA and
may add fine thresholds, listed items and the switch "every penalty not decided by simplified procedure".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zhifa.law.penalties import PenaltyKind

BASIS_REVIEW = "《行政处罚法》第五十八条；实施办法二(三)"

# The nine points of the review (seed §二(三)3).
REVIEW_POINTS = (
    ("subject", "行政执法主体是否合法"),
    ("officers", "行政执法人员是否具备执法资格"),
    ("facts", "主要事实是否清楚"),
    ("evidence", "证据是否确凿充分"),
    ("law", "适用法律是否准确"),
    ("procedure", "程序是否合法"),
    ("discretion", "行政裁量权基准运用是否适当"),
    ("documents", "法律文书制作是否规范齐备"),
    ("crime", "违法行为是否涉嫌犯罪需要移送司法机关"),
)

# Opinions (seed §二(三)3): only 同意 lets the decision go ahead.
OPINIONS = (("agree", "同意"), ("change", "变更"), ("correct", "纠正"), ("supplement", "补充"), ("transfer", "移送"))


@dataclass(frozen=True)
class ReviewSubject:
    """What the catalog looks at in a case."""

    procedure: str
    kinds: frozenset[str]
    fine: Decimal
    confiscation: Decimal
    hearing_held: bool = False
    major_public_interest: bool = False
    major_social_impact: bool = False
    complex_facts: bool = False
    several_legal_relations: bool = False
    item_code: str = ""


@dataclass(frozen=True)
class ReviewCatalog:
    """An agency's 法制审核目录清单. Defaults: APL Art. 58 and the seed's criteria."""

    fine_at_least: Decimal | None = None
    confiscation_at_least: Decimal | None = None
    kinds: frozenset[str] = frozenset({PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE,
                                       PenaltyKind.LOWER_QUALIFICATION, PenaltyKind.RESTRICT_EMPLOYMENT})
    items: frozenset[str] = field(default_factory=frozenset)
    every_general_procedure_penalty: bool = True  # the seed asks agencies to extend review this far


def review_requirement(subject: ReviewSubject, catalog: ReviewCatalog) -> str | None:
    """The rule that makes review required, as a Chinese phrase naming it, or None (APL Art. 58(1) items 1–4;
    seed §二(三)2)."""
    if subject.procedure == "simplified":
        return None
    if subject.major_public_interest:
        return "涉及重大公共利益（第五十八条第一款第一项）"
    if subject.hearing_held:
        return "直接关系当事人或第三人重大权益，经过听证程序（第五十八条第一款第二项）"
    if subject.complex_facts or subject.several_legal_relations:
        return "案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第三项）"
    if subject.major_social_impact:
        return "可能造成重大社会影响或引发社会风险（实施办法二(三)2）"
    if subject.kinds & catalog.kinds:
        return "处罚种类列入本机关法制审核目录"
    fine_threshold = catalog.fine_at_least
    if fine_threshold is not None and PenaltyKind.FINE in subject.kinds and subject.fine >= fine_threshold:
        return f"罚款数额达到目录标准（{catalog.fine_at_least}元以上）"
    if (catalog.confiscation_at_least is not None and PenaltyKind.CONFISCATION in subject.kinds
            and subject.confiscation >= catalog.confiscation_at_least):
        return f"没收数额达到目录标准（{catalog.confiscation_at_least}元以上）"
    if subject.item_code and subject.item_code in catalog.items:
        return "执法事项列入本机关法制审核目录"
    if catalog.every_general_procedure_penalty and subject.kinds:
        return "适用普通程序的行政处罚决定（实施办法二(三)2：除简易程序外均应法制审核）"
    return None


# Review time limit (seed §二(三)4: set by each agency; market regulation: 10 working days).
DEFAULT_REVIEW_WORKING_DAYS = 10


def may_be_assigned(is_reviewer: bool, investigated_case: bool, qualified_for_penalties: bool) -> bool:
    """Seed §二(三)1 and APL Art. 58: the agency's legal unit reviews; an investigator of the case never reviews
    it; a first-time penalty reviewer holds the legal professional qualification."""
    return is_reviewer and not investigated_case and qualified_for_penalties
