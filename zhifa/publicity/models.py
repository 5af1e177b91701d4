"""Window duty boards, case query codes and complaints. Secrets (query codes, complaint secrets) are stored only
as password hashes; a complainant's contact details are encrypted at rest like parties' personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core import fieldcrypto
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


class DutyPost(models.Model):
    """岗位职责公示牌: a service window or post, who staffs it, what it does and where to ask or complain
    (实施办法二(一)2)."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="duty_posts")
    unit = models.ForeignKey("people.Unit", verbose_name=_("内设机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("窗口或岗位名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=100, blank=True, help_text=_("如“政务服务中心一楼3号窗口”。"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), blank=True,
                                   related_name="duty_posts")
    duties = models.TextField(_("岗位职责"))
    hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("公示中"), default=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="duty_post_name_unique_in_agency")]
        verbose_name = _("岗位职责公示牌")
        verbose_name_plural = _("岗位职责公示牌")

    def __str__(self) -> str:
        return f"{self.agency.short_name}·{self.name}"

    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]


class CaseQueryCode(models.Model):
    """The code a party gets at filing or notice to follow its case online. Only a hash is stored."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="query_code")
    party = models.ForeignKey("cases.Party", verbose_name=_("当事人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              help_text=_("查询码交给的当事人：只显示向其送达的文书。"))
    code_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField(_("发放时间"))

    objects = scoped_queryset("case__agency").as_manager()

    class Meta:
        verbose_name = _("案件查询码")
        verbose_name_plural = _("案件查询码")

    def __str__(self) -> str:
        return f"{self.case_id}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    PROCESSING = "processing", _("处理中")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")


class Complaint(models.Model):
    """投诉举报: routed to the agency as a possible case source (案件来源：投诉举报)."""

    number = models.CharField(_("受理编号"), max_length=20, unique=True)
    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="complaints")
    subject = models.CharField(_("事由"), max_length=100)
    content = models.TextField(_("内容"))
    contact_name_sealed = models.BinaryField(blank=True, default=b"")
    contact_phone_sealed = models.BinaryField(blank=True, default=b"")
    secret_hash = models.CharField(max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    reply = models.TextField(_("答复"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("立案案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="complaints")

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-number"]
        indexes = [models.Index(fields=["agency", "status", "submitted_at"], name="complaint_inbox_idx")]
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")

    def __str__(self) -> str:
        return self.number

    @property
    def contact_name(self) -> str:
        return fieldcrypto.decrypt(self.contact_name_sealed, "complaint.contact_name")

    @property
    def contact_phone(self) -> str:
        return fieldcrypto.decrypt(self.contact_phone_sealed, "complaint.contact_phone")

    def set_contact(self, name: str, phone: str) -> None:
        self.contact_name_sealed = fieldcrypto.encrypt(name, "complaint.contact_name")
        self.contact_phone_sealed = fieldcrypto.encrypt(phone, "complaint.contact_phone")

    @property
    def is_final(self) -> bool:
        return self.status in {ComplaintStatus.CLOSED, ComplaintStatus.REJECTED}


class ComplaintSequence(models.Model):
    """Gap-free acknowledgement numbers per day (TS20261126-0001), claimed under a row lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
