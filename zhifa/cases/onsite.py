"""On-site phone flow (现场执法): one page per step, for 当场处罚 (APL Art. 51–52) and on-site inspections.

party → facts and basis → photo/video (the evidence upload) → on-site record → the party's signature (the documents'
signature pad) → the on-the-spot decision → print, or serve electronically, with the 送达回证. Every change goes
through the case's actions (`procedure_actions.perform`), so each guard and event applies; a blocked step shows the
rule in Chinese and keeps what was entered. What the officer types before the decision (facts, basis, reasons) waits
in the session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.actions import open_case
from zhifa.cases.filing import party_from_form
from zhifa.cases.models import Case, CaseSource, PartyKind
from zhifa.cases.procedure_actions import perform
from zhifa.core.errors import RuleViolation
from zhifa.law.penalties import PenaltyKind
from zhifa.people.models import Role, User
from zhifa.record import access
from zhifa.web.forms import bootstrap

STAFF_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD}
STEPS = [("party", gettext_lazy("当事人")), ("facts", gettext_lazy("事实与依据")),
         ("evidence", gettext_lazy("拍照录像")), ("record", gettext_lazy("现场笔录")),
         ("sign", gettext_lazy("签名")), ("decide", gettext_lazy("当场决定")), ("finish", gettext_lazy("打印或送达"))]
INSPECTION_STEPS = ["party", "facts", "evidence", "record", "sign", "finish"]
DRAFT_TEXT = ["facts", "evidence_reason", "basis", "basis_reason", "discretion_reason"]
TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PartyForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("现场执法类型"), choices=[
        ("simplified", gettext_lazy("当场处罚（简易程序）")), ("inspection", gettext_lazy("现场检查"))])
    title = forms.CharField(label=gettext_lazy("案由"), max_length=200)
    partner = forms.ModelChoiceField(label=gettext_lazy("同行执法人员（须持证）"), queryset=User.objects.none(),
                                     empty_label=gettext_lazy("请选择"))
    party_kind = forms.ChoiceField(label=gettext_lazy("当事人类型"), choices=PartyKind.choices)
    party_name = forms.CharField(label=gettext_lazy("当事人名称或姓名"), max_length=100)
    id_number = forms.CharField(label=gettext_lazy("身份证号码（自然人）"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码（法人或其他组织）"), required=False,
                                  max_length=30)
    legal_representative = forms.CharField(label=gettext_lazy("法定代表人"), required=False, max_length=40)
    phone = forms.CharField(label=gettext_lazy("联系电话"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = User.objects.filter(
            agency_id=user.agency_id, role__in=[Role.OFFICER, Role.UNIT_HEAD], is_active=True,
            credentials__isnull=False).exclude(pk=user.pk).distinct().order_by("username")
        self.fields["partner"].label_from_instance = lambda u: u.get_full_name()


class FactsForm(forms.Form):
    item = forms.ModelChoiceField(label=gettext_lazy("执法事项（选填，带出法律依据）"), queryset=None, required=False,
                                  empty_label=gettext_lazy("（不选）"))
    facts = forms.CharField(label=gettext_lazy("违法事实"), **TEXT)
    basis = forms.CharField(label=gettext_lazy("法律依据"), required=False, **TEXT)
    evidence_reason = forms.CharField(label=gettext_lazy("证据采信理由"), **TEXT)
    basis_reason = forms.CharField(label=gettext_lazy("依据选择理由"), **TEXT)
    discretion_reason = forms.CharField(label=gettext_lazy("裁量理由（适用的裁量基准）"), **TEXT)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items(case)

    def clean(self) -> dict:
        data = super().clean()
        item = data.get("item")
        if not (data.get("basis") or "").strip():
            if item is None:
                self.add_error("basis", _("请填写法律依据，或选择执法事项"))
            else:
                data["basis"] = f"{item.basis_law}{item.basis_article}"
        return data


def _items(case: Case):
    from zhifa.catalog.models import ItemVersion, VersionStatus

    today = timezone.localdate()
    return (ItemVersion.objects.filter(item__agencies=case.agency_id, status=VersionStatus.PUBLISHED,
                                       valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).select_related("item").order_by("item__code"))


class RecordForm(forms.Form):
    started_at = forms.DateTimeField(label=gettext_lazy("检查开始时间"), widget=LOCAL_DATETIME)
    ended_at = forms.DateTimeField(label=gettext_lazy("检查结束时间"), widget=LOCAL_DATETIME)
    location = forms.CharField(label=gettext_lazy("地点"), max_length=200)
    notes = forms.CharField(label=gettext_lazy("现场笔录（检查情况）"), **TEXT)
    recordings = forms.MultipleChoiceField(label=gettext_lazy("本次现场的音像记录"), required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, videos: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recordings"].choices = [(str(v.pk), v.title) for v in videos]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("处罚种类"), choices=[
        (PenaltyKind.WARNING, gettext_lazy("警告")), (PenaltyKind.FINE, gettext_lazy("罚款"))],
        widget=forms.RadioSelect, initial=PenaltyKind.FINE)
    fine = forms.DecimalField(label=gettext_lazy("罚款金额（元）"), required=False, min_value=0, decimal_places=2,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == PenaltyKind.FINE and not data.get("fine"):
            self.add_error("fine", _("请填写罚款金额"))
        return data


SERVICE_CHOICES = [
    ("direct", gettext_lazy("当场交付纸质决定书")),
    ("electronic", gettext_lazy("电子送达（当事人同意并确认送达地址）")),
    ("lodged", gettext_lazy("当事人拒绝签收（留置送达，须见证人）")),
]


class ServiceForm(forms.Form):
    """How the on-the-spot decision reached the party (APL Art. 52, 61), recorded by the `serve` action."""

    method = forms.ChoiceField(label=gettext_lazy("送达方式"), choices=SERVICE_CHOICES, widget=forms.RadioSelect,
                               initial="direct")
    consent_to_electronic = forms.BooleanField(label=gettext_lazy("当事人同意电子送达并签署送达地址确认书"),
                                               required=False)
    electronic_address = forms.CharField(label=gettext_lazy("电子送达地址（手机号码或电子邮箱）"), required=False,
                                         max_length=100)
    witness = forms.CharField(label=gettext_lazy("见证人（当事人拒绝签收时）"), required=False, max_length=60)


def _staff(request: HttpRequest) -> bool:
    user = request.user
    return user.agency_id is not None and user.role in STAFF_ROLES


def _session_key(case: Case) -> str:
    return f"onsite-{case.pk}"


def _steps(case: Case, current: str) -> list[dict[str, Any]]:
    names = [name for name, _label in STEPS if case.procedure == "simplified" or name in INSPECTION_STEPS]
    position = names.index(current)
    return [{"name": name, "label": label, "done": names.index(name) < position, "current": name == current,
             "url": reverse("onsite-step", args=[case.pk, name]) if name != "party" else ""}
            for name, label in STEPS if name in names]


def _next(case: Case, step: str) -> str:
    names = [s["name"] for s in _steps(case, step)]
    return reverse("onsite-step", args=[case.pk, names[names.index(step) + 1]])


def _page(request: HttpRequest, case: Case | None, step: str, context: dict, status: int = 200) -> HttpResponse:
    steps = _steps(case, step) if case is not None else [
        {"name": name, "label": label, "done": False, "current": name == "party"} for name, label in STEPS]
    return render(request, "cases/onsite/step.html", {"case": case, "step": step, "steps": steps, **context},
                  status=status)


def _blocked(request: HttpRequest, exc: RuleViolation) -> None:
    messages.error(request, _("未能完成：%(detail)s（依据：%(basis)s；规则：%(code)s）")
                   % {"detail": exc.detail, "basis": exc.basis or "—", "code": exc.code})


@login_required
def onsite_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the party (validated: ID number or credit code check digits) and the second officer; files the case
    (立案) through `open_case`."""
    if not _staff(request):
        messages.error(request, _("只有执法机关的执法人员可以现场执法。"))
        return redirect("case-list")
    user = request.user
    initial = _known_party(request) if request.method == "GET" and request.GET.get("lookup") else {}
    form = bootstrap(PartyForm(request.POST or None, user=user, initial=initial))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            procedure = "simplified" if data["mode"] == "simplified" else "general"
            try:
                case = open_case(user, user.agency, data["title"], CaseSource.INSPECTION, [party_from_form(data)],
                                 [user, data["partner"]], unit=user.unit, procedure=procedure)
            except RuleViolation as exc:
                _blocked(request, exc)
                status = 409
            else:
                messages.success(request, _("已立案：%(no)s") % {"no": case.number})
                return redirect("onsite-step", pk=case.pk, step="facts")
    return _page(request, None, "party", {"form": form, "lookup": request.GET.get("lookup", "")}, status=status)


