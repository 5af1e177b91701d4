"""Read-only admin: evidence and devices change only through zhifa.evidence.actions (which record the change)."""

from django.contrib import admin

from zhifa.core.models import Confidentiality
from zhifa.evidence.models import EvidenceFile, RecordingDevice


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecordingDevice)
class RecordingDeviceAdmin(_ReadOnly):
    list_display = ["serial_number", "kind", "name", "agency", "custodian", "active"]
    list_filter = ["kind", "active", "agency"]
    search_fields = ["serial_number", "name"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(_ReadOnly):
    """Metadata of unmarked evidence only: opening a file, or anything marked, goes through the evidence pages,
    which record the access (administrators run the system, they do not read secrets)."""

    list_display = ["id", "title", "kind", "agency", "case", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "stage", "agency"]
    search_fields = ["title", "sha256", "case__number"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(confidentiality=Confidentiality.NONE)
