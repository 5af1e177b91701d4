"""PostgreSQL's token function also yields an exact token for every four CJK characters in a row (see
zhifa.disclosure.search_tokens); the function and the index are made again."""

from django.db import migrations

from zhifa.disclosure import search_index


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0004_search_tokens")]

    operations = [migrations.RunPython(search_index.recreate_postgres, search_index.recreate_postgres)]
