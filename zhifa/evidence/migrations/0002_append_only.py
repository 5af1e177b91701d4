"""Evidence rows are append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

A correction of an evidence file's metadata is a new row that supersedes the old one (actions.correct_evidence).
"""

from django.db import migrations

from zhifa.core.append_only import refuse_changes


def create_triggers(apps, schema_editor) -> None:
    refuse_changes(schema_editor, ["evidence_evidencefile"], (), function="zhifa_evidence_refuse_change", what="evidence")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
