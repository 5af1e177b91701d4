"""A small agency with two credentialed officers, a head and a qualified reviewer, and a case to work on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from zhifa.cases.actions import PartyInput, open_case
from zhifa.cases.models import Case
from zhifa.law import identifiers
from zhifa.people.models import LegalQualification, Role, User


@dataclass
class Team:
    officer: User
    partner: User
    head: User
    reviewer: User
    outsider: User


def organisation(name: str = "株洲测试商贸有限公司") -> PartyInput:
    first17 = "91430212MA4L00001"
    return PartyInput(kind="organisation", name=name, credit_code=first17 + identifiers.credit_code_check_char(first17),
                      legal_representative="王某", address="株洲市渌口区建设路1号")


@pytest.fixture
def team(make_agency, make_user, issue) -> Team:
    agency = make_agency()
    officer, partner = make_user(agency), make_user(agency)
    issue(officer)
    issue(partner)
    head = make_user(agency, role=Role.AGENCY_HEAD)
    reviewer = make_user(agency, role=Role.REVIEWER)
    LegalQualification.objects.create(holder=reviewer, number=f"A{reviewer.pk:012d}", obtained_on=dt.date(2018, 1, 1))
    outsider = make_user(make_agency(), role=Role.AGENCY_HEAD)
    return Team(officer, partner, head, reviewer, outsider)


@pytest.fixture
def case(team: Team) -> Case:
    return open_case(team.officer, team.officer.agency, "涉嫌销售过期食品案", "inspection", [organisation()],
                     [team.officer, team.partner], opened_at=timezone.now() - dt.timedelta(days=10))


DRAFT = {
    "kinds": ["fine"], "fine": 5000, "facts": "当事人销售超过保质期的食品。",
    "evidence_reason": "现场检查笔录与询问笔录相互印证。", "basis": "《食品安全法》第一百二十四条",
    "basis_reason": "行为符合该条规定。", "discretion_reason": "初次违法，一般情节。",
}
