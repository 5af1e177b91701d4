"""The annual report's life: draft → approve (the head signs off) → publish; submissions; 复议/诉讼 outcomes.

Every action checks its rule and appends one record event in the same transaction (DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.core.errors import require
from zhifa.people.models import Agency, Role, User
from zhifa.record import log
from zhifa.reports import rules
from zhifa.reports.figures import compute_figures
from zhifa.reports.models import (
    AnnualReport,
    Recipient,
    RemedyKind,
    RemedyOutcome,
    RemedyOutcomeChoice,
    ReportStatus,
    ReportSubmission,
)

# Who prepares and submits the report inside the agency: its head, unit heads and the legal unit.
PREPARER_ROLES = {Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.REVIEWER}


def _of_agency(actor: User | None, agency_id: int, roles: set[str], basis: str, detail: str) -> None:
    require(actor is not None and actor.is_active and actor.agency_id == agency_id and actor.role in roles,
            "not_permitted", basis, detail)


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)


@transaction.atomic
def draft_report(agency: Agency, year: int, actor: User | None = None, *,
                 today: dt.date | None = None) -> AnnualReport:
    """Draft (or, while still a draft, re-count) the report of `year`. `actor` None = the 1 January task."""
    today = today or timezone.localdate()
    require(year < today.year, "year_not_finished", rules.BASIS_FINISHED_YEAR, f"{year}年度尚未结束，不能统计")
    if actor is not None:
        _of_agency(actor, agency.pk, PREPARER_ROLES, rules.BASIS_REPORT, "由本机关负责人、承办机构负责人或法制机构起草")
    report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
    require(report is None or report.status == ReportStatus.DRAFTED, "report_not_draft", rules.BASIS_SIGN_OFF,
            "报告已签发，不能重新统计")
    figures = compute_figures(agency, year, today)
    due_on = rules.report_deadline(year)
    now = timezone.now()
    if report is None:
        recount = False
        report = AnnualReport.objects.create(agency=agency, year=year, figures=figures, due_on=due_on,
                                             drafted_at=now, drafted_by=actor)
    else:
        recount = True
        report.figures, report.due_on, report.drafted_at, report.drafted_by = figures, due_on, now, actor
        report.save(update_fields=["figures", "due_on", "drafted_at", "drafted_by"])
    log.append("report.drafted", actor=actor, agency=agency, obj=report,
               payload={"year": year, "due_on": due_on, "recount": recount, "acts_total": figures["acts_total"],
                        "figures_sha256": figures_digest(figures)})
    return report


def figures_digest(figures: dict) -> str:
    """SHA-256 of the figures as canonical JSON: what the head signed off is what was published."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def approve_report(report: AnnualReport, actor: User) -> AnnualReport:
    """签发: only the agency's head approves what is published in the agency's name (公文处理工作条例第二十四条)."""
    report = _locked(report)
    _of_agency(actor, report.agency_id, {Role.AGENCY_HEAD}, rules.BASIS_SIGN_OFF, "年度报告须由本机关负责人签发")
    require(report.status == ReportStatus.DRAFTED, "report_not_draft", rules.BASIS_SIGN_OFF, "报告已签发")
    report.status, report.approved_at, report.approved_by = ReportStatus.APPROVED, timezone.now(), actor
    report.save(update_fields=["status", "approved_at", "approved_by"])
    log.append("report.approved", actor=actor, agency=report.agency, obj=report,
               payload={"year": report.year, "figures_sha256": figures_digest(report.figures)})
    return report


@transaction.atomic
def publish_report(report: AnnualReport, actor: User, *, seal: bool = True) -> AnnualReport:
    """Publish the approved report at /public/reports/<agency>/<year>/ with its PDF (sealed by the agency) and XLSX,
    frozen as published. After the deadline it is still published, and flagged late (seed §二(一)3)."""
    from zhifa.reports import render

    report = _locked(report)
    _of_agency(actor, report.agency_id, {Role.AGENCY_HEAD}, rules.BASIS_SIGN_OFF, "年度报告须由本机关负责人批准公开")
    require(report.status == ReportStatus.APPROVED, "report_not_approved", rules.BASIS_SIGN_OFF,
            "报告须先经机关负责人签发" if report.status == ReportStatus.DRAFTED else "报告已公开")
    now = timezone.now()
    report.status, report.published_at, report.published_by = ReportStatus.PUBLISHED, now, actor
    report.published_late = timezone.localdate(now) > report.due_on
    pdf = render.report_pdf(report)
    if seal:
        from zhifa.documents.seal import sign_pdf

        pdf, _fingerprint = sign_pdf(pdf, report.agency, reason=f"{report.year}年度行政执法数据报告")
    report.pdf, report.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    xlsx = render.report_xlsx(report.figures)
    report.xlsx, report.xlsx_sha256 = xlsx, hashlib.sha256(xlsx).hexdigest()
    report.save()
    log.append("report.published", actor=actor, agency=report.agency, obj=report,
               payload={"year": report.year, "due_on": report.due_on, "late": report.published_late,
                        "pdf_sha256": report.pdf_sha256, "xlsx_sha256": report.xlsx_sha256})
    return report


