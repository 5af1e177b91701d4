"""The report as tables (page, PDF, XLSX share them), as a PDF after GB/T 9704-2012 and as an XLSX workbook."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from zhifa.core.spreadsheet import workbook_bytes
from zhifa.law.penalties import PENALTY_LABELS, PenaltyKind
from zhifa.law.publicity import ACT_TYPE_LABELS
from zhifa.reports import rules
from zhifa.reports.figures import ACT_ORDER, REMEDY_OUTCOMES
from zhifa.reports.models import AnnualReport, RemedyKind, RemedyOutcomeChoice, ReportStatus

DATA_SHEET = "数据"


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)  # first cell the label, then values


def _label(choice) -> str:
    with translation.override("zh-hans"):
        return str(choice.label)


def tables(figures: dict[str, Any]) -> list[Table]:
    """The report's tables in Chinese (an official document keeps its language)."""
    acts = Table("acts", "行政执法行为", ["类别", "数量（件）"],
                 [[ACT_TYPE_LABELS[a], figures["acts"][a]] for a in ACT_ORDER] + [["合计", figures["acts_total"]]])
    p = figures["penalties"]
    penalties = Table("penalties", "行政处罚", ["项目", "数值"], [
        ["行政处罚决定（件）", p["decisions"]], ["其中：简易程序（件）", p["simplified"]],
        ["　　　普通程序（件）", p["general"]], ["其他系统作出的处罚决定（件）", p["imported"]],
        ["不予行政处罚决定（件）", p["no_penalty"]], ["罚款金额（元）", Decimal(p["fine_total"])],
        ["没收金额（元）", Decimal(p["confiscation_total"])]])
    kinds = Table("penalty_kinds", "处罚种类（一件决定可并处多种）", ["处罚种类", "数量（件）"],
                  [[PENALTY_LABELS[k], p["by_kind"][k.value]] for k in PenaltyKind])
    r = figures["reviews"]
    reviews = Table("reviews", "听证和法制审核", ["项目", "数量"], [
        ["举行听证（次）", figures["hearings"]["held"]], ["提交法制审核（件）", r["submitted"]],
        ["审核通过（件）", r["passed"]], ["退回（件）", r["returned"]], ["尚在审核（件）", r["pending"]]])
    remedies = Table("remedies", "行政复议和行政诉讼结果", ["结果", _label(RemedyKind.RECONSIDERATION),
                                                              _label(RemedyKind.LITIGATION)],
                     [[_label(RemedyOutcomeChoice(o)), figures["remedies"][RemedyKind.RECONSIDERATION].get(o, 0),
                       figures["remedies"][RemedyKind.LITIGATION].get(o, 0)] for o in REMEDY_OUTCOMES])
    remedies.rows.append(["合计", *(sum(figures["remedies"][k].values()) for k in RemedyKind.values)])
    pub = figures["publication"]
    rate = pub["on_time_rate"]
    publication = Table("publication", "执法决定公开时效", ["项目", "数值"], [
        ["本年度执法决定（件）", pub["decisions"]], ["按时公开（件）", pub["on_time"]], ["逾期公开（件）", pub["late"]],
        ["逾期尚未公开（件）", pub["overdue"]], ["尚在公开期限内（件）", pub["pending"]],
        ["依法不予公开（件）", pub["withheld"]], ["按时公开率（%）", "—" if rate is None else rate]])
    return [acts, penalties, kinds, reviews, remedies, publication]


