"""Issued documents and their signatures are append-only, like the record: triggers refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL). A corrected document is a new document with its own number."""

from django.db import migrations

TABLES = ["documents_document", "documents_documentsignature"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_documents_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'zhifa: % on % is refused: issued documents are append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor) -> None:
    execute = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for operation in ("UPDATE", "DELETE"):
                execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, 'zhifa: {operation} on {table} is refused: issued documents are "
                    "append-only'); END;"
                )
    elif vendor == "postgresql":
        execute(POSTGRES_FUNCTION, params=None)  # params=None: the % of RAISE are not placeholders
        for table in TABLES:
            execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION zhifa_documents_refuse_change()")
            execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION zhifa_documents_refuse_change()")
    else:
        raise NotImplementedError(f"zhifa supports SQLite and PostgreSQL, not {vendor}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
