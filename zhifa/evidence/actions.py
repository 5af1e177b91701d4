"""The only way evidence and recording devices change: each action checks its rules and appends its event.

`add_evidence` does the slow work (hashing was done on the way in; metadata, thumbnail, storing the object) before
its short transaction, which creates the row and appends `evidence.added`: the database is never locked while bytes
move. Should that transaction fail, the stored object stays unreferenced — complete, content-addressed, harmless, and
reused by the next identical upload — but no row ever names an object that is not stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.core.errors import require
from zhifa.core.models import Confidentiality
from zhifa.evidence import media, store
from zhifa.evidence.models import DeviceKind, EvidenceFile, EvidenceKind, ProcedureStage, RecordingDevice
from zhifa.evidence.uploads import IngestedUpload
from zhifa.people.models import Agency, User
from zhifa.record import log

BASIS_KINDS = "《行政处罚法》第四十六条"
BASIS_STAGES = "《行政处罚法》第四十七条"
BASIS_OFFICER = "《行政处罚法》第四十二条"
BASIS_AV = "实施办法二(二)2"
BASIS_SCOPE = "实施办法二(二)"
# A camera clock a little ahead of the server's is not a capture in the future.
CLOCK_SKEW = dt.timedelta(minutes=10)


@transaction.atomic
def register_device(actor: User, *, kind: str, serial_number: str, name: str, custodian: User,
                    agency: Agency | None = None) -> RecordingDevice:
    """Register a recording device of the actor's agency with the person who keeps it."""
    agency = agency or actor.agency
    require(agency is not None and actor.agency_id == agency.pk, "device_out_of_scope", BASIS_AV,
            "只能为本执法主体登记音像记录设备")
    require(kind in DeviceKind.values, "device_kind_unknown", BASIS_AV, "设备类型不正确")
    serial_number = serial_number.strip()
    require(serial_number, "device_serial_required", BASIS_AV, "设备编号不能为空")
    require(name.strip(), "device_name_required", BASIS_AV, "设备名称型号不能为空")
    require(custodian.agency_id == agency.pk and custodian.is_active, "device_custodian_out_of_scope", BASIS_AV,
            "保管人须为本执法主体的在职人员")
    require(not RecordingDevice.objects.filter(serial_number=serial_number).exists(), "device_serial_taken",
            BASIS_AV, f"设备编号 {serial_number} 已登记")
    device = RecordingDevice.objects.create(agency=agency, kind=kind, serial_number=serial_number,
                                            name=name.strip(), custodian=custodian)
    log.append("evidence.device_registered", actor=actor, agency=agency, obj=device,
               payload={"kind": kind, "serial_number": serial_number, "name": device.name,
                        "custodian": custodian.pk, "custodian_name": custodian.get_full_name()})
    return device


@transaction.atomic
def update_device(actor: User, device: RecordingDevice, *, custodian: User | None = None,
                  active: bool | None = None) -> RecordingDevice:
    """Hand a device to another custodian, or take it out of (or back into) use."""
    device = RecordingDevice.objects.select_for_update().get(pk=device.pk)
    require(actor.agency_id == device.agency_id, "device_out_of_scope", BASIS_AV, "只能管理本执法主体的设备")
    changes: dict[str, Any] = {}
    if custodian is not None and custodian.pk != device.custodian_id:
        require(custodian.agency_id == device.agency_id and custodian.is_active, "device_custodian_out_of_scope",
                BASIS_AV, "保管人须为本执法主体的在职人员")
        changes["custodian"] = [device.custodian_id, custodian.pk]
        device.custodian = custodian
    if active is not None and active != device.active:
        changes["active"] = [device.active, active]
        device.active = active
    if changes:
        device.save(update_fields=["custodian", "active"])
        log.append("evidence.device_updated", actor=actor, agency=device.agency, obj=device,
                   payload={"serial_number": device.serial_number, "changes": changes})
    return device


def _incoming(uploaded: Any) -> store.Incoming:
    """The upload as a finished Incoming: as received by the upload handler, else read (and hashed) now."""
    if isinstance(uploaded, IngestedUpload):
        uploaded.incoming.finish()
        return uploaded.incoming
    require(uploaded is not None, "evidence_file_required", store.BASIS_STORE, "请选择要上传的证据文件")
    name = getattr(uploaded, "name", "") or ""
    claimed = getattr(uploaded, "content_type", "") or ""
    if isinstance(uploaded, File) or hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return store.receive(uploaded, name=name.rsplit("/", 1)[-1], claimed_type=claimed)


