"""Staff pages: home (my tasks), agencies, officers, the record's events."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.law import staffing as staffing_rules
from zhifa.law import workdays
from zhifa.people.models import Agency, Credential, CredentialStatus, Role
from zhifa.people.scoping import sees_every_agency
from zhifa.people.staffing import agency_staffing
from zhifa.record.models import Event

CREDENTIAL_WARNING_DAYS = 60


def _tasks(request: HttpRequest) -> list[dict]:
    """What needs this person's attention, newest rule first; each task says why."""
    user = request.user
    today = timezone.localdate()
    tasks: list[dict] = []
    if user.is_superuser or user.role == Role.ADMIN:
        missing = _missing_holiday_year(today)
        if missing:
            tasks.append({"level": "danger", "text": _("%(y)d年节假日安排尚未录入：跨入该年的办案期限无法计算。"
                                                        "请在系统管理中录入国务院办公厅通知。") % {"y": missing},
                          "basis": "《行政处罚法》第八十五条"})
    for credential in user.credentials.all():
        status = credential.status_on(today)
        if status != CredentialStatus.VALID:
            tasks.append({"level": "danger", "text": _("您的执法证 %(no)s 状态为“%(s)s”，不得从事执法活动。")
                          % {"no": credential.number, "s": status.label}, "basis": "《行政处罚法》第四十二条"})
        elif credential.valid_to - today <= dt.timedelta(days=CREDENTIAL_WARNING_DAYS):
            tasks.append({"level": "warning", "text": _("您的执法证 %(no)s 将于 %(d)s 到期，请及时换证。")
                          % {"no": credential.number, "d": credential.valid_to}, "basis": ""})
    if user.role == Role.REVIEWER:
        qualified = any(q.is_valid_on(today) for q in user.qualifications.all())
        if not staffing_rules.may_review_penalties(user.first_reviewed_on, today, qualified):
            tasks.append({"level": "danger", "text": _("您尚未取得法律职业资格，不得初次从事行政处罚决定法制审核。"),
                          "basis": "《行政处罚法》第五十八条第三款"})
    if user.role in {Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.SUPERVISOR, Role.ADMIN} or user.is_superuser:
        for row in agency_staffing(Agency.objects.visible_to(user)):
            if not row.sufficient:
                text = _("%(a)s 法制审核人员 %(r)d 名，占执法人员 %(o)d 名的 %(p)s%%，低于5%%。")
                values = {"a": row.agency.name, "r": row.reviewers, "o": row.officers, "p": row.ratio_percent}
                tasks.append({"level": "warning", "text": text % values, "basis": "实施办法二(三)1"})
        inactive = Credential.objects.visible_to(user).exclude(stored_status=CredentialStatus.VALID).count()
        expired = Credential.objects.visible_to(user).with_status(CredentialStatus.EXPIRED, today).count()
        if inactive or expired:
            tasks.append({"level": "info", "text": _("辖内执法证：暂扣或注销 %(i)d 张，过期 %(e)d 张。")
                          % {"i": inactive, "e": expired}, "basis": ""})
    return tasks


def _missing_holiday_year(today: dt.date) -> int | None:
    """This year or, from 1 October, next year, if its holiday notice is not known: deadlines reach into it."""
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    for year in years:
        try:
            workdays.is_working_day(dt.date(year, 12, 31))
        except workdays.UnknownYearError:
            return year
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).select_related("agency").order_by("-seq")[:10]
    return render(request, "web/home.html", {"tasks": _tasks(request), "events": events})


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    rows = agency_staffing(Agency.objects.visible_to(request.user).select_related("parent"))
    return render(request, "web/agencies.html", {"rows": rows})


@login_required
def officers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    credentials = Credential.objects.visible_to(request.user).select_related("holder", "agency")
    query = request.GET.get("q", "").strip()
    if query:
        credentials = credentials.filter(Q(number__icontains=query) | Q(holder__full_name__icontains=query))
    status = request.GET.get("status", "")
    if status in CredentialStatus.values:
        credentials = credentials.with_status(status, today)
    page = Paginator(credentials, 50).get_page(request.GET.get("page"))
    rows = [(c, c.status_on(today)) for c in page]
    return render(request, "web/officers.html", {
        "page": page, "rows": rows, "q": query, "status": status, "statuses": CredentialStatus.choices,
        "sees_all": sees_every_agency(request.user),
    })


@login_required
def record_events(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).select_related("agency").order_by("-seq")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "web/events.html", {"page": page})
