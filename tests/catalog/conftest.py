"""Catalog fixtures: two agencies with a head, an officer and a supervisor; items made through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.catalog import actions
from zhifa.people.models import Role

PENALTY_STEPS = [{"title": "立案"}, {"title": "调查取证", "note": "两名以上执法人员"},
                 {"title": "事先告知", "exit": "要求听证的，组织听证"}, {"title": "决定"}]


def version_data(name: str = "对销售过期食品的行政处罚", article: str = "第一百二十四条",
                 **extra) -> actions.VersionData:
    values = {
        "name": name, "basis_law": "中华人民共和国食品安全法", "basis_article": article,
        "basis_text": "生产经营超过保质期的食品的，没收违法所得……（摘要）", "field": "食品安全", "steps": PENALTY_STEPS,
        "discretion": [
            actions.DiscretionData("minor", "初次违法且危害后果轻微并及时改正的", "不予行政处罚",
                                   article="《中华人民共和国行政处罚法》第三十三条第一款"),
            actions.DiscretionData("general", "货值金额不足一万元的", "罚款", fine_min=Decimal(50000),
                                   fine_max=Decimal(65000), article="第一百二十四条"),
            actions.DiscretionData("grave", "货值金额一万元以上的", "罚款", multiple_base="货值金额",
                                   multiple_min=Decimal(10), multiple_max=Decimal(20), article="第一百二十四条"),
        ],
        "guide": actions.GuideData(
            accepting_body="株洲市渌口区市场监督管理局", conditions="符合条件的经营者",
            materials=["申请书", "营业执照"],
            time_limit_days=5, statutory_limit_days=20, phone="0731-22000000", complaint="12345政务服务便民热线",
            location="渌口区政务服务中心一楼"),
    }
    values.update(extra)
    return actions.VersionData(**values)


@pytest.fixture
def world(make_agency, make_user):
    a = make_agency("agency-a", name="株洲市渌口区甲局", short_name="甲局")
    b = make_agency("agency-b", name="株洲市渌口区乙局", short_name="乙局")
    sfj = make_agency("agency-sfj", name="株洲市渌口区司法局测试", short_name="司法", supervises=True)
    return {
        "a": a, "b": b,
        "head_a": make_user(a, Role.AGENCY_HEAD, username="head-a"),
        "officer_a": make_user(a, Role.OFFICER, username="officer-a"),
        "head_b": make_user(b, Role.AGENCY_HEAD, username="head-b"),
        "supervisor": make_user(sfj, Role.SUPERVISOR, username="supervisor"),
        "admin": make_user(role=Role.ADMIN, username="admin-x", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def make_item(world):
    def make(code: str = "LK-CF-T-001", agency=None, kind: str = "penalty", valid_from=dt.date(2020, 1, 1),
             actor=None, portal: bool = True, **data):
        item = actions.create_item(actor or world["head_a"], code=code, kind=kind, level="county",
                                   agencies=[agency or world["a"]], data=version_data(**data), valid_from=valid_from)
        if portal:
            actions.publish_to_portal(actor or world["head_a"], item.versions.get(number=1))
        return item

    return make
