"""分期缴纳 (APL Art. 66(2)) through the case's actions: the party's application, the head's approval, payments
allocated to the instalments in order, the Art. 72 surcharge per instalment, the next instalment as the deadline."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases.deadlines import case_deadlines
from zhifa.cases.facts import build_facts
from zhifa.cases.models import InstalmentPlan, InstalmentStatus
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.law import procedure
from zhifa.record.models import Event

from .test_api import client_for
from .test_review_flow import decided

pytestmark = pytest.mark.django_db


def day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def schedule(*rows: tuple[int, int]) -> list[dict]:
    return [{"due_on": day(offset), "amount": amount} for offset, amount in rows]


PLAN = ((30, 2000), (60, 3000))
NEGATIVE = re.compile(r"[-−]\s*[\d,]+\.\d{2}")  # a negative amount of yuan  # the 5,000 yuan fine in two instalments


def applied(case, team, rows=PLAN):
    decided(case, team)
    return perform(case, team.officer, "request_instalments", reason="经营困难，无力一次缴清", schedule=schedule(*rows))


def approved(case, team):
    applied(case, team)
    return perform(case, team.head, "approve_instalments", opinion="同意分两期缴纳")


def blocked(case, actor, action: str, **data) -> str:
    with pytest.raises(RuleViolation) as caught:
        perform(case, actor, action, **data)
    return caught.value.code


def test_no_instalment_request_blocks_approval_art66(case, team) -> None:
    case = decided(case, team)
    assert blocked(case, team.head, "approve_instalments") == "no_instalment_request"
    block = procedure.check(procedure.TRANSITIONS_BY_ACTION["approve_instalments"], build_facts(case))
    assert block.code == "no_instalment_request" and "第六十六条" in block.basis


def test_instalments_sum_mismatch_refuses_the_application_art66(case, team) -> None:
    decided(case, team)
    code = blocked(case, team.officer, "request_instalments", reason="困难", schedule=schedule((30, 2000), (60, 2000)))
    assert code == "instalments_sum_mismatch"
    assert not InstalmentPlan.objects.filter(case=case).exists()


def test_instalment_not_in_future_blocks_approval_art66(case, team) -> None:
    case = applied(case, team)
    facts = build_facts(case, today=day(31))  # the first instalment's date has passed before approval
    block = procedure.check(procedure.TRANSITIONS_BY_ACTION["approve_instalments"], facts)
    assert block.code == "instalment_not_in_future"


def test_instalments_too_many_by_setting_art66(case, team, settings) -> None:
    settings.ZHIFA_INSTALMENT_MAX_COUNT = 2
    decided(case, team)
    rows = schedule((30, 1000), (60, 2000), (90, 2000))
    assert blocked(case, team.officer, "request_instalments", reason="困难", schedule=rows) == "instalments_too_many"


def test_approve_instalments_needs_agency_head_art66(case, team) -> None:
    applied(case, team)
    assert blocked(case, team.officer, "approve_instalments") == "agency_head_required"


def test_instalment_plan_exists_blocks_deferral_and_second_plan_art66(case, team) -> None:
    approved(case, team)
    assert blocked(case, team.head, "approve_deferral", new_due_on=day(90), reason="再延") == "instalment_plan_exists"
    assert blocked(case, team.officer, "request_instalments", reason="再分", schedule=schedule(*PLAN)) == \
        "instalment_plan_exists"


def test_reject_instalments_keeps_the_deadline(case, team) -> None:
    applied(case, team)
    due = type(case).objects.get(pk=case.pk).payment_due_on
    case = perform(case, team.head, "reject_instalments", reason="未提供经济困难证明")
    assert case.payment_due_on == due
    assert InstalmentPlan.objects.get(case=case).status == InstalmentStatus.REJECTED


def test_payment_deadline_is_next_open_instalment(case, team) -> None:
    case = approved(case, team)
    assert case.payment_due_on == day(30)
    payment = next(d for d in case_deadlines(case) if d.name == "payment")
    assert payment.due == day(30) and "第1/2期" in payment.label and "第六十六条" in payment.basis
    case = perform(case, team.officer, "record_payment", amount=2000, paid_on=day(1), channel="bank", reference="B1")
    assert case.payment_due_on == day(60) and case.stage == "served"
    assert "第2/2期" in next(d for d in case_deadlines(case) if d.name == "payment").label
    assert blocked(case, team.officer, "close") == "fine_unpaid"


def test_late_surcharge_corrected_when_an_earlier_payment_arrives_late_art72(case, team) -> None:
    case = approved(case, team)
    case = perform(case, team.officer, "record_payment", amount=2000, paid_on=day(40), channel="bank", reference="L")
    assert case.payments.get(reference="L").surcharge == Decimal("600.00")  # 10 days late on 2,000
    # the bank then confirms 2,000 paid on day 10: the 1st instalment was settled in time, the 2nd is not yet due
    case = perform(case, team.officer, "record_payment", amount=2000, paid_on=day(10), channel="bank", reference="E")
    assert case.payments.get(reference="E").surcharge == Decimal("-600.00")
    assert sum(p.surcharge for p in case.payments.all()) == 0


def test_surcharge_correction_never_shown_as_a_negative_amount_art72(case, team) -> None:
    from django.template.loader import render_to_string

    from zhifa.cases import instalments
    from zhifa.documents import content
    from zhifa.documents.kinds import DocumentKind, template_for

    case = approved(case, team)
    perform(case, team.officer, "record_payment", amount=2000, paid_on=day(40), channel="bank", reference="L")
    perform(case, team.officer, "record_payment", amount=2000, paid_on=day(10), channel="bank", reference="E")
    # then paid beyond the fine: the excess is refunded, never a surcharge
    case = perform(case, team.officer, "record_payment", amount=4000, paid_on=day(50), channel="bank", reference="X")
    assert case.payments.get(reference="E").surcharge < 0  # the record keeps the signed correction
    rows = {row.payment.reference: row for row in instalments.payment_rows(case)}
    assert rows["E"].surcharge == Decimal("600.00") and rows["E"].correction
    assert rows["L"].surcharge == Decimal("600.00") and not rows["L"].correction
    assert instalments.surcharge_total(case, day(50)) == 0
    page = client_for(team.officer).get(f"/cases/{case.pk}/").content.decode()
    table = page[page.index('id="payments"'):page.index("</table>", page.index('id="payments"'))]
    assert "核减 600.00" in table and not NEGATIVE.search(table)
    context = content.build_context(case, DocumentKind.CLOSING, number="渌测结〔2026〕1号", issued_at=timezone.now(),
                                    draft=case.decided_draft)
    closing = render_to_string(template_for(DocumentKind.CLOSING), context)
    assert "核减此前计算的加处罚款 600.00 元" in closing and not NEGATIVE.search(closing)
    assert "加处罚款共计" not in closing  # nothing owed once the correction is applied


def test_late_surcharge_accrues_per_overdue_instalment_art72(case, team) -> None:
    case = approved(case, team)
    # 1st instalment (2,000) paid 4 days late: 3% × 4 × 2,000 = 240, not 3% of the whole fine.
    case = perform(case, team.officer, "record_payment", amount=2000, paid_on=day(34), channel="bank", reference="B1")
    assert case.payments.get(reference="B1").surcharge == Decimal("240.00")
    case = perform(case, team.officer, "record_payment", amount=3000, paid_on=day(60), channel="bank", reference="B2")
    assert case.payments.get(reference="B2").surcharge == 0


def test_case_paid_when_all_instalments_paid_then_close_allowed(case, team) -> None:
    case = approved(case, team)
    for amount, reference in ((1500, "B1"), (1500, "B2"), (2000, "B3")):  # split differently from the plan
        case = perform(case, team.officer, "record_payment", amount=amount, paid_on=day(2), channel="bank",
                       reference=reference)
    assert case.fine_paid() and case.stage == "executed"
    assert perform(case, team.officer, "close").stage == "closed"


def test_bank_csv_import_allocates_to_instalments(case, team) -> None:
    case = approved(case, team)
    case.refresh_from_db()
    body = f"缴款码,金额,缴款日期,银行流水号\n{case.payment_code},2500,{day(1).isoformat()},ICBC-1\n"
    response = client_for(team.head).post("/api/v1/payments/import/", body, content_type="text/csv")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.payment_due_on == day(60) and not case.fine_paid()
    event = Event.objects.filter(case_id=case.pk, event_type="case.record_payment").last()
    assert event.payload["instalments_settled"] == [1]


def test_every_instalment_action_appends_one_event(case, team) -> None:
    decided(case, team)
    for actor, action, data in (
        (team.officer, "request_instalments", {"reason": "困难", "schedule": schedule(*PLAN)}),
        (team.head, "reject_instalments", {"reason": "材料不全"}),
        (team.officer, "request_instalments", {"reason": "困难，补充材料", "schedule": schedule(*PLAN)}),
        (team.head, "approve_instalments", {"opinion": "同意"}),
    ):
        before = Event.objects.filter(case_id=case.pk, event_type=f"case.{action}").count()
        perform(case, actor, action, **data)
        assert Event.objects.filter(case_id=case.pk, event_type=f"case.{action}").count() == before + 1
    event = Event.objects.filter(case_id=case.pk, event_type="case.approve_instalments").get()
    assert [row["number"] for row in event.payload["schedule"]] == [1, 2]


def test_fine_already_paid_blocks_instalments_art66(case, team) -> None:
    decided(case, team)
    case = perform(case, team.officer, "record_payment", amount=5000, paid_on=day(0), channel="bank", reference="B")
    facts = build_facts(case)
    assert procedure.fine_decided_unpaid(facts).code == "fine_already_paid"


def test_case_page_applies_and_shows_schedule(case, team) -> None:
    decided(case, team)
    officer, head = client_for(team.officer), client_for(team.head)
    text = "\n".join(f"{day(offset).isoformat()} {amount}" for offset, amount in PLAN)
    response = officer.post(f"/cases/{case.pk}/do/request_instalments/", {
        "request_instalments-reason": "经营困难", "request_instalments-schedule": text})
    assert response.status_code == 302
    assert "待机关负责人审批" in officer.get(f"/cases/{case.pk}/").content.decode()
    head.post(f"/cases/{case.pk}/do/approve_instalments/", {"approve_instalments-opinion": "同意"})
    page = head.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="instalments"' in page and day(60).isoformat() in page and "2000.00" in page
    assert f"下一期缴款期限 {day(30).isoformat()}" in page
    bad = officer.post(f"/cases/{case.pk}/do/request_instalments/", {
        "request_instalments-reason": "再次", "request_instalments-schedule": "明天 100"}, follow=True)
    assert "instalment_plan_exists" in bad.content.decode()


def test_approval_issues_the_deferral_form_with_the_schedule(case, team, settings) -> None:
    import io

    from pypdf import PdfReader

    from zhifa.documents.actions import document_bytes
    from zhifa.documents.models import Document

    applied(case, team)
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = True
    perform(case, team.head, "approve_instalments", opinion="同意")
    document = Document.objects.get(case=case, kind="deferral")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document_bytes(document))).pages).replace(" ", "")
    assert "分期缴纳" in text and "第2期" in text and "3,000.00" in text


def test_api_request_and_approve_instalments_with_409_on_bad_schedule(case, team) -> None:
    case = decided(case, team)
    url = f"/api/v1/cases/{case.pk}/actions/"
    officer, head = client_for(team.officer), client_for(team.head)
    rows = [{"due_on": day(offset).isoformat(), "amount": str(amount)} for offset, amount in PLAN]
    bad = officer.post(url + "request_instalments/", {"reason": "困难", "schedule": rows[:1]},
                       content_type="application/json")
    assert bad.status_code == 409 and bad.json()["code"] == "instalments_too_few"
    assert "第六十六条" in bad.json()["basis"]
    assert officer.post(url + "request_instalments/", {"reason": "困难", "schedule": rows},
                        content_type="application/json").status_code == 200
    response = head.post(url + "approve_instalments/", {"opinion": "同意"}, content_type="application/json")
    assert response.status_code == 200, response.content
    payment = next(d for d in response.json()["deadlines"] if d["name"] == "payment")
    assert payment["due"] == day(30).isoformat() and "第1/2期" in payment["label"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payments=st.lists(st.tuples(st.integers(min_value=1, max_value=400_000), st.integers(0, 90)),
                         min_size=1, max_size=6))
def test_recorded_payments_allocate_without_over_or_under_counting(team, payments) -> None:
    """Through record_payment: every yuan of the stored confirmations is allocated once (or is excess), the stored
    surcharges add up to the schedule's settled surcharges, and the deadline is the next open instalment."""
    from zhifa.cases import instalments
    from zhifa.cases.actions import open_case
    from zhifa.cases.models import Draft, Payment

    from .conftest import DRAFT, organisation

    case = open_case(team.officer, team.officer.agency, "分期缴纳性质测试", "inspection", [organisation()],
                     [team.officer, team.partner])
    draft = Draft.objects.create(case=case, version=1, author=team.officer, created_at=timezone.now(), digest="d",
                                 **{k: v for k, v in DRAFT.items() if k != "fine"}, fine=Decimal(5000))
    case.decided_draft, case.decided_on, case.served_on, case.stage = draft, day(0), day(0), "served"
    case.payment_due_on = day(15)
    case.save()
    perform(case, team.officer, "request_instalments", reason="困难", schedule=schedule((20, 1000), (40, 1500),
                                                                                        (60, 2500)))
    perform(case, team.head, "approve_instalments")
    for cents, offset in payments:
        try:
            perform(case, team.officer, "record_payment", amount=Decimal(cents) / 100, paid_on=day(offset),
                    channel="bank", reference=f"P{cents}")
        except RuleViolation as exc:
            assert exc.code == "wrong_stage"  # fully paid: the case is executed
    case.refresh_from_db()
    stored = Payment.objects.filter(case=case)
    result = instalments.allocation(case)
    assert result.allocated + result.excess == sum(p.amount for p in stored)
    assert result.allocated == min(sum(p.amount for p in stored), Decimal(5000))
    assert sum(p.surcharge for p in stored) == instalments.settled_surcharge(result)
    assert case.fine_paid() == result.all_paid == (case.stage == "executed")
    if result.next_open is not None:
        assert case.payment_due_on == result.next_open.instalment.due_on
