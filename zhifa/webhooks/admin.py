"""Subscriptions are managed in the admin; deliveries are shown read-only (status, attempts, last error)."""

from django.contrib import admin

from zhifa.webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "url", "events", "active"]
    list_filter = ["active", "agency"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "event", "publication", "subscription", "status", "attempts", "next_attempt_at",
                    "last_status_code", "last_error"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
