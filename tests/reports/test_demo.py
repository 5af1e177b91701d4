"""The demo's annual reports: last year's published report of lk-scjg with both submissions, drafted ones for the
other agencies; loading twice changes nothing."""

from __future__ import annotations

import pytest

from zhifa.people.models import Role
from zhifa.record.models import Event
from zhifa.reports.demo import load_demo_reports
from zhifa.reports.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(make_agency, make_user):
    scjg = make_agency("lk-scjg", name="株洲市渌口区市场监督管理局", short_name="渌市监")
    make_user(scjg, role=Role.AGENCY_HEAD)
    make_agency("lk-cgzf")
    make_agency("lk-gov")
    return scjg


def test_demo_publishes_scjg_report_with_submissions_and_drafts_the_others(district, client) -> None:
    load_demo_reports(history_cases=60)
    report = AnnualReport.objects.get(agency=district)
    assert report.status == ReportStatus.PUBLISHED and report.submissions.count() == 2
    assert report.figures["penalties"]["decisions"] > 30  # the imported history of last year
    assert set(AnnualReport.objects.exclude(agency=district).values_list("status", flat=True)) == {"drafted"}
    assert client.get(report.get_absolute_url()).status_code == 200
    counts = (AnnualReport.objects.count(), Event.objects.count())
    load_demo_reports(history_cases=60)
    assert (AnnualReport.objects.count(), Event.objects.count()) == counts
