"""Demo annual reports: last year's (2025 in 2026) report of the market regulation bureau (lk-scjg) drafted,
signed off by its head, published and submitted to the district government and the superior department; the other
agencies' reports drafted, as the 1 January task leaves them; one 复议 outcome on a decided demo case."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.people.models import Agency, Role, User
from zhifa.record import log
from zhifa.reports import actions, rules
from zhifa.reports.models import AnnualReport, Recipient, RemedyKind, RemedyOutcome, RemedyOutcomeChoice, ReportStatus
from zhifa.reports.synthetic import build_agency_year

PUBLISHED_AGENCY = "lk-scjg"
SUPERIOR = "株洲市市场监督管理局"


def _import_history(agency: Agency, year: int, cases: int, head: User) -> None:
    """Figures of a year before the platform: that year's cases as migrated from the previous system."""
    if cases <= 0 or Case.objects.filter(agency=agency, number__startswith=f"HIST-{agency.code}-{year}").exists():
        return
    with transaction.atomic():
        made = build_agency_year(agency, year, cases, head, seed=year, publications=False, number_prefix="HIST")
        log.append("report.history_imported", actor=head, agency=agency,
                   payload={"year": year, "rows": dict(made), "source": "原执法办案系统"})


def load_demo_reports(history_cases: int = 0) -> dict[str, int]:
    """Idempotent. `history_cases` > 0 first imports that many cases of last year for lk-scjg (the demo's own
    cases are all of this year, so without history the report's figures are zeros)."""
    today = timezone.localdate()
    year = rules.report_year(today)
    agency = Agency.objects.get(code=PUBLISHED_AGENCY)
    head = User.objects.filter(agency=agency, role=Role.AGENCY_HEAD).order_by("pk").first()
    _import_history(agency, year, history_cases, head)
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if report is None:
        report = actions.draft_report(agency, year, None)  # as the 1 January task drafts it
    if report.status == ReportStatus.DRAFTED:
        report = actions.approve_report(report, head)
    if report.status == ReportStatus.APPROVED:
        report = actions.publish_report(report, head)
    sent = set(report.submissions.values_list("recipient", flat=True))
    for number, (recipient, name) in enumerate(((Recipient.GOVERNMENT, "株洲市渌口区人民政府"),
                                                (Recipient.SUPERIOR, SUPERIOR)), start=1):
        if recipient not in sent:
            actions.record_submission(report, head, recipient=recipient, recipient_name=name,
                                      reference=f"{agency.short_name}报〔{today.year}〕{number}号")
    drafted = 0
    for other in Agency.objects.exclude(pk=agency.pk).exclude(annual_reports__year=year).order_by("code"):
        actions.draft_report(other, year, None)
        drafted += 1
    decided = (Case.objects.filter(agency=agency, decided_on__isnull=False, remedy_outcomes__isnull=True)
               .exclude(number__startswith="HIST-").order_by("pk").first())
    if decided is not None and not RemedyOutcome.objects.filter(case__agency=agency).exclude(
            case__number__startswith="HIST-").exists():
        actions.record_remedy_outcome(decided, head, kind=RemedyKind.RECONSIDERATION,
                                      outcome=RemedyOutcomeChoice.UPHELD, decided_on=today,
                                      organ="株洲市渌口区人民政府", reference=f"渌政复决字〔{today.year}〕3号")
    return {"year": year, "published": 1, "drafted": drafted}
