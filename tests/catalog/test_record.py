"""Every catalog action appends exactly one record event, in its own transaction, with a Chinese label."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.catalog.conftest import version_data
from zhifa.catalog import actions
from zhifa.catalog.event_types import EVENT_LABELS
from zhifa.catalog.models import EnforcementItem
from zhifa.core.errors import RuleViolation
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


def _inspection(world, make_item):
    item = make_item(code="LK-JC-T-001", kind="inspection")
    return actions.create_inspection_list(world["head_a"], world["a"], title="抽查", items=[item],
                                          subject_scope="范围", subject_total=10, sample_size=3,
                                          period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                                          publish=False)


def _item(world, make_item):
    return make_item()


def _nothing(world, make_item):
    return None


# event type: (set-up through other actions, the action under test)
ACTIONS = {
    "catalog.item_created": (_nothing, lambda w, _: actions.create_item(
        w["head_a"], code="LK-N-0001", kind="penalty", level="county", agencies=[w["a"]], data=version_data(),
        valid_from=dt.date(2020, 1, 1))),
    "catalog.draft_saved": (_item, lambda w, item: actions.save_draft(w["head_a"], item, version_data(name="草稿"))),
    "catalog.version_published": (_item, lambda w, item: actions.publish_version(
        w["head_a"], item, dt.date(2021, 1, 1), version_data(), change_note="修正")),
    "catalog.item_repealed": (_item, lambda w, item: actions.repeal_item(
        w["head_a"], item, dt.date(2021, 1, 1), "废止", "决定")),
    "catalog.portal_published": (lambda w, m: m(portal=False), lambda w, item: actions.publish_to_portal(
        w["head_a"], item.versions.get())),
    "catalog.agencies_changed": (_item, lambda w, item: actions.set_item_agencies(w["admin"], item, [w["b"]])),
    "catalog.av_items_installed": (_nothing, lambda w, _: actions.install_default_av_items(w["head_a"], w["a"])),
    "catalog.av_item_set": (_nothing, lambda w, _: actions.set_av_item(
        w["head_a"], w["a"], "hearing", activity_name="听证", stage="审核决定", requirement="full",
        record_method="同步录音录像", place="听证室", content="听证全过程", retention_years=30)),
    "catalog.inspection_list_created": (
        lambda w, m: m(code="LK-JC-T-002", kind="inspection"),
        lambda w, item: actions.create_inspection_list(
            w["head_a"], w["a"], title="抽查", items=[item], subject_scope="范围", subject_total=10, sample_size=3,
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30))),
    "catalog.inspection_result_recorded": (_inspection, lambda w, inspection: actions.record_inspection_result(
        w["head_a"], inspection, subject_name="甲店", inspected_on=dt.date(2026, 2, 1), result="normal")),
    "catalog.inspection_results_published": (_inspection, lambda w, inspection: actions.publish_inspection_results(
        w["head_a"], inspection)),
    "catalog.imported": (_nothing, lambda w, _: actions.record_import(
        w["head_a"], w["a"], "x.xlsx", "0" * 64, {"rows": 0})),
}


@pytest.mark.parametrize("event_type", sorted(ACTIONS))
def test_each_action_appends_exactly_one_labelled_event(world, make_item, event_type):
    setup, act = ACTIONS[event_type]
    context = setup(world, make_item)
    before = Event.objects.count()
    act(world, context)
    assert Event.objects.count() == before + 1
    last = Event.objects.order_by("-seq").first()
    assert last.event_type == event_type and str(EVENT_LABELS[event_type])


def test_a_refused_action_leaves_neither_change_nor_event(world, make_item):
    item = make_item()
    before = Event.objects.count()
    with pytest.raises(RuleViolation):  # refused after the new content was written: all of it rolls back
        actions.publish_version(world["head_a"], item, dt.date(2019, 1, 1), version_data(name="新"),
                                change_note="早于现行版本")
    assert Event.objects.count() == before and item.versions.count() == 1
    assert not EnforcementItem.objects.filter(versions__name="新").exists()
