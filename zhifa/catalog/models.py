"""The enforcement catalog (行政执法事项清单, 事前公示): items, their versions, discretion standards, service guides,
the audio-video item list and random-inspection lists.

One identity row per item (`EnforcementItem`: the 事项编码 and what never changes under "四级四同") plus one row per
version (`ItemVersion`) with validity dates: a law amended or repealed gives a new version, the old one keeps its
dates and content (history). Cases are meant to point at the exact version they were handled under.
Nothing here is written except through `zhifa.catalog.actions` (one record event per change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.law.av_rules import AVRequirement
from zhifa.people.models import validate_credit_code
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset

ITEM_CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z-]{3,39}$"
validate_item_code = RegexValidator(ITEM_CODE_PATTERN, _("事项编码只能由4至40位字母、数字或连字符组成。"))


class ItemKind(models.TextChoices):
    """事项类型 of the seed (许可、处罚、强制、征收、征用、检查、确认、给付、收费、裁决、奖励、其他)."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    REQUISITION = "requisition", _("行政征用")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    BENEFIT = "benefit", _("行政给付")
    FEE = "fee", _("行政收费")
    ADJUDICATION = "adjudication", _("行政裁决")
    REWARD = "reward", _("行政奖励")
    OTHER = "other", _("其他行政权力")


class ItemLevel(models.TextChoices):
    """行使层级: the "四级" of 四级四同 (国家、省、市、县)."""

    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    REPEALED = "repealed", _("已废止")


class ItemQuerySet(AgencyScopedQuerySet):
    agency_path = "agencies"


