"""罚缴分离 (APL Art. 67): the payment code and the bank's confirmations imported all-or-nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.cases import payments
from zhifa.cases.models import Case

from .test_api import client_for
from .test_review_flow import decided

pytestmark = pytest.mark.django_db


def test_payment_code_has_luhn_check_digit_art67(case, team) -> None:
    decided(case, team)
    case.refresh_from_db()
    assert payments.is_valid_payment_code(case.payment_code)
    assert not payments.is_valid_payment_code(case.payment_code[:-1] + str((int(case.payment_code[-1]) + 1) % 10))


def test_bank_csv_import_records_payment(case, team) -> None:
    decided(case, team)
    case.refresh_from_db()
    today = timezone.localdate().isoformat()
    body = f"缴款码,金额,缴款日期,银行流水号\n{case.payment_code},5000,{today},ICBC-0001\n"
    response = client_for(team.head).post("/api/v1/payments/import/", body, content_type="text/csv")
    assert response.status_code == 200 and response.json() == {"recorded": 1}
    case.refresh_from_db()
    assert case.fine_paid() and case.stage == "executed"


def test_bad_row_refuses_whole_import_with_row_errors(case, team) -> None:
    decided(case, team)
    case.refresh_from_db()
    today = timezone.localdate().isoformat()
    rows = [{"payment_code": case.payment_code, "amount": "5000", "paid_on": today, "reference": "B-1"},
            {"payment_code": "123456789012345678", "amount": "10", "paid_on": today, "reference": "B-2"}]
    response = client_for(team.head).post("/api/v1/payments/import/", rows, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "payment_import_refused" and "第2条" in body["errors"][0]
    assert not Case.objects.get(pk=case.pk).payments.exists()  # nothing half-imported


def test_import_page_reports_row_errors_in_chinese(case, team) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    decided(case, team)
    client = client_for(team.head)
    assert "导入银行缴款记录" in client.get("/cases/payments/import/").content.decode()
    upload = SimpleUploadedFile("bank.csv", b"123,abc,2026-13-01,x\n", content_type="text/csv")
    html = client.post("/cases/payments/import/", {"file": upload}).content.decode()
    assert "第1行" in html and not Case.objects.get(pk=case.pk).payments.exists()
