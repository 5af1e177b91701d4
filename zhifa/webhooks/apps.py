from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "zhifa.webhooks"
    verbose_name = _("推送订阅")
