"""The AV item list (seed §二(二)2) with the law's default as the floor; random-inspection lists and results."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.catalog import actions
from zhifa.catalog.models import AVItem, RandomInspectionResult
from zhifa.core.errors import RuleViolation
from zhifa.law import identifiers
from zhifa.law.av_rules import DEFAULT_AV_ACTIVITIES, AVRequirement
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db


def credit_code(serial: int) -> str:
    first17 = f"92430212{serial:09d}"
    return first17 + identifiers.credit_code_check_char(first17)


def test_av_requirement_falls_back_to_the_law_default(world):
    assert actions.av_requirement(world["a"], "seizure") == AVRequirement.FULL
    assert actions.av_requirement(world["a"], "inquiry") == AVRequirement.NONE
    with pytest.raises(ValueError):
        actions.av_requirement(world["a"], "no-such-activity")


def test_agency_list_may_ask_more_never_less_than_the_law(world):
    before = Event.objects.count()
    actions.set_av_item(world["head_a"], world["a"], "inquiry", activity_name="询问", stage="调查取证",
                        requirement="av", record_method="同步录音录像", place="询问室", content="询问全过程",
                        retention_years=30)
    assert Event.objects.count() == before + 1
    assert actions.av_requirement(world["a"], "inquiry") == AVRequirement.AV
    assert actions.av_requirement(world["b"], "inquiry") == AVRequirement.NONE
    with pytest.raises(RuleViolation) as caught:
        actions.set_av_item(world["head_a"], world["a"], "seizure", activity_name="查封扣押", stage="调查取证",
                            requirement="av", record_method="照相", place="现场", content="清点", retention_years=30)
    assert caught.value.code == "av_requirement_below_law" and "实施办法" in caught.value.basis
    actions.set_av_item(world["head_a"], world["a"], "night_check", activity_name="夜间检查", stage="调查取证",
                        requirement="full", record_method="执法记录仪", place="现场", content="全过程",
                        retention_years=10)
    assert actions.av_requirement(world["a"], "night_check") == AVRequirement.FULL


def test_default_av_list_is_installed_once_with_one_event(world):
    before = Event.objects.count()
    created = actions.install_default_av_items(world["head_a"], world["a"], field="市场监管")
    assert len(created) == len(DEFAULT_AV_ACTIVITIES) and Event.objects.count() == before + 1
    row = AVItem.objects.get(agency=world["a"], activity_code="seizure")
    assert row.requirement == "full" and row.retention_years == 30 and row.field == "市场监管"
    assert actions.install_default_av_items(world["head_a"], world["a"]) == []
    with pytest.raises(RuleViolation):
        actions.install_default_av_items(world["head_b"], world["a"])


def _inspection(world, make_item, **extra):
    item = make_item(code="LK-JC-T-001", kind="inspection")
    values = {"title": "2026年度食品经营者抽查", "items": [item], "subject_scope": "持证食品经营者",
              "subject_total": 100, "sample_size": 2, "period_start": dt.date(2026, 3, 1),
              "period_end": dt.date(2026, 10, 31), "officer_pool": 10}
    values.update(extra)
    return actions.create_inspection_list(world["head_a"], world["a"], **values)


def test_inspection_list_results_and_publication(world, make_item):
    before = Event.objects.count()
    inspection = _inspection(world, make_item, publish=False)
    assert Event.objects.count() == before + 3  # item, portal, list
    result = actions.record_inspection_result(world["head_a"], inspection, subject_name="渌口惠民超市",
                                              credit_code=credit_code(1), inspected_on=dt.date(2026, 5, 6),
                                              result="corrected", detail="责令改正")
    assert not result.published and Event.objects.count() == before + 4
    assert actions.publish_inspection_results(world["head_a"], inspection) == 1
    assert Event.objects.count() == before + 5
    result.refresh_from_db()
    inspection.refresh_from_db()
    assert result.published and inspection.published_at is not None


def test_inspection_rules(world, make_item):
    penalty = make_item(code="LK-CF-T-001")
    with pytest.raises(RuleViolation) as caught:
        actions.create_inspection_list(world["head_a"], world["a"], title="t", items=[penalty], subject_scope="s",
                                       subject_total=10, sample_size=1, period_start=dt.date(2026, 1, 1),
                                       period_end=dt.date(2026, 2, 1))
    assert caught.value.code == "inspection_item_invalid"
    inspection = _inspection(world, make_item, sample_size=1)
    cases = [
        ({"inspected_on": dt.date(2025, 1, 1)}, "inspection_out_of_period"),
        ({"credit_code": "91430212000000000X"}, "invalid_credit_code"),
        ({"result": "great"}, "inspection_result_unknown"),
    ]
    for change, code in cases:
        values = {"subject_name": "甲店", "inspected_on": dt.date(2026, 5, 1), "result": "normal", **change}
        with pytest.raises(RuleViolation) as caught:
            actions.record_inspection_result(world["head_a"], inspection, **values)
        assert caught.value.code == code
    actions.record_inspection_result(world["head_a"], inspection, subject_name="甲店",
                                     inspected_on=dt.date(2026, 5, 1), result="normal")
    with pytest.raises(RuleViolation) as caught:
        actions.record_inspection_result(world["head_a"], inspection, subject_name="乙店",
                                         inspected_on=dt.date(2026, 5, 2), result="normal")
    assert caught.value.code == "inspection_sample_exceeded"
    assert RandomInspectionResult.objects.count() == 1
