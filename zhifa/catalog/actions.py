"""The only way the catalog changes: each action checks its rules, writes, and appends exactly one record event in
the same transaction (DESIGN.md "How a change flows"). A refused action raises RuleViolation (code, basis, detail).

Versioning (Open Zaak style): `publish_version` with a new effective date D closes the previous version on D-1 and
keeps it; `repeal_item` does the same with a repeal version. Published versions are never edited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.catalog import rules
from zhifa.catalog.models import (
    ITEM_CODE_PATTERN,
    AVItem,
    Circumstance,
    DiscretionStandard,
    EnforcementItem,
    InspectionOutcome,
    ItemKind,
    ItemLevel,
    ItemVersion,
    RandomInspectionList,
    RandomInspectionResult,
    ServiceGuide,
    VersionStatus,
)
from zhifa.core.errors import require
from zhifa.law import av_rules, identifiers
from zhifa.people.models import Agency, Role, User
from zhifa.record import log

ONE_DAY = dt.timedelta(days=1)
MANAGING_ROLES = {Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.REVIEWER}
AV_ORDER = [av_rules.AVRequirement.NONE, av_rules.AVRequirement.AV, av_rules.AVRequirement.FULL]


@dataclass
class DiscretionData:
    circumstance: str
    conditions: str
    penalty_kinds: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_base: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    article: str = ""


@dataclass
class GuideData:
    accepting_body: str
    conditions: str
    materials: list[str]
    time_limit_days: int
    phone: str
    complaint: str
    location: str
    statutory_limit_days: int | None = None
    fees: str = "不收费"
    hours: str = ""


@dataclass
class VersionData:
    """The versioned content of an item. `discretion`/`guide` None: carried over from the previous version."""

    name: str
    basis_law: str
    basis_article: str
    basis_text: str = ""
    field: str = ""
    steps: list[Any] = dataclass_field(default_factory=list)
    discretion: list[DiscretionData] | None = None
    guide: GuideData | None = None


# --- who may change the catalog ---

def can_manage(actor: User | None, agencies: Iterable[Agency | int]) -> bool:
    """The system (None), administrators and the judicial bureau's supervisors manage every list; an agency's
    head, unit heads and legal reviewers manage items that belong to their agency alone (seed §二(一)1: 专人负责)."""
    if actor is None:
        return True
    if not actor.is_active:
        return False
    if actor.is_superuser or actor.role in {Role.ADMIN, Role.SUPERVISOR}:
        return True
    ids = {a if isinstance(a, int) else a.pk for a in agencies}
    return actor.role in MANAGING_ROLES and actor.agency_id is not None and bool(ids) and ids <= {actor.agency_id}


def _require_manage(actor: User | None, agencies: Iterable[Agency | int]) -> None:
    require(can_manage(actor, list(agencies)), "catalog_not_permitted", rules.BASIS_MANAGER,
            "您无权维护该执法主体的事项清单")


def _event_agency(agencies: Sequence[Agency]) -> Agency | None:
    return sorted(agencies, key=lambda a: a.code)[0] if agencies else None


# --- snapshots for the record ---

def _discretion_dict(row: DiscretionStandard) -> dict[str, Any]:
    return {f: getattr(row, f) for f in ("circumstance", "conditions", "penalty_kinds", "fine_min", "fine_max",
                                         "multiple_base", "multiple_min", "multiple_max", "article")}


def _guide_dict(guide: ServiceGuide) -> dict[str, Any]:
    return {f: getattr(guide, f) for f in ("accepting_body", "conditions", "materials", "time_limit_days",
                                           "statutory_limit_days", "fees", "phone", "complaint", "location", "hours")}


def snapshot(version: ItemVersion) -> dict[str, Any]:
    """Everything a version says, as recorded in its event."""
    guide = ServiceGuide.objects.filter(version=version).first()
    return {
        "code": version.item.code, "number": version.number, "name": version.name, "status": version.status,
        "basis_law": version.basis_law, "basis_article": version.basis_article, "basis_text": version.basis_text,
        "field": version.field, "steps": version.steps, "valid_from": version.valid_from,
        "valid_to": version.valid_to, "change_note": version.change_note,
        "discretion": [_discretion_dict(d) for d in version.discretion.all()],
        "guide": _guide_dict(guide) if guide else None,
    }


# --- validation ---

def _clean_data(data: VersionData) -> list[dict[str, str]]:
    require(data.name.strip() and len(data.name) <= 200, "item_name_required", rules.BASIS_CATALOG,
            "事项名称不能为空，且不超过200字")
    require(data.basis_law.strip() and "《" not in data.basis_law, "basis_law_required", rules.BASIS_CATALOG,
            "设定依据须写明法律法规名称（不带书名号）")
    require(data.basis_article.strip(), "basis_article_required", rules.BASIS_CATALOG, "设定依据须写明条款")
    try:
        steps = rules.normalise_steps(data.steps)
    except ValueError as exc:
        require(False, "steps_invalid", rules.BASIS_CATALOG, str(exc))
    for row in data.discretion or []:
        require(row.circumstance in Circumstance.values, "discretion_circumstance_unknown", rules.BASIS_DISCRETION,
                f"违法情节“{row.circumstance}”不是轻微、一般、较重、严重之一")
        require(row.conditions.strip() and row.penalty_kinds.strip(), "discretion_incomplete",
                rules.BASIS_DISCRETION, "裁量基准须写明适用情形和处罚种类")
        for low, high in ((row.fine_min, row.fine_max), (row.multiple_min, row.multiple_max)):
            require(low is None or low >= 0, "discretion_negative", rules.BASIS_DISCRETION, "罚款金额或倍数不能为负")
            require(low is None or high is None or low <= high, "discretion_range_reversed", rules.BASIS_DISCRETION,
                    "裁量基准的下限不能高于上限")
    if data.guide is not None:
        require(data.guide.accepting_body.strip() and data.guide.phone.strip() and data.guide.complaint.strip(),
                "guide_incomplete", rules.BASIS_CATALOG, "服务指南须写明受理机构、咨询电话和投诉渠道")
    return steps


def _write_content(version: ItemVersion, data: VersionData, previous: ItemVersion | None) -> None:
    """Discretion standards and guide of a fresh version: the given ones, else the previous version's."""
    if data.discretion is not None:
        rows = [DiscretionStandard(version=version, order=i, **asdict(d)) for i, d in enumerate(data.discretion)]
    elif previous is not None:
        rows = [DiscretionStandard(version=version, order=d.order, **_discretion_dict(d))
                for d in previous.discretion.all()]
    else:
        rows = []
    DiscretionStandard.objects.bulk_create(rows)
    if data.guide is not None:
        ServiceGuide.objects.create(version=version, **asdict(data.guide))
    elif previous is not None and (old := ServiceGuide.objects.filter(version=previous).first()):
        ServiceGuide.objects.create(version=version, **_guide_dict(old))


