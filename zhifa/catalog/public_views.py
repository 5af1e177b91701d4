"""Public catalog pages (no login, 事前公示): items with search and filters, an item with its legal basis,
discretion standards, service guide and flowchart, its published versions; random-inspection lists and results.
Each page runs a fixed number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from zhifa.catalog import flowchart, public
from zhifa.catalog.models import (
    AVItem,
    EnforcementItem,
    ItemKind,
    ItemVersion,
    RandomInspectionList,
    RandomInspectionResult,
    ServiceGuide,
    VersionStatus,
)
from zhifa.people.models import Agency

ITEMS_PER_PAGE = 30


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("catalog_url", reverse("catalog-public-index"))
    return render(request, template, context, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions = public.current_public_versions(today).exclude(status=VersionStatus.REPEALED)
    agencies = Agency.objects.filter(catalog_items__isnull=False).distinct().order_by("level", "code")
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    agency_code = request.GET.get("agency", "")
    if query:
        versions = public.search(versions, query)
    if kind in ItemKind.values:
        versions = versions.filter(item__kind=kind)
    else:
        kind = ""
    agency = next((a for a in agencies if a.code == agency_code), None)
    if agency is not None:
        versions = versions.filter(item__agencies=agency)
    kind_order = Case(*(When(item__kind=k, then=Value(i)) for i, k in enumerate(ItemKind.values)),
                      output_field=IntegerField())
    versions = (versions.select_related("item").prefetch_related("item__agencies")
                .annotate(discretion_count=Count("discretion", distinct=True), kind_order=kind_order)
                .order_by("kind_order", "item__code"))
    page = Paginator(versions, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("q", query), ("kind", kind), ("agency", agency.code if agency else "")) if v}
    return _render(request, "catalog/public/index.html", {
        "page": page, "q": query, "kind": kind, "agency": agency, "agencies": agencies,
        "kinds": ItemKind.choices, "filters": filters,
    })


def _version_context(version: ItemVersion, today) -> dict:
    item = version.item
    history = list(public.portal_versions().filter(item=item).order_by("-number"))
    return {
        "item": item, "version": version, "agencies": item.agencies.order_by("code"),
        "discretion": version.discretion.all(),
        "guide": ServiceGuide.objects.filter(version=version).first(),
        "svg": mark_safe(flowchart.version_svg(version)),  # generated and escaped by flowchart.py
        "history": history, "in_force": version.is_in_force(today), "upcoming": version.valid_from > today,
        "repealed": version.status == VersionStatus.REPEALED,
        "newer": [v for v in history if v.number > version.number],
    }


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(EnforcementItem, code=code)
    today = timezone.localdate()
    version = public.public_version_of(item, today)
    if version is None:
        raise Http404("no public version")
    return _render(request, "catalog/public/item.html", _version_context(version, today) | {"is_current": True})


@require_GET
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = get_object_or_404(public.portal_versions().select_related("item"), item__code=code, number=number)
    today = timezone.localdate()
    current = public.public_version_of(version.item, today)
    return _render(request, "catalog/public/item.html",
                   _version_context(version, today) | {"is_current": current == version})


@require_GET
@cache_control(public=True, max_age=3600)
def flowchart_svg(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = get_object_or_404(public.portal_versions().select_related("item"), item__code=code, number=number)
    return svg_response(version)


def svg_response(version: ItemVersion) -> HttpResponse:
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + flowchart.version_svg(version)
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.item.code}-v{version.number}.svg"'
    return response


@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    lists = (RandomInspectionList.objects.filter(published_at__isnull=False).select_related("agency")
             .annotate(published_results=Count("results", filter=Q(results__published_at__isnull=False)))
             .prefetch_related(Prefetch("items", EnforcementItem.objects.order_by("code")))
             .order_by("-period_start", "pk"))
    agency_code = request.GET.get("agency", "")
    if agency_code:
        lists = lists.filter(agency__code=agency_code)
    page = Paginator(lists, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "catalog/public/inspections.html", {"page": page})


@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        RandomInspectionList.objects.filter(published_at__isnull=False).select_related("agency"), pk=pk)
    today = timezone.localdate()
    names = {v.item_id: v for v in public.current_public_versions(today).filter(item__in=inspection.items.all())}
    items = [(item, names.get(item.pk)) for item in inspection.items.order_by("code")]
    results = RandomInspectionResult.objects.filter(inspection_list=inspection, published_at__isnull=False)
    return _render(request, "catalog/public/inspection.html", {
        "inspection": inspection, "items": items, "results": results,
    })


@require_GET
def av_items(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's AV item list (音像记录事项清单) is published with its pre-publicity content."""
    agency = get_object_or_404(Agency, code=code)
    rows = AVItem.objects.filter(agency=agency)
    return _render(request, "catalog/public/av_items.html", {"agency": agency, "rows": rows})
