"""Annual reports (年度报告) of an agency's enforcement figures, their submissions, and the outcomes of 复议 and 诉讼
against the agency's decisions (which the report counts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


class ReportStatus(models.TextChoices):
    DRAFTED = "drafted", _("草稿")
    APPROVED = "approved", _("已签发")
    PUBLISHED = "published", _("已公开")


class AnnualReportQuerySet(AgencyScopedQuerySet):
    def public(self) -> AnnualReportQuerySet:
        return self.filter(status=ReportStatus.PUBLISHED)


class AnnualReport(models.Model):
    """The figures of `year` for `agency`: drafted on 1 January, approved by the head, published by the deadline."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFTED)
    figures = models.JSONField(_("统计数据"), default=dict)
    due_on = models.DateField(_("公开和报送期限"))
    drafted_at = models.DateTimeField(_("起草时间"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    approved_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_late = models.BooleanField(_("逾期公开"), default=False)
    pdf = models.BinaryField(_("公开的PDF"), blank=True, default=b"", editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    xlsx = models.BinaryField(_("公开的XLSX"), blank=True, default=b"", editable=False)
    xlsx_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "agency__code"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_annual_report_per_year")]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self) -> str:
        return f"{self.agency.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("report-public", args=[self.agency.code, self.year])

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年度行政执法数据报告"


class Recipient(models.TextChoices):
    """Seed §二(一)3: 报本级人民政府和上级主管部门."""

    GOVERNMENT = "government", _("本级人民政府")
    SUPERIOR = "superior", _("上级主管部门")


class ReportSubmission(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="submissions")
    recipient = models.CharField(_("报送对象"), max_length=12, choices=Recipient.choices)
    recipient_name = models.CharField(_("接收机关"), max_length=100)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("文号或回执号"), max_length=60)
    late = models.BooleanField(_("逾期报送"), default=False)

    objects = scoped_queryset("report__agency").as_manager()

    class Meta:
        ordering = ["report", "recipient"]
        constraints = [models.UniqueConstraint(fields=["report", "recipient"], name="one_submission_per_recipient")]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient_name}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyOutcomeChoice(models.TextChoices):
    """行政复议法（2023）第63–69、74条; 行政诉讼法第62、69–77条."""

    UPHELD = "upheld", _("维持")
    REVOKED = "revoked", _("撤销")
    REMADE = "remade", _("撤销并责令重新作出")  # 行政复议法第六十四条、行政诉讼法第七十条
    CHANGED = "changed", _("变更")
    CONFIRMED_ILLEGAL = "illegal", _("确认违法")
    CONFIRMED_VOID = "void", _("确认无效")  # 行政复议法第六十七条、行政诉讼法第七十五条
    DISMISSED = "dismissed", _("驳回")
    WITHDRAWN = "withdrawn", _("撤回申请或撤诉")
    OTHER = "other", _("其他")


class RemedyOutcome(models.Model):
    """The outcome of a 行政复议 or 行政诉讼 against one of the agency's decisions."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="remedy_outcomes")
    kind = models.CharField(_("类别"), max_length=16, choices=RemedyKind.choices)
    outcome = models.CharField(_("结果"), max_length=12, choices=RemedyOutcomeChoice.choices)
    decided_on = models.DateField(_("决定或裁判日期"))
    organ = models.CharField(_("复议机关或人民法院"), max_length=100)
    reference = models.CharField(_("文书编号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = scoped_queryset("case__agency").as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("复议诉讼结果")
        verbose_name_plural = _("复议诉讼结果")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.get_outcome_display()}"