def _latest(item: EnforcementItem) -> ItemVersion | None:
    return item.versions.exclude(status=VersionStatus.DRAFT).order_by("-number").first()


def _draft(item: EnforcementItem) -> ItemVersion | None:
    return item.versions.filter(status=VersionStatus.DRAFT).first()


def _lock(item: EnforcementItem) -> EnforcementItem:
    """Versions of one item are numbered and dated under the item's row lock."""
    return EnforcementItem.objects.select_for_update().get(pk=item.pk)


# --- items and versions ---

@transaction.atomic
def create_item(
    actor: User | None, *, code: str, kind: str, level: str, agencies: Sequence[Agency], data: VersionData,
    valid_from: dt.date, publish: bool = True, published_at: dt.datetime | None = None,
) -> EnforcementItem:
    """A new item with its first version (published from `valid_from`, or a draft). `published_at` backfills the
    publication time of a list kept before the platform (recorded in the event)."""
    agencies = list(agencies)
    _require_manage(actor, agencies)
    require(agencies, "item_without_agency", rules.BASIS_CATALOG, "事项须至少有一个实施主体")
    require(re.fullmatch(ITEM_CODE_PATTERN, code or ""), "item_code_invalid",
            rules.BASIS_CATALOG, "事项编码只能由4至40位字母、数字或连字符组成")
    require(not EnforcementItem.objects.filter(code=code).exists(), "item_code_taken", rules.BASIS_CATALOG,
            f"事项编码 {code} 已存在（四级四同：同一事项只有一个编码）")
    require(kind in ItemKind.values, "item_kind_unknown", rules.BASIS_CATALOG, f"事项类型“{kind}”无法识别")
    require(level in ItemLevel.values, "item_level_unknown", rules.BASIS_CATALOG, f"行使层级“{level}”无法识别")
    steps = _clean_data(data)
    now = timezone.now()
    item = EnforcementItem.objects.create(code=code, kind=kind, level=level, created_at=now)
    item.agencies.set(agencies)
    version = ItemVersion.objects.create(
        item=item, number=1, name=data.name.strip(), basis_law=data.basis_law.strip(),
        basis_article=data.basis_article.strip(), basis_text=data.basis_text.strip(), field=data.field.strip(),
        steps=steps, valid_from=valid_from, created_at=now,
        status=VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT,
        published_at=(published_at or now) if publish else None,
    )
    _write_content(version, data, None)
    log.append("catalog.item_created", actor=actor, agency=_event_agency(agencies), obj=item, payload={
        "kind": kind, "level": level, "agencies": [a.code for a in agencies], "published": publish,
        "published_at": version.published_at, "version": snapshot(version),
    })
    return item


