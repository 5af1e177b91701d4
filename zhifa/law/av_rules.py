"""Audio-video recording rules (音像记录) of the full-process record: seed §二(二)2; 国办发〔2018〕118号.

AV recording is required for contentious steps (现场检查、随机抽查、调查取证、证据保全、举行听证、行政强制、留置送达);
FULL-PROCESS AV for acts touching personal liberty, life and health or major property (查封扣押财产、土地和房屋征收、
强制拆除). Each agency keeps its own AV item list (音像记录事项清单); this table is the default it starts from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

BASIS_AV = "实施办法二(二)2；国办发〔2018〕118号"

# Full-process AV must cover at least this share of the activity's duration (gaps for battery/card changes).
FULL_PROCESS_MIN_COVERAGE = 0.95


class AVRequirement(StrEnum):
    NONE = "none"  # text record suffices
    AV = "av"  # audio-video record required
    FULL = "full"  # audio-video record of the whole activity required


@dataclass(frozen=True)
class AVActivity:
    code: str
    name: str
    stage: str  # APL Art. 47 stage: 启动 / 调查取证 / 审核决定 / 送达执行
    requirement: AVRequirement


DEFAULT_AV_ACTIVITIES: tuple[AVActivity, ...] = (
    AVActivity("onsite_inspection", "现场检查", "调查取证", AVRequirement.AV),
    AVActivity("random_inspection", "随机抽查", "调查取证", AVRequirement.AV),
    AVActivity("evidence_collection", "调查取证", "调查取证", AVRequirement.AV),
    AVActivity("inquiry", "询问", "调查取证", AVRequirement.NONE),
    AVActivity("evidence_preservation", "证据保全（先行登记保存）", "调查取证", AVRequirement.AV),
    AVActivity("hearing", "举行听证", "审核决定", AVRequirement.AV),
    AVActivity("coercive_measure", "行政强制措施", "调查取证", AVRequirement.AV),
    AVActivity("seizure", "查封、扣押财产", "调查取证", AVRequirement.FULL),
    AVActivity("expropriation", "土地和房屋征收", "送达执行", AVRequirement.FULL),
    AVActivity("forced_demolition", "强制拆除", "送达执行", AVRequirement.FULL),
    AVActivity("lodged_service", "留置送达", "送达执行", AVRequirement.AV),
    AVActivity("direct_service", "直接送达", "送达执行", AVRequirement.NONE),
)


def default_activity(code: str) -> AVActivity | None:
    return next((a for a in DEFAULT_AV_ACTIVITIES if a.code == code), None)


def av_requirement_met(requirement: AVRequirement, activity_seconds: float, recorded_seconds: float,
                       recordings: int) -> bool:
    """Seed §二(二)2: AV activities need at least one AV recording; full-process ones need recordings covering
    FULL_PROCESS_MIN_COVERAGE of the activity (start to end)."""
    if requirement == AVRequirement.NONE:
        return True
    if recordings == 0:
        return False
    if requirement == AVRequirement.AV:
        return True
    return recorded_seconds >= FULL_PROCESS_MIN_COVERAGE * max(activity_seconds, 0.0)


def activity_seconds(started: dt.datetime, ended: dt.datetime) -> float:
    return (ended - started).total_seconds()
