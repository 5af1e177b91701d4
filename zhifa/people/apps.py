from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "zhifa.people"
    verbose_name = _("人员与执法主体")
