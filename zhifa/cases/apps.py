from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = _("案件")

    def ready(self) -> None:
        from zhifa.cases.models import Case
        from zhifa.catalog import alerts

        # Open cases on a superseded catalog version are flagged on the catalog's alerts page.
        alerts.register_open_cases(lambda: Case.objects.exclude(stage__in=["closed", "archived"]))
