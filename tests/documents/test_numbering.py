"""文号: the agency's pattern, gap-free per agency, year and kind (zhifa.core.numbering)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core.errors import RuleViolation
from zhifa.documents.kinds import DEFAULT_PATTERN
from zhifa.documents.kinds import DocumentKind as K
from zhifa.documents.models import NumberPattern
from zhifa.documents.numbering import allocate_number, check_pattern, format_number


def test_default_pattern_is_the_agency_number_format():
    assert format_number(DEFAULT_PATTERN, short="渌市监", abbr="罚", year=2026, n=12) == "渌市监罚〔2026〕12号"
    assert format_number(DEFAULT_PATTERN, short="渌市监", abbr="告", year=2026, n=3) == "渌市监告〔2026〕3号"


@pytest.mark.django_db(transaction=False)
def test_numbers_are_gap_free_per_agency_year_and_kind(case, other_agency, officer):
    from tests.documents.conftest import make_user
    from zhifa.cases.actions import PartyInput, open_case

    other_case = open_case(officer, other_agency, "占道经营", "inspection", [PartyInput(
        kind="organisation", name="渌口区某商行", credit_code=other_agency.credit_code, address="渌口区")],
        [make_user(other_agency), make_user(other_agency)])
    with transaction.atomic():
        decisions = [allocate_number(case, K.DECISION, 2026).number for _ in range(3)]
        assert decisions == ["渌市监罚〔2026〕1号", "渌市监罚〔2026〕2号", "渌市监罚〔2026〕3号"]
        assert allocate_number(case, K.PRIOR_NOTICE, 2026).number == "渌市监告〔2026〕1号"
        assert allocate_number(case, K.DECISION, 2027).number == "渌市监罚〔2027〕1号"
        assert allocate_number(other_case, K.DECISION, 2026).number == "渌城管罚〔2026〕1号"
        with pytest.raises(RuntimeError), transaction.atomic():
            assert allocate_number(case, K.DECISION, 2026).serial == 4
            raise RuntimeError("rolled back")
        assert allocate_number(case, K.DECISION, 2026).serial == 4  # the rolled-back number is not lost


def test_agency_pattern_and_abbreviation(case, agency):
    NumberPattern.objects.create(agency=agency, kind=K.DECISION, abbr="市监罚",
                                 pattern="{short}{abbr}〔{year}〕第{n}号")
    with transaction.atomic():
        assert allocate_number(case, K.DECISION, 2026).number == "渌市监市监罚〔2026〕第1号"
    NumberPattern.objects.create(agency=agency, kind=K.SERVICE, pattern="{short}{abbr}")  # saved without clean()
    with pytest.raises(RuleViolation) as refused, transaction.atomic():
        allocate_number(case, K.SERVICE, 2026)
    assert refused.value.code == "document_pattern_invalid"


@pytest.mark.parametrize("pattern", ["{short}{abbr}〔{year}〕", "{short}{unknown}{n}", "{short{n}"])
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(ValidationError):
        check_pattern(pattern)
