"""Legal review actions: submit a draft, give the opinion. Each appends one event in the same transaction."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from zhifa.cases.facts import current_draft
from zhifa.core.errors import require
from zhifa.law import review_rules, staffing
from zhifa.law.workdays import add_working_days
from zhifa.people.models import Role, User
from zhifa.record import log
from zhifa.review.gate import review_status, review_working_days
from zhifa.review.models import Review, ReviewStatus

BASIS = review_rules.BASIS_REVIEW


def completeness_problems(case) -> list[str]:
    """The package's checklist (seed §二(三)4: 送审材料): what is missing before it may go to review."""
    draft = current_draft(case)
    problems = []
    if draft is None:
        problems.append("调查终结报告及处理意见")
    else:
        for label, value in (("违法事实", draft.facts), ("证据采信理由", draft.evidence_reason),
                             ("法律依据", draft.basis), ("裁量理由", draft.discretion_reason)):
            if not value.strip():
                problems.append(label)
    if not case.activities.exists():
        problems.append("调查取证记录（现场检查、询问等）")
    if apps.is_installed("zhifa.evidence") and not case.evidence_files.exists():
        problems.append("证据材料")
    return problems


def pick_reviewer(case) -> User | None:
    """The qualified reviewer of the agency's legal unit with the fewest open reviews, never an investigator."""
    today = timezone.localdate()
    investigators = set(case.officers.values_list("pk", flat=True))
    candidates = []
    for reviewer in User.objects.filter(agency_id=case.agency_id, role=Role.REVIEWER, is_active=True):
        qualified = staffing.may_review_penalties(
            reviewer.first_reviewed_on, today, any(q.is_valid_on(today) for q in reviewer.qualifications.all()))
        if review_rules.may_be_assigned(True, reviewer.pk in investigators, qualified):
            open_reviews = Review.objects.filter(assigned_to=reviewer, status=ReviewStatus.SUBMITTED).count()
            candidates.append((open_reviews, reviewer.username, reviewer))
    return min(candidates)[2] if candidates else None


@transaction.atomic
def submit_for_review(case, actor: User, response: str = "", advisers: str = ""):
    """The handling unit submits the current draft with its package; a resubmission answers the last opinion."""
    draft = current_draft(case)
    missing = completeness_problems(case)
    require(not missing, "review_package_incomplete", "实施办法二(三)4", "送审材料不完整，缺少：" + "、".join(missing))
    required, rule, passed = review_status(case, draft)
    require(required, "review_not_required", BASIS, "本案不属于法制审核范围")
    require(not passed, "review_already_passed", BASIS, "当前处理意见已审核通过")
    require(not Review.objects.filter(case=case, digest=draft.digest, status=ReviewStatus.SUBMITTED).exists(),
            "review_pending", BASIS, "当前处理意见已在审核中")
    returned = Review.objects.filter(case=case, status=ReviewStatus.RETURNED).exists()
    require(not returned or response.strip(), "response_required", "实施办法二(三)3",
            "再次报送须对上次审核意见逐项作出答复")
    reviewer = pick_reviewer(case)
    require(reviewer is not None, "no_qualified_reviewer", "《行政处罚法》第五十八条",
            "本机关没有可指派的法制审核人员（须具备资格且未参与本案调查）")
    review = Review.objects.create(
        case=case, draft=draft, digest=draft.digest, rule=rule, submitted_by=actor, submitted_at=timezone.now(),
        assigned_to=reviewer, response=response, advisers=advisers,
        due_on=add_working_days(timezone.localdate(), review_working_days(case.agency_id)),
    )
    log.append("review.submitted", actor=actor, agency=case.agency, obj=review, case_id=case.pk,
               payload={"draft_version": draft.version, "digest": draft.digest, "rule": rule,
                        "assigned_to": reviewer.get_full_name(), "due_on": review.due_on, "response": response})
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
