"""The demo catalog fills every public catalog page with real content (issue 6 §6: ≥ 60 items across the agencies,
with guides and discretion standards)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.utils import timezone

from zhifa.catalog import alerts, flowchart
from zhifa.catalog.demo import load_demo_catalog
from zhifa.catalog.models import (
    AVItem,
    EnforcementItem,
    ItemKind,
    ItemVersion,
    RandomInspectionList,
    ServiceGuide,
    VersionStatus,
)
from zhifa.law.av_rules import DEFAULT_AV_ACTIVITIES
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(make_user):
    """The demo district's agencies (as zhifa.demo.load defines them) and its administrator, then the catalog."""
    from tests.conftest import credit_code
    from zhifa.demo.load import AGENCIES, TOWN_CODES, TOWNS
    from zhifa.people.models import Agency, AgencyLevel, Role

    specs = [(a.code, a.name, a.short_name, a.level) for a in AGENCIES]
    specs += [(f"lk-{code}", f"株洲市渌口区{town}人民政府", town, AgencyLevel.TOWN)
              for town, code in zip(TOWNS, TOWN_CODES, strict=True)]
    for serial, (code, name, short_name, level) in enumerate(specs, 900):
        Agency.objects.create(code=code, name=name, short_name=short_name, level=level, kind="administrative",
                              credit_code=credit_code(serial), jurisdiction="株洲市渌口区", phone="0731-22000000")
    make_user(role=Role.ADMIN, username="admin", is_superuser=True, is_staff=True)
    assert load_demo_catalog() >= 60


def test_at_least_sixty_items_across_the_agencies(demo):
    items = EnforcementItem.objects.prefetch_related("agencies")
    assert items.count() >= 60
    owners = Counter(a.code for item in items for a in item.agencies.all())
    for code in ("lk-scjg", "lk-cgzf", "lk-xzsp", "lk-czj", "lk-fgj", "lk-sfj", "lk-lukou"):
        assert owners[code] >= 1, code
    kinds = Counter(items.values_list("kind", flat=True))
    assert kinds[ItemKind.PENALTY] >= 30 and kinds[ItemKind.LICENSING] >= 10 and kinds[ItemKind.COERCION] >= 3
    assert kinds[ItemKind.INSPECTION] >= 5


def test_every_item_has_steps_and_penalties_have_discretion_and_licences_guides(demo):
    for version in ItemVersion.objects.exclude(status=VersionStatus.REPEALED).select_related("item"):
        assert version.steps, version
        assert version.basis_article and version.basis_law
        ET.fromstring(flowchart.version_svg(version))
        if version.item.kind == ItemKind.PENALTY:
            assert version.discretion.count() >= 2, version
        if version.item.kind == ItemKind.LICENSING:
            assert ServiceGuide.objects.filter(version=version).exists(), version


def test_bases_are_paraphrased_not_quoted(demo):
    for version in ItemVersion.objects.exclude(status=VersionStatus.REPEALED):
        assert version.basis_text.endswith("（摘要）"), version


def test_history_repeal_and_portal_alert_are_shown(demo):
    assert ItemVersion.objects.filter(number__gt=1, status=VersionStatus.PUBLISHED).count() >= 3
    unlicensed = EnforcementItem.objects.get(code="LK-CF-SCJG-008")
    assert unlicensed.version_on(dt.date(2022, 2, 28)).basis_law == "无证无照经营查处办法"
    assert unlicensed.version_on(dt.date(2022, 3, 1)).basis_law == "中华人民共和国市场主体登记管理条例"
    assert ItemVersion.objects.filter(status=VersionStatus.REPEALED).exists()
    stale = [s.version.item.code for s in alerts.stale_portal_items(timezone.localdate())]
    assert "LK-CF-SCJG-005" in stale and "LK-XK-XZSP-013" not in stale


def test_av_lists_and_the_random_inspection(demo):
    assert AVItem.objects.filter(agency__code="lk-scjg").count() == len(DEFAULT_AV_ACTIVITIES)
    assert AVItem.objects.filter(agency__code="lk-longmen").exists()
    inspection = RandomInspectionList.objects.get()
    assert inspection.results.filter(published_at__isnull=False).count() == inspection.sample_size


def test_loading_again_changes_nothing(demo):
    counts = (EnforcementItem.objects.count(), ItemVersion.objects.count(), Event.objects.count())
    assert load_demo_catalog() == 0
    assert (EnforcementItem.objects.count(), ItemVersion.objects.count(), Event.objects.count()) == counts


def test_public_pages_show_demo_content(client, demo):
    html = client.get("/public/catalog/").content.decode()
    assert "食品经营许可" in html  # licences first, in the order of the seed's list of types
    assert "对经营超过保质期的食品的行政处罚" in client.get("/public/catalog/?kind=penalty").content.decode()
    count = int(html.split("共 ")[1].split(" 项")[0])
    assert count >= 60
    for code in ("LK-CF-SCJG-001", "LK-XK-XZSP-001", "LK-QZ-CGZF-002", "LK-CF-XZ-001"):
        assert client.get(f"/public/catalog/items/{code}/").status_code == 200, code
    html = client.get("/public/catalog/items/LK-XK-XZSP-001/").content.decode()
    assert "服务指南" in html and "食品经营许可申请书" in html
    html = client.get(f"/public/catalog/inspections/{RandomInspectionList.objects.get().pk}/").content.decode()
    assert "株洲渌口惠民超市有限公司" in html

