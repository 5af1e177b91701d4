"""REST API: multipart upload through the streaming handler, detail and content as access events, 409 codes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.evidence.conftest import incoming_files, make_user, stored_objects
from zhifa.core.models import Confidentiality
from zhifa.evidence import actions, store
from zhifa.evidence.models import EvidenceFile, EvidenceKind
from zhifa.people.models import Role
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer) -> APIClient:
    client = APIClient()
    client.force_login(officer)
    return client


def test_post_multipart_upload(api, officer, case, video, evidence_root, monkeypatch) -> None:
    writes: list[int] = []
    original = store.Incoming.write
    monkeypatch.setattr(store.Incoming, "write", lambda self, chunk: writes.append(len(chunk)) or original(self, chunk))
    response = api.post(reverse("evidence:api:list"), {
        "file": SimpleUploadedFile("dsj.mp4", video, "video/mp4"), "kind": "audiovisual", "case": case.pk,
        "stage": "investigation", "activity": "现场检查", "latitude": "27.7", "longitude": "113.1",
    }, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = EvidenceFile.objects.get()
    assert body["id"] == evidence.pk and body["sha256"] == hashlib.sha256(video).hexdigest()
    assert body["content_type"] == "video/mp4" and body["codec"].startswith(("h264", "mpeg4"))
    assert body["content_url"] == reverse("evidence:api:content", args=[evidence.pk])
    assert body["officer"] == officer.pk and body["latitude"] == "27.700000"
    assert writes[0] == len(video)  # hashed by the upload handler on the way in (then the thumbnail)
    assert incoming_files(evidence_root) == []


def test_refused_upload_is_409_with_code(api, case, evidence_root) -> None:
    response = api.post(reverse("evidence:api:list"), {
        "file": SimpleUploadedFile("x.jpg", b"MZ" + bytes(10_000), "image/jpeg"), "kind": "electronic",
        "case": case.pk}, format="multipart")
    assert response.status_code == 409
    assert response.json()["code"] == "evidence_type_refused"
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_too_large_is_409_before_reading(api, case, settings) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 10
    response = api.post(reverse("evidence:api:list"), {
        "file": SimpleUploadedFile("a.pdf", b"%PDF-" + bytes(2 << 20)), "kind": "documentary", "case": case.pk},
        format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "evidence_too_large"


def test_scope_rule_is_409(api, other_agency, jpeg) -> None:
    from tests.evidence.conftest import make_case

    foreign = make_case(other_agency)
    response = api.post(reverse("evidence:api:list"), {
        "file": SimpleUploadedFile("a.jpg", jpeg), "kind": "physical", "case": foreign.pk}, format="multipart")
    assert response.status_code == 400  # not even a choice: the case is out of the user's sight
    assert not EvidenceFile.objects.exists()


def test_unauthenticated_is_refused_without_parsing(case, jpeg) -> None:
    response = APIClient().post(reverse("evidence:api:list"), {"file": SimpleUploadedFile("a.jpg", jpeg),
                                                                "kind": "physical"}, format="multipart")
    assert response.status_code == 403


def test_detail_list_content_and_access_events(api, officer, case, jpeg) -> None:
    evidence = actions.add_evidence(officer, SimpleUploadedFile("a.jpg", jpeg), kind="physical", case=case)
    listed = api.get(reverse("evidence:api:list"), {"case": case.pk})
    assert [row["id"] for row in listed.json()] == [evidence.pk]
    detail = api.get(reverse("evidence:api:detail", args=[evidence.pk]))
    assert detail.status_code == 200 and detail.json()["sha256"] == evidence.sha256
    content = api.get(reverse("evidence:api:content", args=[evidence.pk]), headers={"range": "bytes=2-5"})
    assert content.status_code == 206 and b"".join(content.streaming_content) == jpeg[2:6]
    assert content["Content-Range"] == f"bytes 2-5/{len(jpeg)}"
    events = list(Event.objects.filter(object_id=str(evidence.pk), event_type__startswith="record.")
                  .values_list("event_type", flat=True).order_by("seq"))
    assert events == ["record.viewed", "record.downloaded"]


def test_marked_needs_reason_409_then_recorded(officer, case, jpeg) -> None:
    evidence = actions.add_evidence(officer, SimpleUploadedFile("a.jpg", jpeg), kind=EvidenceKind.DOCUMENTARY,
                                    case=case, confidentiality=Confidentiality.PERSONAL_PRIVACY)
    head = make_user(case.agency, role=Role.UNIT_HEAD)
    client = APIClient()
    client.force_login(head)
    refused = client.get(reverse("evidence:api:detail", args=[evidence.pk]))
    assert refused.status_code == 409 and refused.json()["code"] == "access_reason_required"
    opened = client.get(reverse("evidence:api:detail", args=[evidence.pk]), {"reason": "复核"})
    assert opened.status_code == 200
    event = Event.objects.get(event_type="record.viewed")
    assert event.payload == {"marking": "personal_privacy", "reason": "复核"}
