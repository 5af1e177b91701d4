"""Party identifiers: unified social credit codes (GB 32100-2015) and resident ID numbers (GB 11643-1999).

Validators take the string as entered, drop whitespace only, and are otherwise strict (upper case, ASCII).
Use ``normalize_credit_code`` / ``normalize_id_number`` first on user input (full-width → ASCII, case).
``explain_*`` returns a Chinese message for the user, or None when valid; ``is_valid_*`` is its boolean form.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Final

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "credit_code_check_char",
    "explain_credit_code",
    "explain_id_number",
    "id_check_char",
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_legacy_id_number",
    "normalize_credit_code",
    "normalize_id_number",
    "upgrade_legacy_id_number",
]


def _strip_whitespace(s: str) -> str:
    return "".join(s.split())


def _nfkc_compact(s: str) -> str:
    # NFKC maps full-width digits/letters (and the ideographic space) to ASCII.
    return _strip_whitespace(unicodedata.normalize("NFKC", s))


# --- 统一社会信用代码, GB 32100-2015 ---

CREDIT_CODE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 §4: digits and upper-case letters except I, O, Z, S, V (31 characters)."""

_CREDIT_CODE_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_VALUES: Final = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}

_CREDIT_CODE_AUTHORITIES: Final = frozenset("123456789ANY")
"""Position 1, 登记管理部门代码 (GB 32100-2015 Table 1 and later assignments): 1 机构编制, 2 外交, 3 司法行政,
4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管(工商), A 中央军委改革和编制办公室, N 农业农村, Y 其他.
Wider than {1, 5, 9, Y} on purpose: law firms (31…), religious venues (71…) and rural collective economic
organisations (N2…) are real parties."""

_CREDIT_CODE_CATEGORIES: Final = frozenset("123456789")
"""Position 2, 机构类别代码: checked loosely — a digit 1–9 (every category in the standard is one), not
against the per-authority table, so a newly assigned category is not rejected."""


def normalize_credit_code(s: str) -> str:
    """Full-width → ASCII, drop whitespace, upper case."""
    return _nfkc_compact(s).upper()


def credit_code_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 characters, GB 32100-2015 §5 (mod 31)."""
    if len(first17) != 17 or any(c not in _CREDIT_CODE_VALUES for c in first17):
        raise ValueError(f"expected 17 characters from {CREDIT_CODE_ALPHABET}, got {first17!r}")
    total = sum(_CREDIT_CODE_VALUES[c] * w for c, w in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def explain_credit_code(s: str) -> str | None:
    """Why ``s`` is not a valid unified social credit code (Chinese message), or None if it is.

    Checks length, alphabet, registration authority (position 1), category (position 2, loosely), the
    administrative division code (positions 3–8, digits) and the check character. Positions 9–17 (主体标识码)
    are only checked against the alphabet.
    """
    code = _strip_whitespace(s)
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    if code != code.upper():
        return "统一社会信用代码中的字母应为大写"
    if any(c not in _CREDIT_CODE_VALUES for c in code):
        return "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）"
    if code[0] not in _CREDIT_CODE_AUTHORITIES:
        return "统一社会信用代码第1位（登记管理部门代码）无效"
    if code[1] not in _CREDIT_CODE_CATEGORIES:
        return "统一社会信用代码第2位（机构类别代码）无效"
    if not code[2:8].isascii() or not code[2:8].isdigit():
        return "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"
    if credit_code_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    return None


def is_valid_credit_code(s: str) -> bool:
    """True if ``s`` (whitespace ignored) is a valid unified social credit code, GB 32100-2015."""
    return explain_credit_code(s) is None


# --- 公民身份号码, GB 11643-1999 ---

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
_EARLIEST_BIRTH_YEAR: Final = 1800
"""Sanity bound on birth dates (not in the standard): catches typed years like 0198 or 1098."""


def _is_ascii_digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


def normalize_id_number(s: str) -> str:
    """Full-width → ASCII, drop whitespace, x → X."""
    return _nfkc_compact(s).upper()


def id_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 digits, GB 11643-1999 §8.2 (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _birth_date_ok(yyyymmdd: str, today: date | None) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return born.year >= _EARLIEST_BIRTH_YEAR and born <= (today or date.today())


def explain_id_number(s: str, today: date | None = None) -> str | None:
    """Why ``s`` is not a valid 18-digit resident ID number (Chinese message), or None if it is.

    Checks GB 11643-1999: 17 digits (6 area code, 8 birth date, 3 sequence) and a check character. The birth
    date must be a real date, not after ``today`` (default: the current date). The area code is only checked
    to be digits.
    """
    number = _strip_whitespace(s)
    if len(number) == 15 and _is_ascii_digits(number):
        return "身份证号码应为18位（15位旧号码请升级为18位）"
    if len(number) != 18:
        return "身份证号码应为18位"
    if not _is_ascii_digits(number[:17]):
        return "身份证号码前17位应为数字"
    if number[17] == "x":
        return "身份证号码末位应为大写X"
    if number[17] not in _ID_CHECK_CHARS:
        return "身份证号码末位应为数字或X"
    if not _birth_date_ok(number[6:14], today):
        return "身份证号码中的出生日期无效"
    if id_check_char(number[:17]) != number[17]:
        return "身份证号码校验位错误"
    return None


def is_valid_id_number(s: str, today: date | None = None) -> bool:
    """True if ``s`` (whitespace ignored) is a valid 18-digit resident ID number, GB 11643-1999."""
    return explain_id_number(s, today) is None


def is_valid_legacy_id_number(s: str, today: date | None = None) -> bool:
    """True if ``s`` is a valid 15-digit legacy ID number: 6-digit area, YYMMDD birth date (19YY), 3 digits.

    Legacy numbers (GB 11643-1989) have no check character; they were upgraded by GB 11643-1999.
    """
    number = _strip_whitespace(s)
    return len(number) == 15 and _is_ascii_digits(number) and _birth_date_ok("19" + number[6:12], today)


def upgrade_legacy_id_number(s: str) -> str:
    """18-digit form of a 15-digit legacy number: insert "19" before the birth year, append the check char.

    Raises ``ValueError`` if ``s`` is not a valid legacy number.
    """
    number = _strip_whitespace(s)
    if not is_valid_legacy_id_number(number):
        raise ValueError(f"not a valid 15-digit legacy ID number: {s!r}")
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_char(first17)