@transaction.atomic
def record_submission(report: AnnualReport, actor: User, *, recipient: str, recipient_name: str, reference: str,
                      submitted_at: dt.datetime | None = None) -> ReportSubmission:
    """报本级人民政府和上级主管部门 (seed §二(一)3): one submission per recipient, of a signed-off report."""
    report = _locked(report)
    _of_agency(actor, report.agency_id, PREPARER_ROLES, rules.BASIS_REPORT, "由本机关工作人员登记报送情况")
    require(recipient in Recipient.values, "unknown_recipient", rules.BASIS_REPORT,
            "报送对象应为本级人民政府或上级主管部门")
    require(report.status != ReportStatus.DRAFTED, "report_not_approved", rules.BASIS_SIGN_OFF,
            "报告须先经机关负责人签发才能报送")
    require(recipient_name.strip() and reference.strip(), "fields_required", rules.BASIS_REPORT,
            "须填写接收机关和文号（或回执号）")
    require(not report.submissions.filter(recipient=recipient).exists(), "already_submitted", rules.BASIS_REPORT,
            f"已登记向{Recipient(recipient).label}的报送")
    now = timezone.now()
    submitted_at = submitted_at or now
    require(submitted_at <= now, "submitted_in_future", rules.BASIS_REPORT, "报送时间不能晚于现在")
    require(submitted_at >= report.approved_at, "submitted_before_approval", rules.BASIS_SIGN_OFF,
            "报送时间不能早于签发时间")
    submission = ReportSubmission.objects.create(
        report=report, recipient=recipient, recipient_name=recipient_name.strip(), reference=reference.strip(),
        submitted_at=submitted_at, submitted_by=actor, late=timezone.localdate(submitted_at) > report.due_on)
    log.append("report.submitted", actor=actor, agency=report.agency, obj=submission,
               payload={"year": report.year, "recipient": recipient, "recipient_name": submission.recipient_name,
                        "reference": submission.reference, "submitted_at": submitted_at, "late": submission.late})
    return submission


# 行政诉讼法第六十九条: the court dismisses the claim (驳回诉讼请求); since 2014 it no longer "upholds" (维持)
# a decision.
LITIGATION_OUTCOMES = set(RemedyOutcomeChoice.values) - {RemedyOutcomeChoice.UPHELD}


@transaction.atomic
def record_remedy_outcome(case: Case, actor: User, *, kind: str, outcome: str, decided_on: dt.date, organ: str,
                          reference: str = "") -> RemedyOutcome:
    """Record the outcome of a 行政复议 (行政复议法第六十三条至第六十九条) or a 行政诉讼
    (行政诉讼法第六十九条至第七十七条) against a decision of the agency."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _of_agency(actor, case.agency_id, PREPARER_ROLES, rules.BASIS_REMEDY,
               "由本机关负责人、承办机构负责人或法制机构登记")
    require(kind in RemedyKind.values, "unknown_remedy", rules.BASIS_REMEDY, "类别应为行政复议或行政诉讼")
    require(outcome in RemedyOutcomeChoice.values, "unknown_outcome", rules.BASIS_REMEDY, "未知的结果")
    require(kind != RemedyKind.LITIGATION or outcome in LITIGATION_OUTCOMES, "litigation_not_upheld",
            "《行政诉讼法》第六十九条", "行政诉讼判决驳回原告诉讼请求，不再判决维持，请选择“驳回”")
    require(case.decided_on is not None, "not_decided", rules.BASIS_REMEDY, "案件尚未作出决定")
    require(case.decided_on <= decided_on <= timezone.localdate(), "date_out_of_range", rules.BASIS_REMEDY,
            "日期应在原决定之后、今天或之前")
    require(organ.strip(), "organ_required", rules.BASIS_REMEDY, "须填写复议机关或人民法院")
    remedy = RemedyOutcome.objects.create(case=case, kind=kind, outcome=outcome, decided_on=decided_on,
                                          organ=organ.strip(), reference=reference.strip(), recorded_by=actor,
                                          recorded_at=timezone.now())
    withdrawal = _open_withdrawal_after(remedy, actor)
    period_ended = _end_remedy_period(case, kind, decided_on)
    log.append("remedy.outcome_recorded", actor=actor, agency=case.agency, obj=remedy, case_id=case.pk,
               payload={"kind": kind, "outcome": outcome, "decided_on": decided_on, "organ": remedy.organ,
                        "reference": remedy.reference, "withdrawal_due_on": withdrawal,
                        "surcharge_suspension_ended": period_ended})
    return remedy


def _end_remedy_period(case: Case, kind: str, decided_on: dt.date) -> dt.date | None:
    """APL Art. 73(3): the outcome ends the pending 复议/诉讼 period of its kind recorded on the case (the late
    surcharge counts again from the next day); returns its end, or None when none was pending."""
    period = case.remedies.filter(kind=kind, ended_on__isnull=True).first()
    if period is None:
        return None
    period.ended_on = max(decided_on, period.applied_on)
    period.save(update_fields=["ended_on"])
    return period.ended_on


def _open_withdrawal_after(remedy: RemedyOutcome, actor: User) -> dt.date | None:
    """Seed §二(一)3, APL Art. 48(2): an outcome that revokes, confirms illegal or void, or orders the decision
    re-made opens the withdrawal of its publication (if published), due within 3 working days."""
    from zhifa.disclosure.actions import open_withdrawal
    from zhifa.disclosure.models import Publication, Status
    from zhifa.law.publicity import withdrawal_kind_after_remedy

    kind = withdrawal_kind_after_remedy(remedy.outcome)
    publication = Publication.objects.filter(case=remedy.case, status=Status.PUBLISHED).first()
    if kind is None or publication is None:
        return None
    reference = f"（{remedy.reference}）" if remedy.reference else ""
    reason = (f"{remedy.organ}{remedy.get_kind_display()}{reference}："
              f"原决定被{remedy.get_outcome_display()}")
    publication = open_withdrawal(publication, actor, kind=kind, reason=reason, decided_on=remedy.decided_on,
                                  source=remedy.kind)
    return publication.withdrawal_due_on
