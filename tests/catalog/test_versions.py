"""Versioned items (Open Zaak style): a change makes a new version from its date, the old one keeps its dates;
a repeal is a version too; every action appends exactly one record event in its transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.catalog.conftest import version_data
from zhifa.catalog import actions
from zhifa.catalog.models import EnforcementItem, ItemVersion, ServiceGuide, VersionStatus
from zhifa.core.errors import RuleViolation
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


def _events() -> int:
    return Event.objects.count()


def test_create_item_makes_version_one_and_appends_one_event(world):
    before = _events()
    item = actions.create_item(world["head_a"], code="LK-CF-T-001", kind="penalty", level="county",
                               agencies=[world["a"]], data=version_data(), valid_from=dt.date(2020, 1, 1))
    assert _events() == before + 1
    event = Event.objects.order_by("-seq").first()
    assert event.event_type == "catalog.item_created" and event.agency_id == world["a"].pk
    assert event.payload["version"]["basis_article"] == "第一百二十四条"
    assert len(event.payload["version"]["discretion"]) == 3
    assert event.payload["version"]["guide"]["time_limit_days"] == 5
    version = item.versions.get()
    assert (version.number, version.status, version.valid_to) == (1, VersionStatus.PUBLISHED, None)
    assert version.published_at is not None and version.portal_published_at is None


def test_new_version_closes_previous_the_day_before_and_keeps_history(make_item, world):
    item = make_item()
    before = _events()
    v2 = actions.publish_version(world["head_a"], item, dt.date(2021, 4, 29),
                                 version_data(article="第一百二十四条第一款"), change_note="法律修正")
    assert _events() == before + 1
    v1 = item.versions.get(number=1)
    assert v1.valid_to == dt.date(2021, 4, 28) and v1.basis_article == "第一百二十四条"
    assert v2.number == 2 and v2.valid_from == dt.date(2021, 4, 29) and v2.valid_to is None
    assert item.version_on(dt.date(2021, 4, 28)) == v1
    assert item.version_on(dt.date(2021, 4, 29)) == v2
    assert item.version_on(dt.date(2019, 12, 31)) is None
    assert v1.discretion.count() == 3  # history kept, content untouched
    payload = Event.objects.order_by("-seq").first().payload
    assert payload["previous"] == {"number": 1, "valid_to": "2021-04-28"}


def test_new_version_carries_discretion_and_guide_over_unless_given(make_item, world):
    item = make_item()
    v2 = actions.publish_version(world["head_a"], item, dt.date(2021, 1, 1),
                                 version_data(discretion=None, guide=None), change_note="条文调整")
    assert v2.discretion.count() == 3 and ServiceGuide.objects.get(version=v2).time_limit_days == 5
    v3 = actions.publish_version(world["head_a"], item, dt.date(2022, 1, 1), version_data(discretion=[]),
                                 change_note="取消裁量基准")
    assert v3.discretion.count() == 0 and v2.discretion.count() == 3


def test_new_version_must_start_after_the_current_one(make_item, world):
    item = make_item(valid_from=dt.date(2020, 1, 1))
    with pytest.raises(RuleViolation) as caught:
        actions.publish_version(world["head_a"], item, dt.date(2020, 1, 1), version_data(), change_note="x")
    assert caught.value.code == "version_not_after_previous"
    assert item.versions.count() == 1 and item.versions.get().valid_to is None


def test_new_version_needs_a_reason(make_item, world):
    item = make_item()
    with pytest.raises(RuleViolation) as caught:
        actions.publish_version(world["head_a"], item, dt.date(2021, 1, 1), version_data())
    assert caught.value.code == "change_note_required"


def test_repeal_adds_a_repeal_version_and_closes_the_current(make_item, world):
    item = make_item()
    before = _events()
    repeal = actions.repeal_item(world["head_a"], item, dt.date(2023, 3, 1), "法律废止", "某某法废止决定")
    assert _events() == before + 1
    assert Event.objects.order_by("-seq").first().event_type == "catalog.item_repealed"
    assert repeal.status == VersionStatus.REPEALED and repeal.number == 2 and repeal.basis_law == "某某法废止决定"
    assert item.versions.get(number=1).valid_to == dt.date(2023, 2, 28)
    assert item.version_on(dt.date(2023, 2, 28)).number == 1
    assert item.version_on(dt.date(2023, 3, 1)) == repeal and not repeal.is_in_force(dt.date(2023, 3, 1))
    with pytest.raises(RuleViolation) as caught:
        actions.publish_version(world["head_a"], item, dt.date(2024, 1, 1), version_data(), change_note="x")
    assert caught.value.code == "item_repealed"
    with pytest.raises(RuleViolation):
        actions.repeal_item(world["head_a"], item, dt.date(2024, 1, 1), "再次废止", "x")


def test_draft_is_saved_then_published(make_item, world):
    item = make_item()
    draft = actions.save_draft(world["head_a"], item, version_data(name="新名称"))
    assert draft.status == VersionStatus.DRAFT and draft.number == 2
    again = actions.save_draft(world["head_a"], item, version_data(name="再改名称"))
    assert again.pk == draft.pk and item.versions.count() == 2
    assert item.latest_version().number == 1  # drafts are not the current content
    published = actions.publish_version(world["head_a"], item, dt.date(2022, 5, 1), change_note="更名")
    assert published.pk == draft.pk and published.status == VersionStatus.PUBLISHED and published.name == "再改名称"


def test_repeal_discards_a_pending_draft_into_the_record(make_item, world):
    item = make_item()
    actions.save_draft(world["head_a"], item, version_data(name="草稿"))
    actions.repeal_item(world["head_a"], item, dt.date(2023, 1, 1), "废止", "废止决定")
    assert not item.versions.filter(status=VersionStatus.DRAFT).exists()
    assert Event.objects.order_by("-seq").first().payload["discarded_draft"]["name"] == "草稿"


@pytest.mark.parametrize("who", ["officer_a", "head_b"])
def test_only_the_owning_agencys_managers_change_its_items(make_item, world, who):
    item = make_item()
    before = _events()
    with pytest.raises(RuleViolation) as caught:
        actions.publish_version(world[who], item, dt.date(2021, 1, 1), version_data(), change_note="x")
    assert caught.value.code == "catalog_not_permitted"
    with pytest.raises(RuleViolation):
        actions.create_item(world[who], code="LK-X-0001", kind="penalty", level="county", agencies=[world["a"]],
                            data=version_data(), valid_from=dt.date(2020, 1, 1))
    assert _events() == before and item.versions.count() == 1


def test_supervisor_and_admin_manage_every_agencys_items(make_item, world):
    item = make_item()
    actions.publish_version(world["supervisor"], item, dt.date(2021, 1, 1), version_data(), change_note="x")
    actions.publish_version(world["admin"], item, dt.date(2022, 1, 1), version_data(), change_note="y")
    assert item.versions.count() == 3


def test_item_code_is_unique_and_well_formed(make_item, world):
    make_item(code="LK-CF-T-001")
    for code, problem in (("LK-CF-T-001", "item_code_taken"), ("坏编码", "item_code_invalid")):
        with pytest.raises(RuleViolation) as caught:
            actions.create_item(world["head_a"], code=code, kind="penalty", level="county", agencies=[world["a"]],
                                data=version_data(), valid_from=dt.date(2020, 1, 1))
        assert caught.value.code == problem
    assert EnforcementItem.objects.count() == 1


def test_invalid_content_is_refused_with_a_code_and_basis(world):
    bad = [
        (version_data(basis_article=""), "basis_article_required"),
        (version_data(steps=[{"title": ""}]), "steps_invalid"),
        (version_data(discretion=[actions.DiscretionData("huge", "x", "罚款")]), "discretion_circumstance_unknown"),
    ]
    for data, code in bad:
        with pytest.raises(RuleViolation) as caught:
            actions.create_item(world["head_a"], code="LK-CF-T-009", kind="penalty", level="county",
                                agencies=[world["a"]], data=data, valid_from=dt.date(2020, 1, 1))
        assert caught.value.code == code and caught.value.basis
    assert not ItemVersion.objects.exists()


def test_portal_publication_is_one_event_and_only_once(make_item, world):
    item = make_item(portal=False)
    version = item.versions.get()
    before = _events()
    actions.publish_to_portal(world["head_a"], version)
    assert _events() == before + 1
    version.refresh_from_db()
    assert version.portal_published_at is not None
    with pytest.raises(RuleViolation) as caught:
        actions.publish_to_portal(world["head_a"], version)
    assert caught.value.code == "already_on_portal"


def test_moving_an_item_to_another_agency_is_recorded(make_item, world):
    item = make_item()
    before = _events()
    actions.set_item_agencies(world["admin"], item, [world["b"]])
    assert _events() == before + 1
    assert list(item.agencies.all()) == [world["b"]]
    assert Event.objects.order_by("-seq").first().payload["to"] == ["agency-b"]


def test_discretion_standard_ranges_read_in_chinese(make_item):
    item = make_item()
    rows = {d.circumstance: d.penalty_range_display for d in item.versions.get().discretion.all()}
    assert rows["general"] == "罚款；罚款数额：50,000–65,000 元"
    assert rows["grave"] == "罚款；罚款数额：货值金额的 10–20 倍"
