"""Forms for the procedure's actions on the case page: one declared field list per action, one form builder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import RemedyKind
from zhifa.cases.procedure_actions import SERVICE_METHODS
from zhifa.law import av_rules
from zhifa.law.penalties import PENALTY_LABELS
from zhifa.people.models import User
from zhifa.web.forms import bootstrap, split_list, split_numbers

DRAFT_FIELDS = ["kinds", "fine", "confiscation", "no_penalty", "facts", "evidence_reason", "basis", "basis_reason",
                "discretion_reason"]
ACTION_FIELDS: dict[str, list[str]] = {
    "record_activity": ["code", "started_at", "ended_at", "location", "notes", "recording_ids"],
    "request_recusal": ["officer", "reason"],
    "decide_recusal": ["recusal_id", "granted", "replacement"],
    "preserve_evidence": ["items", "started_on"],
    "seize": ["items", "started_on"],
    "release_measure": ["measure_id", "released_on"],
    "end_investigation": DRAFT_FIELDS,
    "revise_draft": DRAFT_FIELDS,
    "submit_review": ["response", "advisers"],
    "hold_collective_discussion": ["participants", "conclusion"],
    "notify": [],
    "record_statement": ["content", "waived"],
    "review_statement": ["statement_id", "accepted", "review"],
    "request_hearing": ["requested_on", "waived"],
    "hold_hearing": ["notified_on", "held_on", "chair", "record"],
    "extend_deadline": ["reason"],
    "decide": [],
    "decide_on_spot": DRAFT_FIELDS,
    "serve": ["method", "served_on", "consent_to_electronic", "electronic_address", "witness"],
    "record_payment": ["amount", "paid_on", "channel", "reference"],
    "approve_deferral": ["new_due_on", "reason"],
    "request_instalments": ["reason", "schedule", "requested_on"],
    "approve_instalments": ["opinion"],
    "reject_instalments": ["reason"],
    "record_remedy": ["remedy_kind", "applied_on", "organ", "remedy_reference"],
    "end_remedy": ["remedy_kind", "ended_on"],
    "close": [],
    "archive": [],
    "withdraw_filing": ["reason"],
    "transfer": ["to", "reason"],
    "suspend": ["reason"],
    "resume": [],
}

AV_LABELS = {"none": _("文字记录"), "av": _("须音像记录"), "full": _("须全过程音像记录")}
DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


def _field(name: str, agency_id: int) -> forms.Field:
    staff = User.objects.filter(agency_id=agency_id, is_active=True).order_by("username")
    text = {"widget": forms.Textarea(attrs={"rows": 2})}
    fields: dict[str, Any] = {
        "code": lambda: forms.ChoiceField(label=_("执法活动"), choices=[
            (a.code, f"{a.name}（{AV_LABELS[a.requirement]}）") for a in av_rules.DEFAULT_AV_ACTIVITIES]),
        "started_at": lambda: forms.DateTimeField(label=_("开始时间"), widget=DATETIME),
        "ended_at": lambda: forms.DateTimeField(label=_("结束时间"), widget=DATETIME),
        "location": lambda: forms.CharField(label=_("地点"), required=False),
        "notes": lambda: forms.CharField(label=_("记录内容"), required=False, **text),
        "recording_ids": lambda: forms.CharField(label=_("音像记录编号（逗号分隔）"), required=False),
        "officer": lambda: forms.ModelChoiceField(label=_("执法人员"), queryset=staff),
        "replacement": lambda: forms.ModelChoiceField(label=_("替换人员"), queryset=staff, required=False),
        "chair": lambda: forms.ModelChoiceField(label=_("听证主持人"), queryset=staff),
        "reason": lambda: forms.CharField(label=_("理由"), **text),
        "recusal_id": lambda: forms.IntegerField(label=_("回避申请编号")),
        "measure_id": lambda: forms.IntegerField(label=_("强制措施编号")),
        "statement_id": lambda: forms.IntegerField(label=_("陈述申辩编号")),
        "granted": lambda: forms.BooleanField(label=_("准予回避"), required=False),
        "accepted": lambda: forms.BooleanField(label=_("采纳"), required=False),
        "waived": lambda: forms.BooleanField(label=_("当事人放弃"), required=False),
        "items": lambda: forms.CharField(label=_("物品清单"), **text),
        "started_on": lambda: forms.DateField(label=_("开始日期"), widget=DATE),
        "released_on": lambda: forms.DateField(label=_("解除日期"), widget=DATE),
        "kinds": lambda: forms.MultipleChoiceField(label=_("处罚种类"), required=False,
                                                   choices=list(PENALTY_LABELS.items()),
                                                   widget=forms.CheckboxSelectMultiple),
        "fine": lambda: forms.DecimalField(label=_("罚款金额（元）"), required=False, min_value=0),
        "confiscation": lambda: forms.DecimalField(label=_("没收金额（元）"), required=False, min_value=0),
        "no_penalty": lambda: forms.BooleanField(label=_("不予处罚"), required=False),
        "facts": lambda: forms.CharField(label=_("违法事实"), **text),
        "evidence_reason": lambda: forms.CharField(label=_("证据采信理由"), **text),
        "basis": lambda: forms.CharField(label=_("法律依据"), **text),
        "basis_reason": lambda: forms.CharField(label=_("依据选择理由"), **text),
        "discretion_reason": lambda: forms.CharField(label=_("裁量理由（适用的裁量基准）"), **text),
        "participants": lambda: forms.CharField(label=_("参加人员（逗号分隔）")),
        "conclusion": lambda: forms.CharField(label=_("讨论结论"), **text),
        "content": lambda: forms.CharField(label=_("陈述申辩内容"), required=False, **text),
        "review": lambda: forms.CharField(label=_("复核意见"), **text),
        "requested_on": lambda: forms.DateField(label=_("申请日期"), widget=DATE, required=False),
        "notified_on": lambda: forms.DateField(label=_("听证通知日期"), widget=DATE),
        "held_on": lambda: forms.DateField(label=_("听证日期"), widget=DATE),
        "record": lambda: forms.CharField(label=_("笔录"), **text),
        "method": lambda: forms.ChoiceField(label=_("送达方式"), choices=list(SERVICE_METHODS.items())),
        "served_on": lambda: forms.DateField(label=_("送达日期"), widget=DATE),
        "consent_to_electronic": lambda: forms.BooleanField(label=_("当事人同意电子送达"), required=False),
        "witness": lambda: forms.CharField(label=_("见证人"), required=False),
        "electronic_address": lambda: forms.CharField(label=_("当事人确认的电子送达地址（手机号码或电子邮箱）"),
                                                      required=False, max_length=100),
        "amount": lambda: forms.DecimalField(label=_("金额（元）"), min_value=0),
        "paid_on": lambda: forms.DateField(label=_("缴款日期"), widget=DATE),
        "channel": lambda: forms.ChoiceField(label=_("缴款方式"), choices=[
            ("bank", _("代收银行")), ("online", _("电子支付")), ("on_spot", _("当场收缴"))]),
        "reference": lambda: forms.CharField(label=_("银行流水号或收据号")),
        "schedule": lambda: forms.CharField(label=_("分期计划（每行一期：缴款期限 金额，如 2026-12-31 1000）"),
                                            widget=forms.Textarea(attrs={"rows": 3})),
        "opinion": lambda: forms.CharField(label=_("审批意见"), required=False, **text),
        "new_due_on": lambda: forms.DateField(label=_("新的缴款期限"), widget=DATE),
        "to": lambda: forms.CharField(label=_("移送机关")),
        "remedy_kind": lambda: forms.ChoiceField(label=_("类别"), choices=RemedyKind.choices),
        "applied_on": lambda: forms.DateField(label=_("申请复议或起诉日期"), widget=DATE),
        "organ": lambda: forms.CharField(label=_("复议机关或人民法院"), max_length=100),
        "remedy_reference": lambda: forms.CharField(label=_("案号"), required=False, max_length=60),
        "ended_on": lambda: forms.DateField(label=_("复议决定、裁判或撤回日期"), widget=DATE),
        "response": lambda: forms.CharField(label=_("对上次审核意见的逐项答复（再次报送时必填）"), required=False,
                                            **text),
        "advisers": lambda: forms.CharField(label=_("参与审核的法律顾问、公职律师"), required=False),
    }
    return fields[name]()


def action_form(name: str, agency_id: int, data: Any = None) -> forms.Form:
    form_class = type(f"{name}_form", (forms.Form,), {f: _field(f, agency_id) for f in ACTION_FIELDS[name]})
    return bootstrap(form_class(data, prefix=name))


def form_arguments(form: forms.Form) -> dict[str, Any]:
    """The cleaned form as the action's keyword arguments."""
    values = dict(form.cleaned_data)
    if "recording_ids" in values:
        values["recording_ids"] = split_numbers(values["recording_ids"] or "")
    if "participants" in values:
        values["participants"] = split_list(values["participants"])
    for form_name, argument in (("remedy_kind", "kind"), ("remedy_reference", "reference")):
        if form_name in values:
            values[argument] = values.pop(form_name)
    for name in ("fine", "confiscation"):
        if name in values and values[name] is None:
            values[name] = 0
    return values
