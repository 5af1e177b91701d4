"""Search of published decisions through the index equals a LIKE scan of the search text (same rows, same order),
on SQLite (FTS5) and PostgreSQL (GIN), and the index follows every change of a publication made in the database."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.disclosure import search as search_module
from zhifa.disclosure import search_index, search_tokens
from zhifa.disclosure.models import Publication, Status
from zhifa.disclosure.search import Query, like_scan, search
from zhifa.disclosure.search_tokens import normalise

pytestmark = pytest.mark.django_db

ALPHABET = "罚款决定书食品经营许可株洲市渌口区某有限公司，。：（）、\n0123456789Ａｂc-"
CJK = "罚款决定书"  # few, so that absent four-character terms are often present
START = dt.date(2024, 1, 1)


def make_publication(agency, text: str, *, status: str = Status.PUBLISHED, day: int = 0,
                     act_type: str = "penalty") -> Publication:
    decided_on = START + dt.timedelta(days=day)
    return Publication.objects.create(
        agency=agency, act_type=act_type, document_number=f"渌罚〔2024〕{day}号", target="某公司", conclusion="罚款",
        decided_on=decided_on, due_on=decided_on, original_text=text, redacted_text=text, status=status,
        search_text=normalise(text))


@pytest.fixture
def corpus(make_agency):
    rng = random.Random(7)
    agencies = [make_agency(), make_agency()]
    rows = []
    for _ in range(160):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 60)))
        status = rng.choice([Status.PUBLISHED] * 6 + [Status.WITHDRAWN, Status.DRAFT, Status.EXPIRED])
        rows.append(make_publication(rng.choice(agencies), text, status=status, day=rng.randrange(40),
                                     act_type=rng.choice(["penalty", "licensing"])))
    return agencies, rows, rng


def _pks(results) -> list[int]:
    return [p.pk for p in results[0:results.count()]]


def test_search_equals_like_scan_in_rows_and_order(corpus) -> None:
    agencies, rows, rng = corpus
    public = Publication.objects.public()
    texts = [row.search_text for row in rows if row.search_text]
    for _ in range(150):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        terms = [text[start:start + rng.randrange(2, 7)]]
        if rng.random() < 0.3:
            terms.append("".join(rng.choice(ALPHABET) for _ in range(2)))
        terms = [normalise(t) for t in terms if len(normalise(t)) >= 2 and not normalise(t).isspace()]
        query = Query(tuple(t for t in terms if " " not in t and "\n" not in t),
                      agency_id=rng.choice([None, agencies[0].pk]), act_type=rng.choice(["", "licensing"]),
                      date_from=rng.choice([None, START + dt.timedelta(days=10)]),
                      date_to=rng.choice([None, START + dt.timedelta(days=30)]))
        expected = list(like_scan(public, query).values_list("pk", flat=True))
        results = search(public, " ".join(query.terms), query.agency_id, query.act_type, query.date_from,
                         query.date_to)
        assert results.count() == len(expected), query
        assert _pks(results) == expected, query


def test_search_ignores_case_and_full_width(make_agency) -> None:
    publication = make_publication(make_agency(), "许可证编号ＪＹ１２３４５")
    assert _pks(search(Publication.objects.public(), "jy123")) == [publication.pk]
    assert _pks(search(Publication.objects.public(), "ＪＹ12")) == [publication.pk]


def test_one_character_terms_are_ignored(make_agency) -> None:
    kept = make_publication(make_agency(), "食品经营")
    assert _pks(search(Publication.objects.public(), "食")) == [kept.pk]


def test_index_follows_status_text_date_and_deletion_changes(make_agency) -> None:
    agency = make_agency()
    publication = make_publication(agency, "无证经营食品", status=Status.DRAFT)
    public = Publication.objects.public()
    assert _pks(search(public, "无证")) == []
    Publication.objects.filter(pk=publication.pk).update(status=Status.PUBLISHED)
    assert _pks(search(public, "无证经营")) == [publication.pk]
    Publication.objects.filter(pk=publication.pk).update(status=Status.WITHDRAWN)
    assert _pks(search(public, "证经")) == [publication.pk]
    Publication.objects.filter(pk=publication.pk).update(search_text="超范围经营")
    assert _pks(search(public, "无证")) == [] and _pks(search(public, "超范围")) == [publication.pk]
    Publication.objects.filter(pk=publication.pk).update(decided_on=dt.date(2020, 5, 1))
    assert _pks(search(public, "超范围", date_to=dt.date(2020, 12, 31))) == [publication.pk]
    Publication.objects.filter(pk=publication.pk).update(status=Status.EXPIRED)
    assert _pks(search(public, "超范围")) == []
    Publication.objects.filter(pk=publication.pk).update(status=Status.PUBLISHED)
    Publication.objects.filter(pk=publication.pk).delete()
    assert _pks(search(public, "超范围")) == []


def test_count_is_exact_up_to_the_limit_then_says_more(make_agency, monkeypatch) -> None:
    agency = make_agency()
    rows = [make_publication(agency, f"罚款决定{i}", day=i) for i in range(7)]
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 5)
    results = search(Publication.objects.public(), "罚款")
    assert results.count() == 5 and results.more_than_limit
    assert [p.pk for p in results[0:5]] == [row.pk for row in reversed(rows)][:5]
    html = Client().get("/public/decisions/", {"q": "罚款"}).content.decode()
    assert "超过 5 条" in html
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 7)
    assert not search(Publication.objects.public(), "罚款").more_than_limit


def test_public_list_pages_keep_the_query(make_agency) -> None:
    agency = make_agency()
    for i in range(25):
        make_publication(agency, f"食品罚款{i}", day=i)
    client = Client()
    first = client.get("/public/decisions/", {"q": "食品"}).content.decode()
    assert "共 25 条" in first and "1 / 2" in first
    second = client.get("/public/decisions/", {"q": "食品", "page": 2}).content.decode()
    assert "2 / 2" in second and "渌罚〔2024〕0号" in second and "渌罚〔2024〕24号" not in second


def test_filters_without_keywords_equal_the_scan(corpus) -> None:
    agencies, rows, rng = corpus
    public = Publication.objects.public()
    for agency, act_type in ((agencies[0].pk, ""), (None, "licensing"), (agencies[1].pk, "penalty"), (None, "")):
        query = Query((), agency_id=agency, act_type=act_type, date_from=START + dt.timedelta(days=5))
        expected = list(like_scan(public, query).values_list("pk", flat=True))
        assert _pks(search(public, "", agency, act_type, query.date_from)) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL computes its index tokens in SQL")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=ALPHABET + CJK * 4 + "𠀀ÿ", max_size=40), data=st.data())
def test_postgres_token_function_agrees_with_python(make_agency, text, data) -> None:
    """Every term that occurs in the text has all its Python-computed tokens among those SQL computed for the row;
    a bigram, or four CJK characters, that do not occur have not all theirs (those tokens are exact)."""
    agency = make_agency()
    day = dt.date(2025, 2, 28)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search_index.POSTGRES_TOKENS_EXPRESSION} FROM (SELECT %s::text AS search_text, "
                       "%s::date AS decided_on, %s::bigint AS agency_id, %s::text AS act_type) row",
                       [text, day, agency.pk, "licensing"])
        stored = set(cursor.fetchone()[0])
    month = search_tokens.month_index(day)
    if len(text) >= 2:
        start = data.draw(st.integers(0, len(text) - 2))
        term = text[start:start + data.draw(st.integers(2, 6))]
        assert set(search_tokens.month_tokens(month, [term], agency.pk, "licensing")) <= stored
    for size in (2, 4):  # exact: the tokens of two characters, and of four of the CJK block
        absent = data.draw(st.text(alphabet=CJK if size == 4 else ALPHABET, min_size=size, max_size=size))
        assert (set(search_tokens.month_tokens(month, [absent])) <= stored) == (absent in text)
