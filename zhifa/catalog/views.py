"""Staff catalog pages (login required; items scoped with `visible_to`): list, item with version history, version,
new version, repeal, portal publication, xlsx import/export, alerts, AV item list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.catalog import actions, alerts, flowchart, rules, xlsx
from zhifa.catalog.forms import ImportForm, RepealForm, VersionForm
from zhifa.catalog.models import AVItem, EnforcementItem, ItemKind, ItemVersion, ServiceGuide, VersionStatus
from zhifa.catalog.public_views import svg_response
from zhifa.core.errors import RuleViolation
from zhifa.law.workdays import UnknownYearError
from zhifa.people.models import Agency

ITEMS_PER_PAGE = 50
SUPERSEDED_WINDOW_DAYS = 90


def _items(request: HttpRequest):
    return EnforcementItem.objects.visible_to(request.user)


def _item(request: HttpRequest, code: str) -> EnforcementItem:
    return get_object_or_404(_items(request), code=code)


def _version(request: HttpRequest, code: str, number: int) -> ItemVersion:
    return get_object_or_404(ItemVersion.objects.visible_to(request.user).select_related("item"),
                             item__code=code, number=number)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    items = _items(request)
    agencies = Agency.objects.visible_to(request.user).filter(catalog_items__isnull=False).distinct()
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    agency_code = request.GET.get("agency", "")
    if query:
        items = items.filter(Q(code__icontains=query) | Q(versions__name__icontains=query))
    if kind in ItemKind.values:
        items = items.filter(kind=kind)
    if agency_code:
        items = items.filter(agencies__code=agency_code)
    items = items.distinct().prefetch_related("agencies", "versions").order_by("code")
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for item in page:
        versions = sorted(item.versions.all(), key=lambda v: v.number)
        published = [v for v in versions if v.status != VersionStatus.DRAFT]
        rows.append({"item": item, "latest": published[-1] if published else (versions[-1] if versions else None),
                     "draft": any(v.status == VersionStatus.DRAFT for v in versions)})
    return render(request, "catalog/staff/list.html", {
        "page": page, "rows": rows, "q": query, "kind": kind, "agency_code": agency_code, "agencies": agencies,
        "kinds": ItemKind.choices,
        "filters": {k: v for k, v in (("q", query), ("kind", kind), ("agency", agency_code)) if v},
    })


@login_required
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = _item(request, code)
    today = timezone.localdate()
    latest = item.latest_version()
    can_manage = actions.can_manage(request.user, list(item.agencies.all()))
    initial = {}
    if latest is not None:
        initial = {"name": latest.name, "basis_law": latest.basis_law, "basis_article": latest.basis_article,
                   "basis_text": latest.basis_text, "field": latest.field}
    return render(request, "catalog/staff/item.html", {
        "item": item, "versions": item.versions.order_by("-number"), "current": item.version_on(today),
        "latest": latest, "can_manage": can_manage, "today": today,
        "version_form": VersionForm(initial=initial), "repeal_form": RepealForm(),
        "repealed": latest is not None and latest.status == VersionStatus.REPEALED,
    })


@login_required
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    return render(request, "catalog/staff/version.html", {
        "item": version.item, "version": version, "discretion": version.discretion.all(),
        "guide": ServiceGuide.objects.filter(version=version).first(),
        "svg": mark_safe(flowchart.version_svg(version)),  # generated and escaped by flowchart.py
        "can_manage": actions.can_manage(request.user, list(version.item.agencies.all())),
        "basis_portal": rules.BASIS_PORTAL,
    })


@login_required
def version_flowchart(request: HttpRequest, code: str, number: int) -> HttpResponse:
    return svg_response(_version(request, code, number))


@login_required
@require_POST
def portal_publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    try:
        actions.publish_to_portal(request.user, version)
        messages.success(request, _("已在门户公示。"))
    except RuleViolation as violation:
        messages.error(request, str(violation))
    return redirect("catalog-version", code=code, number=number)


@login_required
@require_POST
def new_version(request: HttpRequest, code: str) -> HttpResponse:
    item = _item(request, code)
    form = VersionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        latest = item.latest_version()
        try:
            version = actions.publish_version(request.user, item, data["valid_from"], actions.VersionData(
                name=data["name"], basis_law=data["basis_law"], basis_article=data["basis_article"],
                basis_text=data["basis_text"], field=data["field"], steps=latest.steps if latest else [],
            ), change_note=data["change_note"])
            messages.success(request, _("已发布第 %(n)d 版，请及时在门户公示。") % {"n": version.number})
            return redirect("catalog-version", code=code, number=version.number)
        except RuleViolation as violation:
            messages.error(request, str(violation))
    else:
        messages.error(request, _("新版本信息不完整：%(e)s") % {"e": "；".join(
            f"{form.fields[f].label}：{' '.join(e)}" for f, e in form.errors.items())})
    return redirect("catalog-item", code=code)


@login_required
@require_POST
def repeal(request: HttpRequest, code: str) -> HttpResponse:
    item = _item(request, code)
    form = RepealForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = actions.repeal_item(request.user, item, data["effective"], data["reason"], data["basis_law"],
                                          data["basis_article"])
            messages.success(request, _("已废止，请及时在门户公示。"))
            return redirect("catalog-version", code=code, number=version.number)
        except RuleViolation as violation:
            messages.error(request, str(violation))
    else:
        messages.error(request, _("请填写废止日期、理由和依据。"))
    return redirect("catalog-item", code=code)


@login_required
def import_items(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "columns": xlsx.COLUMNS, "required": xlsx.REQUIRED}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["report"] = xlsx.import_items(request.user, upload, upload.name)
            messages.success(request, _("导入完成。"))
        except xlsx.ImportFailed as failure:
            context["errors"] = failure.errors
    return render(request, "catalog/staff/import.html", context)


@login_required
def export_items(request: HttpRequest) -> HttpResponse:
    items = _items(request)
    agency_code = request.GET.get("agency", "")
    title = _("行政执法事项清单")
    if agency_code:
        agency = get_object_or_404(Agency.objects.visible_to(request.user), code=agency_code)
        items = items.filter(agencies=agency)
        title = f"{agency.name}{title}"
    body = xlsx.export_items(items.distinct(), title)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions = ItemVersion.objects.visible_to(request.user)
    context: dict = {"today": today, "basis_portal": rules.BASIS_PORTAL, "days": actions.portal_working_days(),
                     "window": SUPERSEDED_WINDOW_DAYS}
    try:
        context["stale"] = alerts.stale_portal_items(today, versions)
    except UnknownYearError as exc:
        context["stale"] = []
        context["calendar_missing"] = exc.year
    superseded = alerts.versions_superseded_since(today - dt.timedelta(days=SUPERSEDED_WINDOW_DAYS), versions)
    context["superseded"] = [(v, alerts.open_cases_on_old_versions(v)) for v in superseded[:200]]
    return render(request, "catalog/staff/alerts.html", context)


@login_required
def av_list(request: HttpRequest) -> HttpResponse:
    rows = AVItem.objects.visible_to(request.user).select_related("agency").order_by("agency__code", "pk")
    return render(request, "catalog/staff/av.html", {"rows": rows})
