"""Case pages: list, the case page (timeline from the record, parties, who consulted it), archive export, and
the per-target view of every record of one enforcement target across cases and agencies."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.cases import instalments
from zhifa.cases.action_forms import ACTION_FIELDS, action_form, form_arguments
from zhifa.cases.deadlines import case_deadlines, worst_light
from zhifa.cases.facts import build_facts, current_draft
from zhifa.cases.models import Case, Party
from zhifa.cases.procedure_actions import perform
from zhifa.core import fieldcrypto
from zhifa.core.errors import RuleViolation
from zhifa.core.models import Confidentiality
from zhifa.law import identifiers
from zhifa.law.procedure import STAGE_LABELS, TRANSITIONS_BY_ACTION, available_actions
from zhifa.record import access
from zhifa.record.models import Event

ACCESS_EVENTS = ["record.viewed", "record.downloaded", "record.exported"]


def _visible_cases(request: HttpRequest):
    return access.filter_cleared(Case.objects.visible_to(request.user), request.user)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = _visible_cases(request).select_related("agency").prefetch_related("parties")
    query = request.GET.get("q", "").strip()
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(title__icontains=query) | Q(parties__name__icontains=query))
    stage = request.GET.get("stage", "")
    if stage in STAGE_LABELS:
        cases = cases.filter(stage=stage)
    page = Paginator(cases.distinct(), 30).get_page(request.GET.get("page"))
    rows = [(case, worst_light(case)) for case in page]
    return render(request, "cases/list.html", {"page": page, "rows": rows, "q": query, "stage": stage,
                                               "stages": list(STAGE_LABELS.items())})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("查阅事由"), max_length=200)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_visible_cases(request).select_related("agency", "handling_unit"), pk=pk)
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    if case.confidentiality != Confidentiality.NONE and not reason.strip():
        return render(request, "cases/reason.html", {"case": case, "form": ReasonForm()})
    access.record_access(request.user, case, action="viewed", agency=case.agency, case_id=case.pk,
                         marking=case.confidentiality, reason=reason)
    events = Event.objects.filter(case_id=case.pk).order_by("seq")
    timeline = [e for e in events if e.event_type not in ACCESS_EVENTS]
    consultations = [e for e in events if e.event_type in ACCESS_EVENTS]
    evidence = []
    try:
        from zhifa.evidence.models import EvidenceFile

        evidence = access.filter_cleared(EvidenceFile.objects.filter(case=case), request.user)
    except ImportError:
        pass
    return render(request, "cases/detail.html", {
        "case": case, "parties": case.parties.all(), "officers": case.officers.all(), "timeline": timeline,
        "consultations": consultations, "evidence": evidence, **_procedure_context(case),
        "documents": _documents(case), "is_officer": case.officers.filter(pk=request.user.pk).exists(),
    })


def _documents(case: Case) -> list:
    if not apps.is_installed("zhifa.documents"):
        return []
    from zhifa.documents.actions import case_documents

    return list(case_documents(case))


def _procedure_context(case: Case, failed: tuple[str, forms.Form] | None = None) -> dict:
    facts = build_facts(case)
    actions = []
    for availability in available_actions(facts):
        stage_only = availability.block is not None and availability.block.code in {"wrong_stage", "wrong_procedure"}
        if stage_only and availability.action != "decide":
            continue  # not at this stage: listing it would only be noise
        form = None
        if availability.allowed:
            form = failed[1] if failed and failed[0] == availability.action else action_form(
                availability.action, case.agency_id)
        actions.append({"availability": availability, "form": form})
    return {
        "review_required": facts.review_required, "review_rule": facts.review_rule,
        "stage_label": STAGE_LABELS.get(case.stage, case.stage), "deadlines": case_deadlines(case),
        "actions": actions, "draft": current_draft(case), "reviews": case.reviews.select_related("reviewer"),
        **_payment_context(case),
    }


def _payment_context(case: Case) -> dict:
    """The payment schedule (the approved instalment plan, or the whole fine) with what is allocated to each
    instalment, its surcharge and the late days not counted for a 复议/诉讼; a pending application; the 复议/诉讼
    periods with their length (APL Art. 66(2), 72, 73(3))."""
    plan = instalments.approved_plan(case)
    today = timezone.localdate()
    result = instalments.allocation(case, today)
    remedies = list(case.remedies.all())
    for remedy in remedies:  # the period's length so far, both ends included
        remedy.days = ((remedy.ended_on or today) - remedy.applied_on).days + 1
    return {
        "instalment_plan": plan,
        "instalment_states": result.states if plan else (),
        "payment_state": result.states[0] if result.states and not plan else None,
        "payment_rows": instalments.payment_rows(case),
        "pending_plan": instalments.pending_plan(case),
        "remedies": remedies,
    }


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Perform one procedure action from the case page; a blocked one says which rule blocked it."""
    case = get_object_or_404(_visible_cases(request), pk=pk)
    if name not in ACTION_FIELDS:
        raise Http404
    form = action_form(name, case.agency_id, request.POST)
    if form.is_valid():
        try:
            perform(case, request.user, name, **form_arguments(form))
        except RuleViolation as exc:
            messages.error(request, _("操作未执行：%(detail)s（依据：%(basis)s；规则：%(code)s）")
                           % {"detail": exc.detail, "basis": exc.basis or "—", "code": exc.code})
        else:
            messages.success(request, _("已完成：%(label)s") % {"label": TRANSITIONS_BY_ACTION.get(name).label
                                                              if name in TRANSITIONS_BY_ACTION else name})
        return redirect("case-detail", pk=case.pk)
    problems = "；".join(f"{form.fields[f].label if f in form.fields else ''}{'：' if f in form.fields else ''}{e}"
                        for f, errors in form.errors.items() for e in errors)
    messages.error(request, _("请检查填写的内容：%(problems)s") % {"problems": problems})
    return redirect("case-detail", pk=case.pk)


