"""The report's life (seed §二(一)3): drafted automatically on 1 January, signed off by the agency head (党政机关公文
处理工作条例 Art. 24), published by the deadline (late publication flagged), submitted to the district government and
the superior department; 复议/诉讼 outcomes recorded. Each action appends one record event."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core.errors import RuleViolation
from zhifa.people.models import Agency
from zhifa.record.models import Event
from zhifa.reports import actions
from zhifa.reports.alerts import reports_due_alerts
from zhifa.reports.models import AnnualReport, Recipient, ReportStatus
from zhifa.reports.tasks import draft_annual_reports_task, draft_missing_reports, enqueue_daily

pytestmark = pytest.mark.django_db


def events(event_type: str) -> int:
    return Event.objects.filter(event_type=event_type).count()


def test_auto_draft_task_drafts_last_year_for_every_agency_idempotent_seed(team, at) -> None:
    at(2026, 1, 1, 0)
    draft_annual_reports_task.enqueue()  # the immediate backend in tests runs it now
    agencies = Agency.objects.count()
    assert AnnualReport.objects.filter(year=2025, status=ReportStatus.DRAFTED).count() == agencies >= 2
    assert events("report.drafted") == agencies
    system = Event.objects.filter(event_type="report.drafted", actor__isnull=True, actor_name="system")
    assert system.count() == agencies
    assert draft_missing_reports(dt.date(2026, 1, 2)) == {"year": 2025, "drafted": 0, "alerts": 0}
    draft_annual_reports_task.enqueue()
    assert AnnualReport.objects.count() == agencies and events("report.drafted") == agencies


def test_daily_enqueue_runs_the_task_once_a_day_per_worker(team, at, monkeypatch) -> None:
    calls = []

    class Stub:
        def enqueue(self) -> None:
            calls.append(1)

    monkeypatch.setattr("zhifa.reports.tasks.draft_annual_reports_task", Stub())
    monkeypatch.setattr("zhifa.reports.tasks._enqueued_on", None)
    at(2026, 1, 1, 0)
    enqueue_daily()
    enqueue_daily()
    at(2026, 1, 2, 0)
    enqueue_daily()
    assert len(calls) == 2


def test_report_only_for_a_finished_year_seed(team) -> None:
    with pytest.raises(RuleViolation) as caught:
        actions.draft_report(team.head.agency, 2026, None, today=dt.date(2026, 12, 31))
    assert caught.value.code == "year_not_finished"


def test_report_deadline_stored_from_the_jurisdiction_setting_seed(team, settings) -> None:
    settings.ZHIFA_ANNUAL_REPORT_DEADLINE = "01-31"
    report = actions.draft_report(team.head.agency, 2025, None, today=dt.date(2026, 1, 1))
    assert report.due_on == dt.date(2026, 1, 31)
    assert Event.objects.get(event_type="report.drafted").payload["due_on"] == "2026-01-31"


def test_drafting_by_hand_only_by_the_agency_s_preparers_seed(team) -> None:
    with pytest.raises(RuleViolation):
        actions.draft_report(team.head.agency, 2025, team.officer, today=dt.date(2026, 1, 2))
    with pytest.raises(RuleViolation):
        actions.draft_report(team.head.agency, 2025, team.outsider, today=dt.date(2026, 1, 2))
    assert actions.draft_report(team.head.agency, 2025, team.reviewer, today=dt.date(2026, 1, 2)).drafted_by == \
        team.reviewer


def test_approval_by_agency_head_only_gongwen_regulation_art24(team, drafted) -> None:
    for not_head in (team.officer, team.reviewer, team.outsider):  # the outsider heads another agency
        with pytest.raises(RuleViolation) as caught:
            actions.approve_report(drafted, not_head)
        assert caught.value.code == "not_permitted" and "第二十四条" in caught.value.basis
    report = actions.approve_report(drafted, team.head)
    assert report.status == ReportStatus.APPROVED and report.approved_by == team.head
    assert events("report.approved") == 1
    with pytest.raises(RuleViolation):
        actions.approve_report(report, team.head)


def test_publish_only_after_approval_gongwen_regulation_art24(team, drafted) -> None:
    with pytest.raises(RuleViolation) as caught:
        actions.publish_report(drafted, team.head, seal=False)
    assert caught.value.code == "report_not_approved"
    report = actions.approve_report(drafted, team.head)
    with pytest.raises(RuleViolation):
        actions.publish_report(report, team.officer, seal=False)


def test_recount_only_while_drafted_seed(team, drafted) -> None:
    again = actions.draft_report(team.head.agency, 2025, team.head, today=dt.date(2026, 1, 3))
    assert again.pk == drafted.pk and again.figures["as_of"] == "2026-01-03"
    assert Event.objects.filter(event_type="report.drafted").last().payload["recount"] is True
    actions.approve_report(again, team.head)
    with pytest.raises(RuleViolation) as caught:
        actions.draft_report(team.head.agency, 2025, team.head, today=dt.date(2026, 1, 4))
    assert caught.value.code == "report_not_draft"


def test_publish_by_deadline_not_flagged_seed_jan20(team, drafted, at) -> None:
    at(2026, 1, 20, 23)
    report = actions.publish_report(actions.approve_report(drafted, team.head), team.head, seal=False)
    assert report.status == ReportStatus.PUBLISHED and not report.published_late
    assert report.pdf.startswith(b"%PDF") and len(report.pdf_sha256) == 64 and report.xlsx
    event = Event.objects.get(event_type="report.published")
    assert event.payload["late"] is False and event.payload["pdf_sha256"] == report.pdf_sha256


def test_publish_after_deadline_flagged_late_seed_jan20(team, drafted, at) -> None:
    at(2026, 1, 21, 9)
    report = actions.publish_report(actions.approve_report(drafted, team.head), team.head, seal=False)
    assert report.published_late
    assert Event.objects.get(event_type="report.published").payload["late"] is True


def test_publish_on_jan25_on_time_under_national_rule_jan31(team, settings, at) -> None:
    settings.ZHIFA_ANNUAL_REPORT_DEADLINE = "01-31"
    report = actions.draft_report(team.head.agency, 2025, None, today=dt.date(2026, 1, 1))
    at(2026, 1, 25)
    assert not actions.publish_report(actions.approve_report(report, team.head), team.head, seal=False).published_late


def test_published_pdf_sealed_by_the_agency(team, drafted) -> None:
    from zhifa.documents.seal import validate_pdf

    report = actions.publish_report(actions.approve_report(drafted, team.head), team.head)
    assert validate_pdf(bytes(report.pdf)).valid


def test_submission_to_government_and_superior_recorded_seed(team, drafted, at) -> None:
    with pytest.raises(RuleViolation) as caught:
        actions.record_submission(drafted, team.head, recipient=Recipient.GOVERNMENT,
                                  recipient_name="株洲市渌口区人民政府", reference="渌报〔2026〕1号")
    assert caught.value.code == "report_not_approved"
    at(2026, 1, 10)
    report = actions.approve_report(drafted, team.head)
    at(2026, 1, 12)
    first = actions.record_submission(report, team.reviewer, recipient=Recipient.GOVERNMENT,
                                      recipient_name="株洲市渌口区人民政府", reference="渌报〔2026〕1号")
    at(2026, 1, 22)
    second = actions.record_submission(report, team.head, recipient=Recipient.SUPERIOR,
                                       recipient_name="株洲市市场监督管理局", reference="回执0001")
    assert (first.late, second.late) == (False, True)
    assert events("report.submitted") == 2
    with pytest.raises(RuleViolation) as caught:
        actions.record_submission(report, team.head, recipient=Recipient.SUPERIOR, recipient_name="x",
                                  reference="y")
    assert caught.value.code == "already_submitted"
    with pytest.raises(RuleViolation):
        actions.record_submission(report, team.officer, recipient="district", recipient_name="x", reference="y")


def test_submission_time_between_approval_and_now(team, drafted, at) -> None:
    at(2026, 1, 10)
    report = actions.approve_report(drafted, team.head)
    for when in (dt.datetime(2026, 1, 9, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC)):
        with pytest.raises(RuleViolation):
            actions.record_submission(report, team.head, recipient=Recipient.GOVERNMENT, recipient_name="区政府",
                                      reference="1", submitted_at=when)


def test_alerts_in_the_days_before_the_deadline_seed(team, drafted, settings, at) -> None:
    settings.ZHIFA_ANNUAL_REPORT_ALERT_DAYS = 10
    agency = team.head.agency
    mine = Agency.objects.filter(pk=agency.pk)
    assert reports_due_alerts(dt.date(2026, 1, 9), mine) == []  # 11 days before: quiet
    [alert] = reports_due_alerts(dt.date(2026, 1, 10), mine)
    assert alert.level == "warning" and "还剩10天" in alert.text and "签发" in alert.text and alert.report == drafted
    [alert] = reports_due_alerts(dt.date(2026, 1, 21), mine)
    assert alert.level == "danger" and "已逾期1天" in alert.text
    at(2026, 1, 15)
    report = actions.publish_report(actions.approve_report(drafted, team.head), team.head, seal=False)
    [alert] = reports_due_alerts(dt.date(2026, 1, 16), mine)
    assert "向社会公开" not in alert.text and "本级人民政府" in alert.text and "上级主管部门" in alert.text
    for recipient in Recipient.values:
        actions.record_submission(report, team.head, recipient=recipient, recipient_name="机关", reference="1")
    assert reports_due_alerts(dt.date(2026, 1, 16), mine) == []
    [missing] = reports_due_alerts(dt.date(2026, 1, 16), Agency.objects.filter(pk=team.outsider.agency_id))
    assert "起草" in missing.text and missing.report is None


def test_each_action_appends_one_event_in_its_transaction(team, drafted, case) -> None:
    before = Event.objects.count()
    report = actions.approve_report(drafted, team.head)
    report = actions.publish_report(report, team.head, seal=False)
    actions.record_submission(report, team.head, recipient=Recipient.GOVERNMENT, recipient_name="区政府",
                              reference="1")
    assert Event.objects.count() == before + 3
    assert list(Event.objects.order_by("-seq").values_list("object_type", flat=True)[:3]) == [
        "reports.reportsubmission", "reports.annualreport", "reports.annualreport"]
