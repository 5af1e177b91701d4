"""Pages: upload through the streaming handler, lists, detail and player, Range, access events, secrecy, scope."""

from __future__ import annotations

import hashlib
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from tests.evidence.conftest import incoming_files, make_case, make_user, stored_objects
from zhifa.core.models import Confidentiality
from zhifa.evidence import actions, store, uploads
from zhifa.evidence.models import EvidenceFile, EvidenceKind, RecordingDevice
from zhifa.people.models import Role
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client
    return login


@pytest.fixture
def photo(officer, case, jpeg) -> EvidenceFile:
    return actions.add_evidence(officer, SimpleUploadedFile("门头.jpg", jpeg), kind=EvidenceKind.ON_SITE_RECORD,
                                case=case)


def _access_events(evidence=None, action: str | None = None) -> list[Event]:
    events = Event.objects.filter(event_type__startswith="record.").order_by("seq")
    if evidence is not None:
        events = events.filter(object_type="evidence.evidencefile", object_id=str(evidence.pk))
    if action:
        events = events.filter(event_type=f"record.{action}")
    return list(events)


def _form(case, **extra) -> dict:
    return {"kind": EvidenceKind.AUDIOVISUAL, "title": "", "case": case.pk, "stage": "investigation",
            "activity": "现场检查", "officer": extra.pop("officer"), "confidentiality": "", **extra}


# Upload -------------------------------------------------------------------------------------------------------------


@pytest.fixture(params=["evidence parser", "django parser"])
def parser(request, monkeypatch) -> str:
    """The upload tests run with the evidence multipart parser and with Django's (the handler's chunk path)."""
    if request.param == "django parser":
        original = uploads.use_evidence_handler
        monkeypatch.setattr(uploads, "use_evidence_handler",
                            lambda request, max_bytes=None: original(request, max_bytes, fast_parser=False))
    return request.param