def _known_party(request: HttpRequest) -> dict[str, Any]:
    """Pick a party met before: the latest party with this credit code or ID number in the officer's own agency's
    cases (unmarked ones), its details as the form's initial values; the consultation is recorded."""
    from zhifa.cases.views import TargetForm, _parties_of_target
    from zhifa.core.models import Confidentiality

    lookup = TargetForm({"identifier": request.GET["lookup"]})
    if not lookup.is_valid():
        messages.error(request, "；".join(lookup.errors["identifier"]))
        return {}
    visible = Case.objects.visible_to(request.user).filter(agency_id=request.user.agency_id,
                                                           confidentiality=Confidentiality.NONE)
    party = (_parties_of_target(lookup.cleaned_data["identifier"]).filter(case__in=visible)
             .order_by("-case__opened_at", "-pk").first())
    if party is None:
        messages.info(request, _("本机关没有该当事人的既往案件，请直接填写。"))
        return {}
    access.record_access(request.user, party.case, action="viewed", agency=party.case.agency,
                         case_id=party.case_id, reason=_("现场执法带出当事人信息"))
    return {"party_kind": party.kind, "party_name": party.name, "credit_code": party.credit_code,
            "legal_representative": party.legal_representative, "id_number": party.id_number,
            "phone": party.phone, "address": party.address}


