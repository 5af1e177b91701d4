"""The 1 January drafting of last year's reports (seed §二(一)3), run daily: idempotent, it drafts only what is
missing, so a worker that was down on 1 January catches up the next day."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError
from django.tasks import task
from django.utils import timezone

from zhifa.people.models import Agency
from zhifa.reports import rules
from zhifa.reports.actions import draft_report
from zhifa.reports.alerts import reports_due_alerts

logger = logging.getLogger(__name__)
_enqueued_on: dt.date | None = None


def draft_missing_reports(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    year = rules.report_year(today)
    drafted = 0
    for agency in Agency.objects.exclude(annual_reports__year=year).order_by("code"):
        try:
            draft_report(agency, year, None, today=today)
        except IntegrityError:  # another worker drafted it a moment ago
            continue
        drafted += 1
    alerts = reports_due_alerts(today)
    for alert in alerts:
        logger.warning("%s", alert.text)
    return {"year": year, "drafted": drafted, "alerts": len(alerts)}


@task()
def draft_annual_reports_task() -> dict[str, int]:
    """Draft last year's report for every agency that has none; log the deadline alerts."""
    return draft_missing_reports()


def enqueue_daily() -> None:
    """Called by the worker's schedule (zhifa.core.worker.periodic_jobs, every ~30 s): enqueues the task once a day
    per worker process. Several workers enqueue it several times: it is idempotent."""
    global _enqueued_on
    today = timezone.localdate()
    if _enqueued_on != today:
        draft_annual_reports_task.enqueue()
        _enqueued_on = today
