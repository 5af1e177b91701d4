"""The only way a case changes: each action checks the law's guards and appends its event in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, Party, PartyKind
from zhifa.core.errors import require
from zhifa.core.numbering import next_number
from zhifa.law import identifiers
from zhifa.people.models import Agency, Unit, User
from zhifa.record import log

BASIS_FILING = "《行政处罚法》第五十四条"


@dataclass(frozen=True)
class PartyInput:
    kind: str
    name: str
    credit_code: str = ""
    legal_representative: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


def _check_party(party: PartyInput) -> None:
    require(party.name.strip(), "party_name_required", BASIS_FILING, "当事人名称或姓名不能为空")
    if party.kind == PartyKind.ORGANISATION:
        problem = identifiers.explain_credit_code(identifiers.normalize_credit_code(party.credit_code))
        require(problem is None, "invalid_credit_code", "GB 32100-2015", f"当事人“{party.name}”：{problem}")
    else:
        problem = identifiers.explain_id_number(identifiers.normalize_id_number(party.id_number))
        require(problem is None, "invalid_id_number", "GB 11643-1999", f"当事人“{party.name}”：{problem}")


@transaction.atomic
def open_case(
    actor: User, agency: Agency, title: str, source: str, parties: list[PartyInput],
    officers: list[User], unit: Unit | None = None, procedure: str = "general",
    opened_at: dt.datetime | None = None,
) -> Case:
    """立案: a case with its number, parties and officers; its first event in the record. `opened_at` is the
    filing time when it differs from now (a case taken over from paper or another system)."""
    require(title.strip(), "title_required", BASIS_FILING, "案由不能为空")
    require(parties, "party_required", BASIS_FILING, "立案须至少有一名当事人")
    for party in parties:
        _check_party(party)
    now = opened_at or timezone.now()
    require(now <= timezone.now(), "filing_in_future", BASIS_FILING, "立案时间不能晚于当前时间")
    year = timezone.localtime(now).year
    serial = next_number(agency.pk, year, "case")
    case = Case.objects.create(
        agency=agency, number=f"{agency.short_name}立〔{year}〕{serial}号", title=title.strip(), source=source,
        handling_unit=unit, opened_at=now, procedure=procedure,
    )
    case.officers.set(officers)
    for party in parties:
        row = Party(case=case, kind=party.kind, name=party.name.strip(),
                    credit_code=identifiers.normalize_credit_code(party.credit_code) if party.credit_code else "",
                    legal_representative=party.legal_representative)
        if party.kind == PartyKind.PERSON:
            row.set_personal_data(identifiers.normalize_id_number(party.id_number), party.phone, party.address)
        else:
            row.set_personal_data("", party.phone, party.address)
        row.save()
    log.append("case.opened", actor=actor, agency=agency, obj=case, case_id=case.pk,
               payload={"number": case.number, "title": case.title, "source": source,
                        "parties": [p.name for p in parties], "officers": [o.get_full_name() for o in officers],
                        "procedure": procedure, "opened_at": now})
    if apps.is_installed("zhifa.documents"):  # 立案审批表
        from zhifa.documents.actions import issue_for_action

        issue_for_action(case, actor, "open")
    return case
