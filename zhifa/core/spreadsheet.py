"""Shared by the imports of tables (catalog item lists, decisions from other systems): errors by row and column in
Chinese, cell values, dates as agencies write them, reading the first sheet of an .xlsx with limits, and the
填写说明 sheet and saving of the workbooks offered for download."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET = "填写说明"


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number (1-based); 0 for the file as a whole
    column: str  # the header name; "" for the row or file as a whole
    problem: str
    letter: str = ""

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        if self.column:
            where += f" {self.letter}列（{self.column}）" if self.letter else f"（{self.column}）"
        return f"{where}：{self.problem}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text as 2024-01-01, 2024/1/1, 2024.1.1 or 2024年1月1日. ValueError if unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(value))
    if not match:
        raise ValueError(f"日期“{value}”无法识别，应写作 2024-01-01")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"日期“{value}”不存在") from None


def xlsx_rows(data: bytes, max_rows: int) -> list[tuple]:
    """The first sheet's rows as value tuples; ImportFailed if the file is no workbook or has too many rows."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailed([RowError(0, "", "文件不是有效的 Excel（.xlsx）工作簿")]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > max_rows + 10:
                raise ImportFailed([RowError(0, "", f"行数超过 {max_rows} 行，请分批导入")])
        return rows
    finally:
        workbook.close()


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook saved as .xlsx content."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def save_with_notes(workbook: Workbook, notes: list[tuple[str, str]]) -> bytes:
    """A downloadable table with its 填写说明 sheet (one row a column: what to write in it), saved as .xlsx."""
    sheet = workbook.create_sheet(NOTES_SHEET)
    sheet.append(["列", "说明"])
    for column, text in notes:
        sheet.append([column, text])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
    return workbook_bytes(workbook)
