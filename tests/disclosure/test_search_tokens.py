"""The n-gram tokens make an FTS5 phrase query exactly a substring test (checked against Python's `in`)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.disclosure import search_tokens

TEXT = st.text(alphabet="罚款决定书食品，\n 0aＡ𠀀", max_size=30)


def _fts_matches(texts: list[str], term: str) -> list[int]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(g2, g3, f, content='', columnsize=0, tokenize='ascii')")
    for rowid, text in enumerate(texts, start=1):
        db.execute("INSERT INTO t(rowid, g2, g3, f) VALUES (?, ?, ?, ?)",
                   (rowid, search_tokens.bigram_tokens(text), search_tokens.trigram_tokens(text), "a1 tpenalty"))
    expression = search_tokens.match_expression([term])
    return [row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))]


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8), st.data())
def test_phrase_of_ngrams_equals_substring(texts, data) -> None:
    source = data.draw(st.sampled_from(texts))
    if len(source) >= 2 and data.draw(st.booleans()):
        start = data.draw(st.integers(0, len(source) - 2))
        term = source[start:start + data.draw(st.integers(2, 6))]
    else:
        term = data.draw(TEXT.filter(lambda t: len(t) >= 2))
    expected = [i for i, text in enumerate(texts, start=1) if term in text]
    assert _fts_matches(texts, term) == expected


def test_sort_key_orders_by_date_then_row() -> None:
    keys = [search_tokens.sort_key(dt.date(2025, 1, 2), 1), search_tokens.sort_key(dt.date(2025, 1, 1), 99)]
    assert sorted(keys, reverse=True) == keys
    assert search_tokens.pk_of(keys[1]) == 99
    low, high = search_tokens.sort_key_range(dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    assert low <= keys[1] <= high < keys[0]


def test_query_terms_normalise_and_drop_single_characters() -> None:
    assert search_tokens.query_terms(" 食品  Ａ  ＪＹ12 罚 ") == ["食品", "jy12"]


def test_months_newest_first_clip_to_the_range() -> None:
    months = search_tokens.months_newest_first(dt.date(2024, 11, 15), dt.date(2025, 1, 10))
    assert months == [(dt.date(2025, 1, 1), dt.date(2025, 1, 10)), (dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
                      (dt.date(2024, 11, 15), dt.date(2024, 11, 30))]


def test_postgres_tokens_encode_month_bigram_trigram_and_facets() -> None:
    month = search_tokens.month_index(dt.date(2025, 3, 9))
    assert month == 2025 * 12 + 2
    tag = month << search_tokens.MONTH_SHIFT
    assert search_tokens.month_tokens(month, ["罚款"]) == [tag | ord("罚") << 21 | ord("款")]
    trigrams = search_tokens.month_tokens(month, ["罚款决"])
    assert len(trigrams) == 1 and trigrams[0] < 0  # trigrams are candidates, never bigrams
    four = search_tokens.month_tokens(month, ["罚款决定"])  # two trigrams and the exact token of the four
    assert [token < 0 for token in four] == [True, True, False] and four[2] == search_tokens.quad_token("罚款决定")
    assert search_tokens.month_tokens(month, [], agency_id=7) == [search_tokens.AGENCY_FLAG | tag | 7]
    act = search_tokens.month_tokens(month, [], act_type="penalty")[0]
    assert act == search_tokens.ACT_FLAG | tag | search_tokens.act_fold("penalty")
    next_month = search_tokens.month_tokens(month + 1, ["罚款"])
    assert next_month != search_tokens.month_tokens(month, ["罚款"])


def test_rule_four_cjk_characters_are_one_exact_token() -> None:
    """Four characters of U+4E00–U+9FFF in a row: one token without a month, that the term's tokens include, so a
    search needs no text check; any other four characters, or three, are decided on the text."""
    month = search_tokens.month_index(dt.date(2025, 3, 9))
    quad = search_tokens.quad_token("华兴恒达")
    offsets = [ord(char) - 0x4E00 for char in "华兴恒达"]
    assert quad == 1 << 62 | offsets[0] << 45 | offsets[1] << 30 | offsets[2] << 15 | offsets[3]
    assert quad in search_tokens.month_tokens(month, ["华兴恒达"])
    assert quad in search_tokens.month_tokens(month, ["株洲华兴恒达食品"])  # a longer term: fewer candidates
    assert search_tokens.quad_token("一一一一") == 1 << 62 and search_tokens.quad_token("鿿鿿鿿鿿") < 1 << 63
    for other in ("华兴恒", "华兴恒达食", "〔2023", "华兴1达", "華興恆達"[:3] + "𠀀"):
        assert search_tokens.quad_token(other) is None
    assert search_tokens.decided_by_tokens("罚款") and search_tokens.decided_by_tokens("华兴恒达")
    assert not any(search_tokens.decided_by_tokens(term) for term in ("罚款决", "华兴恒达食品", "〔2023〕", "ab12"))
