"""Index tokens for substring search of published decisions (pure Python, no Django).

Chinese has no spaces, so the index holds character n-grams: every distinct bigram (for two-character terms) and
every trigram in text order (a longer term is the phrase of its trigrams at consecutive positions, which holds
exactly when the term occurs as a substring). Each character is written as the 8 hex digits of its UTF-32 code,
so any n-gram, punctuation and line breaks included, is one ASCII token that SQLite FTS5's `ascii` tokenizer keeps
whole. Results are ordered newest first by a 64-bit sort key: the decision date's ordinal, then the row id.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

MIN_TERM_CHARS = 2
HEX_PER_CHAR = 8
PK_BITS = 32
PK_MASK = (1 << PK_BITS) - 1


def normalise(text: str) -> str:
    """What is indexed and what is searched for: NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def query_terms(q: str) -> list[str]:
    """The query's terms (split on whitespace), normalised like the text; terms shorter than two characters go."""
    return [term for term in normalise(q).split() if len(term) >= MIN_TERM_CHARS]


def sort_key(decided_on: dt.date, pk: int) -> int:
    """Newest decision first, then the newest row: the order of the public list."""
    return decided_on.toordinal() << PK_BITS | pk


def pk_of(key: int) -> int:
    return key & PK_MASK


def sort_key_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[int, int]:
    low = sort_key(date_from, 0) if date_from else 0
    high = sort_key(date_to, PK_MASK) if date_to else sort_key(dt.date.max, PK_MASK)
    return low, high


def _grams(text: str, size: int) -> list[str]:
    digits = text.encode("utf-32-be").hex()
    width = size * HEX_PER_CHAR
    return [digits[start:start + width] for start in range(0, len(digits) - width + 1, HEX_PER_CHAR)]


def bigram_tokens(text: str) -> str:
    """Every distinct bigram of the text, once (two-character terms are single-token lookups)."""
    return " ".join(dict.fromkeys(_grams(text, 2)))


def trigram_tokens(text: str) -> str:
    """Every trigram in text order, so that positions are character offsets."""
    return " ".join(_grams(text, 3))


def facet_tokens(agency_id: int, act_type: str) -> str:
    return f"a{agency_id} t{act_type}"


def match_expression(terms: list[str], agency_id: int | None = None, act_type: str = "") -> str:
    """An FTS5 query over the columns g2 (bigrams), g3 (trigrams) and f (facets): every term and every facet."""
    parts = []
    for term in terms:
        if len(term) == 2:
            parts.append(f'g2 : "{_grams(term, 2)[0]}"')
        else:
            parts.append('g3 : "' + " ".join(_grams(term, 3)) + '"')
    if agency_id:
        parts.append(f'f : "a{int(agency_id)}"')
    if act_type:
        parts.append(f'f : "t{act_type}"')
    return " AND ".join(parts)


# PostgreSQL's GIN index holds 64-bit integer tokens (search_index.POSTGRES_TOKENS computes the same in SQL), each
# tagged with the decision's month, so that a search reads the newest months first and stops once it has enough:
#   bigram   month << 42 | code1 << 21 | code2        (exact: a code point is < 2^21 and never 0)
#   trigram  -1 - (month << 42 | 42-bit fold of the three codes)   (a candidate: the text is checked after)
#   agency   1 << 60 | month << 42 | agency id;   act type   1 << 61 | month << 42 | 21-bit fold of the code
# and, without a month (no bits are left for one), every four characters of the CJK Unified Ideographs block
# U+4E00–U+9FFF in a row, each as its 15-bit offset in the block:
#   quad     1 << 62 | offset1 << 45 | offset2 << 30 | offset3 << 15 | offset4     (exact)
# A four-character term of that block (most company names' words, 地名, 违法行为) is then decided by its tokens alone,
# with no text to read; a longer one has fewer candidates to check.
MONTH_SHIFT = 42
CODE_BITS = 21
FOLD_MASK = (1 << MONTH_SHIFT) - 1
ACT_MASK = (1 << CODE_BITS) - 1
AGENCY_FLAG = 1 << 60
ACT_FLAG = 1 << 61
FOLD_PAIR, FOLD_THIRD, FOLD_CHAR = 31, 1_000_003, 31  # the multipliers of the trigram and act-type folds
QUAD_FLAG = 1 << 62
QUAD_BITS = 15
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF  # CJK Unified Ideographs: 20,992 code points, offsets below 2^15


def quad_token(four: str) -> int | None:
    """The exact token of four characters of the CJK block in a row, None for any other four."""
    offsets = [ord(char) - CJK_FIRST for char in four]
    if len(offsets) != 4 or not all(0 <= offset <= CJK_LAST - CJK_FIRST for offset in offsets):
        return None
    first, second, third, fourth = offsets
    return QUAD_FLAG | first << 3 * QUAD_BITS | second << 2 * QUAD_BITS | third << QUAD_BITS | fourth


def decided_by_tokens(term: str) -> bool:
    """Do the tokens alone decide whether a text holds the term (two characters, or four of the CJK block)?"""
    return len(term) == 2 or (len(term) == 4 and quad_token(term) is not None)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_tokens(month: int, terms: list[str], agency_id: int | None = None, act_type: str = "") -> list[int]:
    """The tokens a decision of that month must all hold to match every term and facet."""
    tag = month << MONTH_SHIFT
    tokens = []
    for term in terms:
        codes = [ord(char) for char in term]
        if len(codes) == 2:
            tokens.append(tag | codes[0] << CODE_BITS | codes[1])
        for a, b, c in zip(codes, codes[1:], codes[2:], strict=False):
            tokens.append(-1 - (tag | ((a << CODE_BITS | b) * FOLD_PAIR + c * FOLD_THIRD) & FOLD_MASK))
        quads = (quad_token(term[start:start + 4]) for start in range(len(term) - 3))
        tokens += [token for token in quads if token is not None]
    if agency_id:
        tokens.append(AGENCY_FLAG | tag | int(agency_id))
    if act_type:
        tokens.append(ACT_FLAG | tag | act_fold(act_type))
    return sorted(set(tokens))


def act_fold(act_type: str) -> int:
    fold = 0
    for char in act_type:
        fold = (fold * FOLD_CHAR + ord(char)) & ACT_MASK
    return fold


def months_newest_first(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from last's back to first's, each as (first day, last day) clipped to [first, last]."""
    months, year, month = [], last.year, last.month
    while (year, month) >= (first.year, first.month):
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        months.append((max(start, first), min(end, last)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
