from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    verbose_name = _("事后公开")
