from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    name = "zhifa.record"
    verbose_name = _("执法全过程记录")
