"""Agencies (执法主体): the unified social credit code carries a GB 32100-2015 check character."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import credit_code
from zhifa.law.identifiers import CREDIT_CODE_ALPHABET
from zhifa.people.models import Agency, Role, Unit, User

pytestmark = pytest.mark.django_db


def _agency(code: str) -> Agency:
    return Agency(code="x", name="株洲市渌口区测试局", short_name="渌测", credit_code=code, kind="administrative",
                  level="county", jurisdiction="株洲市渌口区")


def _wrong_check_char(code: str) -> str:
    return code[:17] + next(c for c in CREDIT_CODE_ALPHABET if c != code[17])


def test_agency_with_valid_credit_code_passes_full_clean():
    _agency(credit_code(1)).full_clean()


def test_agency_credit_code_refused_with_wrong_check_char_gb32100():
    with pytest.raises(ValidationError) as caught:
        _agency(_wrong_check_char(credit_code(1))).full_clean()
    assert caught.value.message_dict["credit_code"] == ["统一社会信用代码校验位错误"]


@pytest.mark.parametrize(("code", "message"), [
    ("1143021200000000", "统一社会信用代码应为18位"),
    ("11430212000000O01X", "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）"),
])
def test_agency_credit_code_refused_when_malformed_gb32100(code, message):
    with pytest.raises(ValidationError) as caught:
        _agency(code).full_clean()
    assert message in caught.value.message_dict["credit_code"]


def test_agency_credit_code_stored_normalised():
    code = credit_code(2)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)  # as typed with a Chinese input method
    agency = _agency(full_width)
    agency.save()
    agency.refresh_from_db()
    assert agency.credit_code == code


def test_user_unit_must_belong_to_user_agency(make_agency):
    a, b = make_agency("a"), make_agency("b")
    unit = Unit.objects.create(agency=b, name="执法大队")
    user = User(username="u", full_name="张三", role=Role.OFFICER, agency=a, unit=unit)
    with pytest.raises(ValidationError) as caught:
        user.clean()
    assert "unit" in caught.value.message_dict


@pytest.mark.parametrize(("role", "ok"), [(Role.OFFICER, False), (Role.AGENCY_HEAD, False),
                                          (Role.SUPERVISOR, True), (Role.ADMIN, True)])
def test_every_user_but_supervisors_and_admins_belongs_to_an_agency(role, ok):
    user = User(username="u", full_name="张三", role=role)
    if ok:
        user.clean()
    else:
        with pytest.raises(ValidationError):
            user.clean()
