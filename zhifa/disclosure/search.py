"""Search of published decisions: keyword (2+ characters, substring semantics over the normalised search text),
agency, act type, date range. The keyword part is one function so that an index can replace the scan."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db.models import QuerySet

from zhifa.disclosure.models import Publication

MIN_QUERY_CHARS = 2


def normalise_query(q: str) -> list[str]:
    """The query's terms (split on whitespace), NFKC and lower case like the indexed text; too-short terms go."""
    text = unicodedata.normalize("NFKC", q).lower()
    return [term for term in text.split() if len(term) >= MIN_QUERY_CHARS]


def keyword_filter(queryset: QuerySet[Publication], terms: list[str]) -> QuerySet[Publication]:
    """Every term must occur as a substring (the reference semantics: a LIKE scan)."""
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def search(queryset: QuerySet[Publication], q: str = "", agency_id: int | None = None, act_type: str = "",
           date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[Publication]:
    if agency_id:
        queryset = queryset.filter(agency_id=agency_id)
    if act_type:
        queryset = queryset.filter(act_type=act_type)
    if date_from:
        queryset = queryset.filter(decided_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(decided_on__lte=date_to)
    terms = normalise_query(q)
    return keyword_filter(queryset, terms) if terms else queryset
