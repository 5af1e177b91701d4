"""Public pages (/public/reports/…): the published annual reports with charts, tables and downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from zhifa.law.penalties import PENALTY_LABELS, PenaltyKind
from zhifa.law.publicity import ACT_TYPE_LABELS
from zhifa.reports import render as rendering
from zhifa.reports.figures import ACT_ORDER, REMEDY_OUTCOMES
from zhifa.reports.models import AnnualReport, RemedyKind, RemedyOutcomeChoice
from zhifa.reports.views import report_file


def chart_data(figures: dict) -> dict:
    """What the page's charts draw (reports/charts.js reads it from a json_script block: data, not script)."""
    p, pub = figures["penalties"], figures["publication"]
    kinds = [(PENALTY_LABELS[k], p["by_kind"][k.value]) for k in PenaltyKind if p["by_kind"][k.value]]
    return {
        "empty": _("暂无数据"),
        "acts": {"labels": [ACT_TYPE_LABELS[a] for a in ACT_ORDER], "values": [figures["acts"][a] for a in ACT_ORDER]},
        "kinds": [{"name": name, "value": n} for name, n in kinds],
        "publication": [{"name": name, "value": pub[key]} for key, name in (
            ("on_time", "按时公开"), ("late", "逾期公开"), ("overdue", "逾期尚未公开"), ("pending", "尚在期限内"),
            ("withheld", "依法不予公开")) if pub[key]],
        "remedies": {"labels": [str(RemedyOutcomeChoice(o).label) for o in REMEDY_OUTCOMES],
                     "series": [{"name": str(kind.label), "values": [figures["remedies"][kind][o]
                                                                     for o in REMEDY_OUTCOMES]}
                                for kind in RemedyKind]},
    }


def public_list(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.public().select_related("agency").defer("pdf", "xlsx", "figures")
    return render(request, "reports/public_list.html", {"reports": reports})


def _published(code: str, year: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.public().select_related("agency"), agency__code=code, year=year)


def public_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _published(code, year)
    return render(request, "reports/public_detail.html", {
        "report": report, "tables": rendering.tables(report.figures), "charts": chart_data(report.figures),
        "text": rendering.paragraphs(report.figures)})


def public_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    return report_file(_published(code, year), fmt)


def public_json(request: HttpRequest, code: str, year: int) -> JsonResponse:
    return JsonResponse(_published(code, year).figures, json_dumps_params={"ensure_ascii": False})
