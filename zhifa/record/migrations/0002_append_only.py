"""The record is append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

LogHead and TreeState are counters: they may be updated, never deleted.
"""

from django.db import migrations

from zhifa.core.append_only import refuse_changes


def create_triggers(apps, schema_editor) -> None:
    refuse_changes(schema_editor, ["record_event", "record_merklenode", "record_checkpoint"],
                   ["record_loghead", "record_treestate"], function="zhifa_refuse_change", what="the record")


def create_counters(apps, schema_editor) -> None:
    apps.get_model("record", "LogHead").objects.get_or_create(id=1, defaults={"size": 0})
    apps.get_model("record", "TreeState").objects.get_or_create(id=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    operations = [
        migrations.RunPython(create_counters, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, migrations.RunPython.noop),
    ]
