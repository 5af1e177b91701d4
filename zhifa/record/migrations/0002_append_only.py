"""The record is append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

LogHead and TreeState are counters: they may be updated, never deleted.
"""

from django.db import migrations

APPEND_ONLY = ["record_event", "record_merklenode", "record_checkpoint"]
COUNTERS = ["record_loghead", "record_treestate"]


def _sqlite(table: str, operation: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'zhifa: {operation} on {table} is refused: the record is append-only'); END;"
    )


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'zhifa: % on % is refused: the record is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor) -> None:
    execute = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in APPEND_ONLY:
            execute(_sqlite(table, "UPDATE"))
            execute(_sqlite(table, "DELETE"))
        for table in COUNTERS:
            execute(_sqlite(table, "DELETE"))
    elif vendor == "postgresql":
        execute(POSTGRES_FUNCTION, params=None)  # params=None: the % of RAISE are not placeholders
        for table in APPEND_ONLY:
            execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION zhifa_refuse_change()")
        for table in COUNTERS:
            execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION zhifa_refuse_change()")
        for table in APPEND_ONLY + COUNTERS:
            execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION zhifa_refuse_change()")
    else:
        raise NotImplementedError(f"zhifa supports SQLite and PostgreSQL, not {vendor}")


def create_counters(apps, schema_editor) -> None:
    apps.get_model("record", "LogHead").objects.get_or_create(id=1, defaults={"size": 0})
    apps.get_model("record", "TreeState").objects.get_or_create(id=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    operations = [
        migrations.RunPython(create_counters, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, migrations.RunPython.noop),
    ]
