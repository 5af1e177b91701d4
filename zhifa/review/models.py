"""Review catalogs per agency and the reviews themselves, bound to a draft's digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.law import review_rules
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


class ReviewCatalogVersion(models.Model):
    """An agency's 法制审核目录清单, versioned: the newest row is in force, older ones are history."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="review_catalogs")
    version = models.PositiveIntegerField()
    fine_at_least = models.DecimalField(_("罚款数额标准（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_at_least = models.DecimalField(_("没收数额标准（元）"), max_digits=14, decimal_places=2,
                                                null=True, blank=True)
    kinds = models.JSONField(_("须审核的处罚种类"), default=list)
    items = models.JSONField(_("须审核的执法事项编码"), default=list)
    every_general_procedure_penalty = models.BooleanField(_("普通程序处罚一律审核"), default=True)
    review_working_days = models.PositiveSmallIntegerField(_("审核时限（工作日）"), default=10)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-version"]
        constraints = [models.UniqueConstraint(fields=["agency", "version"], name="one_catalog_version")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} 审核目录 v{self.version}"

    def as_rules(self) -> review_rules.ReviewCatalog:
        return review_rules.ReviewCatalog(
            fine_at_least=self.fine_at_least, confiscation_at_least=self.confiscation_at_least,
            kinds=frozenset(self.kinds), items=frozenset(self.items),
            every_general_procedure_penalty=self.every_general_procedure_penalty,
        )


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    PASSED = "passed", _("审核通过")
    RETURNED = "returned", _("退回")


class Review(models.Model):
    """One submission of a draft for review and its opinion. Approval covers the draft's digest only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reviews")
    draft = models.ForeignKey("cases.Draft", on_delete=models.PROTECT, related_name="reviews")
    digest = models.CharField(max_length=64)
    rule = models.CharField(_("审核依据"), max_length=200)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reviews_assigned")
    due_on = models.DateField(_("审核期限"), null=True, blank=True)
    extension_reason = models.CharField(_("延长审核期限的理由"), max_length=200, blank=True)
    response = models.TextField(_("承办机构对上次审核意见的逐项答复"), blank=True)
    advisers = models.CharField(_("参与审核的法律顾问、公职律师"), max_length=200, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reviews_done")
    opinion = models.CharField(_("审核意见"), max_length=12, choices=review_rules.OPINIONS, blank=True)
    findings = models.JSONField(_("审核要点"), default=dict)
    reasons = models.TextField(_("理由"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_queryset("case__agency").as_manager()

    class Meta:
        ordering = ["case", "submitted_at"]

    def __str__(self) -> str:
        return f"{self.case.number} v{self.draft.version} {self.get_status_display()}"


class Escalation(models.Model):
    """Disagreement between the handling unit and the reviewer, settled by the agency head or the heads'
    collective discussion (seed §二(三)4: 协调机制), with its record."""

    class Resolution(models.TextChoices):
        UPHOLD = "uphold", _("维持审核意见")
        ADOPT_UNIT = "adopt_unit", _("采纳承办机构意见")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="escalations")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    unit_position = models.TextField(_("承办机构意见"))
    resolution = models.CharField(_("协调结果"), max_length=12, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    collective = models.BooleanField(_("经集体讨论"), default=False)
    record = models.TextField(_("协调或讨论记录"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.review} {self.get_resolution_display() or '待协调'}"


class TrainingRecord(models.Model):
    """法制审核人员定期培训 (seed §二(三)1)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainings")
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)

    objects = scoped_queryset("person__agency").as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.person} {self.held_on} {self.topic}"
