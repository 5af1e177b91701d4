"""Alerts in the days before the annual report's deadline, and after it while anything is missing
(seed §二(一)3: published and submitted to the district government and the superior department by the deadline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhifa.people.models import Agency
from zhifa.reports import rules
from zhifa.reports.models import AnnualReport, Recipient, ReportStatus


@dataclass(frozen=True)
class ReportAlert:
    level: str  # "warning" in the alert days before the deadline, "danger" after it
    agency: Agency
    year: int
    due_on: dt.date
    text: str
    report: AnnualReport | None
    basis: str = rules.BASIS_REPORT


def reports_due_alerts(today: dt.date, agencies: QuerySet[Agency] | None = None) -> list[ReportAlert]:
    """What is still missing of last year's reports (of `agencies`, default all) from the alert window on."""
    year = rules.report_year(today)
    due_on = rules.report_deadline(year)
    days_left = (due_on - today).days
    if days_left > rules.alert_days():
        return []
    agencies = Agency.objects.all() if agencies is None else agencies
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(year=year, agency__in=agencies)
               .prefetch_related("submissions")}
    level = "danger" if days_left < 0 else "warning"
    when = (_("已逾期%(n)d天") % {"n": -days_left} if days_left < 0
            else _("今天到期") if days_left == 0 else _("还剩%(n)d天") % {"n": days_left})
    alerts = []
    for agency in agencies.order_by("code"):
        report = reports.get(agency.pk)
        missing = []
        if report is None or report.status == ReportStatus.DRAFTED:
            missing.append(_("起草并由机关负责人签发") if report is None else _("由机关负责人签发"))
        if report is None or report.status != ReportStatus.PUBLISHED:
            missing.append(_("向社会公开"))
        sent = {s.recipient for s in report.submissions.all()} if report is not None else set()
        missing += [_("报送%(r)s") % {"r": r.label} for r in Recipient if r.value not in sent]
        if missing:
            text = _("%(agency)s %(year)d年度行政执法数据报告尚待%(what)s（期限 %(due)s，%(when)s）。") % {
                "agency": agency.name, "year": year, "what": "、".join(str(m) for m in missing),
                "due": due_on.isoformat(), "when": when}
            alerts.append(ReportAlert(level, agency, year, due_on, text, report))
    return alerts