@transaction.atomic
def save_draft(actor: User | None, item: EnforcementItem, data: VersionData) -> ItemVersion:
    """Create or replace the item's draft (the next version, not in force and not public)."""
    item = _lock(item)
    _require_manage(actor, item.agencies.all())
    latest = _latest(item)
    require(latest is None or latest.status != VersionStatus.REPEALED, "item_repealed", rules.BASIS_CATALOG,
            "该事项已废止，不能再修改")
    draft = _replace_draft(item, _draft(item), data)
    log.append("catalog.draft_saved", actor=actor, agency=_event_agency(list(item.agencies.all())), obj=draft,
               payload=snapshot(draft))
    return draft


def _close_previous(item: EnforcementItem, valid_from: dt.date) -> ItemVersion | None:
    previous = _latest(item)
    if previous is None:
        return None
    require(previous.status != VersionStatus.REPEALED, "item_repealed", rules.BASIS_CATALOG,
            "该事项已废止，不能再发布新版本")
    require(valid_from > previous.valid_from, "version_not_after_previous", rules.BASIS_CATALOG,
            f"新版本生效日期须晚于现行版本（第{previous.number}版）的生效日期 {previous.valid_from}")
    previous.valid_to = valid_from - ONE_DAY
    previous.save(update_fields=["valid_to"])
    return previous


@transaction.atomic
def publish_version(
    actor: User | None, item: EnforcementItem, valid_from: dt.date, data: VersionData | None = None,
    change_note: str = "", published_at: dt.datetime | None = None,
) -> ItemVersion:
    """A law amended or an agency's functions changed: the new version is in force from `valid_from`, the
    previous one ends the day before and stays in the history. With `data` None the item's draft is published."""
    item = _lock(item)
    _require_manage(actor, item.agencies.all())
    require(change_note.strip() or _latest(item) is None, "change_note_required", rules.BASIS_CATALOG,
            "发布新版本须说明变更原因（如法律修订）")
    draft = _draft(item)
    if data is not None:
        draft = _replace_draft(item, draft, data)
    require(draft is not None, "no_draft", rules.BASIS_CATALOG, "没有待发布的草稿")
    previous = _close_previous(item, valid_from)
    now = timezone.now()
    draft.valid_from, draft.status, draft.published_at = valid_from, VersionStatus.PUBLISHED, published_at or now
    draft.change_note = change_note.strip()[:300]
    draft.save()
    log.append("catalog.version_published", actor=actor, agency=_event_agency(list(item.agencies.all())), obj=draft,
               payload={"version": snapshot(draft), "published_at": draft.published_at,
                        "previous": {"number": previous.number, "valid_to": previous.valid_to} if previous else None})
    return draft


def _replace_draft(item: EnforcementItem, draft: ItemVersion | None, data: VersionData) -> ItemVersion:
    """Write `data` as the item's draft (no event: the publishing action records the content)."""
    steps = _clean_data(data)
    if draft is None:
        number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = ItemVersion(item=item, number=number, status=VersionStatus.DRAFT, created_at=timezone.now(),
                            valid_from=timezone.localdate())
    else:
        draft.discretion.all().delete()
        ServiceGuide.objects.filter(version=draft).delete()
    draft.name, draft.basis_law = data.name.strip(), data.basis_law.strip()
    draft.basis_article, draft.basis_text = data.basis_article.strip(), data.basis_text.strip()
    draft.field, draft.steps = data.field.strip(), steps
    draft.save()
    _write_content(draft, data, _latest(item))
    return draft


