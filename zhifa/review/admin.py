from django.contrib import admin

from zhifa.review.models import ReviewCatalogVersion, TrainingRecord


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    """法制审核人员定期培训 (seed §二(三)1): entered by administrators, shown on the staffing page."""

    list_display = ["person", "held_on", "topic", "hours"]
    list_filter = ["held_on"]
    search_fields = ["person__full_name", "topic"]


@admin.register(ReviewCatalogVersion)
class ReviewCatalogVersionAdmin(admin.ModelAdmin):
    """Read-only: the legal unit publishes catalog versions from /review/catalog/, which records them."""

    list_display = ["agency", "version", "fine_at_least", "every_general_procedure_penalty", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
