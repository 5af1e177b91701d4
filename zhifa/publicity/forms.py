"""Forms of the portal. Labels are visible (accessibility), inputs sized for phones."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.people.models import Agency
from zhifa.publicity import actions
from zhifa.publicity.models import ComplaintStatus

CREDENTIAL_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,30}$")
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "（": "〔", "）": "〕", "(": "〔", ")": "〕",
                          "［": "〔", "］": "〕"})


class PortalForm(forms.Form):
    """Bootstrap classes on every widget (labels are rendered by publicity/field.html)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def normalise_case_number(text: str) -> str:
    """Case numbers are written 渌市监立〔2026〕1号; people type [], 【】 or () for 〔〕, and spaces."""
    return "".join(text.split()).translate(BRACKETS)


class CredentialLookupForm(PortalForm):
    number = forms.CharField(label=_("执法证号"), max_length=30)

    def clean_number(self) -> str:
        number = "".join(self.cleaned_data["number"].split())
        if not CREDENTIAL_NUMBER.match(number):
            raise forms.ValidationError(_("执法证号由数字和字母组成。"))
        return number


class ProgressQueryForm(PortalForm):
    case_number = forms.CharField(label=_("案件编号"), max_length=40,
                                  help_text=_("见立案或告知时交给您的通知，如“渌市监立〔2026〕1号”。"))
    code = forms.CharField(label=_("查询码"), max_length=20, help_text=_("8位字母数字，不区分大小写。"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_case_number(self) -> str:
        return normalise_case_number(self.cleaned_data["case_number"])

    def clean_code(self) -> str:
        return actions.normalise_code(self.cleaned_data["code"])


class ComplaintForm(PortalForm):
    agency = forms.ModelChoiceField(label=_("投诉举报对象所属机关"), queryset=Agency.objects.none(),
                                    to_field_name="code", empty_label=_("请选择"))
    subject = forms.CharField(label=_("事由"), max_length=actions.SUBJECT_MAX,
                              help_text=_("一句话说明投诉举报的事项。"))
    content = forms.CharField(label=_("具体内容"), max_length=actions.CONTENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("时间、地点、经过；请勿填写与投诉无关的他人身份证号等个人信息。"))
    contact_name = forms.CharField(label=_("联系人（可不填）"), max_length=actions.CONTACT_MAX, required=False)
    contact_phone = forms.CharField(label=_("联系电话（可不填）"), max_length=actions.CONTACT_MAX, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    # Honeypot: hidden from people (CSS, aria-hidden, no tab stop); robots that fill every field give themselves away.
    website = forms.CharField(label=_("请勿填写此项"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("code")

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class ComplaintQueryForm(PortalForm):
    number = forms.CharField(label=_("受理编号"), max_length=20, help_text=_("如 TS20261126-0001"))
    secret = forms.CharField(label=_("查询密码"), max_length=20, help_text=_("提交时显示的6位查询密码。"),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()


class AnswerForm(PortalForm):
    status = forms.ChoiceField(label=_("处理状态"), choices=[
        (c.value, c.label) for c in ComplaintStatus if c != ComplaintStatus.RECEIVED
    ])
    reply = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                            max_length=actions.CONTENT_MAX,
                            help_text=_("投诉举报人凭受理编号和查询密码可看到答复；不予受理须说明理由。"))


class LinkCaseForm(PortalForm):
    case_number = forms.CharField(label=_("案件编号"), max_length=40,
                                  help_text=_("据此投诉举报立案的，填写本机关案件编号。"))

    def clean_case_number(self) -> str:
        return normalise_case_number(self.cleaned_data["case_number"])
