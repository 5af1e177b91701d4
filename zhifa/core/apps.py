from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    verbose_name = "基础设置"

    def ready(self) -> None:
        from zhifa.core import calendar

        calendar.install()
