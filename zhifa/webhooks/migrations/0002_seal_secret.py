"""Subscription secrets sealed at rest (zhifa.core.fieldcrypto, as parties' ID numbers): existing rows are encrypted
before the clear column is dropped; going back decrypts them."""

from django.db import migrations, models

from zhifa.core import fieldcrypto

SECRET_CONTEXT = "webhook.secret"  # as zhifa.webhooks.models.SECRET_CONTEXT; fixed here, as the rows are


def seal(apps, schema_editor) -> None:
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.using(schema_editor.connection.alias).only("pk", "secret"):
        subscription.secret_sealed = fieldcrypto.encrypt(subscription.secret, SECRET_CONTEXT)
        subscription.save(update_fields=["secret_sealed"])


def unseal(apps, schema_editor) -> None:
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.using(schema_editor.connection.alias).only("pk", "secret_sealed"):
        subscription.secret = fieldcrypto.decrypt(subscription.secret_sealed, SECRET_CONTEXT)
        subscription.save(update_fields=["secret"])


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="secret_sealed",
            field=models.BinaryField(blank=True, default=b"", verbose_name="签名密钥（加密）"),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField(
            model_name="subscription",
            name="secret",
        ),
    ]
