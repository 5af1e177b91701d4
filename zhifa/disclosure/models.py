"""A publication task per decision: the summary fields, the redacted text with its masks, and its life
(draft → published → withdrawn / expired; or withheld with an approved reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.law.publicity import ACT_TYPE_LABELS
from zhifa.people.scoping import AgencyScopedQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("待审核发布")
    PUBLISHED = "published", _("已公开")
    WITHHELD = "withheld", _("不予公开")
    WITHDRAWN = "withdrawn", _("已撤下")
    EXPIRED = "expired", _("公示期满")


class PublicationQuerySet(AgencyScopedQuerySet):
    def public(self) -> PublicationQuerySet:
        """What the portal shows: published decisions and the withdrawal notices that replaced some."""
        return self.filter(status__in=[Status.PUBLISHED, Status.WITHDRAWN])


class Publication(models.Model):
    agency = models.ForeignKey("people.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="publications")
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="publication")
    source = models.CharField(_("来源"), max_length=12, default="case",
                              choices=[("case", _("本平台案件")), ("import", _("其他系统导入"))])
    act_type = models.CharField(_("执法类别"), max_length=12, choices=list(ACT_TYPE_LABELS.items()))
    document_number = models.CharField(_("文号"), max_length=60)
    target = models.CharField(_("执法对象"), max_length=200)
    category = models.CharField(_("执法类别（领域）"), max_length=60, blank=True)
    conclusion = models.TextField(_("执法结论"))
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公开期限"))
    policy = models.CharField(_("脱敏策略"), max_length=12, default="default")
    original_text = models.TextField(_("决定书全文（内部）"))
    redacted_text = models.TextField(_("公开文本"))
    masks = models.JSONField(default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    display_until = models.DateField(_("公示截止"), null=True, blank=True)
    withheld_reason = models.TextField(_("不予公开理由"), blank=True)
    withdrawal_reason = models.TextField(_("撤下理由"), blank=True)
    withdrawal_kind = models.CharField(max_length=20, blank=True, choices=[
        ("revoked", _("被依法撤销")), ("illegal", _("被确认违法")), ("void", _("被确认无效")),
        ("remade", _("被责令重新作出")), ("changed", _("被依法变更"))])
    withdrawal_due_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["status", "-decided_on"], name="publication_status_date")]

    def __str__(self) -> str:
        return f"{self.document_number} {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("decision-public", args=[self.pk])

    @property
    def act_type_label(self) -> str:
        return ACT_TYPE_LABELS.get(self.act_type, self.act_type)
