"""Staffing rules for legal review and enforcement (seed §二(三)1; APL Art. 58)."""

import datetime as dt
from fractions import Fraction

# Seed §二(三)1: 法制审核人员原则上不少于本单位执法人员总数的5%.
REVIEWER_RATIO_MIN = Fraction(5, 100)

# APL Art. 58 para. 3 (in force from 2021-07-15): a person reviewing penalty decisions for the first time
# must hold the national legal professional qualification.
QUALIFICATION_RULE_IN_FORCE = dt.date(2021, 7, 15)


def reviewer_ratio(reviewers: int, officers: int) -> Fraction | None:
    """Reviewers per enforcement officer; None when the agency has no officers."""
    if officers <= 0:
        return None
    return Fraction(reviewers, officers)


def reviewer_ratio_sufficient(reviewers: int, officers: int) -> bool:
    """Seed §二(三)1: reviewers ≥ 5% of the agency's enforcement officers (an agency with none passes)."""
    ratio = reviewer_ratio(reviewers, officers)
    return ratio is None or ratio >= REVIEWER_RATIO_MIN


def reviewer_needs_qualification(first_reviewed_on: dt.date | None, today: dt.date) -> bool:
    """APL Art. 58 para. 3: a first-time penalty reviewer (first review on or after 2021-07-15) needs the
    national legal professional qualification; someone who reviewed before the rule took effect does not."""
    start = first_reviewed_on or today
    return start >= QUALIFICATION_RULE_IN_FORCE


def may_review_penalties(first_reviewed_on: dt.date | None, today: dt.date, qualified: bool) -> bool:
    return qualified or not reviewer_needs_qualification(first_reviewed_on, today)
