"""`zhifa report annual --agency CODE --year Y --out DIR`: the report's PDF, XLSX and JSON figures into DIR.

A published report is written as published (its sealed PDF and its XLSX, byte for byte); a drafted or approved one
from its figures; an agency-year without a report from figures counted now (nothing is saved).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from zhifa.people.models import Agency
from zhifa.reports import render
from zhifa.reports.figures import compute_figures
from zhifa.reports.models import AnnualReport, ReportStatus


class ExportUsageError(ValueError):
    """Unknown agency, or a year that has not ended."""


def write_annual_report(code: str, year: int, out: Path) -> list[Path]:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        known = ", ".join(Agency.objects.order_by("code").values_list("code", flat=True)[:20])
        raise ExportUsageError(f"unknown agency code {code!r} (known: {known or 'none'})")
    today = timezone.localdate()
    if not 2000 <= year < today.year:
        raise ExportUsageError(f"year {year}: a report covers a finished year (2000–{today.year - 1})")
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    figures = report.figures if report is not None else compute_figures(agency, year, today)
    if report is not None and report.status == ReportStatus.PUBLISHED and report.pdf:
        pdf, xlsx = bytes(report.pdf), bytes(report.xlsx)
    elif report is not None:
        pdf, xlsx = render.report_pdf(report), render.report_xlsx(figures)
    else:
        pdf = render.figures_pdf(figures, agency_name=agency.name, issued_on=today, draft=True)
        xlsx = render.report_xlsx(figures)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{agency.code}-{year}-annual-report"
    paths = [stem.with_suffix(".pdf"), stem.with_suffix(".xlsx"), stem.with_suffix(".json")]
    paths[0].write_bytes(pdf)
    paths[1].write_bytes(xlsx)
    paths[2].write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths
