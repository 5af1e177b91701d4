"""Issued documents (文书) and the signatures on them. Both tables are append-only, like the record: a database
trigger refuses UPDATE and DELETE (migration 0002). A corrected document is a new document with a new number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.documents.kinds import DEFAULT_ABBR, DEFAULT_PATTERN, DEFAULT_PATTERNS, DocumentKind
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


class NumberPattern(models.Model):
    """An agency's own 文号 pattern for one kind (configuration: not part of the record).

    Placeholders: {short} the agency's short name (渌市监), {abbr} the kind's 代字, {year}, {n} the serial number
    (gap-free per agency, year and kind), {case} the case number."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    abbr = models.CharField(_("代字"), max_length=10, blank=True, help_text=_("如“罚”“告”；留空使用默认代字。"))
    pattern = models.CharField(_("文号格式"), max_length=60, blank=True,
                               help_text=_("如“{short}{abbr}〔{year}〕{n}号”；留空使用默认格式。"))

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "kind"]
        verbose_name = _("文号格式")
        verbose_name_plural = _("文号格式")
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="documents_one_pattern_per_kind")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.get_kind_display()}: {self.effective_pattern}"

    @property
    def effective_abbr(self) -> str:
        return self.abbr or DEFAULT_ABBR[self.kind]

    @property
    def effective_pattern(self) -> str:
        return self.pattern or DEFAULT_PATTERNS.get(self.kind, DEFAULT_PATTERN)

    def clean(self) -> None:
        from zhifa.documents.numbering import check_pattern

        check_pattern(self.effective_pattern)


class DocumentProfile(models.Model):
    """What an agency's documents say about remedies and payment (configuration with defaults)."""

    agency = models.OneToOneField("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                                  related_name="+")
    review_organ = models.CharField(
        _("行政复议机关"), max_length=100, blank=True,
        help_text=_("留空则为“管辖区域+人民政府”（《行政复议法》第二十四条：县级以上地方人民政府管辖本级政府工作部门）。"))
    court = models.CharField(_("管辖法院"), max_length=100, blank=True, help_text=_("留空则写“人民法院”。"))
    payment_bank = models.CharField(_("代收银行或缴款渠道"), max_length=200, blank=True,
                                    help_text=_("罚缴分离：当事人到此缴纳罚款（《行政处罚法》第六十七条）。"))
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书设置")
        verbose_name_plural = _("文书设置")

    def __str__(self) -> str:
        return str(self.agency)


class Document(models.Model):
    """One issued document: numbered, rendered to an A4 PDF, sealed with the agency's certificate (PAdES) and
    stored content-addressed; `document.issued` is in the record with the PDF's SHA-256."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    action = models.CharField(_("产生文书的办案环节"), max_length=40, blank=True)
    subject = models.CharField(_("所涉对象"), max_length=60, blank=True,
                               help_text=_("如某次执法活动（cases.activity:12）。"))
    issued_at = models.DateTimeField(_("制作时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制作人"), on_delete=models.PROTECT,
                                  related_name="+")
    draft = models.ForeignKey("cases.Draft", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    draft_version = models.PositiveIntegerField(_("处理意见版本"), null=True, blank=True)
    storage_key = models.CharField(max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    log_hash = models.CharField(max_length=128, blank=True)
    log_hash_algorithm = models.CharField(max_length=10, blank=True)
    size = models.PositiveIntegerField()
    signer_fingerprint = models.CharField(_("签章证书指纹（SHA-256）"), max_length=64)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "issued_at", "pk"]
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="documents_number_unique")]
        indexes = [models.Index(fields=["case", "kind"], name="documents_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf".replace("/", "_")


class SignerKind(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    PARTY = "party", _("当事人")
    WITNESS = "witness", _("见证人")


class DocumentSignature(models.Model):
    """A handwritten signature from the on-screen pad (PNG, stored content-addressed) or a party's refusal to
    sign (拒绝签收), which names a witness and says what happened."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    signer_kind = models.CharField(_("签名人身份"), max_length=10, choices=SignerKind.choices)
    name = models.CharField(_("姓名"), max_length=60)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    signed_at = models.DateTimeField(_("签名时间"))
    image_key = models.CharField(max_length=120, blank=True)
    image_sha256 = models.CharField(max_length=64, blank=True)
    refused = models.BooleanField(_("拒绝签名"), default=False)
    note = models.TextField(_("情况说明"), blank=True)
    witness_name = models.CharField(_("见证人"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = scoped_queryset("document__agency").as_manager()

    class Meta:
        ordering = ["document", "signed_at", "pk"]
        verbose_name = _("文书签名")
        verbose_name_plural = _("文书签名")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(refused=False) & ~models.Q(image_key=""))
                | (models.Q(refused=True, image_key="") & ~models.Q(note="") & ~models.Q(witness_name="")),
                name="documents_signature_image_or_witnessed_refusal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} {self.get_signer_kind_display()} {self.name}"
