"""Download (scoped, every download an access event) and the on-screen signature page (signatures and refusals)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.urls import reverse

from tests.documents.conftest import make_user, png_signature
from zhifa.documents import actions
from zhifa.documents.kinds import DocumentKind as K
from zhifa.documents.models import DocumentSignature
from zhifa.people.models import Role
from zhifa.record.models import Event


@pytest.fixture
def receipt(case, officer):
    """A 送达回证: a document the party signs (or refuses to sign, before a witness)."""
    return actions.issue_document(case, K.SERVICE, officer)


def _new_events(before: set[int]) -> list[Event]:
    return list(Event.objects.exclude(pk__in=before).order_by("seq"))


def _ids() -> set[int]:
    return set(Event.objects.values_list("pk", flat=True))


def test_download_by_the_agency_is_recorded(client, receipt, officer):
    client.force_login(officer)
    before = _ids()
    response = client.get(reverse("documents:download", args=[receipt.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == receipt.sha256
    [event] = _new_events(before)
    assert event.event_type == "record.downloaded" and event.actor_id == officer.pk
    assert (event.object_type, event.object_id, event.case_id) == ("documents.document", str(receipt.pk),
                                                                  receipt.case_id)


def test_download_scoping(client, receipt, agency, other_agency):
    url = reverse("documents:download", args=[receipt.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(make_user(other_agency))
    assert client.get(url).status_code == 404
    client.force_login(make_user(None, role=Role.SUPERVISOR, credential=False))
    assert client.get(url).status_code == 200
    client.force_login(make_user(agency, role=Role.UNIT_HEAD))
    assert client.get(url).status_code == 200


def test_download_of_a_marked_case_asks_for_the_reason(client, receipt, officer):
    case = receipt.case
    case.confidentiality = "personal_privacy"
    case.save()
    client.force_login(officer)
    url = reverse("documents:download", args=[receipt.pk])
    before = _ids()
    asked = client.get(url)
    assert asked.status_code == 200 and "查阅事由" in asked.content.decode() and not _new_events(before)
    response = client.post(url, {"reason": "复核送达情况"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [event] = _new_events(before)
    assert event.payload == {"marking": "personal_privacy", "reason": "复核送达情况"}


def test_a_damaged_stored_pdf_is_not_served(client, receipt, officer, document_store):
    path = document_store / receipt.storage_key
    path.chmod(0o640)
    path.write_bytes(path.read_bytes().replace(b"%PDF-", b"%PDX-", 1))
    client.force_login(officer)
    before = _ids()
    assert client.get(reverse("documents:download", args=[receipt.pk])).status_code == 500
    assert not _new_events(before)
    assert not actions.verify_document(receipt).valid


def test_sign_page_for_the_case_officers_only(client, receipt, officer, agency):
    url = reverse("documents:sign", args=[receipt.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "<canvas" in page and "documents/signature-pad.js" in page and "<script>" not in page
    client.force_login(make_user(agency))  # same agency, not on the case
    response = client.post(url, {"signer_kind": "officer", "image": "data:image/png;base64,"
                                 + base64.b64encode(png_signature()).decode()})
    assert response.status_code == 403 and not DocumentSignature.objects.exists()


def test_officer_signature_and_party_refusal(client, receipt, officer):
    url = reverse("documents:sign", args=[receipt.pk])
    client.force_login(officer)
    image = "data:image/png;base64," + base64.b64encode(png_signature()).decode()
    before = _ids()
    assert client.post(url, {"signer_kind": "officer", "image": image}).status_code == 302
    [signature] = DocumentSignature.objects.filter(document=receipt)
    assert signature.officer == officer and signature.name == "李明" and not signature.refused
    assert signature.image_sha256 == hashlib.sha256(png_signature()).hexdigest()
    [event] = _new_events(before)
    assert event.event_type == "document.signed" and event.payload["image_sha256"] == signature.image_sha256

    # a refusal needs what happened and a witness
    before = _ids()
    refused = client.post(url, {"signer_kind": "party", "name": "张三", "refused": "on", "note": "拒绝签收"})
    assert refused.status_code == 409 and "见证人" in refused.content.decode() and not _new_events(before)
    response = client.post(url, {"signer_kind": "party", "name": "张三", "refused": "on",
                                 "note": "当事人拒绝签收，已全程录像", "witness_name": "赵六"})
    assert response.status_code == 302
    refusal = DocumentSignature.objects.get(document=receipt, refused=True)
    assert (refusal.name, refusal.witness_name, refusal.image_key) == ("张三", "赵六", "")
    [event] = _new_events(before)
    assert event.event_type == "document.signature_refused" and event.payload["witness"] == "赵六"


def test_party_signature_must_not_be_blank(client, receipt, officer):
    client.force_login(officer)
    url = reverse("documents:sign", args=[receipt.pk])
    blank = "data:image/png;base64," + base64.b64encode(png_signature(blank=True)).decode()
    response = client.post(url, {"signer_kind": "party", "name": "张三", "image": blank})
    assert response.status_code == 409 and "签名为空" in response.content.decode()
    not_png = "data:image/png;base64," + base64.b64encode(b"GIF89a....").decode()
    assert client.post(url, {"signer_kind": "party", "name": "张三", "image": not_png}).status_code == 409
    assert client.post(url, {"signer_kind": "party", "name": "张三",
                             "image": "data:image/png;base64," + base64.b64encode(png_signature()).decode()
                             }).status_code == 302
    assert DocumentSignature.objects.get(document=receipt).signer_kind == "party"


def test_case_list_and_the_public_ca_certificate(client, receipt, officer):
    client.force_login(officer)
    page = client.get(reverse("documents:case", args=[receipt.case_id])).content.decode()
    assert receipt.number in page and reverse("documents:sign", args=[receipt.pk]) in page
    client.logout()
    pem = client.get(reverse("documents:ca"))
    assert pem.status_code == 200 and pem.content.startswith(b"-----BEGIN CERTIFICATE-----")