def _check_metadata(actor: User, agency: Agency, *, kind: str, title: str, case: Case | None,
                    device: RecordingDevice | None, officer: User, captured_at: dt.datetime | None,
                    latitude: Decimal | None, longitude: Decimal | None, stage: str, confidentiality: str) -> None:
    require(actor.agency_id is not None and actor.agency_id == agency.pk, "evidence_out_of_scope", BASIS_SCOPE,
            "只能为本执法主体的案件添加证据")
    if case is not None:
        require(case.agency_id == actor.agency_id and Case.objects.visible_to(actor).filter(pk=case.pk).exists(),
                "evidence_out_of_scope", BASIS_SCOPE, "只能为本执法主体的案件添加证据")
    require(kind in EvidenceKind.values, "evidence_kind_unknown", BASIS_KINDS,
            "证据种类须为书证、物证、视听资料、电子数据、证人证言、当事人的陈述、鉴定意见、勘验笔录或现场笔录")
    require(stage in ProcedureStage.values, "evidence_stage_unknown", BASIS_STAGES,
            "执法环节须为启动、调查取证、审核决定或送达执行")
    require(confidentiality in Confidentiality.values, "evidence_marking_unknown", BASIS_SCOPE, "密级标识不正确")
    require(title.strip(), "evidence_title_required", BASIS_SCOPE, "证据名称不能为空")
    if device is not None:
        require(device.agency_id == agency.pk, "evidence_device_out_of_scope", BASIS_AV,
                f"设备 {device.serial_number} 不属于本执法主体")
        require(device.active, "evidence_device_inactive", BASIS_AV, f"设备 {device.serial_number} 已停用")
    require(officer.agency_id == agency.pk, "evidence_officer_out_of_scope", BASIS_OFFICER,
            "采集人员须为本执法主体的执法人员")
    on = timezone.localdate(captured_at) if captured_at else timezone.localdate()
    require(officer.valid_credential(on) is not None, "evidence_officer_without_credential", BASIS_OFFICER,
            f"{officer.get_full_name()} 在采集之日没有有效的行政执法证，不得从事调查取证")
    if captured_at is not None:
        require(captured_at <= timezone.now() + CLOCK_SKEW, "evidence_captured_in_future", BASIS_SCOPE,
                "采集时间不能晚于当前时间")
    if (latitude is None) != (longitude is None):
        require(False, "evidence_location_invalid", BASIS_SCOPE, "经度和纬度须同时填写")
    if latitude is not None:
        require(-90 <= latitude <= 90 and -180 <= longitude <= 180, "evidence_location_invalid", BASIS_SCOPE,
                "经纬度超出范围")


def add_evidence(
    actor: User, uploaded: Any, *, kind: str, title: str = "", case: Case | None = None,
    device: RecordingDevice | None = None, officer: User | None = None, captured_at: dt.datetime | None = None,
    latitude: Decimal | float | None = None, longitude: Decimal | float | None = None,
    stage: str = ProcedureStage.INVESTIGATION, activity: str = "", confidentiality: str | None = None,
) -> EvidenceFile:
    """Store an uploaded file as evidence and append `evidence.added` in the same transaction as its row.

    `uploaded` is what the evidence upload handler produced (already hashed), or any Django File / binary stream
    (hashed here while it is read). Capture time, location, duration, codec and size come from the file when not
    given. Raises RuleViolation (nothing stored) when a rule or a limit refuses it."""
    agency = case.agency if case is not None else actor.agency
    officer = officer or actor
    if device is not None:
        device = RecordingDevice.objects.get(pk=device.pk)  # its state now, not when a form was shown
    latitude = Decimal(str(latitude)) if latitude is not None else None
    longitude = Decimal(str(longitude)) if longitude is not None else None
    if confidentiality is None:
        confidentiality = case.confidentiality if case is not None else Confidentiality.NONE
    title = title.strip() or getattr(uploaded, "name", "") or (EvidenceKind(kind).label if kind in EvidenceKind.values
                                                                else "")
    require(agency is not None, "evidence_out_of_scope", BASIS_SCOPE, "只能为本执法主体的案件添加证据")
    _check_metadata(actor, agency, kind=kind, title=title, case=case, device=device, officer=officer,
                    captured_at=captured_at, latitude=latitude, longitude=longitude, stage=stage,
                    confidentiality=confidentiality)
    incoming = _incoming(uploaded)
    try:
        digest = incoming.finish()
        info = media.probe(incoming.path, digest.content_type)
        stored = store.commit(incoming)
    finally:
        incoming.discard()
    thumbnail = store.put_bytes(info.thumbnail, claimed_type="image/jpeg") if info.thumbnail else None
    if captured_at is None and info.captured_at is not None and info.captured_at <= timezone.now() + CLOCK_SKEW:
        captured_at = info.captured_at
    if latitude is None and info.latitude is not None:
        latitude, longitude = info.latitude, info.longitude
    return _create(
        actor, agency=agency, case=case, kind=kind, title=title.strip()[:200],
        original_name=(getattr(uploaded, "name", "") or "")[:255], stored=stored, captured_at=captured_at,
        device=device, officer=officer, latitude=latitude, longitude=longitude, stage=stage,
        activity=activity.strip()[:100], info=info, thumbnail_key=thumbnail.key if thumbnail else "",
        confidentiality=confidentiality,
    )


