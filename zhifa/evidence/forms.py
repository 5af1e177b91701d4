from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case
from zhifa.core.models import Confidentiality
from zhifa.evidence.models import DeviceKind, EvidenceKind, ProcedureStage, RecordingDevice
from zhifa.people.models import Role, User

ACCEPT = ("image/*,video/*,audio/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.odt,.ods,.odp,.ofd,.rtf,"
          ".txt,.csv")


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("证据文件"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    kind = forms.ChoiceField(label=_("证据种类"), choices=EvidenceKind.choices, initial=EvidenceKind.AUDIOVISUAL)
    title = forms.CharField(label=_("名称"), max_length=200, required=False,
                            help_text=_("留空则使用文件名。"))
    case = forms.ModelChoiceField(label=_("案件"), queryset=Case.objects.none(), required=False,
                                  empty_label=_("（暂不关联案件）"))
    stage = forms.ChoiceField(label=_("执法环节"), choices=ProcedureStage.choices, initial=ProcedureStage.INVESTIGATION)
    activity = forms.CharField(label=_("执法活动"), max_length=100, required=False,
                               widget=forms.TextInput(attrs={"placeholder": _("如：现场检查")}))
    captured_at = forms.DateTimeField(label=_("采集时间"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text=_("留空则取自文件（照片 EXIF、视频元数据）。"))
    device = forms.ModelChoiceField(label=_("记录设备"), queryset=RecordingDevice.objects.none(), required=False,
                                    empty_label=_("（未使用登记设备）"))
    officer = forms.ModelChoiceField(label=_("采集人员"), queryset=User.objects.none())
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                  required=False)
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                   required=False)
    confidentiality = forms.ChoiceField(label=_("密级标识"), choices=Confidentiality.choices, required=False)

    use_required_attribute = False  # the phone's camera input may fill the file instead

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agency_id = user.agency_id
        self.fields["case"].queryset = Case.objects.visible_to(user).filter(agency_id=agency_id)
        self.fields["device"].queryset = RecordingDevice.objects.filter(agency_id=agency_id, active=True)
        self.fields["officer"].queryset = User.objects.filter(agency_id=agency_id, is_active=True).exclude(
            role=Role.ADMIN).order_by("full_name")
        self.fields["officer"].initial = user.pk
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name()
        _bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("经度和纬度须同时填写。"))
        return data

    def metadata(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "title": data["title"], "case": data["case"], "stage": data["stage"],
            "activity": data["activity"], "captured_at": data["captured_at"], "device": data["device"],
            "officer": data["officer"], "latitude": data["latitude"], "longitude": data["longitude"],
            "confidentiality": data["confidentiality"] or None,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("查阅事由"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("如：案件审核需要查阅"),
                                                           "class": "form-control"}))


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("设备类型"), choices=DeviceKind.choices)
    serial_number = forms.CharField(label=_("设备编号"), max_length=60)
    name = forms.CharField(label=_("名称型号"), max_length=100)
    custodian = forms.ModelChoiceField(label=_("保管人"), queryset=User.objects.none())

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = User.objects.filter(agency_id=user.agency_id, is_active=True).order_by(
            "full_name")
        self.fields["custodian"].label_from_instance = lambda u: u.get_full_name()
        _bootstrap(self)
