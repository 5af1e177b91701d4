"""Push and open data: Atom feeds (all, and per agency) and CSV / JSON / XLSX downloads of published decisions."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from openpyxl import Workbook

from zhifa.disclosure.models import Publication, Status
from zhifa.people.models import Agency

FEED_SIZE = 50
DOWNLOAD_LIMIT = 50_000
COLUMNS = [("document_number", "文号"), ("agency", "执法机关"), ("target", "执法对象"), ("act_type", "执法类别"),
           ("conclusion", "执法结论"), ("decided_on", "决定日期"), ("status", "状态"), ("url", "网址")]


class DecisionFeed(Feed):
    feed_type = Atom1Feed
    title = "行政执法决定公开"
    subtitle = "株洲市渌口区行政执法决定（含撤下公告）"

    def get_object(self, request: HttpRequest, code: str | None = None) -> Agency | None:
        return get_object_or_404(Agency, code=code) if code else None

    def link(self, agency: Agency | None) -> str:
        return reverse("decisions-public")

    def items(self, agency: Agency | None):
        items = Publication.objects.public().select_related("agency").order_by("-published_at", "-pk")
        return (items.filter(agency=agency) if agency else items)[:FEED_SIZE]

    def item_title(self, item: Publication) -> str:
        prefix = "【撤下】" if item.status == Status.WITHDRAWN else ""
        return f"{prefix}{item.document_number} {item.target}"

    def item_description(self, item: Publication) -> str:
        if item.status == Status.WITHDRAWN:
            return f"{item.get_withdrawal_kind_display()}：{item.withdrawal_reason}"
        return f"{item.agency.name} · {item.act_type_label} · {item.conclusion}"

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.withdrawn_at or item.published_at


def _rows(request: HttpRequest) -> list[dict[str, str]]:
    items = Publication.objects.public().select_related("agency").order_by("-decided_on")[:DOWNLOAD_LIMIT]
    return [{"document_number": p.document_number, "agency": p.agency.name, "target": p.target,
             "act_type": p.act_type_label, "conclusion": "" if p.status == Status.WITHDRAWN else p.conclusion,
             "decided_on": p.decided_on.isoformat(), "status": p.get_status_display(),
             "url": request.build_absolute_uri(p.get_absolute_url())} for p in items]


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = _rows(request)
    if fmt == "json":
        return HttpResponse(json.dumps(rows, ensure_ascii=False), content_type="application/json; charset=utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([label for _key, label in COLUMNS])
        writer.writerows([[row[key] for key, _label in COLUMNS] for row in rows])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "执法决定"
        sheet.append([label for _key, label in COLUMNS])
        for row in rows:
            sheet.append([row[key] for key, _label in COLUMNS])
        buffer_bytes = io.BytesIO()
        book.save(buffer_bytes)
        response = HttpResponse(buffer_bytes.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        return HttpResponse("unknown format", status=404, content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="decisions.{fmt}"'
    return response
