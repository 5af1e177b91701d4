from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    verbose_name = _("事后公开")

    def ready(self) -> None:
        from zhifa.disclosure.search_index import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="zhifa.disclosure.search_functions")
