"""On SQLite, make record_event.seq and record_merklenode.key the tables' rowids (`integer PRIMARY KEY`): appends
and tree writes then update one B-tree fewer, and reads by key range (verification, proofs) walk the table itself.

SQLite cannot change a column's type in place: each table is rebuilt (new table, rows copied in order, old one
dropped, renamed), its indexes and append-only triggers recreated. Done by hand, not by AlterField, whose table
rebuild would lose the triggers. PostgreSQL keeps its bigint columns: nothing to do there.
"""

from django.db import migrations

import zhifa.record.models
from zhifa.core.append_only import refuse_changes

TABLES = {"record_event": "seq", "record_merklenode": "key"}


def rebuild_with_rowid_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    rebuilt = []
    with schema_editor.connection.cursor() as cursor:
        for table, column in TABLES.items():
            (create,) = cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s",
                                       [table]).fetchone()
            old = f'"{column}" bigint NOT NULL PRIMARY KEY'
            if old not in create:
                continue  # already a rowid key
            indexes = [sql for (sql,) in cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table])]
            new_table = f"{table}__rowid"
            schema_editor.execute(create.replace(f'"{table}"', f'"{new_table}"', 1)
                                  .replace(old, f'"{column}" integer NOT NULL PRIMARY KEY'))
            schema_editor.execute(f'INSERT INTO "{new_table}" SELECT * FROM "{table}" ORDER BY "{column}"')
            schema_editor.execute(f'DROP TABLE "{table}"')  # drops its indexes and triggers with it
            schema_editor.execute(f'ALTER TABLE "{new_table}" RENAME TO "{table}"')
            for sql in indexes:
                schema_editor.execute(sql)
            rebuilt.append(table)
    if rebuilt:
        refuse_changes(schema_editor, rebuilt, function="zhifa_refuse_change", what="the record")


class Migration(migrations.Migration):
    dependencies = [("record", "0003_event_actor_unindexed")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event", name="seq",
                    field=zhifa.record.models.RowidKeyField(primary_key=True, serialize=False, verbose_name="序号"),
                ),
                migrations.AlterField(
                    model_name="merklenode", name="key",
                    field=zhifa.record.models.RowidKeyField(primary_key=True, serialize=False),
                ),
            ],
            database_operations=[migrations.RunPython(rebuild_with_rowid_keys, migrations.RunPython.noop)],
        ),
    ]
