"""Issued documents and their signatures are append-only, like the record: triggers refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL). A corrected document is a new document with its own number."""

from django.db import migrations

from zhifa.core.append_only import refuse_changes


def create_triggers(apps, schema_editor) -> None:
    refuse_changes(schema_editor, ["documents_document", "documents_documentsignature"], (), function="zhifa_documents_refuse_change", what="issued documents")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
