from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhifa.publicity import actions
from zhifa.publicity.models import DutyPost


class DutyPostForm(forms.ModelForm):
    class Meta:
        model = DutyPost
        fields = ["agency", "unit", "name", "location", "staff", "duties", "hours", "phone", "complaint_phone",
                  "order", "active"]

    def clean(self) -> dict:
        data = super().clean()
        agency, unit = data.get("agency"), data.get("unit")
        if agency and unit and unit.agency_id != agency.pk:
            self.add_error("unit", _("该内设机构属于其他执法主体。"))
        strangers = [u.get_full_name() for u in data.get("staff", []) if agency and u.agency_id != agency.pk]
        if strangers:
            self.add_error("staff", _("工作人员不属于本执法主体：%s") % "、".join(strangers))
        return data


@admin.register(DutyPost)
class DutyPostAdmin(admin.ModelAdmin):
    """Duty boards are edited here; every save goes through the action, which writes the record."""

    form = DutyPostForm
    list_display = ["name", "agency", "unit", "location", "hours", "active"]
    list_filter = ["agency", "active"]
    search_fields = ["name", "duties"]
    filter_horizontal = ["staff"]

    def save_model(self, request, obj, form, change) -> None:
        """Deferred to save_related, where the staff are known: one action saves both and records it."""

    def save_related(self, request, form, formsets, change) -> None:
        actions.save_duty_post(request.user, form.instance, list(form.cleaned_data.get("staff", [])))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdraw a board by unticking “公示中”: its history stays in the record
