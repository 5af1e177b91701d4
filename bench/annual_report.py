"""Annual report (issue 7 §6: under 2 s for an agency-year of 100,000 cases): builds the agency-year directly with
bulk inserts (zhifa/reports/synthetic.py: cases, drafts, seizures, reviews, publications, 复议/诉讼 outcomes), then
times compute_figures + the PDF (GB/T 9704 layout, WeasyPrint) + the XLSX (openpyxl).

Prints ONE JSON line. The baseline is a plain ``SELECT COUNT(*)`` over the same cases in the same run, so the ratio
says how much dearer the whole report is than the cheapest conceivable pass over the agency-year.
WeasyPrint's import (~0.5 s, once per process) is paid before the clock starts, as a worker or server has paid it.
Usage: python bench/annual_report.py [--cases 100000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS = 2.0
YEAR = 2025


def setup(data_dir: Path) -> None:
    os.environ["ZHIFA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    os.environ["ZHIFA_HTTPS"] = "0"
    os.environ.pop("ZHIFA_DATABASE_URL", None)  # its own SQLite database in the temp data directory
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="zhifa-bench-report-"))
    try:
        setup(data_dir)
        from django.db import connection

        from zhifa.law.identifiers import credit_code_check_char
        from zhifa.people.models import Agency, Role, User
        from zhifa.reports import render
        from zhifa.reports.figures import compute_figures
        from zhifa.reports.synthetic import build_agency_year

        first17 = "11430212000000001"
        agency = Agency.objects.create(code="lk-scjg", name="株洲市渌口区市场监督管理局", short_name="渌市监",
                                       credit_code=first17 + credit_code_check_char(first17), kind="administrative",
                                       level="county", jurisdiction="株洲市渌口区")
        author = User.objects.create(username="bench", full_name="基准", role=Role.OFFICER, agency=agency)
        build_start = time.perf_counter()
        made = build_agency_year(agency, YEAR, args.cases, author, seed=7)
        build_seconds = time.perf_counter() - build_start
        import weasyprint  # noqa: F401  (paid once per process, before the clock)

        start = time.perf_counter()
        figures = compute_figures(agency, YEAR)
        figures_seconds = time.perf_counter() - start
        pdf = render.figures_pdf(figures, agency_name=agency.name, issued_on=dt.date(YEAR + 1, 1, 15), draft=False)
        pdf_seconds = time.perf_counter() - start - figures_seconds
        xlsx = render.report_xlsx(figures)
        seconds = time.perf_counter() - start
        xlsx_seconds = seconds - figures_seconds - pdf_seconds

        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cases_case WHERE agency_id = %s", [agency.pk])
            (counted,) = cursor.fetchone()
        baseline_seconds = time.perf_counter() - start
        assert counted == args.cases, counted
        assert render.read_xlsx_figures(xlsx) == figures
        print(json.dumps({
            "bench": "annual_report", "cases": args.cases, "seconds": round(seconds, 3),
            "figures_seconds": round(figures_seconds, 3), "pdf_seconds": round(pdf_seconds, 3),
            "xlsx_seconds": round(xlsx_seconds, 3), "target_seconds": TARGET_SECONDS,
            "baseline_seconds": round(baseline_seconds, 4), "ratio": round(seconds / baseline_seconds, 1),
            "build_seconds": round(build_seconds, 1), "rows": dict(made), "pdf_bytes": len(pdf),
            "xlsx_bytes": len(xlsx), "penalty_decisions": figures["penalties"]["decisions"],
            "acts_total": figures["acts_total"], "database": connection.vendor,
        }, ensure_ascii=False))
        return 0 if seconds < TARGET_SECONDS else 1
    finally:
        if args.keep:
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
