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


def bigrams(text: str) -> list[str]:
    """The distinct bigrams of a text as characters."""
    return list(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))


def month_tag(day: dt.date) -> str:
    """PostgreSQL's index holds each bigram as `bigram@YYYYMM` of the decision's month."""
    return f"@{day.year * 100 + day.month}"


def months_newest_first(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from last's back to first's, each as (first day, last day) clipped to [first, last]."""
    months, year, month = [], last.year, last.month
    while (year, month) >= (first.year, first.month):
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        months.append((max(start, first), min(end, last)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
