"""check_files(): every stored object re-hashed; tampering with storage or rows names the evidence file."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.evidence.conftest import jpeg_bytes
from zhifa.evidence import actions, integrity
from zhifa.evidence.models import EvidenceFile, EvidenceKind
from zhifa.record import log

pytestmark = pytest.mark.django_db


def _add(officer, case, data: bytes, name: str = "a.jpg") -> EvidenceFile:
    return actions.add_evidence(officer, SimpleUploadedFile(name, data), kind=EvidenceKind.PHYSICAL, case=case)


def _overwrite(path, data: bytes) -> None:
    path.chmod(0o600)
    path.write_bytes(data)


@pytest.mark.parametrize("profile", ["gm", "intl"])
def test_clean_store_has_no_findings(officer, case, jpeg, video, settings, profile) -> None:
    settings.ZHIFA_CRYPTO = profile
    _add(officer, case, jpeg)
    _add(officer, case, video, "v.mp4")
    progress: list[tuple[int, int]] = []
    assert integrity.check_files(progress=lambda done, total: progress.append((done, total))) == []
    assert progress[-1][0] == progress[-1][1] == len(jpeg) + len(video)


def test_changed_file_is_named(officer, case, jpeg, evidence_root) -> None:
    good = _add(officer, case, jpeg_bytes(width=50))
    bad = _add(officer, case, jpeg)
    data = bytearray(jpeg)
    data[500] ^= 0x01  # one bit
    _overwrite(evidence_root / bad.storage_key, bytes(data))
    findings = integrity.check_files()
    assert [(f.kind, f.object) for f in findings] == [("file_changed", f"evidence:{bad.pk}")]
    assert "SHA-256" in findings[0].detail and "SM3" in findings[0].detail
    assert f"evidence:{good.pk}" not in {f.object for f in findings}


def test_truncated_or_missing_file_is_named(officer, case, jpeg, video, evidence_root) -> None:
    photo = _add(officer, case, jpeg)
    clip = _add(officer, case, video, "v.mp4")
    _overwrite(evidence_root / photo.storage_key, jpeg[:100])
    (evidence_root / clip.storage_key).unlink()
    findings = {(f.kind, f.object) for f in integrity.check_files()}
    assert findings == {("file_changed", f"evidence:{photo.pk}"), ("file_missing", f"evidence:{clip.pk}")}


def test_shared_object_hashed_once_findings_for_each_row(officer, case, jpeg, evidence_root) -> None:
    first = _add(officer, case, jpeg)
    second = _add(officer, case, jpeg, "copy.jpg")
    assert first.storage_key == second.storage_key
    with mock.patch.object(integrity, "_hash_object", wraps=integrity._hash_object) as hashed:
        assert integrity.check_files() == []
    assert hashed.call_count == 2  # the object once, the shared thumbnail once
    _overwrite(evidence_root / first.storage_key, b"\xff\xd8\xff" + bytes(10))
    assert {f.object for f in integrity.check_files()} == {f"evidence:{first.pk}", f"evidence:{second.pk}"}


def test_thumbnail_tampering(officer, case, jpeg, evidence_root) -> None:
    photo = _add(officer, case, jpeg)
    _overwrite(evidence_root / photo.thumbnail_key, jpeg_bytes(width=30))
    assert [(f.kind, f.object) for f in integrity.check_files()] == [("thumbnail_changed", f"evidence:{photo.pk}")]
    (evidence_root / photo.thumbnail_key).unlink()
    assert [f.kind for f in integrity.check_files()] == ["thumbnail_missing"]


def test_row_inserted_behind_the_platforms_back(officer, case, jpeg) -> None:
    photo = _add(officer, case, jpeg)
    fields = {f.attname: getattr(photo, f.attname) for f in EvidenceFile._meta.concrete_fields if f.attname != "id"}
    forged = EvidenceFile.objects.create(**fields)
    assert [(f.kind, f.object) for f in integrity.check_files()] == [("row_unrecorded", f"evidence:{forged.pk}")]


def test_row_that_differs_from_its_event(officer, case, jpeg) -> None:
    """Rows cannot be updated (triggers); a row whose recorded hashes differ from the event is reported."""
    photo = _add(officer, case, jpeg)
    fields = {f.attname: getattr(photo, f.attname) for f in EvidenceFile._meta.concrete_fields if f.attname != "id"}
    with transaction.atomic():
        twin = EvidenceFile.objects.create(**{**fields, "sha256": "0" * 64})
        log.append("evidence.added", actor=officer, agency=case.agency, obj=twin, case_id=case.pk,
                   payload={"sha256": photo.sha256, "log_hash": photo.log_hash, "size": photo.size})
    kinds = {(f.kind, f.object) for f in integrity.check_files()}
    assert kinds == {("row_changed", f"evidence:{twin.pk}"), ("file_changed", f"evidence:{twin.pk}")}
