"""PostgreSQL's keyword index becomes a GIN expression index over month-tagged integer tokens (see
zhifa.disclosure.search_index); the stored column of migration 0002's first version goes."""

from django.db import migrations

from zhifa.disclosure import search_index


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_withdrawal_changed")]

    operations = [migrations.RunPython(search_index.recreate_postgres, search_index.recreate_postgres)]
