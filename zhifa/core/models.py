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

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from zhifa.core.calendar import forget

        forget()
        return result


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

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from zhifa.core.calendar import forget

        forget()
        return result


class Confidentiality(models.TextChoices):
    """Marking of records (seed §二(二)3): marked records are hidden from users without the right role, never
    public, never exported without an authorised reason, and opening one asks for a reason that is recorded."""

    NONE = "none", _("无")
    STATE_SECRET = "state_secret", _("国家秘密")
    COMMERCIAL_SECRET = "commercial_secret", _("商业秘密")
    PERSONAL_PRIVACY = "personal_privacy", _("个人隐私")


class NumberSequence(models.Model):
    """Gap-free numbers per agency, year and kind (case numbers, document numbers), claimed under a row lock."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="one_sequence_per_kind")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.kind}: {self.last}"
