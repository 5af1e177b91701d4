"""Staff pages (/reports/…): the agency's reports with their deadlines, sign-off, publication, submissions, and the
复议/诉讼 outcomes form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.people.models import Agency, Role
from zhifa.reports import actions, rules
from zhifa.reports import render as rendering
from zhifa.reports.alerts import reports_due_alerts
from zhifa.reports.models import AnnualReport, Recipient, RemedyKind, RemedyOutcome, RemedyOutcomeChoice, ReportStatus
from zhifa.web.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"})


def _run(request: HttpRequest, action, *args, **kwargs) -> object | None:
    try:
        result = action(*args, **kwargs)
    except RuleViolation as exc:
        messages.error(request, _("未能办理：%(detail)s（%(basis)s）") % {"detail": exc.detail, "basis": exc.basis})
        return None
    messages.success(request, _("已办理。"))
    return result


def light_of(report: AnnualReport, today: dt.date) -> str:
    published_on = timezone.localdate(report.published_at) if report.published_at else None
    return rules.deadline_light(report.due_on, today, published_on)


class DraftForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = bootstrap(DraftForm(request.POST or None, initial={"year": rules.report_year(today)}))
    if request.method == "POST" and form.is_valid() and request.user.agency_id:
        report = _run(request, actions.draft_report, request.user.agency, form.cleaned_data["year"], request.user)
        if report is not None:
            return redirect("report-detail", pk=report.pk)
    reports = AnnualReport.objects.visible_to(request.user).select_related("agency").prefetch_related("submissions")
    rows = [(r, light_of(r, today)) for r in reports]
    alerts = reports_due_alerts(today, Agency.objects.visible_to(request.user))
    may_draft = request.user.agency_id is not None and request.user.role in actions.PREPARER_ROLES
    return render(request, "reports/list.html", {"rows": rows, "alerts": alerts, "form": form,
                                                 "may_draft": may_draft, "deadline": rules.deadline_setting()})


class SubmissionForm(forms.Form):
    recipient = forms.ChoiceField(label=gettext_lazy("报送对象"), choices=Recipient.choices)
    recipient_name = forms.CharField(label=gettext_lazy("接收机关"), max_length=100)
    reference = forms.CharField(label=gettext_lazy("文号或回执号"), max_length=60)
    submitted_at = forms.DateTimeField(label=gettext_lazy("报送时间（不填为现在）"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def _recipient_default(report: AnnualReport) -> str:
    return f"{report.agency.jurisdiction}人民政府" if report.agency.jurisdiction else ""


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user).select_related(
        "agency", "approved_by", "published_by", "drafted_by"), pk=pk)
    form = bootstrap(SubmissionForm(request.POST or None, initial={"recipient_name": _recipient_default(report)}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(request, actions.record_submission, report, request.user, recipient=data["recipient"],
                recipient_name=data["recipient_name"], reference=data["reference"],
                submitted_at=data["submitted_at"]):
            return redirect("report-detail", pk=report.pk)
    user = request.user
    is_head = user.role == Role.AGENCY_HEAD and user.agency_id == report.agency_id
    return render(request, "reports/detail.html", {
        "report": report, "light": light_of(report, timezone.localdate()), "tables": rendering.tables(report.figures),
        "submissions": report.submissions.select_related("submitted_by"), "form": form, "is_head": is_head,
        "may_submit": user.agency_id == report.agency_id and user.role in actions.PREPARER_ROLES
        and report.status != ReportStatus.DRAFTED,
        "may_recount": user.agency_id == report.agency_id and user.role in actions.PREPARER_ROLES
        and report.status == ReportStatus.DRAFTED,
    })


@login_required
@require_POST
def report_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user).select_related("agency"), pk=pk)
    if what == "approve":
        _run(request, actions.approve_report, report, request.user)
    elif what == "publish":
        _run(request, actions.publish_report, report, request.user)
    elif what == "recount":
        _run(request, actions.draft_report, report.agency, report.year, request.user)
    return redirect("report-detail", pk=report.pk)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_file(report: AnnualReport, fmt: str) -> HttpResponse:
    """The published files as frozen at publication; a draft's rendered now."""
    name = f"{report.agency.code}-{report.year}-annual-report.{fmt}"
    if fmt == "pdf":
        return _download(bytes(report.pdf) if report.pdf else rendering.report_pdf(report), name, "application/pdf")
    content = bytes(report.xlsx) if report.xlsx else rendering.report_xlsx(report.figures)
    return _download(content, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user).select_related("agency"), pk=pk)
    return report_file(report, fmt)


class RemedyForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("案件编号"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=RemedyKind.choices)
    outcome = forms.ChoiceField(label=gettext_lazy("结果"), choices=RemedyOutcomeChoice.choices)
    decided_on = forms.DateField(label=gettext_lazy("决定或裁判日期"), widget=DATE)
    organ = forms.CharField(label=gettext_lazy("复议机关或人民法院"), max_length=100)
    reference = forms.CharField(label=gettext_lazy("文书编号"), max_length=60, required=False)


@login_required
def remedies(request: HttpRequest) -> HttpResponse:
    form = bootstrap(RemedyForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = Case.objects.visible_to(request.user).filter(number=data["case_number"].strip()).first()
        if case is None:
            form.add_error("case_number", _("没有这个编号的案件，或您无权查看。"))
        elif _run(request, actions.record_remedy_outcome, case, request.user, kind=data["kind"],
                  outcome=data["outcome"], decided_on=data["decided_on"], organ=data["organ"],
                  reference=data["reference"]):
            return redirect("remedy-list")
    outcomes = RemedyOutcome.objects.visible_to(request.user).select_related("case", "recorded_by")[:200]
    return render(request, "reports/remedies.html", {"form": form, "outcomes": outcomes,
                                                     "basis": rules.BASIS_REMEDY})
