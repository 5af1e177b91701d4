"""Drop the index on record_event.actor_id: every lookup by actor also names the object (event_object_idx), and
each index costs every append. Done as a plain DROP INDEX: SQLite's AlterField would rebuild the table and lose
its append-only triggers."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="actor",
                    field=models.ForeignKey(
                        db_constraint=False, db_index=False, null=True,
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "record_event_actor_id_94f9be35"',
                    'CREATE INDEX "record_event_actor_id_94f9be35" ON "record_event" ("actor_id")',
                ),
            ],
        ),
    ]
