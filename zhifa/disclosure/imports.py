"""Decisions made in other systems (e.g. the 行政审批局's licences) imported by the API (JSON list or CSV) or an
Excel upload: every row is checked first (errors by row and column, in Chinese); then all rows enter the
publication pipeline through `actions.import_decision` in one transaction — all of them, or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhifa.core.errors import RuleViolation
from zhifa.core.spreadsheet import ImportFailed, RowError, cell_text, parse_date, save_with_notes, xlsx_rows
from zhifa.disclosure import actions
from zhifa.disclosure.models import Publication
from zhifa.law import redaction
from zhifa.law.publicity import ACT_TYPE_LABELS
from zhifa.people.models import User

# Column header → API field name.
FIELDS = {"文号": "document_number", "执法类别": "act_type", "执法对象": "target", "对象类型": "target_kind",
          "执法结论": "conclusion", "决定日期": "decided_on", "决定全文": "text", "事项或领域": "category"}
COLUMNS = list(FIELDS)
REQUIRED = ["文号", "执法类别", "执法对象", "执法结论", "决定日期", "决定全文"]
LIMITS = {"文号": 60, "执法对象": 200, "事项或领域": 60}
PERSON_WORDS = {"个人", "自然人", "person"}
ORGANISATION_WORDS = {"", "单位", "法人", "法人或其他组织", "组织", "个体工商户", "organisation"}
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def act_type_from(value: str) -> str | None:
    """行政许可 / 许可 / licensing → licensing; None if none of the seven act types."""
    for act, label in ACT_TYPE_LABELS.items():
        if value in {act.value, label, label.removeprefix("行政")}:
            return act.value
    return None


@dataclass(frozen=True)
class DecisionRow:
    row: int
    document_number: str
    act_type: str
    target: str
    target_is_person: bool
    conclusion: str
    decided_on: dt.date
    text: str
    category: str


def _parse(number: int, cells: dict[str, Any], today: dt.date, errors: list[RowError]) -> DecisionRow | None:
    before = len(errors)
    values = {column: cell_text(cells.get(column)) for column in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            errors.append(RowError(number, column, "不能为空"))
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            errors.append(RowError(number, column, f"超过{limit}字"))
    act_type = act_type_from(values["执法类别"])
    if values["执法类别"] and act_type is None:
        errors.append(RowError(number, "执法类别", f"“{values['执法类别']}”不是规定的执法类别"
                               f"（{'、'.join(ACT_TYPE_LABELS.values())}）"))
    kind = values["对象类型"]
    if kind not in PERSON_WORDS | ORGANISATION_WORDS:
        errors.append(RowError(number, "对象类型", f"“{kind}”应为“单位”或“个人”"))
    decided_on = None
    try:
        decided_on = parse_date(cells.get("决定日期"))
    except ValueError as exc:
        errors.append(RowError(number, "决定日期", str(exc)))
    if decided_on is not None and decided_on > today:
        errors.append(RowError(number, "决定日期", "不能晚于今天"))
    if len(errors) > before or decided_on is None or act_type is None:
        return None
    return DecisionRow(number, values["文号"], act_type, values["执法对象"], kind in PERSON_WORDS,
                       values["执法结论"], decided_on, values["决定全文"], values["事项或领域"])


def parse_records(records: list[tuple[int, dict[str, Any]]], actor: User,
                  today: dt.date | None = None) -> list[DecisionRow]:
    """Check every row (cells keyed by column header); ImportFailed with all the errors, or the rows."""
    today = today or timezone.localdate()
    errors: list[RowError] = []
    if actor.agency_id is None:
        raise ImportFailed([RowError(0, "", "只有执法机关的工作人员可以导入本机关的决定")])
    rows, seen = [], {}
    for number, cells in records:
        row = _parse(number, cells, today, errors)
        document_number = cell_text(cells.get("文号"))
        if document_number in seen:
            errors.append(RowError(number, "文号", f"与第{seen[document_number]}行重复"))
        elif document_number:
            seen[document_number] = number
        if row is not None:
            rows.append(row)
    existing = set(Publication.objects.filter(agency_id=actor.agency_id, document_number__in=list(seen))
                   .values_list("document_number", flat=True))
    errors += [RowError(number, "文号", f"本机关已有文号为“{document_number}”的决定")
               for document_number, number in seen.items() if document_number in existing]
    if not records and not errors:
        errors.append(RowError(0, "", "没有可导入的决定"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return rows


def records_from_json(items: Any) -> list[tuple[int, dict[str, Any]]]:
    """A JSON list of objects with the API field names; rows numbered from 1."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportFailed([RowError(0, "", "请求正文应为 JSON 对象的列表")])
    if len(items) > MAX_ROWS:
        raise ImportFailed([RowError(0, "", f"超过 {MAX_ROWS} 条，请分批导入")])
    names = {field: column for column, field in FIELDS.items()}
    return [(number, {names[k]: v for k, v in item.items() if k in names})
            for number, item in enumerate(items, start=1)]