def _case_for(request: HttpRequest, pk: int) -> Case:
    case = get_object_or_404(access.filter_cleared(Case.objects.visible_to(request.user), request.user), pk=pk)
    if not case.officers.filter(pk=request.user.pk).exists():
        raise Http404
    return case


@login_required
def onsite_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = _case_for(request, pk)
    handlers = {"facts": _facts, "evidence": _evidence, "record": _record, "sign": _sign, "decide": _decide,
                "finish": _finish}
    if step not in handlers or (step == "decide" and case.procedure != "simplified"):
        raise Http404
    return handlers[step](request, case)


def _facts(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 2: facts, legal basis (or the enforcement item's) and the reasons, kept until the decision."""
    key = _session_key(case)
    form = bootstrap(FactsForm(request.POST or None, case=case, initial=request.session.get(key, {})))
    if request.method == "POST":
        if form.is_valid():
            request.session[key] = {name: form.cleaned_data[name] for name in DRAFT_TEXT}
            return redirect(_next(case, "facts"))
        return _page(request, case, "facts", {"form": form}, status=400)
    return _page(request, case, "facts", {"form": form})


def _evidence_files(case: Case):
    from zhifa.evidence.models import EvidenceFile

    return EvidenceFile.objects.filter(case=case).order_by("pk")


def _evidence(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 3: photos and video with the phone's camera, posted to the evidence upload (which comes back here)."""
    from zhifa.evidence.models import EvidenceKind, ProcedureStage

    return _page(request, case, "evidence", {
        "evidence": _evidence_files(case), "next_step": _next(case, "evidence"),
        "here": reverse("onsite-step", args=[case.pk, "evidence"]), "kind": EvidenceKind.AUDIOVISUAL,
        "stage": ProcedureStage.INVESTIGATION,
    })


def _videos(case: Case) -> list:
    return [e for e in _evidence_files(case) if (e.content_type or "").startswith(("video/", "audio/"))]


def _record(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 4: the on-site record (现场检查笔录) as the `record_activity` action with its AV recordings."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"started_at": now - dt.timedelta(minutes=30), "ended_at": now,
               "notes": request.session.get(_session_key(case), {}).get("facts", "")}
    videos = _videos(case)
    form = bootstrap(RecordForm(request.POST or None, videos=videos, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            perform(case, request.user, "record_activity", code="onsite_inspection", started_at=data["started_at"],
                    ended_at=data["ended_at"], location=data["location"], notes=data["notes"],
                    recording_ids=[int(pk) for pk in data["recordings"]])
        except RuleViolation as exc:
            _blocked(request, exc)
            return _page(request, case, "record", {"form": form, "videos": videos}, status=409)
        messages.success(request, _("现场笔录已保存"))
        return redirect(_next(case, "record"))
    return _page(request, case, "record", {"form": form, "videos": videos}, status=400 if form.errors else 200)


def _signable(case: Case, wanted: str = ""):
    """The document the party signs now: the 送达回证 when asked for (`wanted` = "service"), the on-the-spot decision
    once made, else the latest on-site record."""
    if not apps.is_installed("zhifa.documents"):
        return None
    from zhifa.documents.models import Document

    documents = Document.objects.filter(case=case).order_by("-issued_at", "-pk")
    if wanted == "service" and (service := documents.filter(kind="service").first()) is not None:
        return service
    return (documents.filter(kind="onspot_decision").first() if case.decided_on
            else documents.filter(kind="onsite_record").first())


def _sign(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 5 (and again after the decision): the party signs on screen, or refuses before a witness, with the
    documents' signature pad and `record_signature`."""
    from zhifa.documents import actions as documents
    from zhifa.documents.forms import SignatureForm
    from zhifa.documents.models import SignerKind

    document = _signable(case, request.GET.get("doc", ""))
    form = SignatureForm(request.POST or None, initial={"signer_kind": SignerKind.PARTY,
                                                        "name": getattr(case.parties.first(), "name", "")})
    after = reverse("onsite-step", args=[case.pk, "finish"]) if case.decided_on else _next(case, "sign")
    status = 200
    if request.method == "POST" and document is not None and form.is_valid():
        data = form.cleaned_data
        try:
            image = b"" if data["refused"] else documents.decode_signature_image(data["image"])
            documents.record_signature(document, request.user, signer_kind=data["signer_kind"], name=data["name"],
                                       image_png=image, refused=data["refused"], note=data["note"],
                                       witness_name=data["witness_name"])
        except RuleViolation as exc:
            _blocked(request, exc)
            status = 409
        else:
            messages.success(request, _("签名已保存"))
            return redirect(after)
    signatures = document.signatures.order_by("signed_at", "pk") if document is not None else []
    return _page(request, case, "sign", {"form": form, "document": document, "signatures": signatures,
                                         "skip": after}, status=status)


def _decide(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 6: the on-the-spot decision (`decide_on_spot`: APL Art. 51 limits, two officers, decision content)."""
    saved = request.session.get(_session_key(case))
    if case.decided_on:
        return redirect("onsite-step", pk=case.pk, step="finish")
    if not saved:
        messages.error(request, _("请先填写违法事实与法律依据"))
        return redirect("onsite-step", pk=case.pk, step="facts")
    form = bootstrap(DecisionForm(request.POST or None))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            fine = data["fine"] if data["kind"] == PenaltyKind.FINE else 0
            try:
                perform(case, request.user, "decide_on_spot", kinds=[data["kind"]], fine=fine, **saved)
            except RuleViolation as exc:
                _blocked(request, exc)
                status = 409
            else:
                request.session.pop(_session_key(case), None)
                messages.success(request, _("已作出当场处罚决定"))
                return redirect("onsite-step", pk=case.pk, step="finish")
    return _page(request, case, "decide", {"form": form, "saved": saved}, status=status)


def _finish(request: HttpRequest, case: Case) -> HttpResponse:
    """Step 7: the sealed decision to print or download; how it reached the party — handed over on paper, served
    electronically with the party's consent to the address confirmed, or refused before a witness — recorded once
    by the `serve` action with its 送达回证, which the party then signs (or refuses) on screen; the payment code.
    An inspection continues on the case page."""
    documents = []
    if apps.is_installed("zhifa.documents"):
        from zhifa.documents.actions import case_documents

        documents = list(case_documents(case))
    decision = next((d for d in reversed(documents) if d.kind == "onspot_decision"), None)
    receipt = next((d for d in reversed(documents) if d.kind == "service"), None)
    served = case.events_of("case.serve").order_by("-seq").first()
    party = case.parties.order_by("pk").first()
    form = None
    status = 200
    if case.decided_on and served is None:
        form = bootstrap(ServiceForm(request.POST or None,
                                     initial={"electronic_address": party.phone if party else ""}))
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    perform(case, request.user, "serve", method=data["method"], served_on=timezone.localdate(),
                            consent_to_electronic=data["consent_to_electronic"],
                            electronic_address=data["electronic_address"], witness=data["witness"])
                except RuleViolation as exc:
                    _blocked(request, exc)
                    status = 409
                else:
                    messages.success(request, _("送达已登记，送达回证已制作"))
                    return redirect("onsite-step", pk=case.pk, step="finish")
    return _page(request, case, "finish", {"documents": documents, "decision": decision, "receipt": receipt,
                                           "service": served.payload if served else None, "service_form": form},
                 status=status)