@transaction.atomic
def _create(actor: User, *, agency: Agency, case: Case | None, stored: store.StoredObject, info: media.MediaInfo,
            **fields: Any) -> EvidenceFile:
    evidence = EvidenceFile.objects.create(
        agency=agency, case=case, content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
        log_hash=stored.log_hash, log_hash_algorithm=stored.log_hash_algorithm, storage_key=stored.key,
        duration_seconds=info.duration_seconds, codec=info.codec, width=info.width, height=info.height,
        uploaded_by=actor, uploaded_at=timezone.now(), **fields,
    )
    log.append("evidence.added", actor=actor, agency=agency, obj=evidence, case_id=case.pk if case else None,
               payload=_payload(evidence))
    return evidence


def _payload(evidence: EvidenceFile) -> dict[str, Any]:
    return {
        "sha256": evidence.sha256,
        "log_hash": evidence.log_hash,
        "hash": evidence.log_hash_algorithm,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "kind": evidence.kind,
        "device": evidence.device.serial_number if evidence.device_id else None,
        "officer": evidence.officer_id,
        "stage": evidence.stage,
        "activity": evidence.activity,
        "captured_at": evidence.captured_at,
        "marking": evidence.confidentiality,
        "supersedes": evidence.supersedes_id,
    }


CORRECTABLE = ("kind", "title", "case", "device", "officer", "captured_at", "latitude", "longitude", "stage",
               "activity", "confidentiality")


@transaction.atomic
def correct_evidence(actor: User, evidence: EvidenceFile, *, reason: str, **changes: Any) -> EvidenceFile:
    """Correct an evidence file's metadata: rows are never changed, so the correction is a new row that supersedes
    the old one (same stored object) and appends `evidence.corrected`."""
    require(reason.strip(), "evidence_correction_reason_required", BASIS_SCOPE, "更正证据信息须说明理由")
    unknown = set(changes) - set(CORRECTABLE)
    require(not unknown, "evidence_field_not_correctable", BASIS_SCOPE, f"不能更正：{'、'.join(sorted(unknown))}")
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    require(not EvidenceFile.objects.filter(supersedes=evidence).exists(), "evidence_already_corrected",
            BASIS_SCOPE, "该证据信息已被更正，请在最新记录上更正")
    values = {name: changes.get(name, getattr(evidence, name)) for name in CORRECTABLE}
    for name in ("latitude", "longitude"):
        if values[name] is not None:
            values[name] = Decimal(str(values[name]))
    agency = values["case"].agency if values["case"] is not None else evidence.agency
    require(agency.pk == evidence.agency_id, "evidence_out_of_scope", BASIS_SCOPE, "证据不能转到其他执法主体")
    _check_metadata(actor, agency, **{k: values[k] for k in CORRECTABLE if k != "activity"})
    keep = ("original_name", "content_type", "size", "sha256", "log_hash", "log_hash_algorithm", "storage_key",
            "duration_seconds", "codec", "width", "height", "thumbnail_key")
    corrected = EvidenceFile.objects.create(
        agency=agency, supersedes=evidence, correction_reason=reason.strip()[:200], uploaded_by=actor,
        uploaded_at=timezone.now(), **values, **{name: getattr(evidence, name) for name in keep},
    )
    case_id = corrected.case_id or evidence.case_id
    log.append("evidence.corrected", actor=actor, agency=agency, obj=corrected, case_id=case_id,
               payload={**_payload(corrected), "reason": corrected.correction_reason,
                        "changed": sorted(k for k in CORRECTABLE if values[k] != getattr(evidence, k))})
    return corrected
