from django.contrib import admin

from zhifa.documents.models import Document, DocumentProfile, DocumentSignature, NumberPattern


@admin.register(NumberPattern)
class NumberPatternAdmin(admin.ModelAdmin):
    list_display = ["agency", "kind", "abbr", "pattern"]
    list_filter = ["agency", "kind"]


@admin.register(DocumentProfile)
class DocumentProfileAdmin(admin.ModelAdmin):
    list_display = ["agency", "review_organ", "court", "payment_bank"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued documents and signatures are part of the record: shown, never changed (the database refuses too)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "case", "issued_at", "issued_by", "sha256"]
    list_filter = ["kind", "agency"]
    search_fields = ["number", "case__number", "sha256"]


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(ReadOnlyAdmin):
    list_display = ["document", "signer_kind", "name", "signed_at", "refused"]
