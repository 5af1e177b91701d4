"""The keyword index of public decisions, kept by the database itself (triggers, an expression index), so no code
path can publish, withdraw or expire a decision without the index following.

- SQLite: a contentless FTS5 table `disclosure_search` (columns g2, g3, f; see search_tokens) whose rowid is the
  sort key, filled by triggers through Python functions registered on every connection.
- PostgreSQL: a GIN expression index, partial on public rows, over integer tokens of the search text's bigrams and
  trigrams and of the facets, each tagged with the decision's month, and of its runs of four CJK characters (an
  immutable function of the row); a search selects candidates month by month, newest first, and checks on the text
  the terms the tokens cannot decide.
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

# the tokens of search_tokens (which documents the encoding and holds its constants), computed by the database
# from the row itself
_T = search_tokens
POSTGRES_TOKENS = f"""CREATE FUNCTION zhifa_search_tokens(t text, d date, agency bigint, act text) RETURNS bigint[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    COST 10000  -- a thousand tokens a row: the planner must never choose to recompute it in a filter
    AS $$
    DECLARE
      tag bigint := (extract(year FROM d)::bigint * 12 + extract(month FROM d)::bigint - 1) << {_T.MONTH_SHIFT};
      codes int[] := ARRAY(SELECT ascii(c) FROM unnest(string_to_array(t, NULL)) c);
      n int := coalesce(array_length(codes, 1), 0);
      act_fold bigint := 0;
      tokens bigint[];
      pair bigint;
      offsets int[] := ARRAY(SELECT CASE WHEN c BETWEEN {_T.CJK_FIRST} AND {_T.CJK_LAST} THEN c - {_T.CJK_FIRST}
                                         ELSE -1 END FROM unnest(codes) c);
    BEGIN
      FOR i IN 1 .. coalesce(length(act), 0) LOOP
        act_fold := (act_fold * {_T.FOLD_CHAR} + ascii(substr(act, i, 1))) & {_T.ACT_MASK};
      END LOOP;
      tokens := ARRAY[{_T.AGENCY_FLAG}::bigint | tag | agency, {_T.ACT_FLAG}::bigint | tag | act_fold];
      FOR i IN 1 .. n - 1 LOOP
        pair := (codes[i]::bigint << {_T.CODE_BITS}) | codes[i + 1];
        tokens := tokens || (tag | pair);
        IF i < n - 1 THEN
          tokens := tokens || (-1 - (tag | ((pair * {_T.FOLD_PAIR} + codes[i + 2]::bigint * {_T.FOLD_THIRD})
                                            & {_T.FOLD_MASK})));
          IF i < n - 2 AND offsets[i] >= 0 AND offsets[i + 1] >= 0 AND offsets[i + 2] >= 0 AND offsets[i + 3] >= 0
          THEN
            -- (parenthesised: PostgreSQL gives << and | the same precedence, left to right)
            tokens := tokens || ({_T.QUAD_FLAG}::bigint | (offsets[i]::bigint << {3 * _T.QUAD_BITS})
                                 | (offsets[i + 1]::bigint << {2 * _T.QUAD_BITS})
                                 | (offsets[i + 2]::bigint << {_T.QUAD_BITS}) | offsets[i + 3]);
          END IF;
        END IF;
      END LOOP;
      RETURN tokens;
    END $$"""
POSTGRES_TOKENS_EXPRESSION = "zhifa_search_tokens(search_text, decided_on, agency_id, act_type)"
POSTGRES_INDEXES = [
    # no stored column: GIN's containment test is exact, so a search never recomputes the function
    f"""CREATE INDEX disclosure_publication_tokens ON disclosure_publication
        USING gin ({POSTGRES_TOKENS_EXPRESSION}) WHERE status IN {_PUBLIC_SQL}""",
    f"""CREATE INDEX disclosure_publication_public_order ON disclosure_publication (decided_on DESC, id DESC)
        WHERE status IN {_PUBLIC_SQL}""",
]
POSTGRES_DROP_INDEXES = ["DROP INDEX IF EXISTS disclosure_publication_public_order",
                         "DROP INDEX IF EXISTS disclosure_publication_tokens"]
POSTGRES_CREATE = [
    POSTGRES_TOKENS, *POSTGRES_INDEXES,
    # the long texts go out of line, so the rows a search visits (and the public list reads) stay narrow
    "ALTER TABLE disclosure_publication SET (toast_tuple_target = 128)",
]
POSTGRES_DROP = [
    *POSTGRES_DROP_INDEXES, "DROP FUNCTION IF EXISTS zhifa_search_tokens(text, date, bigint, text)",
    "ALTER TABLE disclosure_publication RESET (toast_tuple_target)",
    # the first PostgreSQL index (migration 0002 before 0004): month-tagged bigrams in a stored column
    "DROP INDEX IF EXISTS disclosure_publication_grams",
    "ALTER TABLE disclosure_publication DROP COLUMN IF EXISTS search_grams",
    "DROP FUNCTION IF EXISTS zhifa_search_grams(text, date)",
]


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


def recreate_postgres(apps: Any, schema_editor: Any) -> None:
    """A migration's operation (RunPython) when PostgreSQL's function or index changes: both are made again."""
    if schema_editor.connection.vendor == "postgresql":
        drop(schema_editor)
        create(schema_editor)
