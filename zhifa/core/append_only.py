"""Database triggers that make tables append-only: UPDATE and DELETE refused on SQLite and PostgreSQL, TRUNCATE
too on PostgreSQL. Counters (one row that only grows) may be updated, never deleted. Used by migrations."""

from __future__ import annotations

from collections.abc import Iterable

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'zhifa: % on % is refused: append-only ({what})', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;
"""


def refuse_changes(schema_editor, tables: Iterable[str], counters: Iterable[str] = (), *, function: str,
                   what: str) -> None:
    """Create the triggers for `tables` (append-only) and `counters` (no DELETE); `function` names the PostgreSQL
    trigger function, `what` is said in the error."""
    tables, counters = list(tables), list(counters)
    execute = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in tables:
            for operation in ("UPDATE", "DELETE"):
                execute(f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, 'zhifa: {operation} on {table} is refused: append-only ({what})'); END;")
        for table in counters:
            execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, 'zhifa: DELETE on {table} is refused: append-only ({what})'); END;")
    elif vendor == "postgresql":
        execute(POSTGRES_FUNCTION.format(name=function, what=what), params=None)  # the % are not placeholders
        for table in tables:
            execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {function}()")
        for table in counters:
            execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {function}()")
        for table in tables + counters:
            execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    else:
        raise NotImplementedError(f"zhifa supports SQLite and PostgreSQL, not {vendor}")
