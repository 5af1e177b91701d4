"""The keyword index of public decisions, kept by the database itself (triggers, a generated column), so no code
path can publish, withdraw or expire a decision without the index following.

- SQLite: a contentless FTS5 table `disclosure_search` (columns g2, g3, f; see search_tokens) whose rowid is the
  sort key, filled by triggers through Python functions registered on every connection.
- PostgreSQL: a stored generated column of the distinct bigrams of the search text tagged with the decision's
  month (an immutable SQL function), with a GIN index partial on public rows; every term's bigrams select the
  candidates month by month, newest first, and LIKE checks the substring itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.disclosure import search_tokens

_PUBLIC_SQL = "('published', 'withdrawn')"
_CHANGED = ("OLD.status IS NOT NEW.status OR OLD.search_text IS NOT NEW.search_text OR OLD.decided_on IS NOT "
            "NEW.decided_on OR OLD.agency_id IS NOT NEW.agency_id OR OLD.act_type IS NOT NEW.act_type")


def _values(row: str) -> str:
    return (f"zhifa_fts_key({row}.decided_on, {row}.id), zhifa_fts_bigrams({row}.search_text), "
            f"zhifa_fts_trigrams({row}.search_text), zhifa_fts_facets({row}.agency_id, {row}.act_type)")


SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE disclosure_search USING fts5(g2, g3, f, content='', columnsize=0, tokenize='ascii')",
    f"""CREATE TRIGGER disclosure_search_insert AFTER INSERT ON disclosure_publication
        WHEN NEW.status IN {_PUBLIC_SQL} BEGIN
        INSERT INTO disclosure_search(rowid, g2, g3, f) VALUES ({_values('NEW')}); END""",
    f"""CREATE TRIGGER disclosure_search_update AFTER UPDATE ON disclosure_publication WHEN {_CHANGED} BEGIN
        INSERT INTO disclosure_search(disclosure_search, rowid, g2, g3, f)
            SELECT 'delete', {_values('OLD')} WHERE OLD.status IN {_PUBLIC_SQL};
        INSERT INTO disclosure_search(rowid, g2, g3, f) SELECT {_values('NEW')} WHERE NEW.status IN {_PUBLIC_SQL};
        END""",
    f"""CREATE TRIGGER disclosure_search_delete AFTER DELETE ON disclosure_publication
        WHEN OLD.status IN {_PUBLIC_SQL} BEGIN
        INSERT INTO disclosure_search(disclosure_search, rowid, g2, g3, f) VALUES ('delete', {_values('OLD')}); END""",
    f"INSERT INTO disclosure_search(rowid, g2, g3, f) SELECT {_values('p')} FROM disclosure_publication p "
    f"WHERE p.status IN {_PUBLIC_SQL}",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS disclosure_search_insert", "DROP TRIGGER IF EXISTS disclosure_search_update",
    "DROP TRIGGER IF EXISTS disclosure_search_delete", "DROP TABLE IF EXISTS disclosure_search",
]

POSTGRES_CREATE = [
    # the distinct bigrams of a text, each tagged with the decision's month (see search_tokens.month_tag), in one
    # pass over its characters: the GIN index then holds one posting list per bigram and month, so a search reads
    # the newest months first and stops as soon as it has enough matches
    """CREATE FUNCTION zhifa_search_grams(t text, d date) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT a || b || '@' || (extract(year FROM d)::int * 100
                                                              + extract(month FROM d)::int)), '{}'::text[])
        FROM (SELECT c AS a, lead(c) OVER (ORDER BY n) AS b
              FROM unnest(string_to_array(t, NULL)) WITH ORDINALITY u(c, n)) pairs
        WHERE b IS NOT NULL $$""",
    # stored, so that neither a recheck nor a filter ever recomputes it
    """ALTER TABLE disclosure_publication ADD COLUMN search_grams text[]
        GENERATED ALWAYS AS (zhifa_search_grams(search_text, decided_on)) STORED""",
    f"""CREATE INDEX disclosure_publication_grams ON disclosure_publication USING gin (search_grams)
        WHERE status IN {_PUBLIC_SQL}""",
    f"""CREATE INDEX disclosure_publication_public_order ON disclosure_publication (decided_on DESC, id DESC)
        WHERE status IN {_PUBLIC_SQL}""",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS disclosure_publication_public_order", "DROP INDEX IF EXISTS disclosure_publication_grams",
    "ALTER TABLE disclosure_publication DROP COLUMN IF EXISTS search_grams",
    "DROP FUNCTION IF EXISTS zhifa_search_grams(text, date)",
]
POSTGRES_INDEXES = POSTGRES_CREATE[2:]
POSTGRES_DROP_INDEXES = POSTGRES_DROP[:2]


def _key(decided_on: str | dt.date, pk: int) -> int:
    day = decided_on if isinstance(decided_on, dt.date) else dt.date.fromisoformat(decided_on)
    return search_tokens.sort_key(day, pk)


def _text(function: Any) -> Any:
    return lambda text: function(text or "")


SQLITE_FUNCTIONS = {
    "zhifa_fts_key": (2, _key),
    "zhifa_fts_bigrams": (1, _text(search_tokens.bigram_tokens)),
    "zhifa_fts_trigrams": (1, _text(search_tokens.trigram_tokens)),
    "zhifa_fts_facets": (2, search_tokens.facet_tokens),
}


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: the triggers call these on every write of a publication."""
    if connection.vendor != "sqlite":
        return
    for name, (arity, function) in SQLITE_FUNCTIONS.items():
        connection.connection.create_function(name, arity, function, deterministic=True)


def create(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_CREATE if vendor == "sqlite" else POSTGRES_CREATE if vendor == "postgresql" else []:
        schema_editor.execute(statement)


def drop(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(statement)
