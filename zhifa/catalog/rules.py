"""The catalog's rules and their sources, and the text formats agencies use in their lists (no database here).

Seed §二(一)1 (强化事前公示): agencies publish their enforcement item list (行政执法事项清单), flowcharts and service
guides; licensing and other application items follow "四级四同" (national, provincial, city and county lists use the
same item name, code, type and legal basis), the others "三级四同"; lists are adjusted dynamically ("动态调整") as laws
are made, amended or repealed (立改废) and as agencies' functions change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Final

from zhifa.law.workdays import UnknownYearError, add_working_days

BASIS_CATALOG: Final = "实施办法二(一)1（事前公示：“四级四同”行政执法事项清单、动态调整）"
BASIS_MANAGER: Final = "实施办法二(一)1（明确专人负责事前公示，健全公开审核机制）"
BASIS_DISCRETION: Final = "《行政处罚法》第三十四条（行政处罚裁量基准应当向社会公布）"
BASIS_INSPECTION: Final = "实施办法二(一)1（“双随机、一公开”）；国办发〔2018〕118号"

PORTAL_WORKING_DAYS: Final = 5
"""A change published in the platform must be on the public portal within this many working days.

The seed asks for timely dynamic adjustment (“根据法律法规的立改废及机构职能调整情况及时进行动态调整”) without a
number; five working days is this platform's reading of “及时” (issue 6), a setting (ZHIFA_CATALOG_PORTAL_WORKING_DAYS),
not a statutory period."""

BASIS_PORTAL: Final = (
    "实施办法二(一)1“根据法律法规的立改废及机构职能调整情况及时进行动态调整”；"
    "“及时”按本平台设定的5个工作日掌握（非法定期限，可配置）"
)

MAX_STEPS: Final = 20
MAX_STEP_TITLE: Final = 40
MAX_STEP_NOTE: Final = 200


def portal_deadline(published_on: dt.date, working_days: int = PORTAL_WORKING_DAYS,
                    add: Callable[[dt.date, int], dt.date] = add_working_days) -> dt.date:
    """The last day on which a change published on `published_on` may still go on the portal."""
    return add(published_on, working_days)


def portal_overdue(published_on: dt.date, today: dt.date, working_days: int = PORTAL_WORKING_DAYS,
                   add: Callable[[dt.date, int], dt.date] = add_working_days) -> bool:
    """True once more than `working_days` working days have passed since `published_on` (the deadline day itself
    is still in time). A deadline beyond the known holiday calendar lies after `today`, so it is not overdue; an
    unknown year up to `today` is an error (never a guess)."""
    try:
        return today > portal_deadline(published_on, working_days, add)
    except UnknownYearError as exc:
        if exc.year > today.year:
            return False
        raise


# --- 设定依据 in one cell, as agencies write it: 《法律名称》第X条第Y款：条文（摘要） ---

_BASIS_RE = re.compile(r"^\s*《(?P<law>[^《》]+)》\s*(?P<article>[^：:]*?)\s*(?:[：:]\s*(?P<text>.*))?\s*$", re.S)


def parse_basis(cell: str) -> tuple[str, str, str]:
    """Split a 设定依据 cell into (law name without 《》, article, text). Raises ValueError with a Chinese reason."""
    match = _BASIS_RE.match(cell or "")
    if not match:
        raise ValueError("设定依据须以《法律法规名称》开头，如“《中华人民共和国食品安全法》第一百二十四条：……”")
    law, article, text = match["law"].strip(), match["article"].strip(), (match["text"] or "").strip()
    if not article:
        raise ValueError("设定依据未注明条款（如“第一百二十四条”）")
    if not article.startswith("第") and "条" not in article and "项" not in article:
        raise ValueError(f"设定依据的条款“{article}”无法识别，应写作“第X条”")
    return law, article, text


def format_basis(law: str, article: str, text: str = "") -> str:
    """The inverse of `parse_basis`."""
    basis = f"《{law}》{article}"
    return f"{basis}：{text}" if text else basis


def normalise_steps(steps: object) -> list[dict[str, str]]:
    """Declared procedure steps as a list of {"title", "note"?, "exit"?}; plain strings are titles.
    Raises ValueError with a Chinese reason."""
    if not isinstance(steps, list):
        raise ValueError("办理流程须为步骤列表")
    if len(steps) > MAX_STEPS:
        raise ValueError(f"办理流程最多 {MAX_STEPS} 个步骤")
    result = []
    for number, step in enumerate(steps, 1):
        if isinstance(step, str):
            step = {"title": step}
        if not isinstance(step, dict):
            raise ValueError(f"第 {number} 个步骤格式不正确")
        title = str(step.get("title", "")).strip()
        if not title or len(title) > MAX_STEP_TITLE:
            raise ValueError(f"第 {number} 个步骤须有名称，且不超过 {MAX_STEP_TITLE} 个字")
        clean = {"title": title}
        for key in ("note", "exit"):
            value = str(step.get(key, "") or "").strip()
            if len(value) > MAX_STEP_NOTE:
                raise ValueError(f"第 {number} 个步骤的说明不超过 {MAX_STEP_NOTE} 个字")
            if value:
                clean[key] = value
        result.append(clean)
    return result
