"""Each kind renders to an A4 PDF that states what the law asks of it (read back from the PDF with pypdf)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tests.documents.conftest import ADDRESS, DRAFT, ID_NUMBER, make_draft, pdf_text
from zhifa.cases.models import Activity
from zhifa.core.errors import RuleViolation
from zhifa.documents import actions, content
from zhifa.documents.kinds import DocumentKind as K
from zhifa.documents.kinds import template_for
from zhifa.record import log
from zhifa.record.models import Event


def _reasons_present(text: str) -> None:
    for value in DRAFT.values():
        assert "".join(value.split()) in text


def test_decision_states_everything_apl_art59(decided_case, officer):
    document = actions.issue_document(decided_case, K.DECISION, officer)
    year = timezone.localdate().year
    assert document.number == f"渌市监罚〔{year}〕1号"
    data = actions.document_bytes(document)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "渌口区市场监督管理局" in text and "行政处罚决定书" in text and document.number in text
    # party name and address (decrypted: this document is served on the party), and the ID number
    assert "张三" in text and ADDRESS in text and ID_NUMBER in text
    # facts and evidence, with the three mandatory reasons (湖南省行政程序规定 Art. 78)
    _reasons_present(text)
    assert "证据采信理由" in text and "依据选择理由" in text and "裁量理由" in text
    # penalty and basis
    assert "罚款人民币5,000.00元" in text and "伍仟元整" in text
    # how and by when to comply: 15 days, to the designated bank (罚缴分离), 3% a day surcharge
    assert "收到本决定书之日起15日内" in text and "本机关不直接收缴罚款" in text
    assert "每日按罚款数额的3%加处罚款" in text and "不超出罚款的数额" in text
    # remedies: 行政复议 within 60 days to the district government, 行政诉讼 within 6 months
    assert "60日内向株洲市渌口区人民政府申请行政复议" in text
    assert "6个月内依法向人民法院提起行政诉讼" in text
    # the agency and the date, and the draft version it renders
    assert "渌口区市场监督管理局" + content_date(document.issued_at) in text
    assert document.draft_version == 1 and "处理意见第1版" in text
    assert actions.verify_document(document).valid


def content_date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def test_prior_notice_states_penalty_reasons_rights_and_deadlines_apl_art44(case, officer):
    draft = make_draft(case, officer, fine="20000")  # ≥ 10,000 yuan for a person: a hearing is offered (Art. 63)
    case.notified_on, case.notified_draft, case.stage = dt.date(2025, 3, 3), draft, "notified"
    case.save()
    documents = actions.issue_for_action(case, officer, "notify")
    assert [d.kind for d in documents] == [K.PRIOR_NOTICE, K.HEARING_RIGHTS]
    notice = pdf_text(actions.document_bytes(documents[0]))
    assert "行政处罚事先告知书" in notice and documents[0].number.startswith("渌市监告〔")
    _reasons_present(notice)
    assert "罚款人民币20,000.00元" in notice
    # rights and their deadlines: 3 working days to state and defend, 5 working days to ask for a hearing
    assert "陈述和申辩" in notice and "请于2025年3月6日前" in notice
    assert "要求举行听证" in notice and "2025年3月10日前" in notice
    hearing = pdf_text(actions.document_bytes(documents[1]))
    assert "听证告知书" in hearing and "2025年3月10日前" in hearing


def test_notice_without_hearing_states_no_hearing_right(case, officer):
    draft = make_draft(case, officer, fine="500")
    case.notified_on, case.notified_draft, case.stage = dt.date(2025, 3, 3), draft, "notified"
    case.save()
    [notice] = actions.issue_for_action(case, officer, "notify")
    text = pdf_text(actions.document_bytes(notice))
    assert "陈述和申辩" in text and "要求举行听证" not in text


def test_service_receipt_names_the_document_method_and_witness(decided_case, officer):
    """Prepared before the action's own event (its payload given), recorded after it: the wiring that keeps
    rendering outside the record's lock."""
    decision = actions.issue_document(decided_case, K.DECISION, officer)
    decided_case.served_on, decided_case.stage = dt.date(2025, 3, 17), "served"
    decided_case.save()
    payload = {"method": "留置送达", "served_on": dt.date(2025, 3, 17), "witness": "赵六（社区工作人员）"}
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    with transaction.atomic():
        prepared = actions.prepare_for_action(decided_case, officer, "serve", payload)
        assert Event.objects.order_by("-seq").values_list("seq", flat=True).first() == seq  # nothing recorded yet
        log.append("case.serve", actor=officer, agency=decided_case.agency, obj=decided_case,
                   case_id=decided_case.pk, payload=payload)
        [receipt] = actions.record_prepared(prepared)
    assert [e.event_type for e in Event.objects.filter(seq__gt=seq).order_by("seq")] == [
        "case.serve", "document.issued"]
    assert receipt.kind == K.SERVICE and receipt.number.startswith("渌市监送〔")
    text = pdf_text(actions.document_bytes(receipt))
    assert "送达回证" in text and decision.number in text and "行政处罚决定书" in text
    assert "张三" in text and ADDRESS in text and "留置送达" in text and "赵六" in text
    assert "2025年3月17日" in text and "受送达人签名或盖章" in text


