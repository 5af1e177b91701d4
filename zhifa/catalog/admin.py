"""The admin site shows the catalog read-only: every change goes through zhifa.catalog.actions (one record event
each), so the admin neither adds, changes nor deletes."""

from django.contrib import admin

from zhifa.catalog.models import (
    AVItem,
    DiscretionStandard,
    EnforcementItem,
    ItemVersion,
    RandomInspectionList,
    RandomInspectionResult,
    ServiceGuide,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = ItemVersion
    fields = ["number", "name", "status", "valid_from", "valid_to", "published_at", "portal_published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "level", "created_at"]
    list_filter = ["kind", "level", "agencies"]
    search_fields = ["code", "versions__name"]
    inlines = [VersionInline]


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "number", "name", "status", "valid_from", "valid_to", "portal_published_at"]
    list_filter = ["status", "item__kind"]
    search_fields = ["item__code", "name", "basis_law"]


@admin.register(DiscretionStandard)
class DiscretionStandardAdmin(ReadOnlyAdmin):
    list_display = ["version", "circumstance", "penalty_kinds", "fine_min", "fine_max"]


@admin.register(ServiceGuide)
class ServiceGuideAdmin(ReadOnlyAdmin):
    list_display = ["version", "accepting_body", "time_limit_days", "phone"]


@admin.register(AVItem)
class AVItemAdmin(ReadOnlyAdmin):
    list_display = ["agency", "activity_name", "stage", "requirement", "retention_years"]
    list_filter = ["agency", "requirement"]


@admin.register(RandomInspectionList)
class RandomInspectionListAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "period_start", "period_end", "sample_size", "published_at"]


@admin.register(RandomInspectionResult)
class RandomInspectionResultAdmin(ReadOnlyAdmin):
    list_display = ["subject_name", "credit_code", "inspection_list", "result", "published_at"]
