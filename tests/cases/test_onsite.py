"""The on-site phone flow (现场执法): party → facts → photo/video → on-site record → signature → on-the-spot
decision (APL Art. 51–52) → print, all through the case's actions; a blocked step names its rule and keeps the input."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.cases.models import Case
from zhifa.law import identifiers
from zhifa.record.models import Event

from ..documents.conftest import png_signature
from ..evidence.conftest import video_bytes
from .test_api import client_for

pytestmark = pytest.mark.django_db

FIRST17 = "43021219800101001"
ID_NUMBER = FIRST17 + identifiers.id_check_char(FIRST17)
FACTS = {
    "facts": "当事人在人行道上违规摆摊经营。", "basis": "《湖南省城市综合管理条例》第四十条",
    "evidence_reason": "现场照片与录像清楚记录摆摊情形。", "basis_reason": "行为符合该条规定。",
    "discretion_reason": "初次违法，情节轻微。",
}


@pytest.fixture
def on_site(team, settings, tmp_path):
    """An officer's phone session, with documents issued by the actions and evidence stored under tmp_path."""
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = True
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "evidence"), "file_permissions_mode": 0o440}}}
    return client_for(team.officer)


def party_form(team, **changes) -> dict:
    return {"mode": "simplified", "title": "占道经营案", "partner": team.partner.pk, "party_kind": "person",
            "party_name": "赵六", "id_number": ID_NUMBER, "phone": "13800138000", "address": "株洲市渌口区渌江路8号",
            **changes}


def events(case: Case, event_type: str) -> int:
    return Event.objects.filter(case_id=case.pk, event_type=event_type).count()