def _yuan(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def _counted(parts: list[tuple[str, int]]) -> str:
    return "、".join(f"{label}{n}件" for label, n in parts if n) or "无"


def paragraphs(figures: dict[str, Any]) -> dict[str, str]:
    """The report's text, section by section (the figures in words)."""
    year, acts, p = figures["year"], figures["acts"], figures["penalties"]
    config = rules.parse_deadline(rules.deadline_setting())
    r, pub, rem = figures["reviews"], figures["publication"], figures["remedies"]
    remedy_text = []
    for kind, what in ((RemedyKind.RECONSIDERATION, "以本机关为被申请人的行政复议案件"),
                       (RemedyKind.LITIGATION, "以本机关为被告的行政诉讼案件")):
        counts = rem[kind]
        total = sum(counts.values())
        detail = _counted([(_label(RemedyOutcomeChoice(o)), counts.get(o, 0)) for o in REMEDY_OUTCOMES])
        remedy_text.append(f"审结{what}{total}件" + (f"，其中{detail}" if total else ""))
    rate = "—" if pub["on_time_rate"] is None else f"{pub['on_time_rate']}%"
    return {
        "intro": (f"根据行政执法公示制度关于每年{config.annual_report_month}月{config.annual_report_day}日前公开"
                  f"本机关上年度行政执法总体情况有关数据的要求，现将本机关{year}年度行政执法数据公开如下。"),
        "acts": (f"{year}年度，本机关共实施行政执法行为{figures['acts_total']}件，其中"
                 + "、".join(f"{ACT_TYPE_LABELS[a]}{acts[a]}件" for a in ACT_ORDER) + "。"),
        "penalties": (f"作出行政处罚决定{p['decisions']}件（简易程序{p['simplified']}件、普通程序{p['general']}件"
                      + (f"，另有通过其他系统作出的{p['imported']}件" if p["imported"] else "")
                      + f"），罚款{_yuan(p['fine_total'])}元，"
                      f"没收违法所得、没收非法财物{_yuan(p['confiscation_total'])}元；"
                      f"依法作出不予行政处罚决定{p['no_penalty']}件。按处罚种类统计，"
                      + _counted([(PENALTY_LABELS[k], p["by_kind"][k.value]) for k in PenaltyKind]) + "。"),
        "reviews": (f"举行听证{figures['hearings']['held']}次。提交重大执法决定法制审核{r['submitted']}件，"
                    f"审核通过{r['passed']}件，退回{r['returned']}件，尚在审核{r['pending']}件。"),
        "remedies": "；".join(remedy_text) + "。",
        "publication": (f"本年度作出的执法决定{pub['decisions']}件，按时公开{pub['on_time']}件，"
                        f"逾期公开{pub['late']}件，"
                        f"逾期尚未公开{pub['overdue']}件，尚在公开期限内{pub['pending']}件，依法不予公开"
                        f"{pub['withheld']}件，按时公开率{rate}（截至{figures['as_of']}）。"),
    }


def cn_date(day: dt.date) -> str:
    """成文日期 with Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def figures_pdf(figures: dict[str, Any], *, agency_name: str, issued_on: dt.date, draft: bool) -> bytes:
    """The report as a PDF after GB/T 9704-2012 (A4; margins 37/35/28/26 mm; title 2号 bold serif, body 3号,
    22 lines × 28 characters; page numbers “— N —” in 4号 at the outside bottom edges; organ and date at the end)."""
    from zhifa.core.pdf import render_pdf

    with translation.override("zh-hans"):
        return render_pdf("reports/pdf/annual.html", {
            "figures": figures, "title": f"{agency_name}{figures['year']}年度行政执法数据报告",
            "title_lines": [agency_name, f"{figures['year']}年度行政执法数据报告"],
            "agency_name": agency_name, "issued_on": cn_date(issued_on), "draft": draft,
            "text": paragraphs(figures), "tables": tables(figures),
        })


def report_pdf(report: AnnualReport) -> bytes:
    signed = report.approved_at is not None
    issued_on = timezone.localdate(report.approved_at) if signed else timezone.localdate()
    return figures_pdf(report.figures, agency_name=report.agency.name, issued_on=issued_on,
                       draft=report.status == ReportStatus.DRAFTED)


# --- XLSX ---------------------------------------------------------------------------------------------------------


def _flatten(value: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            rows += _flatten(item, path + ".")
        else:
            rows.append((path, item))
    return rows


def report_xlsx(figures: dict[str, Any]) -> bytes:
    """A sheet per table for people, and the sheet “数据” (key path → value) that reads back to the same figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "说明"
    summary.append([f"{figures['agency']['name']}{figures['year']}年度行政执法数据"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["统计截至", figures["as_of"]])
    summary.append(["依据", rules.BASIS_REPORT])
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 90
    for table in tables(figures):
        sheet = workbook.create_sheet(table.title[:31].replace("（", "(").replace("）", ")"))
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in table.rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
        sheet.column_dimensions["A"].width = 30
        for column in "BC":
            sheet.column_dimensions[column].width = 14
    data = workbook.create_sheet(DATA_SHEET)
    data.append(["key", "value"])
    for key, value in _flatten(figures):
        data.append([key, value])
    data.column_dimensions["A"].width = 36
    return workbook_bytes(workbook)


def read_xlsx_figures(content: bytes) -> dict[str, Any]:
    """The figures back from a report's XLSX (its “数据” sheet)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True)[DATA_SHEET]
    figures: dict[str, Any] = {}
    for key, value in sheet.iter_rows(min_row=2, values_only=True):
        *parents, leaf = str(key).split(".")
        node = figures
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return figures
