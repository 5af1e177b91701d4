"""Subscriptions are managed in the admin; deliveries are shown read-only (status, attempts, last error)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhifa.webhooks.models import Delivery, Subscription, validate_secret


class SubscriptionForm(forms.ModelForm):
    """The secret is typed (or left blank to generate one) in clear and stored sealed."""

    secret = forms.CharField(label=_("签名密钥"), required=False, max_length=100, validators=[validate_secret],
                             widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
                             help_text=_("whsec_ 开头；交给接收方用于验证签名。留空：新建时自动生成，修改时保持不变"))

    class Meta:
        model = Subscription
        fields = ["name", "agency", "url", "secret", "events", "active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["secret"].initial = self.instance.secret

    def save(self, commit: bool = True) -> Subscription:
        if self.cleaned_data.get("secret"):
            self.instance.secret = self.cleaned_data["secret"]
        return super().save(commit)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
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
