from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("事项清单（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        return upload


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class VersionForm(StyledForm):
    name = forms.CharField(label=_("事项名称"), max_length=200)
    basis_law = forms.CharField(label=_("法律法规名称（不带书名号）"), max_length=200)
    basis_article = forms.CharField(label=_("条款"), max_length=120)
    basis_text = forms.CharField(label=_("条款内容或摘要"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    field = forms.CharField(label=_("执法类别"), max_length=60, required=False)
    valid_from = forms.DateField(label=_("新版本生效日期"), widget=DateInput)
    change_note = forms.CharField(label=_("变更原因"), max_length=300)

    def clean_basis_law(self):
        return self.cleaned_data["basis_law"].strip().strip("《》")


class RepealForm(StyledForm):
    effective = forms.DateField(label=_("废止生效日期"), widget=DateInput)
    reason = forms.CharField(label=_("废止理由"), max_length=300)
    basis_law = forms.CharField(label=_("废止依据（法律法规或文件名称）"), max_length=200)
    basis_article = forms.CharField(label=_("条款或文号"), max_length=120, required=False)
