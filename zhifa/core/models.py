"""The administrator's table of State Council holiday notices (for years `chinese-calendar` lacks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayNotice(models.Model):
    """A year's State Council notice (国务院办公厅关于某年部分节假日安排的通知), entered whole."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排通知")
        verbose_name_plural = _("节假日安排通知")

    def __str__(self) -> str:
        return f"{self.year} {self.document_number}".strip()

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from zhifa.core.calendar import forget

        forget()


class NoticeDay(models.Model):
    """One day of a notice: a holiday on a weekday, or a make-up working day (调休) on a weekend."""

    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("工作日"), help_text=_("调休上班日请勾选。"))
    name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("通知日期")
        verbose_name_plural = _("通知日期")

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.working else '休息'} {self.name}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from zhifa.core.calendar import forget

        forget()
