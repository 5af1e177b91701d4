"""立案 from the UI: the case form with one party (more can follow) and the officers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.actions import PartyInput, open_case
from zhifa.cases.models import CaseSource, PartyKind
from zhifa.core.errors import RuleViolation
from zhifa.people.models import Role, User
from zhifa.web.forms import bootstrap


class FilingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("案由"), max_length=200)
    source = forms.ChoiceField(label=gettext_lazy("案件来源"), choices=CaseSource.choices)
    procedure = forms.ChoiceField(label=gettext_lazy("程序"), choices=[
        ("general", gettext_lazy("普通程序")), ("simplified", gettext_lazy("简易程序（当场处罚）"))])
    officers = forms.ModelMultipleChoiceField(label=gettext_lazy("承办人员（至少两名持证人员）"),
                                              queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    party_kind = forms.ChoiceField(label=gettext_lazy("当事人类型"), choices=PartyKind.choices)
    party_name = forms.CharField(label=gettext_lazy("当事人名称或姓名"), max_length=100)
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码（法人或其他组织）"), required=False,
                                  max_length=30)
    legal_representative = forms.CharField(label=gettext_lazy("法定代表人"), required=False, max_length=40)
    id_number = forms.CharField(label=gettext_lazy("身份证号码（自然人）"), required=False, max_length=30)
    phone = forms.CharField(label=gettext_lazy("联系电话"), required=False, max_length=30)
    address = forms.CharField(label=gettext_lazy("地址"), required=False, max_length=200)

    def __init__(self, *args, agency_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = User.objects.filter(
            agency_id=agency_id, role__in=[Role.OFFICER, Role.UNIT_HEAD], is_active=True,
            credentials__isnull=False).distinct().order_by("username")


def party_from_form(data: dict) -> PartyInput:
    """The party of a filing form's cleaned data (the 立案 page and the on-site flow's first step)."""
    return PartyInput(kind=data["party_kind"], name=data["party_name"], credit_code=data["credit_code"],
                      legal_representative=data["legal_representative"], id_number=data["id_number"],
                      phone=data["phone"], address=data["address"])


@login_required
def file_case(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.agency_id is None or user.role not in {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD}:
        messages.error(request, _("只有执法机关的执法人员可以立案。"))
        return redirect("case-list")
    form = bootstrap(FilingForm(request.POST or None, agency_id=user.agency_id,
                                initial={"officers": [user.pk] if user.role == Role.OFFICER else []}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = open_case(user, user.agency, data["title"], data["source"], [party_from_form(data)],
                             list(data["officers"]), unit=user.unit, procedure=data["procedure"])
        except RuleViolation as exc:
            form.add_error(None, f"{exc.detail}（{exc.basis}）")
        else:
            messages.success(request, _("已立案：%(no)s") % {"no": case.number})
            return redirect("case-detail", pk=case.pk)
    return render(request, "cases/file.html", {"form": form})