class EnforcementItem(models.Model):
    """The identity of an item: its code, type and level never change (四级四同); names and bases are versioned."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True, validators=[validate_item_code])
    kind = models.CharField(_("事项类型"), max_length=16, choices=ItemKind.choices)
    level = models.CharField(_("行使层级"), max_length=10, choices=ItemLevel.choices, default=ItemLevel.COUNTY)
    agencies = models.ManyToManyField("people.Agency", verbose_name=_("实施主体"), related_name="catalog_items")
    created_at = models.DateTimeField(_("创建时间"))

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")

    def __str__(self) -> str:
        latest = self.latest_version()
        return f"{self.code} {latest.name}" if latest else self.code

    def latest_version(self, include_drafts: bool = False) -> ItemVersion | None:
        versions = self.versions.all()
        if not include_drafts:
            versions = versions.exclude(status=VersionStatus.DRAFT)
        return versions.order_by("-number").first()

    def version_on(self, on: dt.date) -> ItemVersion | None:
        """The version in force on `on` (a repeal version means: the item no longer exists from then)."""
        return (
            self.versions.exclude(status=VersionStatus.DRAFT)
            .filter(valid_from__lte=on)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))
            .order_by("-number")
            .first()
        )


class ItemVersion(models.Model):
    """One version of an item, in force from `valid_from` to `valid_to` (inclusive; open-ended if null).

    A REPEALED version marks the repeal itself: from its `valid_from` the item is no longer exercised; its
    `basis_*` fields name the repealing act. `published_at` is when the change was published in the platform,
    `portal_published_at` when the agency's publicity officer put it on the public portal (事前公示)."""

    item = models.ForeignKey(EnforcementItem, verbose_name=_("执法事项"), on_delete=models.PROTECT,
                             related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    name = models.CharField(_("事项名称"), max_length=200)
    basis_law = models.CharField(_("设定依据（法律法规名称）"), max_length=200)
    basis_article = models.CharField(_("条款"), max_length=120, blank=True)
    basis_text = models.TextField(_("条款内容"), blank=True)
    field = models.CharField(_("执法类别"), max_length=60, blank=True)
    steps = models.JSONField(
        _("办理流程"), default=list, blank=True,
        help_text=_("流程图的步骤：[{\"title\": \"受理\", \"note\": \"…\", \"exit\": \"不予受理的…\"}, …]"),
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_note = models.CharField(_("变更原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    portal_published_at = models.DateTimeField(_("门户公示时间"), null=True, blank=True)

    objects = scoped_queryset("item__agencies").as_manager()

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="catalog_version_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "portal_published_at"], name="catalog_version_portal_idx")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number} {self.name}"

    @property
    def basis_display(self) -> str:
        """设定依据 as agencies write it: 《法律名称》第X条."""
        return f"《{self.basis_law}》{self.basis_article}"

    def is_in_force(self, on: dt.date) -> bool:
        return (self.status == VersionStatus.PUBLISHED and self.valid_from <= on
                and (self.valid_to is None or on <= self.valid_to))

    def is_current_on_portal(self) -> bool:
        return self.portal_published_at is not None


class Circumstance(models.TextChoices):
    """情节 of a discretion standard (行政裁量权基准), from the lightest to the heaviest."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class DiscretionStandard(models.Model):
    """One row of an item version's discretion standard: circumstance → penalty range (APL Art. 34: public)."""

    version = models.ForeignKey(ItemVersion, verbose_name=_("事项版本"), on_delete=models.PROTECT,
                                related_name="discretion")
    circumstance = models.CharField(_("违法情节"), max_length=10, choices=Circumstance.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    conditions = models.TextField(_("适用情形"))
    penalty_kinds = models.CharField(_("处罚种类"), max_length=200)
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_base = models.CharField(_("倍数基数"), max_length=40, blank=True, help_text=_("如“货值金额”。"))
    multiple_min = models.DecimalField(_("倍数下限"), max_digits=10, decimal_places=4, null=True, blank=True,
                                       help_text=_("小于1的按比例显示，如0.05即5%。"))
    multiple_max = models.DecimalField(_("倍数上限"), max_digits=10, decimal_places=4, null=True, blank=True)
    article = models.CharField(_("裁量依据"), max_length=200, blank=True)

    objects = scoped_queryset("version__item__agencies").as_manager()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("行政裁量权基准")
        verbose_name_plural = _("行政裁量权基准")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fine_min__isnull=True) | models.Q(fine_max__isnull=True)
                | models.Q(fine_max__gte=models.F("fine_min")),
                name="catalog_discretion_fine_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(multiple_min__isnull=True) | models.Q(multiple_max__isnull=True)
                | models.Q(multiple_max__gte=models.F("multiple_min")),
                name="catalog_discretion_multiple_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_circumstance_display()}：{self.penalty_range_display}"

    @property
    def penalty_range_display(self) -> str:
        parts = [self.penalty_kinds]
        if self.fine_min is not None or self.fine_max is not None:
            parts.append(_("罚款数额：%(range)s 元") % {"range": _range(self.fine_min, self.fine_max)})
        if self.multiple_min is not None or self.multiple_max is not None:
            base = self.multiple_base or _("违法金额")
            if (self.multiple_max or self.multiple_min or 0) < 1:
                parts.append(_("罚款数额：%(base)s的 %(range)s") % {"base": base, "range": _percent_range(
                    self.multiple_min, self.multiple_max)})
            else:
                parts.append(_("罚款数额：%(base)s的 %(range)s 倍") % {"base": base, "range": _range(
                    self.multiple_min, self.multiple_max)})
        return "；".join(str(p) for p in parts if p)


def _amount(value: Decimal) -> str:
    return f"{int(value):,}" if value == value.to_integral() else f"{value.normalize():,f}"


def _percent_range(low: Decimal | None, high: Decimal | None) -> str:
    def percent(value: Decimal) -> str:
        return f"{(value * 100).normalize():f}%"

    if low is not None and high is not None:
        return percent(low) if low == high else f"{percent(low)}–{percent(high)}"
    if high is not None:
        return str(_("%(v)s 以下") % {"v": percent(high)})
    return str(_("%(v)s 以上") % {"v": percent(low)}) if low is not None else ""


def _range(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return _amount(low) if low == high else f"{_amount(low)}–{_amount(high)}"
    if high is not None:
        return str(_("%(v)s 以下") % {"v": _amount(high)})
    return str(_("%(v)s 以上") % {"v": _amount(low)}) if low is not None else ""


class ServiceGuide(models.Model):
    """服务指南 of an item version (事前公示): where, what is needed, how long, what it costs, whom to ask."""

    version = models.OneToOneField(ItemVersion, verbose_name=_("事项版本"), on_delete=models.PROTECT,
                                   related_name="guide")
    accepting_body = models.CharField(_("受理机构"), max_length=200)
    conditions = models.TextField(_("办理条件"))
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("承诺办理时限（工作日）"))
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定办理时限（工作日）"), null=True, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, default="不收费")
    phone = models.CharField(_("咨询电话"), max_length=60)
    complaint = models.CharField(_("投诉渠道"), max_length=200)
    location = models.CharField(_("办理地点"), max_length=200)
    hours = models.CharField(_("办理时间"), max_length=120, blank=True)

    objects = scoped_queryset("version__item__agencies").as_manager()

    class Meta:
        verbose_name = _("服务指南")
        verbose_name_plural = _("服务指南")

    def __str__(self) -> str:
        return f"{self.version} {self._meta.verbose_name}"


class AVItem(models.Model):
    """One row of an agency's 行政执法全过程音像记录事项清单 (seed §二(二)2):
    执法类别、环节、记录方式、场所、内容、存储期限."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="av_items")
    activity_code = models.CharField(_("环节代码"), max_length=40)
    activity_name = models.CharField(_("执法环节"), max_length=60)
    stage = models.CharField(_("执法阶段"), max_length=20)
    field = models.CharField(_("执法类别"), max_length=60, blank=True)
    requirement = models.CharField(_("记录要求"), max_length=10, choices=[
        (AVRequirement.NONE.value, _("文字记录")),
        (AVRequirement.AV.value, _("音像记录")),
        (AVRequirement.FULL.value, _("全过程音像记录")),
    ])
    record_method = models.CharField(_("记录方式"), max_length=100)
    place = models.CharField(_("记录场所"), max_length=100)
    content = models.TextField(_("记录内容"))
    retention_years = models.PositiveSmallIntegerField(_("存储期限（年）"))

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "pk"]
        verbose_name = _("音像记录事项")
        verbose_name_plural = _("音像记录事项")
        constraints = [models.UniqueConstraint(fields=["agency", "activity_code"], name="catalog_av_item_unique")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.activity_name}"


class RandomInspectionList(models.Model):
    """双随机抽查 list (random-inspection list, 事前公示): which items, which subjects, how many, when."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="random_inspections")
    title = models.CharField(_("抽查任务名称"), max_length=200)
    items = models.ManyToManyField(EnforcementItem, verbose_name=_("抽查事项"), related_name="random_inspections")
    subject_scope = models.TextField(_("抽查对象范围"))
    subject_total = models.PositiveIntegerField(_("检查对象名录库数量"))
    sample_size = models.PositiveIntegerField(_("抽取检查对象数量"))
    officer_pool = models.PositiveIntegerField(_("执法检查人员名录库数量"), default=0)
    period_start = models.DateField(_("检查起始日期"))
    period_end = models.DateField(_("检查截止日期"))
    created_at = models.DateTimeField(_("创建时间"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("双随机抽查清单")
        verbose_name_plural = _("双随机抽查清单")
        constraints = [
            models.CheckConstraint(condition=models.Q(sample_size__lte=models.F("subject_total")),
                                   name="catalog_inspection_sample_within_total"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="catalog_inspection_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionOutcome(models.TextChoices):
    NORMAL = "normal", _("未发现问题")
    CORRECTED = "corrected", _("发现问题已责令改正")
    FILED = "filed", _("发现问题已立案查处")
    UNREACHABLE = "unreachable", _("通过登记的住所（经营场所）无法联系")
    REFUSED = "refused", _("不配合检查")


class RandomInspectionResult(models.Model):
    """One inspected subject's result; public once `published_at` is set (双随机、一公开)."""

    inspection_list = models.ForeignKey(RandomInspectionList, verbose_name=_("抽查清单"), on_delete=models.PROTECT,
                                        related_name="results")
    subject_name = models.CharField(_("检查对象名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True,
                                   validators=[validate_credit_code])
    inspected_on = models.DateField(_("检查日期"))
    result = models.CharField(_("检查结果"), max_length=12, choices=InspectionOutcome.choices)
    detail = models.TextField(_("结果说明"), blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = scoped_queryset("inspection_list__agency").as_manager()

    class Meta:
        ordering = ["inspection_list", "inspected_on", "pk"]
        verbose_name = _("双随机抽查结果")
        verbose_name_plural = _("双随机抽查结果")

    def __str__(self) -> str:
        return f"{self.subject_name} {self.get_result_display()}"

    @property
    def published(self) -> bool:
        return self.published_at is not None