@transaction.atomic
def repeal_item(
    actor: User | None, item: EnforcementItem, effective: dt.date, reason: str, basis_law: str,
    basis_article: str = "", published_at: dt.datetime | None = None,
) -> ItemVersion:
    """The law behind the item is repealed (or the power moved away): a repeal version from `effective`, the
    previous version ends the day before. `basis_*` name the repealing act. A pending draft is discarded (its
    content is in the event)."""
    item = _lock(item)
    _require_manage(actor, item.agencies.all())
    require(reason.strip(), "reason_required", rules.BASIS_CATALOG, "废止事项须说明理由")
    require(basis_law.strip(), "basis_law_required", rules.BASIS_CATALOG, "废止事项须写明废止依据")
    draft = _draft(item)
    discarded = snapshot(draft) if draft else None
    if draft is not None:
        draft.discretion.all().delete()
        ServiceGuide.objects.filter(version=draft).delete()
        draft.delete()
    previous = _close_previous(item, effective)
    require(previous is not None, "item_not_published", rules.BASIS_CATALOG, "事项尚未发布，无需废止")
    now = timezone.now()
    repeal = ItemVersion.objects.create(
        item=item, number=(item.versions.aggregate(n=Max("number"))["n"] or 0) + 1, name=previous.name,
        basis_law=basis_law.strip().strip("《》"), basis_article=basis_article.strip(), field=previous.field,
        steps=[], valid_from=effective, status=VersionStatus.REPEALED, change_note=reason.strip()[:300],
        created_at=now, published_at=published_at or now,
    )
    log.append("catalog.item_repealed", actor=actor, agency=_event_agency(list(item.agencies.all())), obj=repeal,
               payload={"version": snapshot(repeal), "published_at": repeal.published_at,
                        "previous": {"number": previous.number, "valid_to": previous.valid_to},
                        "discarded_draft": discarded})
    return repeal


@transaction.atomic
def publish_to_portal(actor: User | None, version: ItemVersion) -> ItemVersion:
    """The publicity officer puts a published change on the public portal (事前公示)."""
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
    _require_manage(actor, version.item.agencies.all())
    require(version.status != VersionStatus.DRAFT, "draft_not_public", rules.BASIS_PORTAL, "草稿不能公示")
    require(version.portal_published_at is None, "already_on_portal", rules.BASIS_PORTAL, "该版本已在门户公示")
    version.portal_published_at = timezone.now()
    version.save(update_fields=["portal_published_at"])
    log.append("catalog.portal_published", actor=actor, agency=_event_agency(list(version.item.agencies.all())),
               obj=version, payload={"code": version.item.code, "number": version.number,
                                     "published_at": version.published_at, "portal_published_at":
                                     version.portal_published_at})
    return version


@transaction.atomic
def set_item_agencies(actor: User | None, item: EnforcementItem, agencies: Sequence[Agency]) -> EnforcementItem:
    """机构职能调整: the item moves to (or is shared with) other agencies."""
    item = _lock(item)
    before = list(item.agencies.all())
    agencies = list(agencies)
    require(agencies, "item_without_agency", rules.BASIS_CATALOG, "事项须至少有一个实施主体")
    _require_manage(actor, before + agencies)
    item.agencies.set(agencies)
    log.append("catalog.agencies_changed", actor=actor, agency=_event_agency(agencies), obj=item, payload={
        "code": item.code, "from": sorted(a.code for a in before), "to": sorted(a.code for a in agencies)})
    return item


@transaction.atomic
def record_import(actor: User | None, agency: Agency | None, filename: str, sha256: str,
                  summary: dict[str, int]) -> None:
    """The import of a list as a whole (its rows' own actions are recorded too)."""
    log.append("catalog.imported", actor=actor, agency=agency, payload={
        "filename": filename[:200], "sha256": sha256, **summary})


# --- audio-video item list ---

DEFAULT_AV_DETAILS = {
    av_rules.AVRequirement.NONE: ("文字记录（笔录、文书），必要时照相", "执法现场、办公场所",
                                  "执法人员、当事人、时间、地点、经过"),
    av_rules.AVRequirement.AV: ("执法记录仪音视频记录", "执法现场", "亮证告知、检查或取证经过、当事人陈述、文书送达"),
    av_rules.AVRequirement.FULL: ("执法记录仪全过程音视频记录（不少于两台设备交替）", "执法现场及执法场所",
                                  "自到达现场至离开现场的全部过程，含清点、封存、交付清单"),
}
DEFAULT_AV_RETENTION_YEARS = 30


