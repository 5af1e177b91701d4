"""Legal review actions: submit a draft, give the opinion. Each appends one event in the same transaction."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.cases.facts import current_draft
from zhifa.core.errors import require
from zhifa.law import review_rules, staffing
from zhifa.law.penalties import PenaltyKind
from zhifa.law.workdays import add_working_days
from zhifa.people.models import Role, User
from zhifa.record import log
from zhifa.review.gate import review_status, review_working_days
from zhifa.review.models import Escalation, Review, ReviewCatalogVersion, ReviewStatus

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
    _issue_opinion_document(case, reviewer, review)
    return review


def _issue_opinion_document(case, reviewer: User, review: Review) -> None:
    """The written opinion (法制审核意见书), sealed and filed in the case (seed §二(三)4: 书面意见入卷归档)."""
    if not apps.is_installed("zhifa.documents") or not getattr(settings, "ZHIFA_DOCUMENTS_ON_ACTIONS", True):
        return
    from zhifa.documents.actions import issue_document
    from zhifa.documents.kinds import DocumentKind

    issue_document(case, DocumentKind.LEGAL_REVIEW, reviewer, subject=review)


@transaction.atomic
def extend_review(review: Review, head: User, *, working_days: int, reason: str) -> Review:
    """The agency head approves more time for a review (seed §二(三)4: 审核时限 set by the agency)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    require(head.role == Role.AGENCY_HEAD and head.agency_id == review.case.agency_id, "agency_head_required",
            BASIS, "延长审核期限须经机关负责人批准")
    require(review.status == ReviewStatus.SUBMITTED, "review_not_pending", BASIS, "该审核已有意见")
    require(not review.extension_reason, "already_extended", BASIS, "审核期限已延长过一次")
    require(0 < working_days <= review_rules.DEFAULT_REVIEW_WORKING_DAYS and reason.strip(), "extension_invalid",
            BASIS, "延长期限须为1至10个工作日，并说明理由")
    review.due_on = add_working_days(review.due_on, working_days)
    review.extension_reason = reason
    review.save(update_fields=["due_on", "extension_reason"])
    log.append("review.extended", actor=head, agency=review.case.agency, obj=review, case_id=review.case_id,
               payload={"due_on": review.due_on, "reason": reason})
    return review


@transaction.atomic
def escalate(review: Review, actor: User, *, unit_position: str) -> Escalation:
    """The handling unit disagrees with a returned review: the agency head (or collective discussion) settles it."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    case = review.case
    require(actor.agency_id == case.agency_id and actor.role in {Role.OFFICER, Role.UNIT_HEAD}, "not_case_officer",
            BASIS, "只有承办机构可以提请协调")
    require(review.status == ReviewStatus.RETURNED, "review_not_returned", BASIS, "只有被退回的审核意见可以提请协调")
    require(not review.escalations.filter(resolution="").exists(), "escalation_pending", BASIS, "已提请协调，尚未处理")
    require(unit_position.strip(), "position_required", BASIS, "须写明承办机构的意见和理由")
    escalation = Escalation.objects.create(review=review, raised_by=actor, raised_at=timezone.now(),
                                           unit_position=unit_position)
    log.append("review.escalated", actor=actor, agency=case.agency, obj=escalation, case_id=case.pk,
               payload={"review": review.pk, "unit_position": unit_position})
    return escalation


@transaction.atomic
def resolve_escalation(escalation: Escalation, head: User, *, resolution: str, record: str,
                       collective: bool = False, participants: list[str] | None = None) -> Escalation:
    """Settle a disagreement. Adopting the unit's position is a decision of the head as first responsible
    (seed §二(三)5), taken collectively where required, and counts as the review's passing with that record."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    review, case = escalation.review, escalation.review.case
    require(head.role == Role.AGENCY_HEAD and head.agency_id == case.agency_id, "agency_head_required", BASIS,
            "协调须由机关负责人主持")
    require(not escalation.resolution, "escalation_resolved", BASIS, "该协调已有结果")
    require(resolution in Escalation.Resolution.values and record.strip(), "resolution_incomplete", BASIS,
            "须选择协调结果并记录协调（讨论）情况")
    require(not collective or len(participants or []) >= 3, "discussion_record_incomplete",
            "《行政处罚法》第五十七条第二款", "集体讨论须记录参加人员（至少三人）")
    escalation.resolution, escalation.resolved_by, escalation.record = resolution, head, record
    escalation.collective, escalation.resolved_at = collective, timezone.now()
    escalation.save()
    if resolution == Escalation.Resolution.ADOPT_UNIT:
        Review.objects.create(case=case, draft=review.draft, digest=review.digest, rule=review.rule,
                              submitted_by=escalation.raised_by, submitted_at=timezone.now(), reviewer=head,
                              status=ReviewStatus.PASSED, opinion="agree", decided_at=timezone.now(),
                              reasons=f"经{'集体讨论' if collective else '机关负责人协调'}，采纳承办机构意见：{record}",
                              findings=review.findings)
    log.append("review.escalation_resolved", actor=head, agency=case.agency, obj=escalation, case_id=case.pk,
               payload={"resolution": resolution, "collective": collective, "participants": participants or [],
                        "record": record})
    return escalation


@transaction.atomic
def publish_catalog(agency, actor: User, **rules) -> ReviewCatalogVersion:
    """The legal unit publishes a new version of its 法制审核目录清单; older versions stay as history."""
    require(actor.agency_id == agency.pk and actor.role in {Role.REVIEWER, Role.AGENCY_HEAD}, "legal_unit_required",
            BASIS, "审核目录由本机关法制机构编制、机关负责人批准")
    unknown = [k for k in rules.get("kinds", []) if k not in {c.value for c in PenaltyKind}]
    require(not unknown, "unknown_penalty_kind", "《行政处罚法》第九条", f"未知的处罚种类：{'、'.join(unknown)}")
    latest = ReviewCatalogVersion.objects.filter(agency=agency).order_by("-version").first()
    version = ReviewCatalogVersion.objects.create(agency=agency, version=(latest.version + 1) if latest else 1,
                                                  created_by=actor, **rules)
    log.append("review.catalog_published", actor=actor, agency=agency, obj=version,
               payload={"version": version.version, **rules})
    return version
