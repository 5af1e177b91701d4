from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from zhifa.people.models import Agency, Credential, LegalQualification, Unit, User


def _login_through_zhifa(request, extra_context=None):
    """The admin signs in through zhifa's own login (lockout, second factor), then comes back to the page it
    asked for. Someone signed in without access to the admin is refused rather than sent round in a loop."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(target)
        raise PermissionDenied
    return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target}, safe='/')}")


admin.site.login = _login_through_zhifa
admin.site.site_header = _("zhifa 系统管理")
admin.site.site_title = _("zhifa 系统管理")


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "level", "credit_code", "supervises"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "short_name", "credit_code"]
    inlines = [UnitInline]


class CredentialInline(admin.TabularInline):
    model = Credential
    extra = 0
    readonly_fields = ["number", "agency", "fields", "valid_from", "valid_to", "stored_status"]
    can_delete = False


class QualificationInline(admin.TabularInline):
    model = LegalQualification
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "unit", "is_active", "locked_until"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("执法"), {"fields": ("full_name", "role", "agency", "unit", "phone", "first_reviewed_on")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("执法"), {"fields": ("full_name", "role", "agency", "unit")}),
    )
    inlines = [CredentialInline, QualificationInline]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    """Read-only here: credentials change through the actions, which write the record."""

    list_display = ["number", "holder", "agency", "valid_from", "valid_to", "stored_status"]
    list_filter = ["agency", "stored_status"]
    search_fields = ["number", "holder__full_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