def test_upload_page_offers_the_phone_camera(client_of, officer) -> None:
    response = client_of(officer).get(reverse("evidence:upload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'accept="image/*,video/*,audio/*" capture="environment"' in html
    assert "evidence/upload.js" in html and "<script>" not in html and 'style="' not in html


def test_upload_streams_through_the_handler_once(parser, client_of, officer, case, evidence_root, settings) -> None:
    # Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE: Django would spool it to its own temporary file; ours hashes it
    # chunk by chunk on the way and the action never reads it again.
    size = settings.FILE_UPLOAD_MAX_MEMORY_SIZE * 2 + 12345
    data = b"%PDF-1.7\n" + bytes(range(256)) * (size // 256)
    chunks: list[int] = []
    original_write = store.Incoming.write

    def spy(self, chunk):
        chunks.append(len(chunk))
        return original_write(self, chunk)

    client = client_of(officer)
    with mock.patch.object(store.Incoming, "write", spy), \
            mock.patch("zhifa.evidence.store.receive", side_effect=AssertionError("read twice")):
        response = client.post(reverse("evidence:upload"), {
            **_form(case, officer=officer.pk), "file": SimpleUploadedFile("询问笔录.pdf", data, "application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = EvidenceFile.objects.get()
    assert response["Location"] == reverse("evidence:detail", args=[evidence.pk])
    assert sum(chunks) == len(data) and max(chunks) <= store.CHUNK_SIZE and len(chunks) >= 5
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert (evidence_root / evidence.storage_key).read_bytes() == data
    assert incoming_files(evidence_root) == []
    assert Event.objects.filter(event_type="evidence.added").count() == 1


def test_upload_of_a_refused_type_says_why(parser, client_of, officer, case, evidence_root) -> None:
    response = client_of(officer).post(reverse("evidence:upload"), {
        **_form(case, officer=officer.pk),
        "file": SimpleUploadedFile("photo.jpg", b"MZ\x90\0" + bytes(200_000), "image/jpeg")})
    assert response.status_code == 409
    assert "文件类型不受支持" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_upload_over_the_limit_stops_midstream(parser, client_of, officer, case, evidence_root, settings) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 100_000
    response = client_of(officer).post(reverse("evidence:upload"), {
        **_form(case, officer=officer.pk),
        "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + bytes(300_000), "application/pdf")})
    assert response.status_code == 409
    assert "文件超过大小上限" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_upload_declared_too_large_is_refused_unread(client_of, officer, case, settings) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 1000
    body = encode_multipart(BOUNDARY, {**_form(case, officer=officer.pk),
                                       "file": SimpleUploadedFile("a.pdf", b"%PDF-" + bytes(2 << 20))})
    with mock.patch.object(uploads, "use_evidence_handler", side_effect=AssertionError("body parsed")):
        response = client_of(officer).generic("POST", reverse("evidence:upload"), body, MULTIPART_CONTENT)
    assert response.status_code == 413
    assert "文件超过大小上限" in response.content.decode()


def test_client_abort_midstream_leaves_nothing(parser, client_of, officer, case, evidence_root) -> None:
    body = encode_multipart(BOUNDARY, {**_form(case, officer=officer.pk),
                                       "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + bytes(3 << 20))})
    truncated = body[: len(body) // 2]  # the connection dropped half-way through the file
    response = client_of(officer).generic("POST", reverse("evidence:upload"), truncated, MULTIPART_CONTENT)
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists()
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_read_error_midstream_leaves_nothing(parser, client_of, officer, case, evidence_root) -> None:
    body = encode_multipart(BOUNDARY, {**_form(case, officer=officer.pk),
                                       "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + bytes(3 << 20))})

    class Dropping(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > len(body) // 2:
                raise ConnectionResetError("peer reset")
            return super().read(size)

    client = client_of(officer)
    with mock.patch("django.test.client.FakePayload.read", side_effect=Dropping(body).read):
        response = client.generic("POST", reverse("evidence:upload"), body, MULTIPART_CONTENT)
    assert response.status_code in (400, 403)
    assert not EvidenceFile.objects.exists()
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_upload_needs_login_and_csrf(client, officer, case) -> None:
    response = client.post(reverse("evidence:upload"), {"kind": "audiovisual"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    response = strict.post(reverse("evidence:upload"), {
        **_form(case, officer=officer.pk), "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")})
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


# Detail, player, Range ----------------------------------------------------------------------------------------------


def test_detail_is_an_access_event_and_its_grant_covers_the_player(client_of, officer, photo) -> None:
    client = client_of(officer)
    response = client.get(reverse("evidence:detail", args=[photo.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<img" in html and photo.sha256 in html and photo.log_hash in html
    assert len(_access_events(photo, "viewed")) == 1
    grant = response.context["grant"]
    for name in ("evidence:content", "evidence:thumbnail"):
        media = client.get(reverse(name, args=[photo.pk]), {"g": grant}, headers={"range": "bytes=0-99"})
        assert media.status_code == 206
    assert len(_access_events(photo, "viewed")) == 1  # seeking and the thumbnail add nothing
    client.get(reverse("evidence:content", args=[photo.pk]))  # no grant: an opening of its own
    assert len(_access_events(photo, "viewed")) == 2
    for _ in range(2):
        assert client.get(reverse("evidence:download", args=[photo.pk]), {"g": grant}).status_code == 200
    assert len(_access_events(photo, "downloaded")) == 2  # every download is recorded
    event = _access_events(photo, "downloaded")[0]
    assert (event.actor_id, event.case_id, event.agency_id) == (officer.pk, photo.case_id, photo.agency_id)


def test_grant_of_another_user_is_no_grant(client_of, officer, photo) -> None:
    from zhifa.evidence.access import issue_grant

    colleague = make_user(photo.agency)
    grant = issue_grant(officer, photo)
    client_of(colleague).get(reverse("evidence:content", args=[photo.pk]), {"g": grant})
    assert [e.actor_id for e in _access_events(photo, "viewed")] == [colleague.pk]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_requests(client_of, officer, photo, jpeg) -> None:
    client = client_of(officer)
    url = reverse("evidence:content", args=[photo.pk])
    size = len(jpeg)
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "image/jpeg"
    assert whole["Content-Length"] == str(size) and _body(whole) == jpeg
    assert whole["ETag"] == f'"{photo.sha256}"'
    for header, (start, end) in {"bytes=0-9": (0, 9), "bytes=100-": (100, size - 1), "bytes=-50": (size - 50,
                                                                                                  size - 1),
                                 "bytes=10-999999": (10, size - 1), "bytes=-999999": (0, size - 1)}.items():
        part = client.get(url, headers={"range": header})
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert part["Content-Length"] == str(end - start + 1)
        assert _body(part) == jpeg[start:end + 1]
    for header in (f"bytes={size}-", f"bytes={size + 5}-{size + 10}", "bytes=-0"):
        refused = client.get(url, headers={"range": header})
        assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{size}"
    for ignored in ("bytes=0-1,5-6", "bytes=9-3", "items=0-1", "bytes=abc"):
        response = client.get(url, headers={"range": ignored})
        assert response.status_code == 200 and _body(response) == jpeg
    stale = client.get(url, headers={"range": "bytes=0-9", "if-range": '"other"'})
    assert stale.status_code == 200
    fresh = client.get(url, headers={"range": "bytes=0-9", "if-range": f'"{photo.sha256}"'})
    assert fresh.status_code == 206
    head = client.head(url, headers={"range": "bytes=0-9"})
    assert head.status_code == 206 and head["Content-Length"] == "10"
    download = client.get(reverse("evidence:download", args=[photo.pk]), headers={"range": "bytes=5-"})
    assert download.status_code == 206 and download["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E9%97%A8%E5%A4%B4.jpg" in download["Content-Disposition"]


def test_seek_beyond_2_gib_reads_only_the_range(client_of, officer, case, evidence_root) -> None:
    """A 2 GiB + 1 MiB video as a sparse file: seeking past 2^31 answers the right bytes without reading the rest."""
    size = (1 << 31) + (1 << 20)
    offset = (1 << 31) + 123_456
    key = store.key_for("ab" * 32)
    path = evidence_root / key
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        handle.write(b"\0\0\0\x18ftypisom")
        handle.seek(offset)
        handle.write(b"KEYFRAME")
        handle.truncate(size)
    evidence = EvidenceFile.objects.create(  # a row as the action would make it (hashing 2 GiB is not the point)
        agency=case.agency, case=case, kind=EvidenceKind.AUDIOVISUAL, title="长视频", content_type="video/mp4",
        size=size, sha256="ab" * 32, log_hash="cd" * 32, log_hash_algorithm="sm3", storage_key=key,
        officer=officer, uploaded_by=officer)
    lengths: list[int | None] = []
    original = store._file_chunks

    def spy(handle, length, chunk_size):
        lengths.append(length)
        return original(handle, length, chunk_size)

    client = client_of(officer)
    with mock.patch.object(store, "_file_chunks", spy):
        part = client.get(reverse("evidence:content", args=[evidence.pk]),
                          headers={"range": f"bytes={offset}-{offset + 7}"})
        assert part.status_code == 206
        assert part["Content-Range"] == f"bytes {offset}-{offset + 7}/{size}"
        assert _body(part) == b"KEYFRAME"
        tail = client.get(reverse("evidence:content", args=[evidence.pk]), headers={"range": "bytes=-16"})
        assert tail["Content-Range"] == f"bytes {size - 16}-{size - 1}/{size}" and _body(tail) == bytes(16)
        whole = client.get(reverse("evidence:content", args=[evidence.pk]))
        assert whole["Content-Length"] == str(size)
        first = next(iter(whole.streaming_content))  # streamed: the first chunk, not the whole file
        assert first.startswith(b"\0\0\0\x18ftypisom") and len(first) <= store.CHUNK_SIZE
        whole.close()
    assert lengths == [8, 16, size]


def test_missing_object_is_reported_not_a_crash(client_of, officer, photo, evidence_root) -> None:
    path = evidence_root / photo.storage_key
    path.chmod(0o600)
    path.unlink()
    response = client_of(officer).get(reverse("evidence:content", args=[photo.pk]))
    assert response.status_code == 404 and "zhifa verify" in response.content.decode()


# Secrecy -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def secret(officer, case, jpeg) -> EvidenceFile:
    return actions.add_evidence(officer, SimpleUploadedFile("账簿.jpg", jpeg), kind=EvidenceKind.DOCUMENTARY,
                                case=case, confidentiality=Confidentiality.COMMERCIAL_SECRET)


def test_marked_file_hidden_from_users_not_cleared(client_of, officer, secret, photo) -> None:
    client = client_of(officer)  # an officer is not cleared for 商业秘密
    for name in ("evidence:detail", "evidence:content", "evidence:download", "evidence:thumbnail"):
        assert client.get(reverse(name, args=[secret.pk]), {"reason": "想看"}).status_code == 404, name
    assert client.get(reverse("evidence:api:detail", args=[secret.pk]), {"reason": "想看"}).status_code == 404
    listed = client.get(reverse("evidence:index"))
    assert photo in listed.context["page"].object_list and secret not in listed.context["page"].object_list
    case_page = client.get(reverse("evidence:case", args=[secret.case_id]))
    assert [item for item, _ in case_page.context["items"]] == [photo]
    assert _access_events(secret) == []


def test_marked_file_asks_for_a_reason_that_is_recorded(client_of, secret, case) -> None:
    head = make_user(case.agency, role=Role.UNIT_HEAD)
    client = client_of(head)
    asked = client.get(reverse("evidence:detail", args=[secret.pk]))
    assert asked.status_code == 200 and "查阅事由" in asked.content.decode()
    assert secret.title not in asked.content.decode() and _access_events(secret) == []
    assert client.get(reverse("evidence:download", args=[secret.pk])).status_code == 302
    assert client.get(reverse("evidence:content", args=[secret.pk])).status_code == 302
    assert _access_events(secret) == []
    opened = client.post(reverse("evidence:detail", args=[secret.pk]), {"reason": "法制审核查阅证据"})
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    assert page.status_code == 200 and secret.sha256 in page.content.decode()
    viewed = _access_events(secret, "viewed")
    assert len(viewed) == 1 and viewed[0].payload == {"marking": "commercial_secret", "reason": "法制审核查阅证据"}
    download = client.get(reverse("evidence:download", args=[secret.pk]), {"g": page.context["grant"]})
    assert download.status_code == 200
    assert _access_events(secret, "downloaded")[0].payload["reason"] == "法制审核查阅证据"
    direct = client.get(reverse("evidence:download", args=[secret.pk]), {"reason": "复核"})
    assert direct.status_code == 200 and _access_events(secret, "downloaded")[1].payload["reason"] == "复核"


def test_marked_case_list_asks_for_a_reason(client_of, agency, officer, jpeg) -> None:
    marked_case = make_case(agency, Confidentiality.PERSONAL_PRIVACY)
    actions.add_evidence(officer, SimpleUploadedFile("a.jpg", jpeg), kind=EvidenceKind.PHYSICAL, case=marked_case,
                         confidentiality=Confidentiality.NONE)
    client = client_of(officer)
    url = reverse("evidence:case", args=[marked_case.pk])
    assert "查阅事由" in client.get(url).content.decode()
    opened = client.post(url, {"reason": "办案需要"})
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    assert page.status_code == 200 and len(page.context["items"]) == 1
    listed = Event.objects.filter(event_type="record.evidence_listed")
    assert [(e.object_id, e.payload["reason"]) for e in listed] == [(str(marked_case.pk), "办案需要")]


# Lists and scope ---------------------------------------------------------------------------------------------------


def test_case_list_is_one_access_event_with_thumbnails(client_of, officer, case, photo, video) -> None:
    clip = actions.add_evidence(officer, SimpleUploadedFile("dsj.mp4", video), kind=EvidenceKind.AUDIOVISUAL,
                                case=case)
    client = client_of(officer)
    response = client.get(reverse("evidence:case", args=[case.pk]))
    assert response.status_code == 200
    assert {item.pk for item, grant in response.context["items"] if grant} == {photo.pk, clip.pk}
    assert Event.objects.filter(event_type="record.evidence_listed", case_id=case.pk).count() == 1
    grant = dict((item.pk, grant) for item, grant in response.context["items"])[clip.pk]
    thumb = client.get(reverse("evidence:thumbnail", args=[clip.pk]), {"g": grant})
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert _body(thumb).startswith(b"\xff\xd8\xff")
    assert _access_events(clip, "viewed") == []


def test_officer_of_another_agency_gets_404(client_of, other_agency, photo, case) -> None:
    stranger = make_user(other_agency)
    client = client_of(stranger)
    for name in ("evidence:detail", "evidence:content", "evidence:download", "evidence:thumbnail",
                 "evidence:api:detail", "evidence:api:content"):
        assert client.get(reverse(name, args=[photo.pk])).status_code == 404, name
    assert client.get(reverse("evidence:case", args=[case.pk])).status_code == 404
    assert photo not in client.get(reverse("evidence:index")).context["page"].object_list
    assert _access_events(photo) == []
    assert client.get(reverse("evidence:upload"), {"case": case.pk}).context["form"].initial.get("case") is None


def test_supervisor_sees_every_agency(client_of, photo) -> None:
    supervisor = make_user(None, role=Role.SUPERVISOR, credential=False)
    assert client_of(supervisor).get(reverse("evidence:detail", args=[photo.pk])).status_code == 200
    assert _access_events(photo, "viewed")[0].actor_id == supervisor.pk


def test_index_search(client_of, officer, photo) -> None:
    client = client_of(officer)
    assert list(client.get(reverse("evidence:index"), {"q": photo.sha256[:10]}).context["page"]) == [photo]
    assert list(client.get(reverse("evidence:index"), {"kind": "witness"}).context["page"]) == []


def test_devices_page_registers_through_the_action(client_of, agency, officer) -> None:
    head = make_user(agency, role=Role.AGENCY_HEAD)
    client = client_of(head)
    response = client.post(reverse("evidence:devices"), {"kind": "body_camera", "serial_number": "DSJ-100",
                                                         "name": "执法记录仪 X1", "custodian": officer.pk})
    assert response.status_code == 302
    assert RecordingDevice.objects.get().custodian == officer
    assert Event.objects.filter(event_type="evidence.device_registered").count() == 1
    assert client_of(officer).post(reverse("evidence:devices"), {"kind": "camera"}).status_code == 404
    assert "DSJ-100" in client_of(officer).get(reverse("evidence:devices")).content.decode()