@login_required
@require_POST
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The case archive (BagIt) as a zip download; the export is recorded with its reason."""
    from zhifa.record.archive import export_case

    case = get_object_or_404(_visible_cases(request).select_related("agency"), pk=pk)
    work = Path(tempfile.mkdtemp(prefix="zhifa-export-"))
    try:
        bag = export_case(case, work, actor=request.user, reason=request.POST.get("reason", ""))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(bag.rglob("*")):
                if path.is_file():
                    archive.write(path, Path(bag.name) / path.relative_to(bag))
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("case-detail", pk=case.pk)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{bag.name}.zip", content_type="application/zip")


class TargetForm(forms.Form):
    identifier = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=30)

    def clean_identifier(self) -> str:
        value = self.cleaned_data["identifier"].strip()
        credit = identifiers.normalize_credit_code(value)
        if identifiers.is_valid_credit_code(credit):
            return f"credit:{credit}"
        id_number = identifiers.normalize_id_number(value)
        if identifiers.is_valid_id_number(id_number):
            return f"id:{fieldcrypto.blind_index(id_number, 'party.id_number')}"
        raise forms.ValidationError(_("请输入有效的统一社会信用代码或18位身份证号码。"))


def _parties_of_target(key: str):
    kind, _sep, value = key.partition(":")
    parties = Party.objects.select_related("case", "case__agency")
    return parties.filter(credit_code=value) if kind == "credit" else parties.filter(id_number_index=value)


@login_required
def target_records(request: HttpRequest) -> HttpResponse:
    """All records of one enforcement target (seed §二(二)3: 同一执法对象集中储存), as far as the user may see."""
    form = TargetForm(request.GET or None)
    rows = []
    if form.is_valid():
        visible = set(_visible_cases(request).values_list("pk", flat=True))
        for party in _parties_of_target(form.cleaned_data["identifier"]).order_by("-case__opened_at"):
            if party.case_id in visible:
                events = Event.objects.filter(case_id=party.case_id).exclude(event_type__in=ACCESS_EVENTS)
                rows.append({"party": party, "case": party.case, "events": events.count()})
    return render(request, "cases/target.html", {"form": form, "rows": rows})
