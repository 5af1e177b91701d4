from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.documents.models import SignerKind


class SignatureForm(forms.Form):
    signer_kind = forms.ChoiceField(label=_("签名人身份"), choices=SignerKind.choices, initial=SignerKind.PARTY)
    name = forms.CharField(label=_("签名人姓名"), max_length=60, required=False,
                           help_text=_("执法人员本人签名时无须填写。"))
    image = forms.CharField(widget=forms.HiddenInput, required=False)
    refused = forms.BooleanField(label=_("当事人拒绝签名"), required=False)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=1000)
    witness_name = forms.CharField(label=_("见证人姓名"), max_length=60, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("查阅事由"), max_length=200)