def test_onsite_simplified_flow_from_party_to_printed_decision(on_site, team) -> None:
    client = on_site
    assert 'href="/cases/onsite/"' in client.get("/cases/").content.decode()
    assert "现场执法" in client.get("/cases/onsite/").content.decode()

    # 1. party: a wrong check digit is refused in Chinese, what was typed is kept
    bad = client.post("/cases/onsite/", party_form(team, id_number=ID_NUMBER[:-1] + "0"))
    assert bad.status_code in {400, 409} and "校验" in bad.content.decode() and "赵六" in bad.content.decode()
    assert not Case.objects.filter(title="占道经营案").exists()
    response = client.post("/cases/onsite/", party_form(team))
    case = Case.objects.get(title="占道经营案")
    assert response.status_code == 302 and response.url == f"/cases/onsite/{case.pk}/facts/"
    assert case.procedure == "simplified" and set(case.officers.all()) == {team.officer, team.partner}

    # 2. facts and basis, kept for the decision
    assert client.post(f"/cases/onsite/{case.pk}/facts/", FACTS).url == f"/cases/onsite/{case.pk}/evidence/"

    # 3. photo/video with the phone camera, posted to the evidence upload, which comes back to the flow
    page = client.get(f"/cases/onsite/{case.pk}/evidence/").content.decode()
    assert 'accept="image/*,video/*" capture="environment"' in page and 'action="/evidence/upload/"' in page
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    upload = SimpleUploadedFile("scene.mp4", video_bytes(), content_type="video/mp4")
    response = client.post("/evidence/upload/", {**fields, "file": upload})
    assert response.status_code == 302 and response.url == f"/cases/onsite/{case.pk}/evidence/"
    from zhifa.evidence.models import EvidenceFile

    video = EvidenceFile.objects.get(case=case)

    # 4. on-site record: without the video the AV rule blocks it, the notes stay on the page
    blocked = client.post(f"/cases/onsite/{case.pk}/record/", {
        "started_at": "2026-01-05T09:00", "ended_at": "2026-01-05T09:20", "location": "渌江路", "notes": "摊位三处"})
    text = blocked.content.decode()
    assert blocked.status_code == 409 and "av_record_required" in text and "摊位三处" in text
    assert events(case, "case.record_activity") == 0
    response = client.post(f"/cases/onsite/{case.pk}/record/", {
        "started_at": "2026-01-05T09:00", "ended_at": "2026-01-05T09:20", "location": "渌江路", "notes": "摊位三处",
        "recordings": [str(video.pk)]})
    assert response.url == f"/cases/onsite/{case.pk}/sign/"
    assert events(case, "case.record_activity") == 1

    # 5. the party signs the on-site record on screen (the documents' signature pad)
    page = client.get(f"/cases/onsite/{case.pk}/sign/").content.decode()
    assert "data-signature-pad" in page and "signature-pad.js" in page and "现场检查（勘验）笔录" in page
    image = "data:image/png;base64," + base64.b64encode(png_signature()).decode()
    response = client.post(f"/cases/onsite/{case.pk}/sign/", {"signer_kind": "party", "name": "赵六",
                                                              "image": image})
    assert response.url == f"/cases/onsite/{case.pk}/decide/"
    assert events(case, "document.signed") == 1

    # 6. decision: 500 yuan for a person exceeds Art. 51's 200 yuan: blocked, with the rule, the amount kept
    blocked = client.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "fine", "fine": "500"})
    text = blocked.content.decode()
    assert blocked.status_code == 409 and "simplified_not_allowed" in text and "第五十一条" in text
    assert 'value="500"' in text and Case.objects.get(pk=case.pk).decided_on is None
    response = client.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "fine", "fine": "100"})
    assert response.url == f"/cases/onsite/{case.pk}/finish/"
    case.refresh_from_db()
    assert case.stage == "served" and case.decided_draft.fine == 100 and case.decided_draft.facts == FACTS["facts"]
    assert events(case, "case.decide_on_spot") == 1

    # 7. print the sealed decision; the party signs its receipt on screen
    page = client.get(f"/cases/onsite/{case.pk}/finish/").content.decode()
    assert case.payment_code in page
    link = re.search(r'href="([^"]+)" id="onsite-print"', page).group(1)
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "当场行政处罚决定书" in client.get(f"/cases/onsite/{case.pk}/sign/").content.decode()

    # 8. send: electronic service without the party's consent is refused and nothing is recorded
    assert 'id="onsite-service"' in page and 'value="13800138000"' in page  # the party's phone offered
    finish = f"/cases/onsite/{case.pk}/finish/"
    refused = client.post(finish, {"method": "electronic", "electronic_address": "13800138000"})
    assert refused.status_code == 409 and "electronic_service_needs_consent" in refused.content.decode()
    assert events(case, "case.serve") == 0
    response = client.post(finish, {"method": "electronic", "consent_to_electronic": "on",
                                    "electronic_address": "13800138000"})
    assert response.status_code == 302 and response.url == finish
    served = Event.objects.get(case_id=case.pk, event_type="case.serve")
    assert served.payload["method"] == "电子送达" and served.payload["electronic_address"] == "13800138000"
    from zhifa.documents.models import Document

    receipt = Document.objects.get(case=case, kind="service")
    page = client.get(finish).content.decode()
    assert 'id="onsite-served"' in page and "电子送达" in page and 'id="onsite-service"' not in page
    assert client.get(re.search(r'href="([^"]+)" id="onsite-receipt"', page).group(1)).status_code == 200
    # the party signs the 送达回证 on screen; the service is recorded once only
    sign = re.search(r'href="([^"]+)" id="onsite-receipt-sign"', page).group(1).replace("&amp;", "&")
    assert "送达回证" in client.get(sign).content.decode()
    assert client.post(sign, {"signer_kind": "party", "name": "赵六", "image": image}).url == finish
    assert receipt.signatures.filter(name="赵六", refused=False).exists()
    again = client.post(finish, {"method": "direct"})
    assert again.status_code == 200 and events(case, "case.serve") == 1
    assert Case.objects.get(pk=case.pk).stage == "served"


def test_onsite_refusal_to_accept_the_decision_recorded_with_a_witness_art61(on_site, team) -> None:
    client = on_site
    client.post("/cases/onsite/", party_form(team))
    case = Case.objects.get(title="占道经营案")
    client.post(f"/cases/onsite/{case.pk}/facts/", FACTS)
    client.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "warning"})
    finish = f"/cases/onsite/{case.pk}/finish/"
    blocked = client.post(finish, {"method": "lodged"})
    assert blocked.status_code == 409 and "lodged_service_needs_witness" in blocked.content.decode()
    assert client.post(finish, {"method": "lodged", "witness": "社区网格员李某"}).url == finish
    served = Event.objects.get(case_id=case.pk, event_type="case.serve")
    assert served.payload["method"] == "留置送达" and served.payload["witness"] == "社区网格员李某"
    page = client.get(finish).content.decode()
    assert "留置送达" in page and "社区网格员李某" in page
    # the party also refuses to sign the 送达回证: recorded with the witness
    response = client.post(f"/cases/onsite/{case.pk}/sign/?doc=service", {
        "signer_kind": "party", "name": "赵六", "refused": "on", "note": "当事人拒绝签收，已全程录像",
        "witness_name": "社区网格员李某"})
    assert response.url == finish
    from zhifa.documents.models import Document

    assert Document.objects.get(case=case, kind="service").signatures.get().refused


