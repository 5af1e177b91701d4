"""The keyword index of public decisions (see zhifa.disclosure.search_index)."""

from django.db import migrations

from zhifa.disclosure import search_index


def create(apps, schema_editor) -> None:
    search_index.create(schema_editor)


def drop(apps, schema_editor) -> None:
    search_index.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
