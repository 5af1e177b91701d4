"""The annual report's rules (年度报告), each citing its source.

Seed §二(一)3 (实施办法“推进事后公开”): 行政执法机关应当于每年1月20日前公开本机关上年度行政执法总体情况有关数据，
并报本级人民政府和上级主管部门. The national rule (国办发〔2018〕118号) says 31 January. The date is a per-jurisdiction
setting, ``ZHIFA_ANNUAL_REPORT_DEADLINE`` ("MM-DD", a Django setting or an environment variable; default "01-20";
a jurisdiction that follows the national rule sets "01-31").
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings

from zhifa.env import ConfigError, env_int, env_str
from zhifa.law.publicity import PublicityConfig, annual_report_deadline

BASIS_REPORT = ("实施办法二(一)3：每年1月20日前公开本机关上年度行政执法总体情况有关数据，"
                "并报本级人民政府和上级主管部门；国办发〔2018〕118号")
BASIS_SIGN_OFF = "《党政机关公文处理工作条例》第二十四条：以本机关名义制发的公文，由本机关负责人审批签发"
BASIS_FINISHED_YEAR = "实施办法二(一)3：公开的是“上年度”数据，年度结束后方可统计"
BASIS_REMEDY = ("《行政复议法》（2023）第六十三条至第六十九条、第七十四条；"
                "《行政诉讼法》第六十二条、第六十九条至第七十七条")

SEED_DEADLINE = "01-20"  # seed §二(一)3: 每年1月20日前
NATIONAL_DEADLINE = "01-31"  # 国办发〔2018〕118号: 每年1月31日前
DEFAULT_ALERT_DAYS = 10  # alerts start this many days before the deadline (ZHIFA_ANNUAL_REPORT_ALERT_DAYS)

_MM_DD = re.compile(r"^(\d{2})-(\d{2})$")


def parse_deadline(text: str) -> PublicityConfig:
    """"MM-DD" → the PublicityConfig with that annual report day. 02-29 is refused: it does not exist every year."""
    match = _MM_DD.match(text.strip())
    if not match:
        raise ConfigError(f"ZHIFA_ANNUAL_REPORT_DEADLINE={text!r}: expected MM-DD, e.g. 01-20 or 01-31")
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2001, month, day)  # a common year: refuses 02-29 and impossible dates
    except ValueError:
        raise ConfigError(f"ZHIFA_ANNUAL_REPORT_DEADLINE={text!r}: not a date that exists every year") from None
    return PublicityConfig(annual_report_month=month, annual_report_day=day)


def deadline_setting() -> str:
    """The Django setting if the deployment defines one, else the environment variable, else the seed's 01-20."""
    configured = getattr(settings, "ZHIFA_ANNUAL_REPORT_DEADLINE", None)
    return configured or env_str("ZHIFA_ANNUAL_REPORT_DEADLINE", SEED_DEADLINE) or SEED_DEADLINE


def report_deadline(year: int) -> dt.date:
    """When the report on `year` must be public and submitted: in year + 1, on the jurisdiction's day."""
    return annual_report_deadline(year, parse_deadline(deadline_setting()))


def alert_days() -> int:
    configured = getattr(settings, "ZHIFA_ANNUAL_REPORT_ALERT_DAYS", None)
    if configured is not None:
        return int(configured)
    return env_int("ZHIFA_ANNUAL_REPORT_ALERT_DAYS", DEFAULT_ALERT_DAYS, 0)


def report_year(today: dt.date) -> int:
    """The year whose report is due in `today`'s year: last year (上年度)."""
    return today.year - 1


def deadline_light(due_on: dt.date, today: dt.date, published_on: dt.date | None) -> str:
    """green: on time (published by the deadline, or not yet near it); yellow: the alert days before the deadline;
    red: past the deadline without publication, or published late."""
    if published_on is not None:
        return "green" if published_on <= due_on else "red"
    if today > due_on:
        return "red"
    return "yellow" if (due_on - today).days <= alert_days() else "green"
