"""Cases (案件) and parties (当事人). Personal identifiers are encrypted at rest with a blind index."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core import fieldcrypto
from zhifa.core.models import Confidentiality
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉举报")
    TRANSFER = "transfer", _("上级交办、其他机关移送")
    RANDOM_INSPECTION = "random", _("双随机抽查")
    MONITORING = "monitoring", _("监测设备发现")
    OTHER = "other", _("其他")


class Case(models.Model):
    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="cases")
    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    title = models.CharField(_("案由"), max_length=200)
    source = models.CharField(_("案件来源"), max_length=12, choices=CaseSource.choices)
    handling_unit = models.ForeignKey("people.Unit", verbose_name=_("承办机构"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), related_name="cases")
    stage = models.CharField(_("阶段"), max_length=30, default="filed")
    confidentiality = models.CharField(_("密级标识"), max_length=20, choices=Confidentiality.choices,
                                       default=Confidentiality.NONE)
    opened_at = models.DateTimeField(_("立案时间"))

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Party(models.Model):
    """A party of one case. The same target across cases is found by credit code or by the ID blind index."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(_("类型"), max_length=12, choices=PartyKind.choices)
    name = models.CharField(_("名称或姓名"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    id_number_sealed = models.BinaryField(_("身份证件号码（加密）"), blank=True, default=b"")
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_sealed = models.BinaryField(blank=True, default=b"")
    address_sealed = models.BinaryField(blank=True, default=b"")

    objects = scoped_queryset("case__agency").as_manager()

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        return fieldcrypto.decrypt(self.id_number_sealed, "party.id_number")

    @property
    def phone(self) -> str:
        return fieldcrypto.decrypt(self.phone_sealed, "party.phone")

    @property
    def address(self) -> str:
        return fieldcrypto.decrypt(self.address_sealed, "party.address")

    def set_personal_data(self, id_number: str = "", phone: str = "", address: str = "") -> None:
        self.id_number_sealed = fieldcrypto.encrypt(id_number, "party.id_number")
        self.id_number_index = fieldcrypto.blind_index(id_number, "party.id_number")
        self.phone_sealed = fieldcrypto.encrypt(phone, "party.phone")
        self.address_sealed = fieldcrypto.encrypt(address, "party.address")

    @property
    def target_key(self) -> str:
        """What identifies the enforcement target across cases and agencies."""
        return f"credit:{self.credit_code}" if self.credit_code else f"id:{self.id_number_index}"