def _check_av(activity_code: str, requirement: str) -> None:
    require(requirement in av_rules.AVRequirement._value2member_map_, "av_requirement_unknown",
            av_rules.BASIS_AV, "记录要求须为文字记录、音像记录或全过程音像记录")
    default = av_rules.default_activity(activity_code)
    if default is not None:
        require(AV_ORDER.index(av_rules.AVRequirement(requirement)) >= AV_ORDER.index(default.requirement),
                "av_requirement_below_law", av_rules.BASIS_AV,
                f"“{default.name}”按规定须{dict(AVItem._meta.get_field('requirement').choices)[default.requirement]}，"
                "清单不得降低要求")


@transaction.atomic
def install_default_av_items(actor: User | None, agency: Agency, field: str = "") -> list[AVItem]:
    """An agency's AV item list starts from the law's default table (zhifa.law.av_rules); existing rows stay."""
    _require_manage(actor, [agency])
    existing = set(AVItem.objects.filter(agency=agency).values_list("activity_code", flat=True))
    created = []
    for activity in av_rules.DEFAULT_AV_ACTIVITIES:
        if activity.code in existing:
            continue
        method, place, content = DEFAULT_AV_DETAILS[activity.requirement]
        created.append(AVItem.objects.create(
            agency=agency, activity_code=activity.code, activity_name=activity.name, stage=activity.stage,
            field=field, requirement=activity.requirement.value, record_method=method, place=place,
            content=content, retention_years=DEFAULT_AV_RETENTION_YEARS,
        ))
    log.append("catalog.av_items_installed", actor=actor, agency=agency,
               payload={"activities": [a.activity_code for a in created]})
    return created


@transaction.atomic
def set_av_item(
    actor: User | None, agency: Agency, activity_code: str, *, activity_name: str, stage: str, requirement: str,
    record_method: str, place: str, content: str, retention_years: int, field: str = "",
) -> AVItem:
    """Add or change one row of the agency's AV list; a row never asks less than the law's default."""
    _require_manage(actor, [agency])
    _check_av(activity_code, requirement)
    require(activity_name.strip() and stage.strip(), "av_item_incomplete", av_rules.BASIS_AV,
            "音像记录事项须写明执法环节和阶段")
    require(retention_years >= 1, "av_retention_too_short", av_rules.BASIS_AV, "存储期限至少1年")
    values = {"activity_name": activity_name, "stage": stage, "requirement": requirement, "field": field,
              "record_method": record_method, "place": place, "content": content, "retention_years": retention_years}
    row, created = AVItem.objects.update_or_create(agency=agency, activity_code=activity_code, defaults=values)
    log.append("catalog.av_item_set", actor=actor, agency=agency, obj=row,
               payload={"activity_code": activity_code, "created": created, **values})
    return row