def _records_from_table(rows: list[tuple | list]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a sheet or CSV with a header row among the first ten (a title row above it is allowed)."""
    for index, values in enumerate(rows[:10]):
        cells = [cell_text(v) for v in values]
        if "文号" in cells and "决定全文" in cells:
            columns = {name: i for i, name in enumerate(cells) if name in FIELDS}
            missing = [RowError(index + 1, name, "缺少此列") for name in REQUIRED if name not in columns]
            if missing:
                raise ImportFailed(missing)
            records = []
            for number, values in enumerate(rows[index + 1:], start=index + 2):
                cells_by_name = {name: values[i] if i < len(values) else None for name, i in columns.items()}
                if any(cell_text(v) for v in cells_by_name.values()):
                    records.append((number, cells_by_name))
            return records
    raise ImportFailed([RowError(0, "", f"找不到表头行（须含{'、'.join(REQUIRED)}等列）")])


def records_from_csv(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")  # exports of other systems are often GBK
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS + 10:
        raise ImportFailed([RowError(0, "", f"行数超过 {MAX_ROWS} 行，请分批导入")])
    return _records_from_table(rows)


def records_from_xlsx(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    if len(data) > MAX_BYTES:
        raise ImportFailed([RowError(0, "", f"文件超过 {MAX_BYTES // 1024 // 1024} MB")])
    return _records_from_table(xlsx_rows(data, MAX_ROWS))


def import_decisions(actor: User, records: list[tuple[int, dict[str, Any]]], source: str = "") -> list[Publication]:
    """All rows enter the pipeline as drafts (redacted, awaiting approval) in one transaction, or none."""
    rows = parse_records(records, actor)
    created = []
    with transaction.atomic():
        for row in rows:
            known = redaction.KnownData(punished_name=row.target, punished_is_person=row.target_is_person)
            try:
                created.append(actions.import_decision(
                    actor.agency, actor, act_type=row.act_type, document_number=row.document_number,
                    target=row.target, conclusion=row.conclusion, decided_on=row.decided_on, text=row.text,
                    category=row.category, known=known))
            except RuleViolation as violation:
                raise ImportFailed([RowError(row.row, "", violation.detail)]) from violation
    return created


def error_dicts(errors: list[RowError]) -> list[dict[str, Any]]:
    """Structured errors of the API: {row, field, column, message}."""
    return [{"row": e.row, "field": FIELDS.get(e.column, ""), "column": e.column, "message": e.problem}
            for e in errors]


def template_xlsx() -> bytes:
    """The downloadable template: the header, one example row and the notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "执法决定"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["渌审批食许〔2026〕1号", "行政许可", "株洲渌口某某小吃店", "单位", "准予食品经营许可（餐饮服务）",
                  dt.date(2026, 1, 5), "株洲渌口某某小吃店：你单位的申请材料齐全、符合法定形式，经审查，决定准予"
                  "食品经营许可。", "食品经营许可"])
    sheet.cell(2, 6).number_format = "yyyy-mm-dd"
    for index, width in enumerate([24, 10, 28, 8, 30, 12, 60, 16], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return save_with_notes(workbook, [
        ("文号", "必填；本机关内不得重复（已导入或本平台已有的文号）"),
        ("执法类别", "必填：" + "、".join(ACT_TYPE_LABELS.values()) + "（可省略“行政”二字）"),
        ("执法对象", "必填；单位全称或个人姓名"),
        ("对象类型", "单位或个人（留空为单位）；个人姓名按本机关的脱敏策略处理"),
        ("执法结论", "必填"),
        ("决定日期", "必填，如 2026-01-05，不能晚于今天；据此计算公开期限"),
        ("决定全文", "必填；导入后自动脱敏（身份证号、电话、住址等），经审核后公开"),
        ("事项或领域", "选填，如“食品经营许可”"),
    ])
