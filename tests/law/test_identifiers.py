"""Party identifiers: zhifa.law.identifiers (pure Python, no Django)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.law.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    explain_credit_code,
    explain_id_number,
    id_check_char,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_legacy_id_number,
    normalize_credit_code,
    normalize_id_number,
    upgrade_legacy_id_number,
)

TODAY = date(2025, 6, 1)

VALID_CREDIT_CODES = [
    "91350100M000100Y43",  # example in GB 32100-2015
    "91110000600037341L",
    "914403001922038216",
]


def reference_credit_check(first17: str) -> str:
    """GB 32100-2015 §5 written out independently of the module."""
    weights = [3**i % 31 for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


# --- 统一社会信用代码, GB 32100-2015 ---


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes_gb32100(code: str) -> None:
    assert reference_credit_check(code[:17]) == code[17]
    assert credit_code_check_char(code[:17]) == code[17]
    assert is_valid_credit_code(code)
    assert explain_credit_code(code) is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "统一社会信用代码应为18位"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
        ("91350100M000100Y433", "统一社会信用代码应为18位"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误"),
        ("91350100m000100y43", "统一社会信用代码中的字母应为大写"),
        ("91350100I000100Y43", "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）"),
        ("91350100M00010OY43", "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）"),
        ("B1350100M000100Y43", "统一社会信用代码第1位（登记管理部门代码）无效"),
        ("90350100M000100Y43", "统一社会信用代码第2位（机构类别代码）无效"),
        ("913501A0M000100Y43", "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"),
    ],
)
def test_invalid_credit_codes_explained_gb32100(code: str, message: str) -> None:
    assert explain_credit_code(code) == message
    assert not is_valid_credit_code(code)


@pytest.mark.parametrize("authority", list("123456789ANY"))
def test_credit_code_registration_authorities_gb32100_table1(authority: str) -> None:
    first17 = authority + "1110000MA0000001"
    assert is_valid_credit_code(first17 + credit_code_check_char(first17))


def test_credit_code_whitespace_ignored_and_normalized() -> None:
    assert is_valid_credit_code(" 91350100 M000100Y43 ")
    assert normalize_credit_code(" ９１３５０１００ｍ０００１００ｙ４３\u3000") == "91350100M000100Y43"
    assert normalize_credit_code("91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize("bad", ["", "91350100M000100Y", "91350100M000100I4", "91350100m000100Y4"])
def test_credit_code_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


credit_prefixes = st.builds(
    lambda a, c, region, body: a + c + region + body,
    st.sampled_from("123456789ANY"),
    st.sampled_from("123456789"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
)


@given(credit_prefixes)
def test_credit_code_check_detects_any_single_substitution_gb32100(first17: str) -> None:
    code = first17 + credit_code_check_char(first17)
    assert code[17] == reference_credit_check(first17)
    assert is_valid_credit_code(code)
    for i in range(18):
        for c in CREDIT_CODE_ALPHABET:
            if c != code[i]:
                assert not is_valid_credit_code(code[:i] + c + code[i + 1 :]), (code, i, c)


# --- 公民身份号码, GB 11643-1999 ---


def test_id_check_char_matches_standard_examples_gb11643() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_valid_id_numbers_gb11643(number: str) -> None:
    assert is_valid_id_number(number, today=TODAY)
    assert explain_id_number(number, today=TODAY) is None
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "身份证号码应为18位"),
        ("11010519491231002", "身份证号码应为18位"),
        ("110105491231002", "身份证号码应为18位（15位旧号码请升级为18位）"),
        ("110105194912310021", "身份证号码校验位错误"),
        ("11010519491231002x", "身份证号码末位应为大写X"),
        ("11010519491231002Y", "身份证号码末位应为数字或X"),
        ("1101051949123100AX", "身份证号码前17位应为数字"),
        ("１１０１０５１９４９１２３１００２X", "身份证号码前17位应为数字"),
    ],
)
def test_invalid_id_numbers_explained_gb11643(number: str, message: str) -> None:
    assert explain_id_number(number, today=TODAY) == message
    assert not is_valid_id_number(number, today=TODAY)


@pytest.mark.parametrize(
    "birth",
    ["19490230", "19491301", "19490000", "20250602", "17991231"],  # Feb 30, month 13, zeros, future, < 1800
)
def test_id_number_birth_date_must_be_real_and_not_future_gb11643(birth: str) -> None:
    first17 = "110105" + birth + "002"
    number = first17 + id_check_char(first17)
    assert explain_id_number(number, today=TODAY) == "身份证号码中的出生日期无效"


def test_id_number_born_today_is_valid() -> None:
    first17 = "110105" + TODAY.strftime("%Y%m%d") + "002"
    assert is_valid_id_number(first17 + id_check_char(first17), today=TODAY)


def test_id_number_full_width_input_normalized() -> None:
    raw = " １１０１０５ １９４９１２３１ ００２ｘ "
    assert normalize_id_number(raw) == "11010519491231002X"
    assert is_valid_id_number(normalize_id_number(raw))
    assert is_valid_id_number(" 110105 19491231 002X ")


@pytest.mark.parametrize(
    "bad", ["", "1101051949123100", "1101051949123100A", "１１０１０５１９４９１２３１００２"]
)
def test_id_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)


def test_legacy_15_digit_id_number_upgrade_gb11643() -> None:
    assert is_valid_legacy_id_number("110105491231002")
    assert upgrade_legacy_id_number("110105491231002") == "11010519491231002X"
    assert upgrade_legacy_id_number(" 440524800101001 ") == "440524198001010013"
    assert is_valid_id_number(upgrade_legacy_id_number("110105491231002"))


@pytest.mark.parametrize(
    "bad", ["", "11010549123100", "1101054912310021", "110105490230002", "11010549123100A"]
)
def test_invalid_legacy_id_numbers(bad: str) -> None:
    assert not is_valid_legacy_id_number(bad)
    with pytest.raises(ValueError):
        upgrade_legacy_id_number(bad)


id_prefixes = st.builds(
    lambda area, born, seq: area + born.strftime("%Y%m%d") + seq,
    st.text("0123456789", min_size=6, max_size=6),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text("0123456789", min_size=3, max_size=3),
)


@given(id_prefixes)
def test_id_check_detects_any_single_substitution_gb11643(first17: str) -> None:
    number = first17 + id_check_char(first17)
    assert is_valid_id_number(number, today=TODAY)
    for i in range(18):
        for c in "0123456789X" if i == 17 else "0123456789":
            if c != number[i]:
                assert not is_valid_id_number(number[:i] + c + number[i + 1 :], today=TODAY), (number, i, c)
