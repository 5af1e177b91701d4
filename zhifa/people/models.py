"""Agencies, units, users, enforcement credentials and legal qualifications."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.law import identifiers
from zhifa.people.scoping import AgencyScopedQuerySet, scoped_queryset


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 with its GB 32100-2015 check character."""
    problem = identifiers.explain_credit_code(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


class AgencyKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政机关")
    AUTHORISED = "authorised", _("法律法规授权组织")
    ENTRUSTED = "entrusted", _("受委托组织")


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")
    TOWN = "town", _("乡镇（街道）")


class AgencyQuerySet(AgencyScopedQuerySet):
    agency_path = "pk"


class Agency(models.Model):
    """执法主体: an organ, authorised or entrusted organisation that enforces in its own name."""

    code = models.SlugField(_("代码"), max_length=40, unique=True, help_text=_("网址中使用的稳定标识。"))
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(
        _("简称"), max_length=20, help_text=_("用于文书编号，如“渌市监”。")
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    jurisdiction = models.CharField(_("管辖区域"), max_length=100)
    duties = models.TextField(_("职责"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("公开电话"), max_length=40, blank=True)
    supervises = models.BooleanField(
        _("执法监督机关"), default=False,
        help_text=_("监督本辖区所有执法主体的司法行政部门。"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = identifiers.normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)


class UnitKind(models.TextChoices):
    HANDLING = "handling", _("办案机构")
    LEGAL = "legal", _("法制机构")
    WINDOW = "window", _("服务窗口")
    LEADERSHIP = "leadership", _("机关领导")
    OTHER = "other", _("其他")


class Unit(models.Model):
    """A unit inside an agency: a handling team, the legal unit, a service window."""

    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=UnitKind.choices, default=UnitKind.HANDLING)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")]
        verbose_name = _("内设机构")
        verbose_name_plural = _("内设机构")

    def __str__(self) -> str:
        return f"{self.agency.short_name}·{self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    UNIT_HEAD = "unit_head", _("承办机构负责人")
    REVIEWER = "reviewer", _("法制审核人员")
    AGENCY_HEAD = "agency_head", _("机关负责人")
    SUPERVISOR = "supervisor", _("执法监督（司法局）")
    ADMIN = "admin", _("系统管理员")


class ScopedUserManager(UserManager.from_queryset(AgencyScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who logs in. `role` decides the menus; `agency` bounds what the person sees."""

    full_name = models.CharField(_("姓名"), max_length=40)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("内设机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    first_reviewed_on = models.DateField(
        _("首次从事处罚法制审核日期"), null=True, blank=True,
        help_text=_("尚未从事行政处罚决定法制审核的，留空（《行政处罚法》第五十八条）。"),
    )
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedUserManager()

    class Meta:
        ordering = ["agency", "username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("该内设机构属于其他执法主体。")})
        if self.role not in {Role.SUPERVISOR, Role.ADMIN} and not self.agency_id and not self.is_superuser:
            raise ValidationError({"agency": _("除系统管理员外，每个用户须属于一个执法主体。")})

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def valid_credential(self, on: dt.date, field: str | None = None) -> Credential | None:
        """The credential that lets this person enforce on `on` (in `field` if given), or None."""
        for credential in self.credentials.all():
            if credential.is_valid_on(on, field):
                return credential
        return None


class CredentialStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("注销")
    EXPIRED = "expired", _("过期")  # derived from the date, never stored


class CredentialQuerySet(AgencyScopedQuerySet):
    def with_status(self, status: str, on: dt.date) -> CredentialQuerySet:
        """The credentials whose `status_on(on)` is `status`: the same rule, as a query."""
        in_dates = models.Q(valid_from__lte=on, valid_to__gte=on)
        if status == CredentialStatus.VALID:
            return self.filter(in_dates, stored_status=CredentialStatus.VALID)
        if status == CredentialStatus.EXPIRED:
            return self.filter(stored_status=CredentialStatus.VALID).exclude(in_dates)
        return self.filter(stored_status=status)


class Credential(models.Model):
    """行政执法证: no one enforces without a valid one (seed §二(一)2; APL Art. 42, 55)."""

    # Indexed with the number (Meta.indexes): a holder's credentials in number order, as the event log's append
    # looks up the one valid today (record.log._claim_sql) and User.valid_credential reads them.
    holder = models.ForeignKey(User, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="credentials",
                               db_index=False)
    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="credentials")
    number = models.CharField(_("执法证号"), max_length=30, unique=True)
    fields = models.JSONField(_("执法类别"), default=list, help_text=_("执法类别，如“市场监管”。"))
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    stored_status = models.CharField(
        _("状态"), max_length=10, default=CredentialStatus.VALID,
        choices=[c for c in CredentialStatus.choices if c[0] != CredentialStatus.EXPIRED],
    )
    photo = models.ImageField(_("照片"), upload_to="credential-photos/", blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("行政执法证")
        verbose_name_plural = _("行政执法证")
        indexes = [models.Index(fields=["holder", "number"], name="credential_holder_number_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   name="credential_validity_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder}"

    def status_on(self, on: dt.date) -> CredentialStatus:
        """The status a check shows on `on`: suspension and revocation first, then the validity dates."""
        if self.stored_status != CredentialStatus.VALID:
            return CredentialStatus(self.stored_status)
        if not self.valid_from <= on <= self.valid_to:
            return CredentialStatus.EXPIRED
        return CredentialStatus.VALID

    @property
    def status(self) -> CredentialStatus:
        return self.status_on(timezone.localdate())

    def is_valid_on(self, on: dt.date, field: str | None = None) -> bool:
        return self.status_on(on) == CredentialStatus.VALID and (field is None or field in self.fields)


class LegalQualification(models.Model):
    """国家统一法律职业资格 (or a lawyer's licence): required of a first-time penalty reviewer (APL Art. 58)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("国家统一法律职业资格")
        LAWYER = "lawyer", _("律师执业证")
        PUBLIC_LAWYER = "public_lawyer", _("公职律师证")

    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="qualifications")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.NATIONAL)
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    obtained_on = models.DateField(_("取得日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    objects = scoped_queryset("holder__agency").as_manager()

    class Meta:
        ordering = ["holder", "obtained_on"]
        verbose_name = _("法律职业资格")
        verbose_name_plural = _("法律职业资格")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, on: dt.date) -> bool:
        return self.obtained_on <= on and (self.expires_on is None or on <= self.expires_on)
