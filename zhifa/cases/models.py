"""Cases (案件) and parties (当事人). Personal identifiers are encrypted at rest with a blind index."""

from __future__ import annotations

from decimal import Decimal

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
    item_version = models.ForeignKey("catalog.ItemVersion", verbose_name=_("执法事项（版本）"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="cases")
    handling_unit = models.ForeignKey("people.Unit", verbose_name=_("承办机构"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), related_name="cases")
    procedure = models.CharField(_("程序"), max_length=12, default="general",
                                 choices=[("general", _("普通程序")), ("simplified", _("简易程序"))])
    stage = models.CharField(_("阶段"), max_length=30, default="filed")
    stage_before_suspension = models.CharField(max_length=30, blank=True)
    act_ended_on = models.DateField(_("违法行为终了日"), null=True, blank=True)
    serious_harm = models.BooleanField(_("涉及生命健康或金融安全且有危害后果"), default=False)
    collective_discussion_required = models.BooleanField(_("须集体讨论"), default=False)
    decision_extended = models.BooleanField(_("已批准延长办案期限"), default=False)
    suspended_days = models.PositiveIntegerField(default=0)
    suspended_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    notified_draft = models.ForeignKey("cases.Draft", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    statement_waived = models.BooleanField(_("当事人放弃陈述申辩"), default=False)
    hearing_requested_on = models.DateField(null=True, blank=True)
    hearing_held_on = models.DateField(null=True, blank=True)
    hearing_waived = models.BooleanField(default=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_draft = models.ForeignKey("cases.Draft", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due_on = models.DateField(_("缴款期限"), null=True, blank=True)
    payment_code = models.CharField(_("缴款码"), max_length=20, blank=True, db_index=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
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

    @property
    def stage_label(self) -> str:
        from zhifa.law.procedure import STAGE_LABELS

        return STAGE_LABELS.get(self.stage, self.stage)

    def events_of(self, event_type: str):
        from zhifa.record.models import Event

        return Event.objects.filter(case_id=self.pk, event_type=event_type)

    def fine_due(self) -> Decimal:
        draft = self.decided_draft
        return draft.fine if draft is not None and "fine" in draft.kinds else Decimal(0)

    def fine_paid(self) -> bool:
        paid = sum((p.amount for p in self.payments.all()), Decimal(0))
        return paid >= self.fine_due()


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


class Draft(models.Model):
    """A version of the proposed decision (处理意见). Reviews and notices bind to its digest."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="drafts")
    version = models.PositiveIntegerField()
    kinds = models.JSONField(_("处罚种类"), default=list)
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, default=0)
    confiscation = models.DecimalField(_("没收金额（元）"), max_digits=14, decimal_places=2, default=0)
    no_penalty = models.BooleanField(_("不予处罚"), default=False)
    facts = models.TextField(_("违法事实"))
    evidence_reason = models.TextField(_("证据采信理由"))
    basis = models.TextField(_("法律依据"))
    basis_reason = models.TextField(_("依据选择理由"))
    discretion_reason = models.TextField(_("裁量理由"))
    digest = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="one_draft_version")]

    def __str__(self) -> str:
        return f"{self.case.number} v{self.version}"


class Activity(models.Model):
    """An enforcement act on the case (现场检查, 询问, 查封扣押, 留置送达 …) with its AV recordings."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="activities")
    code = models.CharField(max_length=40)
    name = models.CharField(_("执法活动"), max_length=60)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    notes = models.TextField(_("记录"), blank=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    recording_ids = models.JSONField(default=list)
    av_requirement = models.CharField(_("音像记录要求"), max_length=8, default="none")
    av_exemption_reason = models.CharField(max_length=200, blank=True)
    av_exemption_approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "started_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d}"


class Statement(models.Model):
    """陈述申辩 (APL Art. 45): heard, recorded and reviewed (复核)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statements")
    received_on = models.DateField()
    content = models.TextField()
    review = models.TextField(blank=True)
    accepted = models.BooleanField(null=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"{self.case.number} {self.received_on}"


class Recusal(models.Model):
    """回避 (APL Art. 43): requested by a party or declared by an officer; the agency head decides."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replacement = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"{self.case.number} {self.officer}"


class CoerciveMeasure(models.Model):
    """查封扣押 (行政强制法 Art. 18–27) or 先行登记保存 (APL Art. 56), approved by the agency head."""

    KINDS = [("seizure", _("查封扣押")), ("preservation", _("先行登记保存"))]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=12, choices=KINDS)
    items = models.TextField(_("物品清单"))
    started_on = models.DateField()
    due_on = models.DateField()
    extended = models.BooleanField(default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class Payment(models.Model):
    """A bank or e-payment confirmation (罚缴分离, APL Art. 67), or an on-the-spot receipt (Art. 68–70)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    surcharge = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField()
    channel = models.CharField(max_length=20, choices=[("bank", _("代收银行")), ("online", _("电子支付")),
                                                       ("on_spot", _("当场收缴"))])
    reference = models.CharField(_("银行流水号或收据号"), max_length=60)

    def __str__(self) -> str:
        return f"{self.case.number} {self.amount}"


class InstalmentStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")
    SUPERSEDED = "superseded", _("已由新申请替代")


class InstalmentPlan(models.Model):
    """分期缴纳 (APL Art. 66(2)): the party's application with its schedule, approved or refused by the agency head."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="instalment_plans")
    status = models.CharField(_("状态"), max_length=12, choices=InstalmentStatus.choices,
                              default=InstalmentStatus.REQUESTED)
    reason = models.TextField(_("申请理由"))
    requested_on = models.DateField(_("申请日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    opinion = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["case", "pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(status="approved"),
                                               name="one_approved_instalment_plan")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"


class Instalment(models.Model):
    """One instalment of a plan: its amount and due date (paid amounts are allocated from the case's payments)."""

    plan = models.ForeignKey(InstalmentPlan, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("期数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("缴款期限"))

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_instalment_number")]

    def __str__(self) -> str:
        return f"{self.plan.case.number} #{self.number}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class Remedy(models.Model):
    """The party applied for 行政复议 or brought 行政诉讼 against the decision: from `applied_on` to `ended_on`
    (the 复议决定, judgment or withdrawal; empty while pending) the late surcharge is not counted (APL Art. 73(3))."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(_("类别"), max_length=16, choices=RemedyKind.choices)
    applied_on = models.DateField(_("申请复议或起诉日期"))
    organ = models.CharField(_("复议机关或人民法院"), max_length=100)
    reference = models.CharField(_("案号"), max_length=60, blank=True)
    ended_on = models.DateField(_("复议或诉讼终结日期"), null=True, blank=True)

    class Meta:
        ordering = ["case", "applied_on", "pk"]
        verbose_name = _("复议或诉讼期间")
        verbose_name_plural = _("复议或诉讼期间")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(ended_on__isnull=True),
                                               name="one_pending_remedy_per_kind")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.applied_on}"
