"""Search of published decisions: keywords (2+ characters each, substring semantics: the results are those of a LIKE
scan of the normalised search text, in the same order), agency, act type, date range; newest first.

Keywords go through the index of search_index. Counting every match of a common word would visit all of them, so
the count is exact up to COUNT_LIMIT and otherwise reported as "more than"; the pages reach that far (as a web
search engine's do).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import BooleanField, Max, Min, QuerySet
from django.db.models.expressions import RawSQL

from zhifa.disclosure import search_index, search_tokens
from zhifa.disclosure.models import Publication

COUNT_LIMIT = 1_000


@dataclasses.dataclass(frozen=True)
class Query:
    terms: tuple[str, ...] = ()
    agency_id: int | None = None
    act_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def like_scan(queryset: QuerySet[Publication], query: Query) -> QuerySet[Publication]:
    """The reference semantics, without any index: every term a substring of the search text."""
    queryset = _filtered(queryset, query)
    for term in query.terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def _filtered(queryset: QuerySet[Publication], query: Query) -> QuerySet[Publication]:
    if query.agency_id:
        queryset = queryset.filter(agency_id=query.agency_id)
    if query.act_type:
        queryset = queryset.filter(act_type=query.act_type)
    if query.date_from:
        queryset = queryset.filter(decided_on__gte=query.date_from)
    if query.date_to:
        queryset = queryset.filter(decided_on__lte=query.date_to)
    return queryset


@contextlib.contextmanager
def _postgres_search_settings() -> Iterator[None]:
    """Enough memory that the bitmap of a common token stays exact (no lossy pages to recheck); no JIT compilation
    nor parallel workers, whose start-up alone costs more than these short indexed queries take."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; "
                               "SET LOCAL max_parallel_workers_per_gather = 0")
        yield


class Results:
    """A lazy result list for Django's Paginator. One indexed query finds the newest COUNT_LIMIT + 1 matches (their
    ids only): that gives the count and every page; a page then reads its 20 rows by primary key."""

    def __init__(self, queryset: QuerySet[Publication], query: Query) -> None:
        self.queryset, self.query = queryset, query
        self._pks: list[int] | None = None

    @property
    def pks(self) -> list[int]:
        if self._pks is None:
            self._pks = self._matching_pks(COUNT_LIMIT + 1)
        return self._pks

    def count(self) -> int:
        return min(len(self.pks), COUNT_LIMIT)

    @property
    def more_than_limit(self) -> bool:
        return len(self.pks) > COUNT_LIMIT

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Publication]:
        return iter(self[0:self.count()])

    def __getitem__(self, window: slice) -> list[Publication]:
        if not isinstance(window, slice):
            raise TypeError("Results are read by slices (pages)")
        pks = self.pks[:self.count()][window]
        found = self.queryset.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def _matching_pks(self, limit: int) -> list[int]:
        indexed = bool(self.query.terms or self.query.agency_id or self.query.act_type)
        if indexed and connection.vendor == "sqlite":
            # the facets are index tokens too, so a list of one agency's decisions is read in order from the index
            return [search_tokens.pk_of(key) for key in self._fts_keys(limit)]
        with _postgres_search_settings():
            if indexed and connection.vendor == "postgresql":
                return self._postgres_pks(limit)
            return list(like_scan(self.queryset, self.query).values_list("pk", flat=True)[:limit])

    def _fts_keys(self, limit: int) -> list[int]:
        low, high = search_tokens.sort_key_range(self.query.date_from, self.query.date_to)
        match = search_tokens.match_expression(list(self.query.terms), self.query.agency_id, self.query.act_type)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM disclosure_search WHERE disclosure_search MATCH %s "
                           "AND rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s", [match, low, high, limit])
            return [row[0] for row in cursor.fetchall()]

    def _postgres_pks(self, limit: int) -> list[int]:
        """Month by month, newest first, in batches of 1, 2, 4… months, until `limit` matches are found: the
        matches of newer months all come before those of older ones, so the first `limit` are exact. The index
        gives the candidates of a batch; they are sorted, and the terms it cannot decide alone (all but those of two
        characters and of four CJK characters: search_tokens.decided_by_tokens) are checked on the text in that
        order, only as far as needed."""
        in_range = _filtered(self.queryset, self.query)
        bounds = in_range.aggregate(first=Min("decided_on"), last=Max("decided_on"))
        if bounds["first"] is None:
            return []
        months = search_tokens.months_newest_first(bounds["first"], bounds["last"])
        found: list[int] = []
        batch_size = 1
        with connection.cursor() as cursor:
            # Candidates come from the GIN index only: the planner, which cannot estimate a month's share of a
            # token, would otherwise walk the date index and recompute every row's tokens in a filter.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            while months and len(found) < limit:
                batch, months = months[:batch_size], months[batch_size:]
                batch_size *= 2
                cursor.execute(*self._postgres_batch(batch, limit - len(found)))
                found += [row[0] for row in cursor.fetchall()]
        return found

    def _postgres_batch(self, batch: list[tuple[dt.date, dt.date]], limit: int) -> tuple[str, list]:
        """The candidates of some months, by their tokens alone (the facets and months are tokens too: no other
        index is worth intersecting), sorted; then, after an OFFSET 0 that keeps them out of the scan, the checks
        the tokens cannot decide (dates within a month, the facets' columns, terms on the text), only as far as
        the limit."""
        query = self.query
        tokens = [search_tokens.month_tokens(search_tokens.month_index(start), list(query.terms), query.agency_id,
                                             query.act_type) for start, _ in batch]
        expression = search_index.POSTGRES_TOKENS_EXPRESSION
        condition = RawSQL("(" + " OR ".join([f"{expression} @> %s::bigint[]"] * len(batch)) + ")", tokens,
                           output_field=BooleanField())
        candidates = (self.queryset.filter(condition).order_by("-decided_on", "-pk")
                      .values_list("pk", "decided_on", "agency_id", "act_type", "search_text"))
        sql, params = candidates.query.sql_with_params()
        checks, check_params = ["c.decided_on BETWEEN %s AND %s"], [batch[-1][0], batch[0][1]]
        for column, value in (("agency_id", query.agency_id), ("act_type", query.act_type)):
            if value:
                checks.append(f"c.{column} = %s")
                check_params.append(value)
        for term in query.terms:
            if not search_tokens.decided_by_tokens(term):
                checks.append("strpos(c.search_text, %s) > 0")
                check_params.append(term)
        return (f"SELECT c.id FROM ({sql} OFFSET 0) c (id, decided_on, agency_id, act_type, search_text) "
                f"WHERE {' AND '.join(checks)} LIMIT %s", [*params, *check_params, limit])


def search(queryset: QuerySet[Publication], q: str = "", agency_id: int | None = None, act_type: str = "",
           date_from: dt.date | None = None, date_to: dt.date | None = None) -> Results:
    """`queryset` is the public set (Publication.objects.public()), whose rows the index holds."""
    query = Query(tuple(search_tokens.query_terms(q)), agency_id, act_type, date_from, date_to)
    return Results(queryset, query)
