"""add_evidence, devices, corrections: the rules, the metadata, the one record event, append-only rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from PIL import Image

from tests.evidence.conftest import incoming_files, make_case, make_user, stored_objects, wav_bytes
from zhifa.core.errors import RuleViolation
from zhifa.core.models import Confidentiality
from zhifa.crypto.profiles import get_profile
from zhifa.evidence import actions, store
from zhifa.evidence.models import DeviceKind, EvidenceFile, EvidenceKind, ProcedureStage
from zhifa.people.models import Role
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


def _events(event_type: str) -> list[Event]:
    return list(Event.objects.filter(event_type=event_type).order_by("seq"))


def test_photo_metadata_exif_time_gps_thumbnail(officer, case, jpeg, evidence_root, settings) -> None:
    settings.ZHIFA_CRYPTO = "gm"
    upload = SimpleUploadedFile("门头.jpg", jpeg, content_type="application/octet-stream")
    evidence = actions.add_evidence(officer, upload, kind=EvidenceKind.ON_SITE_RECORD, case=case,
                                    activity="现场检查")
    assert evidence.content_type == "image/jpeg"
    assert (evidence.width, evidence.height) == (120, 80)
    assert evidence.captured_at == dt.datetime(2025, 3, 1, 1, 30, 15, tzinfo=dt.UTC)  # EXIF 09:30:15 +08:00
    assert (evidence.latitude, evidence.longitude) == (Decimal("27.710000"), Decimal("113.140000"))
    assert evidence.sha256 == hashlib.sha256(jpeg).hexdigest()
    assert evidence.log_hash == get_profile("gm").hash(jpeg).hex() and evidence.log_hash_algorithm == "sm3"
    assert (evidence.title, evidence.original_name, evidence.size) == ("门头.jpg", "门头.jpg", len(jpeg))
    assert (evidence.agency, evidence.officer, evidence.uploaded_by) == (case.agency, officer, officer)
    thumbnail = (evidence_root / evidence.thumbnail_key).read_bytes()
    assert evidence.thumbnail_key == store.key_for(hashlib.sha256(thumbnail).hexdigest())
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.format == "JPEG" and max(image.size) <= 320


def test_video_duration_codec_size_thumbnail(officer, case, video, evidence_root) -> None:
    evidence = actions.add_evidence(officer, SimpleUploadedFile("dsj.mp4", video, "video/mp4"),
                                    kind=EvidenceKind.AUDIOVISUAL, case=case)
    assert evidence.content_type == "video/mp4"
    assert evidence.duration_seconds == pytest.approx(1.0, abs=0.1)
    assert evidence.codec.split(" + ") in (["h264", "aac"], ["mpeg4", "aac"])
    assert (evidence.width, evidence.height) == (64, 64)
    assert evidence.captured_at == dt.datetime(2025, 3, 1, 1, 31, tzinfo=dt.UTC)  # the container's creation_time
    with Image.open(evidence_root / evidence.thumbnail_key) as image:
        assert image.format == "JPEG" and image.size == (64, 64)


def test_audio_duration_and_codec_no_thumbnail(officer, case) -> None:
    evidence = actions.add_evidence(officer, SimpleUploadedFile("询问录音.wav", wav_bytes(0.5)),
                                    kind=EvidenceKind.PARTY_STATEMENT, case=case)
    assert (evidence.content_type, evidence.codec, evidence.duration_seconds) == ("audio/wav", "pcm_s16le", 0.5)
    assert evidence.thumbnail_key == "" and evidence.width is None


def test_given_metadata_wins_over_the_file(officer, case, jpeg) -> None:
    when = timezone.now() - dt.timedelta(days=1)
    evidence = actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.PHYSICAL, title="扣押的过期牛奶",
                                    case=case, captured_at=when, latitude=28.1, longitude=113.2,
                                    stage=ProcedureStage.SERVICE)
    assert (evidence.captured_at, evidence.latitude, evidence.longitude) == (when, Decimal("28.1"), Decimal("113.2"))
    assert (evidence.title, evidence.stage) == ("扣押的过期牛奶", ProcedureStage.SERVICE)


def test_one_event_in_the_same_transaction(officer, case, jpeg) -> None:
    device = actions.register_device(officer, kind=DeviceKind.BODY_CAMERA, serial_number="DSJ-001",
                                     name="执法记录仪 X1", custodian=officer)
    before = Event.objects.count()
    evidence = actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.AUDIOVISUAL, case=case,
                                    device=device, stage=ProcedureStage.INVESTIGATION)
    assert Event.objects.count() == before + 1
    event = Event.objects.get(event_type="evidence.added")
    assert (event.object_type, event.object_id, event.case_id, event.agency_id) == (
        "evidence.evidencefile", str(evidence.pk), case.pk, case.agency_id)
    assert event.payload["sha256"] == evidence.sha256 and event.payload["log_hash"] == evidence.log_hash
    assert event.payload["size"] == len(jpeg) and event.payload["hash"] == "sm3"
    assert (event.payload["kind"], event.payload["device"], event.payload["stage"]) == (
        "audiovisual", "DSJ-001", "investigation")


def test_failed_append_leaves_no_row(officer, case, jpeg) -> None:
    with mock.patch("zhifa.record.log.append", side_effect=RuntimeError("log down")), \
            pytest.raises(RuntimeError):
        actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.AUDIOVISUAL, case=case)
    assert not EvidenceFile.objects.exists()


def test_case_of_another_agency_refused(officer, other_agency, jpeg, evidence_root) -> None:
    foreign = make_case(other_agency)
    with pytest.raises(RuleViolation) as refused:
        actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.DOCUMENTARY, case=foreign)
    assert refused.value.code == "evidence_out_of_scope"
    assert not EvidenceFile.objects.exists() and stored_objects(evidence_root) == []


def test_refused_checks_before_any_byte_is_stored(officer, case, other_agency, jpeg, evidence_root) -> None:
    foreign_device = actions.register_device(
        make_user(other_agency, role=Role.AGENCY_HEAD), kind=DeviceKind.CAMERA, serial_number="CAM-9",
        name="相机", custodian=make_user(other_agency))
    cases = {
        "evidence_device_out_of_scope": {"device": foreign_device},
        "evidence_officer_out_of_scope": {"officer": make_user(other_agency)},
        "evidence_officer_without_credential": {"officer": make_user(case.agency, credential=False)},
        "evidence_captured_in_future": {"captured_at": timezone.now() + dt.timedelta(days=1)},
        "evidence_kind_unknown": {"kind": "rumour"},
        "evidence_stage_unknown": {"stage": "later"},
        "evidence_location_invalid": {"latitude": 95, "longitude": 10},
    }
    for code, changes in cases.items():
        arguments = {"kind": EvidenceKind.PHYSICAL, "case": case, **changes}
        with pytest.raises(RuleViolation) as refused:
            actions.add_evidence(officer, io.BytesIO(jpeg), **arguments)
        assert refused.value.code == code
    assert not EvidenceFile.objects.exists()
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_inactive_device_refused(officer, case, jpeg) -> None:
    head = make_user(case.agency, role=Role.AGENCY_HEAD)
    device = actions.register_device(head, kind=DeviceKind.RECORDER, serial_number="LY-1", name="录音笔",
                                     custodian=officer)
    actions.update_device(head, device, active=False)
    with pytest.raises(RuleViolation) as refused:
        actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.AUDIOVISUAL, case=case, device=device)
    assert refused.value.code == "evidence_device_inactive"


def test_refused_type_through_the_action(officer, case, evidence_root) -> None:
    with pytest.raises(RuleViolation) as refused:
        actions.add_evidence(officer, SimpleUploadedFile("photo.jpg", b"MZ" + bytes(5000), "image/jpeg"),
                             kind=EvidenceKind.ELECTRONIC, case=case)
    assert refused.value.code == "evidence_type_refused"
    assert stored_objects(evidence_root) == [] and incoming_files(evidence_root) == []


def test_marking_defaults_to_the_cases(officer, agency, jpeg) -> None:
    secret_case = make_case(agency, Confidentiality.COMMERCIAL_SECRET)
    evidence = actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.DOCUMENTARY, case=secret_case)
    assert evidence.confidentiality == Confidentiality.COMMERCIAL_SECRET


def test_register_device_rules_and_event(officer, agency, other_agency) -> None:
    device = actions.register_device(officer, kind=DeviceKind.BODY_CAMERA, serial_number=" DSJ-7 ",
                                     name="执法记录仪", custodian=officer)
    assert (device.serial_number, device.agency, device.custodian, device.active) == ("DSJ-7", agency, officer, True)
    assert _events("evidence.device_registered")[0].payload["serial_number"] == "DSJ-7"
    for code, arguments in {
        "device_serial_taken": {"serial_number": "DSJ-7", "custodian": officer},
        "device_custodian_out_of_scope": {"serial_number": "DSJ-8", "custodian": make_user(other_agency)},
    }.items():
        with pytest.raises(RuleViolation) as refused:
            actions.register_device(officer, kind=DeviceKind.CAMERA, name="相机", **arguments)
        assert refused.value.code == code


def test_correction_is_a_new_row(officer, case, jpeg) -> None:
    original = actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.PHYSICAL, case=case, title="错名")
    corrected = actions.correct_evidence(officer, original, reason="名称笔误", title="过期牛奶照片")
    original.refresh_from_db()
    assert (original.title, corrected.title, corrected.supersedes) == ("错名", "过期牛奶照片", original)
    assert corrected.storage_key == original.storage_key and corrected.sha256 == original.sha256
    assert list(EvidenceFile.objects.current()) == [corrected]
    event = _events("evidence.corrected")[0]
    assert event.payload["changed"] == ["title"] and event.payload["reason"] == "名称笔误"
    with pytest.raises(RuleViolation) as refused:
        actions.correct_evidence(officer, original, reason="再改", title="x")
    assert refused.value.code == "evidence_already_corrected"


def test_rows_are_append_only(officer, case, jpeg) -> None:
    evidence = actions.add_evidence(officer, io.BytesIO(jpeg), kind=EvidenceKind.PHYSICAL, case=case)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        EvidenceFile.objects.filter(pk=evidence.pk).update(title="改过")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        EvidenceFile.objects.filter(pk=evidence.pk).delete()
    evidence.refresh_from_db()
    assert evidence.title == "物证"  # still there, unchanged (the kind's name: a stream has no file name)
