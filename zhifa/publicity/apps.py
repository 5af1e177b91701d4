from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    verbose_name = _("行政执法公示")

    def ready(self) -> None:
        from zhifa.publicity.event_types import register

        register()
