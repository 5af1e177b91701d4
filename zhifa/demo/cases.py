"""Demo cases: realistic penalty cases of the district's bureaus, with synthetic parties."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhifa.cases.actions import PartyInput, open_case
from zhifa.cases.models import Case, CaseSource, PartyKind
from zhifa.law import identifiers
from zhifa.people.models import Agency, Role, User

# (agency code, title, source, party kind, party name)
DEMO_CASES = [
    ("lk-scjg", "涉嫌销售超过保质期食品案", CaseSource.INSPECTION, PartyKind.ORGANISATION, "株洲渌口惠民超市有限公司"),
    ("lk-scjg", "涉嫌未取得营业执照从事经营活动案", CaseSource.COMPLAINT, PartyKind.PERSON, None),
    ("lk-scjg", "涉嫌销售不合格电动自行车头盔案", CaseSource.RANDOM_INSPECTION, PartyKind.ORGANISATION,
     "渌口区安途车行有限公司"),
    ("lk-scjg", "涉嫌发布虚假广告案", CaseSource.MONITORING, PartyKind.ORGANISATION, "湖南湘渌医疗器械有限公司"),
    ("lk-cgzf", "涉嫌擅自占用城市道路经营案", CaseSource.INSPECTION, PartyKind.PERSON, None),
    ("lk-cgzf", "涉嫌未取得建设工程规划许可证进行建设案", CaseSource.COMPLAINT, PartyKind.PERSON, None),
    ("lk-cgzf", "涉嫌随意倾倒建筑垃圾案", CaseSource.MONITORING, PartyKind.ORGANISATION, "株洲鑫渌土方工程有限公司"),
    ("lk-lukou", "涉嫌违规焚烧秸秆案", CaseSource.INSPECTION, PartyKind.PERSON, None),
    ("lk-scjg", "涉嫌生产经营标签不符合规定的预包装食品案", CaseSource.RANDOM_INSPECTION, PartyKind.ORGANISATION,
     "株洲渌口湘味坊食品有限公司"),
]
STREETS = ["建设路", "渌湘大道", "南洲路", "朱亭街", "淦田老街"]


def _person(rng: random.Random, name: str) -> PartyInput:
    birth = f"{rng.randrange(1960, 2000)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    first17 = f"430212{birth}{rng.randrange(100, 999)}"
    return PartyInput(kind=PartyKind.PERSON, name=name, id_number=first17 + identifiers.id_check_char(first17),
                      phone=f"139{rng.randrange(10**7, 10**8)}",
                      address=f"株洲市渌口区{rng.choice(STREETS)}{rng.randrange(1, 300)}号")


def _organisation(rng: random.Random, name: str, representative: str) -> PartyInput:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    first17 = f"91430212{body}"
    return PartyInput(kind=PartyKind.ORGANISATION, name=name,
                      credit_code=first17 + identifiers.credit_code_check_char(first17),
                      legal_representative=representative, phone=f"0731-2{rng.randrange(10**6, 10**7)}",
                      address=f"株洲市渌口区{rng.choice(STREETS)}{rng.randrange(1, 300)}号")


def create_demo_cases(rng: random.Random, person_name) -> list[Case]:
    """The cases, each opened some weeks ago and taken through the procedure to a different stage."""
    from zhifa.demo.procedures import INSTALMENT_DECIDED_DAYS_AGO, SCENARIOS, paying_by_instalments, simplified

    cases = []
    for (code, title, source, kind, name), scenario in zip(DEMO_CASES, SCENARIOS, strict=True):
        agency = Agency.objects.get(code=code)
        officers = list(User.objects.filter(agency=agency, role=Role.OFFICER, credentials__stored_status="valid")
                        .order_by("username").distinct()[:2])
        unit = officers[0].unit if officers else None
        party = _person(rng, person_name()) if kind == PartyKind.PERSON else _organisation(rng, name, person_name())
        opened = timezone.now() - dt.timedelta(days=rng.randrange(20, 60), hours=rng.randrange(0, 8))
        if scenario is paying_by_instalments:  # filed before its inspection and its decision
            opened = timezone.now() - dt.timedelta(days=INSTALMENT_DECIDED_DAYS_AGO + 30)
        procedure = "simplified" if scenario is simplified else "general"
        case = open_case(officers[0], agency, title, source, [party], officers, unit, procedure=procedure,
                         opened_at=opened)
        scenario(case, officers[0])
        cases.append(case)
    return cases
