"""Legal review actions: submit a draft, give the opinion. Each appends one event in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.cases.facts import current_draft
from zhifa.core.errors import require
from zhifa.law import review_rules, staffing
from zhifa.people.models import Role, User
from zhifa.record import log
from zhifa.review.gate import review_status
from zhifa.review.models import Review, ReviewStatus

BASIS = review_rules.BASIS_REVIEW


@transaction.atomic
def submit_for_review(case, actor: User):
    """The handling unit submits the current draft (with its reasons) for review."""
    draft = current_draft(case)
    require(draft is not None, "draft_required", BASIS, "尚未拟定处理意见")
    required, rule, passed = review_status(case, draft)
    require(required, "review_not_required", BASIS, "本案不属于法制审核范围")
    require(not passed, "review_already_passed", BASIS, "当前处理意见已审核通过")
    require(not Review.objects.filter(case=case, digest=draft.digest, status=ReviewStatus.SUBMITTED).exists(),
            "review_pending", BASIS, "当前处理意见已在审核中")
    review = Review.objects.create(case=case, draft=draft, digest=draft.digest, rule=rule, submitted_by=actor,
                                   submitted_at=timezone.now())
    log.append("review.submitted", actor=actor, agency=case.agency, obj=review, case_id=case.pk,
               payload={"draft_version": draft.version, "digest": draft.digest, "rule": rule})
    return case


@transaction.atomic
def give_opinion(review: Review, reviewer: User, *, opinion: str, findings: dict[str, dict], reasons: str) -> Review:
    """The reviewer's written opinion on each of the nine points; only 同意 passes (seed §二(三)3)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    case = review.case
    require(review.status == ReviewStatus.SUBMITTED, "review_not_pending", BASIS, "该审核已有意见")
    require(reviewer.role == Role.REVIEWER and reviewer.agency_id == case.agency_id, "reviewer_required", BASIS,
            "须由本机关法制审核人员审核")
    require(not case.officers.filter(pk=reviewer.pk).exists(), "reviewer_investigated", BASIS,
            "本案调查人员不得担任法制审核人员")
    today = timezone.localdate()
    qualified = any(q.is_valid_on(today) for q in reviewer.qualifications.all())
    require(staffing.may_review_penalties(reviewer.first_reviewed_on, today, qualified),
            "reviewer_not_qualified", "《行政处罚法》第五十八条第三款",
            "初次从事行政处罚决定法制审核的人员须取得法律职业资格")
    require(opinion in dict(review_rules.OPINIONS), "unknown_opinion", BASIS,
            "审核意见须为同意、变更、纠正、补充或移送")
    missing = [label for key, label in review_rules.REVIEW_POINTS if key not in findings]
    require(not missing, "review_points_missing", BASIS, "以下审核要点未作出结论：" + "、".join(missing))
    require(reasons.strip(), "review_reasons_required", BASIS, "审核意见须说明理由")
    review.reviewer, review.opinion, review.findings, review.reasons = reviewer, opinion, findings, reasons
    review.status = ReviewStatus.PASSED if opinion == "agree" else ReviewStatus.RETURNED
    review.decided_at = timezone.now()
    review.save()
    if reviewer.first_reviewed_on is None:
        User.objects.filter(pk=reviewer.pk).update(first_reviewed_on=today)
    log.append("review.opinion_given", actor=reviewer, agency=case.agency, obj=review, case_id=case.pk,
               payload={"opinion": opinion, "status": review.status, "digest": review.digest,
                        "findings": findings, "reasons": reasons})
    return review
