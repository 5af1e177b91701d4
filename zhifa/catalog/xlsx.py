"""Excel (.xlsx) import and export of item lists in the layout agencies use (行政执法事项清单).

Columns: 序号、事项名称、事项编码、事项类型、设定依据、实施主体、行使层级、执法类别、生效日期、版本、状态、备注.
A title row above the header is allowed (the header is found by its 事项名称/事项编码 cells). 版本 and 状态 are
informational. Import validates every row first and reports each problem with its row, column and reason in
Chinese; then applies all rows in one transaction through the catalog's actions — all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhifa.catalog import actions, rules
from zhifa.catalog.models import ITEM_CODE_PATTERN, EnforcementItem, ItemKind, ItemLevel, VersionStatus
from zhifa.core.errors import RuleViolation
from zhifa.core.spreadsheet import ImportFailed, RowError, parse_date, save_with_notes, xlsx_rows
from zhifa.core.spreadsheet import cell_text as _text
from zhifa.people.models import Agency, User

COLUMNS = ["序号", "事项名称", "事项编码", "事项类型", "设定依据", "实施主体", "行使层级", "执法类别", "生效日期",
           "版本", "状态", "备注"]
REQUIRED = ["事项名称", "事项编码", "事项类型", "设定依据", "实施主体", "行使层级"]
WIDTHS = [6, 36, 22, 12, 60, 30, 10, 14, 12, 6, 8, 30]
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
AGENCY_SEPARATORS = re.compile(r"[、;；,，\n]+")
LEVEL_ALIASES = {
    ItemLevel.NATIONAL: {"国家", "国家级", "中央"},
    ItemLevel.PROVINCE: {"省", "省级"},
    ItemLevel.CITY: {"市", "市级", "市州", "市州级"},
    ItemLevel.COUNTY: {"县", "县级", "县（区）级", "县(区)级", "区县", "区县级", "县区级", "区级"},
}
STATUS_LABELS = {VersionStatus.PUBLISHED: "现行", VersionStatus.REPEALED: "已废止", VersionStatus.DRAFT: "草稿"}


@dataclass
class ImportReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "created": len(self.created), "changed": len(self.changed),
                "agencies_changed": len(self.moved), "unchanged": len(self.unchanged)}


# --- values ---

def kind_from_label(value: str) -> str | None:
    value = value.strip()
    for kind in ItemKind:
        label = str(kind.label)
        if value in {label, label.removeprefix("行政"), kind.value} or (kind == ItemKind.OTHER and value == "其他"):
            return kind.value
    return None


def level_from_label(value: str) -> str | None:
    value = value.strip()
    for level, aliases in LEVEL_ALIASES.items():
        if value in aliases or value == str(level.label) or value == level.value:
            return level.value
    return None


@dataclass
class ParsedRow:
    row: int
    code: str
    name: str
    kind: str
    level: str
    basis: tuple[str, str, str]
    agencies: list[Agency]
    field: str
    valid_from: dt.date | None
    note: str
    repealed_in_sheet: bool


class _Reader:
    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.errors: list[RowError] = []
        self.agencies = {}
        for agency in Agency.objects.all():
            for key in (agency.name, agency.short_name, agency.code):
                self.agencies.setdefault(key, agency)
        self.letters: dict[str, str] = {}

    def error(self, row: int, column: str, problem: str) -> None:
        self.errors.append(RowError(row, column, problem, self.letters.get(column, "")))

    def header(self, rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
        for index, values in enumerate(rows[:10]):
            cells = [_text(v) for v in values]
            if "事项名称" in cells and "事项编码" in cells:
                columns = {name: i for i, name in enumerate(cells) if name}
                self.letters = {name: get_column_letter(i + 1) for name, i in columns.items()}
                missing = [c for c in REQUIRED if c not in columns]
                for name in missing:
                    self.error(index + 1, name, "缺少此列")
                return (index, columns) if not missing else None
        self.error(0, "", "找不到表头行（须含“事项名称”“事项编码”等列）")
        return None

    def parse(self, number: int, cells: dict[str, Any]) -> ParsedRow | None:
        before = len(self.errors)
        name, code = _text(cells.get("事项名称")), _text(cells.get("事项编码"))
        if not name:
            self.error(number, "事项名称", "不能为空")
        elif len(name) > 200:
            self.error(number, "事项名称", "超过200字")
        if not code:
            self.error(number, "事项编码", "不能为空")
        elif not re.fullmatch(ITEM_CODE_PATTERN, code):
            self.error(number, "事项编码", f"“{code}”格式不正确（4至40位字母、数字或连字符）")
        kind = kind_from_label(_text(cells.get("事项类型")))
        if kind is None:
            self.error(number, "事项类型", f"“{_text(cells.get('事项类型'))}”不是规定的事项类型"
                       f"（{'、'.join(str(k.label) for k in ItemKind)}）")
        level = level_from_label(_text(cells.get("行使层级")))
        if level is None:
            self.error(number, "行使层级", f"“{_text(cells.get('行使层级'))}”应为国家级、省级、市级或县级")
        basis = ("", "", "")
        try:
            basis = rules.parse_basis(_text(cells.get("设定依据")))
            if len(basis[0]) > 200 or len(basis[1]) > 120:
                self.error(number, "设定依据", "法律法规名称或条款过长（名称200字、条款120字以内）")
        except ValueError as exc:
            self.error(number, "设定依据", str(exc))
        agencies = []
        names = [n.strip() for n in AGENCY_SEPARATORS.split(_text(cells.get("实施主体"))) if n.strip()]
        if not names:
            self.error(number, "实施主体", "不能为空")
        for agency_name in names:
            agency = self.agencies.get(agency_name)
            if agency is None:
                self.error(number, "实施主体", f"“{agency_name}”不是本平台登记的执法主体")
            else:
                agencies.append(agency)
        if agencies and not actions.can_manage(self.actor, agencies):
            self.error(number, "实施主体", "您无权导入其他执法主体的事项")
        field_name = _text(cells.get("执法类别"))
        if len(field_name) > 60:
            self.error(number, "执法类别", "超过60字")
        valid_from = None
        try:
            valid_from = parse_date(cells.get("生效日期"))
        except ValueError as exc:
            self.error(number, "生效日期", str(exc))
        status = _text(cells.get("状态"))
        if status and status not in STATUS_LABELS.values():
            self.error(number, "状态", f"“{status}”应为现行或已废止（导出时填写，导入时仅核对）")
        if len(self.errors) > before:
            return None
        return ParsedRow(number, code, name, kind, level, basis, agencies, field_name, valid_from,
                         _text(cells.get("备注"))[:300], status == STATUS_LABELS[VersionStatus.REPEALED])

    def check_against_catalog(self, row: ParsedRow, item: EnforcementItem | None, today: dt.date) -> str:
        """What the row does to the catalog: 'create', 'change', 'move', 'change+move' or 'same'."""
        if item is None:
            if row.repealed_in_sheet:
                self.error(row.row, "状态", "新事项不能标为已废止")
            return "create"
        if item.kind != row.kind:
            self.error(row.row, "事项类型",
                       f"与已登记的“{item.get_kind_display()}”不一致（四级四同：同一编码的事项类型相同）")
        if item.level != row.level:
            self.error(row.row, "行使层级", f"与已登记的“{item.get_level_display()}”不一致")
        if not actions.can_manage(self.actor, list(item.agencies.all())):
            self.error(row.row, "事项编码", "该事项属于其他执法主体，您无权修改")
        latest = item.latest_version()
        same_content = latest is not None and (
            latest.name, latest.basis_law, latest.basis_article, latest.basis_text, latest.field
        ) == (row.name, *row.basis, row.field)
        moved = {a.pk for a in item.agencies.all()} != {a.pk for a in row.agencies}
        result = []
        if latest is not None and latest.status == VersionStatus.REPEALED:
            if not same_content or moved:
                self.error(row.row, "事项编码", "该事项已废止，不能通过导入修改")
            return "same"
        if row.repealed_in_sheet:
            self.error(row.row, "状态", "导入不能废止事项，请在系统中办理废止")
        if not same_content:
            valid_from = row.valid_from or today
            if latest is not None and valid_from <= latest.valid_from:
                self.error(row.row, "生效日期", f"内容有变更，新版本生效日期须晚于现行版本的 {latest.valid_from}")
            result.append("change")
        if moved:
            result.append("move")
        return "+".join(result) or "same"


def _rows(data: bytes) -> list[tuple]:
    return xlsx_rows(data, MAX_ROWS)


def import_items(actor: User | None, upload: IO[bytes] | bytes, filename: str = "",
                 today: dt.date | None = None) -> ImportReport:
    """Validate every row, then apply all of them in one transaction, or none (ImportFailed with every error)."""
    data = upload if isinstance(upload, bytes) else upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFailed([RowError(0, "", f"文件超过 {MAX_BYTES // 1024 // 1024} MB")])
    today = today or timezone.localdate()
    rows = _rows(data)
    reader = _Reader(actor)
    found = reader.header(rows)
    if found is None:
        raise ImportFailed(reader.errors)
    header_index, columns = found
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for offset, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
        if all(_text(cells.get(c)) == "" for c in REQUIRED):
            continue
        row = reader.parse(offset, cells)
        code = _text(cells.get("事项编码"))
        if code in seen:
            reader.error(offset, "事项编码", f"与第{seen[code]}行重复")
        elif code:
            seen[code] = offset
        if row is not None:
            parsed.append(row)
    if not seen and not reader.errors:
        reader.error(0, "", "表中没有事项")
    items = {i.code: i for i in EnforcementItem.objects.filter(code__in=[r.code for r in parsed])
             .prefetch_related("agencies")}
    plans = [(row, reader.check_against_catalog(row, items.get(row.code), today)) for row in parsed]
    if reader.errors:
        raise ImportFailed(sorted(reader.errors, key=lambda e: e.row))
    report = ImportReport(rows=len(plans))
    with transaction.atomic():
        for row, plan in plans:
            try:
                _apply(actor, row, plan, items.get(row.code), today, report)
            except RuleViolation as violation:
                raise ImportFailed([RowError(row.row, "", violation.detail)]) from violation
        agency = actor.agency if actor is not None and actor.agency_id else None
        actions.record_import(actor, agency, filename, hashlib.sha256(data).hexdigest(), report.summary())
    return report


def _apply(actor: User | None, row: ParsedRow, plan: str, item: EnforcementItem | None, today: dt.date,
           report: ImportReport) -> None:
    law, article, text = row.basis
    data = actions.VersionData(name=row.name, basis_law=law, basis_article=article, basis_text=text, field=row.field)
    if plan == "create":
        actions.create_item(actor, code=row.code, kind=row.kind, level=row.level, agencies=row.agencies, data=data,
                            valid_from=row.valid_from or today)
        report.created.append(row.code)
        return
    assert item is not None
    if "move" in plan:
        actions.set_item_agencies(actor, item, row.agencies)
        report.moved.append(row.code)
    if "change" in plan:
        latest = item.latest_version()
        data.steps = latest.steps if latest else []
        actions.publish_version(actor, item, row.valid_from or today, data,
                                change_note=row.note or "按导入的事项清单更新")
        report.changed.append(row.code)
    if plan == "same":
        report.unchanged.append(row.code)


# --- export ---

def export_items(items, title: str = "行政执法事项清单") -> bytes:
    """The items' latest published (or repeal) versions as an .xlsx list; `import_items` reads it back unchanged."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事项清单"
    sheet.append([f"{title}（导出日期：{timezone.localdate().isoformat()}）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    number = 0
    for item in items.prefetch_related("agencies", "versions").order_by("code"):
        versions = sorted((v for v in item.versions.all() if v.status != VersionStatus.DRAFT),
                          key=lambda v: v.number)
        if not versions:
            continue
        latest = versions[-1]
        number += 1
        sheet.append([
            number, latest.name, item.code, str(item.get_kind_display()),
            rules.format_basis(latest.basis_law, latest.basis_article, latest.basis_text),
            "、".join(a.name for a in sorted(item.agencies.all(), key=lambda a: a.code)),
            str(item.get_level_display()), latest.field, latest.valid_from, latest.number,
            STATUS_LABELS[VersionStatus(latest.status)], latest.change_note,
        ])
        row = sheet.max_row
        sheet.cell(row, 3).number_format = "@"
        sheet.cell(row, 9).number_format = "yyyy-mm-dd"
        for column in (2, 5, 6, 12):
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return save_with_notes(workbook, [
        ("事项类型", "、".join(str(k.label) for k in ItemKind) + "（可省略“行政”二字）"),
        ("行使层级", "国家级、省级、市级、县级"),
        ("设定依据", "《法律法规名称》第X条：条文内容或摘要"),
        ("实施主体", "执法主体全称或简称，多个用“、”分隔"),
        ("生效日期", "内容有变更时为新版本的生效日期（留空为导入当日）"),
        ("版本、状态", "导出时填写，导入时不据此修改；废止事项请在系统中办理"),
        ("备注", "变更原因（如“法律修订”）"),
    ])