def av_requirement(agency: Agency | int, activity_code: str) -> av_rules.AVRequirement:
    """What the record of `activity_code` needs at `agency`: the agency's list, else the law's default; never
    less than the default (seed §二(二)2). An activity known to neither is an error (ValueError)."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    default = av_rules.default_activity(activity_code)
    row = AVItem.objects.filter(agency_id=agency_id, activity_code=activity_code).values_list(
        "requirement", flat=True).first()
    if row is None and default is None:
        raise ValueError(f"unknown AV activity {activity_code!r}: not in the agency's list nor the law's default")
    candidates = [av_rules.AVRequirement(r) for r in (row,) if r] + ([default.requirement] if default else [])
    return max(candidates, key=AV_ORDER.index)


# --- random inspections (双随机、一公开) ---

@transaction.atomic
def create_inspection_list(
    actor: User | None, agency: Agency, *, title: str, items: Sequence[EnforcementItem], subject_scope: str,
    subject_total: int, sample_size: int, period_start: dt.date, period_end: dt.date, officer_pool: int = 0,
    publish: bool = True,
) -> RandomInspectionList:
    _require_manage(actor, [agency])
    require(title.strip() and subject_scope.strip(), "inspection_incomplete", rules.BASIS_INSPECTION,
            "抽查清单须写明任务名称和抽查对象范围")
    require(items, "inspection_without_items", rules.BASIS_INSPECTION, "抽查清单须列明抽查事项")
    for item in items:
        require(item.kind == ItemKind.INSPECTION and item.agencies.filter(pk=agency.pk).exists(),
                "inspection_item_invalid", rules.BASIS_INSPECTION,
                f"{item.code} 不是本机关的行政检查事项，不能列入抽查清单")
    require(0 < sample_size <= subject_total, "inspection_sample_invalid", rules.BASIS_INSPECTION,
            "抽取数量须大于0且不超过名录库数量")
    require(period_end >= period_start, "inspection_period_reversed", rules.BASIS_INSPECTION,
            "检查截止日期早于起始日期")
    now = timezone.now()
    inspection = RandomInspectionList.objects.create(
        agency=agency, title=title.strip(), subject_scope=subject_scope.strip(), subject_total=subject_total,
        sample_size=sample_size, officer_pool=officer_pool, period_start=period_start, period_end=period_end,
        created_at=now, published_at=now if publish else None,
    )
    inspection.items.set(items)
    log.append("catalog.inspection_list_created", actor=actor, agency=agency, obj=inspection, payload={
        "title": inspection.title, "items": [i.code for i in items], "subject_total": subject_total,
        "sample_size": sample_size, "period": [period_start, period_end], "published": publish})
    return inspection


@transaction.atomic
def record_inspection_result(
    actor: User | None, inspection: RandomInspectionList, *, subject_name: str, inspected_on: dt.date, result: str,
    credit_code: str = "", detail: str = "",
) -> RandomInspectionResult:
    inspection = RandomInspectionList.objects.select_for_update().get(pk=inspection.pk)
    _require_manage(actor, [inspection.agency_id])
    require(subject_name.strip(), "inspection_subject_required", rules.BASIS_INSPECTION, "须写明检查对象名称")
    require(result in InspectionOutcome.values, "inspection_result_unknown", rules.BASIS_INSPECTION, "检查结果无法识别")
    credit_code = identifiers.normalize_credit_code(credit_code) if credit_code else ""
    require(not credit_code or identifiers.is_valid_credit_code(credit_code), "invalid_credit_code",
            rules.BASIS_INSPECTION, f"统一社会信用代码 {credit_code} 校验不通过")
    require(inspection.period_start <= inspected_on <= inspection.period_end, "inspection_out_of_period",
            rules.BASIS_INSPECTION, "检查日期不在抽查期间内")
    require(inspection.results.count() < inspection.sample_size, "inspection_sample_exceeded",
            rules.BASIS_INSPECTION, "检查结果数已达到抽取数量")
    row = RandomInspectionResult.objects.create(
        inspection_list=inspection, subject_name=subject_name.strip(), credit_code=credit_code,
        inspected_on=inspected_on, result=result, detail=detail.strip())
    log.append("catalog.inspection_result_recorded", actor=actor, agency=inspection.agency, obj=row, payload={
        "list": inspection.pk, "subject_name": row.subject_name, "credit_code": credit_code,
        "inspected_on": inspected_on, "result": result, "detail": row.detail})
    return row


@transaction.atomic
def publish_inspection_results(actor: User | None, inspection: RandomInspectionList) -> int:
    """Publish the list (if not yet) and every unpublished result: the "一公开" of 双随机、一公开."""
    inspection = RandomInspectionList.objects.select_for_update().get(pk=inspection.pk)
    _require_manage(actor, [inspection.agency_id])
    now = timezone.now()
    ids = list(inspection.results.filter(published_at__isnull=True).values_list("pk", flat=True))
    require(ids or inspection.published_at is None, "nothing_to_publish", rules.BASIS_INSPECTION,
            "没有待公示的抽查结果")
    RandomInspectionResult.objects.filter(pk__in=ids).update(published_at=now)
    if inspection.published_at is None:
        inspection.published_at = now
        inspection.save(update_fields=["published_at"])
    log.append("catalog.inspection_results_published", actor=actor, agency=inspection.agency, obj=inspection,
               payload={"results": ids, "published_at": now})
    return len(ids)


def portal_working_days() -> int:
    """The configured portal deadline (default rules.PORTAL_WORKING_DAYS)."""
    return int(getattr(settings, "ZHIFA_CATALOG_PORTAL_WORKING_DAYS", rules.PORTAL_WORKING_DAYS))
