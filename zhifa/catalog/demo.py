"""The demo catalog: ≥ 60 items of the district's agencies with legal bases, discretion standards, service guides
and flowchart steps; each agency's AV item list from the law's default; one random-inspection list with results.

`load_demo_catalog()` runs after the demo agencies exist (zhifa.demo.load) and goes through the catalog's actions
(so the record has every change). Idempotent: items, AV lists and the inspection list already there are kept.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhifa.catalog import actions
from zhifa.catalog.demo_data import AV_FIELDS, INSPECTED, INSPECTION, ITEMS, TOWNS, Band, ItemSpec
from zhifa.catalog.models import AVItem, EnforcementItem, RandomInspectionList, VersionStatus
from zhifa.law import identifiers
from zhifa.people.models import Agency, User

AREA_CODE = "430212"
SEED = 20190901
HOURS = "工作日上午8:30—12:00，下午14:30—17:30"
FOUR_PLACES = Decimal("0.0001")


def _actor() -> User | None:
    return User.objects.filter(username="admin").first()


def _discretion(bands: list[Band]) -> list[actions.DiscretionData]:
    def dec(value) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(FOUR_PLACES)

    return [actions.DiscretionData(
        circumstance=b.circumstance, conditions=b.conditions, penalty_kinds=b.kinds,
        fine_min=dec(b.fine[0]) if b.fine else None, fine_max=dec(b.fine[1]) if b.fine else None,
        multiple_base=b.base, multiple_min=dec(b.multiple[0]) if b.multiple else None,
        multiple_max=dec(b.multiple[1]) if b.multiple else None, article=b.article,
    ) for b in bands]


def _guide(spec: ItemSpec, agencies: dict[str, Agency]) -> actions.GuideData | None:
    if spec.guide is None:
        return None
    owner = agencies[spec.agencies[0]]
    return actions.GuideData(
        accepting_body=spec.guide.accepting_body, conditions=spec.guide.conditions, materials=spec.guide.materials,
        time_limit_days=spec.guide.promised, statutory_limit_days=spec.guide.statutory, fees=spec.guide.fees,
        phone=owner.phone or "12345", location=spec.guide.location, hours=HOURS,
        complaint=f"12345政务服务便民热线；{owner.name}监督电话 {owner.phone or '12345'}；区政务服务中心投诉窗口",
    )


def _steps(spec: ItemSpec) -> list[dict]:
    from zhifa.catalog import demo_data

    if spec.steps is not None:
        return spec.steps
    return demo_data.PENALTY_STEPS if spec.kind == "penalty" else demo_data.APPLICATION_STEPS


def _at(day: dt.date) -> dt.datetime:
    """A past change is taken as published on the day it took effect, at 9:00."""
    return timezone.make_aware(dt.datetime.combine(min(day, timezone.localdate()), dt.time(9)))


def _create(spec: ItemSpec, actor: User | None, agencies: dict[str, Agency]) -> None:
    now = timezone.now()
    data = actions.VersionData(
        name=spec.name, basis_law=spec.law, basis_article=spec.article, basis_text=spec.summary, field=spec.field,
        steps=_steps(spec), discretion=_discretion(spec.bands), guide=_guide(spec, agencies),
    )
    recent = now - dt.timedelta(days=spec.published_days_ago) if spec.published_days_ago is not None else None
    item = actions.create_item(
        actor, code=spec.code, kind=spec.kind, level="county", agencies=[agencies[c] for c in spec.agencies],
        data=data, valid_from=spec.valid_from, published_at=recent or _at(spec.valid_from),
    )
    if spec.on_portal:
        actions.publish_to_portal(actor, item.versions.get(number=1))
    law, article, summary, bands = spec.law, spec.article, spec.summary, spec.bands
    for amendment in spec.amendments:
        law, article = amendment.law or law, amendment.article or article
        summary, bands = amendment.summary or summary, amendment.bands or bands
        version = actions.publish_version(actor, item, amendment.valid_from, actions.VersionData(
            name=amendment.name or spec.name, basis_law=law, basis_article=article, basis_text=summary,
            field=spec.field, steps=_steps(spec), discretion=_discretion(bands) if amendment.bands else None,
        ), change_note=amendment.note, published_at=_at(amendment.valid_from))
        actions.publish_to_portal(actor, version)
    if spec.repeal is not None:
        effective, reason, act = spec.repeal
        version = actions.repeal_item(actor, item, effective, reason, act, published_at=_at(effective))
        actions.publish_to_portal(actor, version)


def _inspection(actor: User | None) -> None:
    if RandomInspectionList.objects.filter(title=INSPECTION["title"]).exists():
        return
    rng = random.Random(SEED)
    agency = Agency.objects.get(code=INSPECTION["agency"])
    start, end = INSPECTION["period"]
    items = list(EnforcementItem.objects.filter(code__in=INSPECTION["items"]))
    inspection = actions.create_inspection_list(
        actor, agency, title=INSPECTION["title"], items=items,
        subject_scope=INSPECTION["scope"], subject_total=INSPECTION["total"], sample_size=INSPECTION["sample"],
        officer_pool=INSPECTION["officers"], period_start=start, period_end=end,
    )
    span = (min(end, timezone.localdate()) - start).days
    for name, category, result, detail in INSPECTED:
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        first17 = f"{category}{AREA_CODE}{body}"
        actions.record_inspection_result(
            actor, inspection, subject_name=name, credit_code=first17 + identifiers.credit_code_check_char(first17),
            inspected_on=start + dt.timedelta(days=rng.randrange(0, max(span, 1))), result=result, detail=detail,
        )
    actions.publish_inspection_results(actor, inspection)


@transaction.atomic
def load_demo_catalog() -> int:
    """Create the demo catalog unless there; returns how many items it created. Needs the demo agencies."""
    actor = _actor()
    agencies = {a.code: a for a in Agency.objects.all()}
    missing = {code for spec in ITEMS for code in spec.agencies} - set(agencies)
    if missing:
        raise LookupError(f"demo agencies missing: {sorted(missing)} (run the demo loader first)")
    existing = set(EnforcementItem.objects.values_list("code", flat=True))
    created = 0
    for spec in ITEMS:
        if spec.code not in existing:
            _create(spec, actor, agencies)
            created += 1
    for code, agency in agencies.items():
        if (code in AV_FIELDS or code in TOWNS) and not AVItem.objects.filter(agency=agency).exists():
            actions.install_default_av_items(actor, agency, field=AV_FIELDS.get(code, "乡镇综合执法"))
    _inspection(actor)
    return created


def demo_summary() -> dict[str, int]:
    return {
        "items": EnforcementItem.objects.count(),
        "in_force": EnforcementItem.objects.exclude(versions__status=VersionStatus.REPEALED).count(),
        "av_items": AVItem.objects.count(),
    }
