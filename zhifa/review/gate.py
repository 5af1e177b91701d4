"""The gate the penalty procedure asks: is review required for this case, and does a passed review cover the
current draft? (APL Art. 58; seed §二(三): 未经法制审核或者审核未通过的，不得作出决定.)"""

from __future__ import annotations

from zhifa.law import review_rules
from zhifa.review.models import Review, ReviewCatalogVersion, ReviewStatus


def catalog_for(agency_id: int) -> review_rules.ReviewCatalog:
    current = ReviewCatalogVersion.objects.filter(agency_id=agency_id).order_by("-version").first()
    return current.as_rules() if current else review_rules.ReviewCatalog()


def review_working_days(agency_id: int) -> int:
    """The agency's review time limit (seed §二(三)4; default 10 working days as in market regulation)."""
    current = ReviewCatalogVersion.objects.filter(agency_id=agency_id).order_by("-version").first()
    return current.review_working_days if current else review_rules.DEFAULT_REVIEW_WORKING_DAYS


def review_status(case, draft) -> tuple[bool, str, bool]:
    """(required, the rule requiring it, passed for this draft's digest)."""
    if draft is None:
        return False, "", False
    subject = review_rules.ReviewSubject(
        procedure=case.procedure, kinds=frozenset(draft.kinds), fine=draft.fine, confiscation=draft.confiscation,
        hearing_held=case.hearing_held_on is not None,
        complex_facts=case.collective_discussion_required,
    )
    rule = review_rules.review_requirement(subject, catalog_for(case.agency_id))
    passed = Review.objects.filter(case=case, digest=draft.digest, status=ReviewStatus.PASSED).exists()
    return rule is not None, rule or "", passed
