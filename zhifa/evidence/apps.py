from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    verbose_name = _("证据与音像记录")
