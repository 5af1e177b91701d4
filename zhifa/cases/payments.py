"""罚缴分离 (APL Art. 67): the payment code the party pays with at the bank, and the bank's confirmations entered
by import (CSV or the API) — all rows checked first, all recorded or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from zhifa.cases.models import Case
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.people.models import User

COLUMNS = ("缴款码", "金额", "缴款日期", "银行流水号")


def luhn_check_digit(digits: str) -> str:
    """The Luhn (ISO/IEC 7812) check digit, so a mistyped payment code is caught at the bank and here."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def payment_code_for(case: Case) -> str:
    """18 digits: year, agency, case id, Luhn check digit."""
    body = f"{case.opened_at.year:04d}{case.agency_id:04d}{case.pk:09d}"
    return body + luhn_check_digit(body)


def is_valid_payment_code(code: str) -> bool:
    return len(code) == 18 and code.isdigit() and luhn_check_digit(code[:-1]) == code[-1]


@dataclass(frozen=True)
class Confirmation:
    payment_code: str
    amount: Decimal
    paid_on: dt.date
    reference: str


def parse_csv(text: str) -> tuple[list[Confirmation], list[str]]:
    """Rows of 缴款码,金额,缴款日期,银行流水号 (a header row is allowed); returns the rows and the errors in Chinese."""
    rows, errors = [], []
    for number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not row or not any(cell.strip() for cell in row) or (number == 1 and row[0].strip() == COLUMNS[0]):
            continue
        if len(row) < 4:
            errors.append(f"第{number}行：应有4列（{'、'.join(COLUMNS)}）")
            continue
        code, amount, paid_on, reference = (cell.strip() for cell in row[:4])
        try:
            rows.append(Confirmation(code, Decimal(amount), dt.date.fromisoformat(paid_on), reference))
        except (InvalidOperation, ValueError):
            errors.append(f"第{number}行：金额或缴款日期（YYYY-MM-DD）格式错误")
    return rows, errors


def import_confirmations(actor: User, confirmations: list[Confirmation]) -> list[str]:
    """Record every confirmation as a payment of its case, in one transaction: on any error nothing is kept and
    the errors are returned (row by row); an empty list means all were recorded."""
    errors: list[str] = []
    try:
        with transaction.atomic():
            for number, row in enumerate(confirmations, start=1):
                if not is_valid_payment_code(row.payment_code):
                    errors.append(f"第{number}条：缴款码 {row.payment_code} 无效（校验位错误）")
                    continue
                case = Case.objects.filter(payment_code=row.payment_code, agency_id=actor.agency_id).first()
                if case is None:
                    errors.append(f"第{number}条：本机关没有缴款码为 {row.payment_code} 的案件")
                    continue
                try:
                    perform(case, actor, "record_payment", amount=row.amount, paid_on=row.paid_on, channel="bank",
                            reference=row.reference)
                except RuleViolation as exc:
                    errors.append(f"第{number}条：{exc.detail}（{exc.basis or exc.code}）")
            if errors:
                raise _Rollback
    except _Rollback:
        pass
    return errors


class _Rollback(Exception):
    """Undo every row of an import that has an error."""


def import_page(request):
    """Staff page: upload the bank's CSV of confirmations; all rows recorded or none, errors by row."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    if not request.user.is_authenticated:
        return redirect("login")
    errors: list[str] = []
    if request.method == "POST" and request.FILES.get("file"):
        raw = request.FILES["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")  # bank exports are often GBK
        rows, errors = parse_csv(text)
        if not rows and not errors:
            errors = ["文件中没有缴款记录"]
        errors = errors or import_confirmations(request.user, rows)
        if not errors:
            messages.success(request, f"已登记 {len(rows)} 笔缴款。")
            return redirect("payments-import")
    return render(request, "cases/payments_import.html", {"errors": errors, "columns": "、".join(COLUMNS)})