def test_onsite_and_inquiry_records_by_activity_code(case, officer, second_officer):
    start = timezone.make_aware(dt.datetime(2025, 2, 20, 9, 30))
    Activity.objects.create(case=case, code="onsite_inspection", name="现场检查", started_at=start,
                            ended_at=start + dt.timedelta(minutes=40), location="渌口区渌湘大道88号张三副食店",
                            notes="货架上发现超过保质期的牛奶12盒。").officers.set([officer, second_officer])
    [record] = actions.issue_for_action(case, officer, "record_activity")
    assert record.kind == K.ONSITE_RECORD and record.subject.startswith("cases.activity:")
    text = pdf_text(actions.document_bytes(record))
    assert "现场检查（勘验）笔录" in text and "渌口区渌湘大道88号张三副食店" in text
    assert "货架上发现超过保质期的牛奶12盒。" in text and "2025年2月20日9时30分" in text
    assert "李明" in text and "王芳" in text and officer.credentials.get().number in text
    assert "张三" in text and "当事人（签名）" in text and "见证人（签名）" in text
    Activity.objects.create(case=case, code="inquiry", name="询问", started_at=start + dt.timedelta(hours=1),
                            ended_at=start + dt.timedelta(hours=2), location="本局询问室", notes="问：牛奶从何处购进？")
    [inquiry] = actions.issue_for_action(case, officer, "record_activity")
    assert inquiry.kind == K.INQUIRY_RECORD
    text = pdf_text(actions.document_bytes(inquiry))
    assert "询问笔录" in text and "问：牛奶从何处购进？" in text and "被询问人" in text


def test_every_kind_renders_with_title_and_number(decided_case, officer):
    """Every template of the standard set renders (as HTML: the PDF path is the same engine, exercised above)."""
    issued_at = timezone.now()
    for kind in K.values:
        context = content.build_context(decided_case, kind, number=f"测试{kind}号", issued_at=issued_at,
                                        draft=actions.draft_for(decided_case, kind), documents=[])
        html = render_to_string(template_for(kind), context)
        assert str(K(kind).label) in html and f"测试{kind}号" in html and "渌口区市场监督管理局" in html


def test_kinds_stating_a_penalty_need_a_draft(case, officer):
    with pytest.raises(RuleViolation) as refused:
        actions.issue_document(case, K.DECISION, officer)
    assert refused.value.code == "document_needs_draft"


@pytest.mark.parametrize(("amount", "words"), [
    ("5000", "伍仟元整"), ("200", "贰佰元整"), ("10005", "壹万零伍元整"), ("100010000", "壹亿零壹万元整"),
    ("1010", "壹仟零壹拾元整"), ("15.2", "壹拾伍元贰角"), ("100.07", "壹佰元零柒分"), ("0", "零元整"),
])
def test_amount_in_chinese_capitals(amount, words):
    assert content.rmb_upper(Decimal(amount)) == words
