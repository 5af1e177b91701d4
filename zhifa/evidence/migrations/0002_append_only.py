"""Evidence rows are append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

A correction of an evidence file's metadata is a new row that supersedes the old one (actions.correct_evidence).
"""

from django.db import migrations

TABLE = "evidence_evidencefile"

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_evidence_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'zhifa: % on % is refused: evidence is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor) -> None:
    execute = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'zhifa: {operation} on {TABLE} is refused: evidence is append-only'); END;"
            )
    elif vendor == "postgresql":
        execute(POSTGRES_FUNCTION, params=None)  # params=None: the % of RAISE are not placeholders
        execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION zhifa_evidence_refuse_change()")
        execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                "FOR EACH STATEMENT EXECUTE FUNCTION zhifa_evidence_refuse_change()")
    else:
        raise NotImplementedError(f"zhifa supports SQLite and PostgreSQL, not {vendor}")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