def test_onsite_blocked_decision_for_organisation_above_3000(on_site, team) -> None:
    first17 = "91430212MA4L00001"
    client = on_site
    client.post("/cases/onsite/", party_form(team, party_kind="organisation", party_name="某商行", id_number="",
                                             credit_code=first17 + identifiers.credit_code_check_char(first17)))
    case = Case.objects.get(title="占道经营案")
    client.post(f"/cases/onsite/{case.pk}/facts/", FACTS)
    blocked = client.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "fine", "fine": "3500"})
    assert blocked.status_code == 409 and "3000元以下" in blocked.content.decode()
    assert client.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "fine", "fine": "3000"}).status_code == 302


def test_onsite_inspection_has_no_decision_step_and_records_a_refusal_to_sign(on_site, team) -> None:
    from zhifa.evidence.actions import add_evidence

    client = on_site
    client.post("/cases/onsite/", party_form(team, mode="inspection"))
    case = Case.objects.get(title="占道经营案")
    assert case.procedure == "general"
    assert client.get(f"/cases/onsite/{case.pk}/decide/").status_code == 404
    clip = add_evidence(team.officer, SimpleUploadedFile("clip.mp4", video_bytes(), content_type="video/mp4"),
                        kind="audiovisual", case=case)
    response = client.post(f"/cases/onsite/{case.pk}/record/", {
        "started_at": "2026-01-05T09:00", "ended_at": "2026-01-05T09:20", "location": "渌江路", "notes": "检查",
        "recordings": [str(clip.pk)]})
    assert response.url == f"/cases/onsite/{case.pk}/sign/"  # no decision step for an inspection
    page = client.get(f"/cases/onsite/{case.pk}/sign/").content.decode()
    assert "当场决定" not in page and "data-refused" in page
    refused = {"signer_kind": "party", "name": "赵六", "refused": "on", "note": "当事人拒绝签名，已全程录像"}
    blocked = client.post(f"/cases/onsite/{case.pk}/sign/", refused)
    assert blocked.status_code == 409 and "refusal_needs_witness" in blocked.content.decode()
    response = client.post(f"/cases/onsite/{case.pk}/sign/", {**refused, "witness_name": "社区网格员李某"})
    assert response.url == f"/cases/onsite/{case.pk}/finish/"
    assert events(case, "document.signature_refused") == 1
    assert "按普通程序继续办理" in client.get(response.url).content.decode()


def test_onsite_steps_only_for_the_case_officers(on_site, team, make_user) -> None:
    on_site.post("/cases/onsite/", party_form(team))
    case = Case.objects.get(title="占道经营案")
    colleague = make_user(team.officer.agency)
    assert client_for(colleague).get(f"/cases/onsite/{case.pk}/facts/").status_code == 404
    assert client_for(team.reviewer).get("/cases/onsite/").status_code == 302


def test_onsite_facts_take_the_legal_basis_from_the_enforcement_item(on_site, team) -> None:
    from zhifa.catalog import actions as catalog

    from ..catalog.conftest import version_data

    catalog.create_item(team.head, code="LK-CF-T-009", kind="penalty", level="county", agencies=[team.head.agency],
                        data=version_data(), valid_from=dt.date(2020, 1, 1))
    on_site.post("/cases/onsite/", party_form(team))
    case = Case.objects.get(title="占道经营案")
    page = on_site.get(f"/cases/onsite/{case.pk}/facts/").content.decode()
    item = re.search(r'<option value="(\d+)">LK-CF-T-009', page).group(1)
    missing = on_site.post(f"/cases/onsite/{case.pk}/facts/", {**FACTS, "basis": ""})
    assert missing.status_code == 400 and "请填写法律依据" in missing.content.decode()
    on_site.post(f"/cases/onsite/{case.pk}/facts/", {**FACTS, "basis": "", "item": item})
    on_site.post(f"/cases/onsite/{case.pk}/decide/", {"kind": "warning"})
    assert Case.objects.get(pk=case.pk).decided_draft.basis == "中华人民共和国食品安全法第一百二十四条"


def test_onsite_picks_a_known_party_by_id_number_and_records_the_consultation(on_site, team) -> None:
    on_site.post("/cases/onsite/", party_form(team))
    earlier = Case.objects.get(title="占道经营案")
    page = on_site.get("/cases/onsite/", {"lookup": ID_NUMBER}).content.decode()
    assert 'value="赵六"' in page and 'value="株洲市渌口区渌江路8号"' in page
    assert Event.objects.filter(case_id=earlier.pk, event_type="record.viewed").count() == 1
    wrong = on_site.get("/cases/onsite/", {"lookup": ID_NUMBER[:-1] + "0"}).content.decode()
    assert "请输入有效的统一社会信用代码或18位身份证号码" in wrong
