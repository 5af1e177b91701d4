"""Evidence pages: upload (camera on a phone), lists, the detail page with its player, playback and download."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.evidence import actions, store, uploads
from zhifa.evidence.access import (
    grant_reason,
    issue_grant,
    open_case_evidence,
    open_evidence,
    read_grant,
    visible_evidence,
)
from zhifa.evidence.forms import DeviceForm, EvidenceForm, ReasonForm
from zhifa.evidence.models import EvidenceFile, EvidenceKind, RecordingDevice
from zhifa.evidence.ranges import ranged_response
from zhifa.people.models import Role
from zhifa.record.access import is_cleared
from zhifa.record.models import Event

logger = logging.getLogger(__name__)

# Room for the form's other fields and the multipart framing above the file's own size limit.
FORM_OVERHEAD = 1 << 20
DEVICE_MANAGERS = {Role.UNIT_HEAD, Role.AGENCY_HEAD}


def body_too_large(request: HttpRequest) -> bool:
    """Refuse before reading a byte when the declared body cannot hold an acceptable file."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > settings.ZHIFA_EVIDENCE_MAX_BYTES + FORM_OVERHEAD


# Upload ------------------------------------------------------------------------------------------------------------


@csrf_exempt  # the body must not be parsed before the evidence upload handler is installed; _upload checks CSRF
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if body_too_large(request):
            form = EvidenceForm(request.user, initial=_initial(request))
            return _render_upload(request, form, status=413,
                                  refused=str(store.too_large(settings.ZHIFA_EVIDENCE_MAX_BYTES)))
        uploads.use_evidence_handler(request)
    try:
        return _upload(request)
    finally:
        uploads.cleanup(request)


def _initial(request: HttpRequest) -> dict:
    initial = {}
    case_id = request.GET.get("case", "")
    if case_id.isdigit():
        initial["case"] = Case.objects.visible_to(request.user).filter(pk=int(case_id)).first()
    return initial


def _render_upload(request: HttpRequest, form: EvidenceForm, status: int = 200, refused: str = "") -> HttpResponse:
    return render(request, "evidence/upload.html", {
        "form": form, "refused": refused, "max_label": store.max_bytes_label(settings.ZHIFA_EVIDENCE_MAX_BYTES),
        "accepted": store.ACCEPTED_LABEL, "can_upload": request.user.agency_id is not None,
    }, status=status)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_upload(request, EvidenceForm(request.user, initial=_initial(request)))
    try:
        form = EvidenceForm(request.user, request.POST, request.FILES)
    except UnreadablePostError:  # the client went away mid-upload: nothing of it was kept
        return _render_upload(request, EvidenceForm(request.user), status=400, refused=_("上传中断，未保存任何内容。"))
    refused = uploads.rejections(request)
    if refused:
        return _render_upload(request, form, status=409, refused=str(refused[0]))
    if form.is_valid():
        try:
            evidence = actions.add_evidence(request.user, form.cleaned_data["file"], **form.metadata())
        except RuleViolation as exc:
            form.add_error(None, str(exc))
            return _render_upload(request, form, status=409)
        messages.success(request, _("证据已保存，SHA-256：%(h)s") % {"h": evidence.sha256})
        back = request.POST.get("next", "")  # a page of this site that sent the upload (the on-site flow)
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
            return redirect(back)
        return redirect("evidence:detail", pk=evidence.pk)
    return _render_upload(request, form, status=400)


# Lists -------------------------------------------------------------------------------------------------------------


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Evidence the user may see, newest first: metadata only (opening one is what the record logs)."""
    rows = visible_evidence(request.user).current()
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(case__number__icontains=query) | Q(sha256__startswith=query))
    kind = request.GET.get("kind", "")
    if kind in EvidenceKind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/index.html", {"page": page, "q": query, "kind": kind,
                                                   "kinds": EvidenceKind.choices})


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's evidence with thumbnails: one access event per opening (a marked case asks for a reason)."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("agency"), pk=case_id)
    if not is_cleared(request.user, case.confidentiality):
        raise Http404
    grant_token = request.GET.get("g", "")
    if read_grant(grant_token, request.user, case) is None:
        reason = request.POST.get("reason", "") or request.GET.get("reason", "")
        if case.confidentiality != "none" and not reason.strip():
            return _ask_reason(request, ReasonForm(request.POST or None), case.get_confidentiality_display(),
                               str(case))
        grant_token = open_case_evidence(request.user, case, reason=reason)
        if request.method == "POST":
            return redirect(f"{reverse('evidence:case', args=[case.pk])}?{urlencode({'g': grant_token})}")
    rows = visible_evidence(request.user).current().filter(case=case)
    items = [(evidence, _grant_for_list(request, evidence)) for evidence in rows]
    return render(request, "evidence/case_list.html", {"case": case, "items": items})


def _grant_for_list(request: HttpRequest, evidence: EvidenceFile) -> str:
    """Thumbnails of unmarked files show in the list (the list's opening is logged); marked ones need opening."""
    if evidence.marked or not evidence.thumbnail_key:
        return ""
    return issue_grant(request.user, evidence)


def _ask_reason(request: HttpRequest, form: ReasonForm, marking: str, what: str, status: int = 200) -> HttpResponse:
    return render(request, "evidence/reason.html", {"form": form, "marking": marking, "what": what}, status=status)


# Detail, playback, download -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(visible_evidence(request.user), pk=pk)
    token = request.GET.get("g", "")
    if read_grant(token, request.user, evidence) is None:
        reason = request.POST.get("reason", "") or request.GET.get("reason", "")
        if evidence.marked and not reason.strip():
            return _ask_reason(request, ReasonForm(request.POST or None), evidence.get_confidentiality_display(),
                               _("证据 #%(id)s") % {"id": evidence.pk})
        token = open_evidence(request.user, evidence, action="viewed", reason=reason)
        if request.method == "POST":
            return redirect(f"{reverse('evidence:detail', args=[evidence.pk])}?{urlencode({'g': token})}")
    added = Event.objects.filter(object_type=evidence._meta.label_lower, object_id=str(evidence.pk),
                                 event_type__in=["evidence.added", "evidence.corrected"]).first()
    corrections = EvidenceFile.objects.filter(supersedes=evidence).first()
    return render(request, "evidence/detail.html", {
        "evidence": evidence, "grant": token, "event": added, "superseded_by": corrections,
        "query": urlencode({"g": token}),
    })


def _serve(request: HttpRequest, evidence: EvidenceFile, *, attachment: bool, thumbnail: bool = False):
    if thumbnail:
        key, size, content_type, etag = evidence.thumbnail_key, None, "image/jpeg", f'"t-{evidence.sha256}"'
        name = f"evidence-{evidence.pk}-thumbnail.jpg"
    else:
        key, size, content_type, etag = evidence.storage_key, evidence.size, evidence.content_type, \
            f'"{evidence.sha256}"'
        name = evidence.original_name or f"evidence-{evidence.pk}"
    try:
        if size is None:
            size = store.object_size(key)
        return ranged_response(request, size=size, content_type=content_type, etag=etag,
                               open_range=lambda start, length: store.open_range(key, start, length),
                               filename=name, attachment=attachment)
    except FileNotFoundError:
        logger.error("evidence %s: stored object %s is missing", evidence.pk, key)
        return HttpResponse(_("证据文件在存储中缺失，请联系系统管理员运行 zhifa verify 核查。"), status=404,
                            content_type="text/plain; charset=utf-8")


@login_required
@require_safe
def content(request: HttpRequest, pk: int) -> HttpResponse:
    """Playback (inline, Range): under the page's grant, or as an opening of its own."""
    evidence = get_object_or_404(visible_evidence(request.user), pk=pk)
    if read_grant(request.GET.get("g", ""), request.user, evidence) is None:
        reason = request.GET.get("reason", "")
        if evidence.marked and not reason.strip():
            return redirect("evidence:detail", pk=evidence.pk)
        open_evidence(request.user, evidence, action="viewed", reason=reason)
    return _serve(request, evidence, attachment=not evidence.media_kind)


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download (attachment, Range): always an access event of its own."""
    evidence = get_object_or_404(visible_evidence(request.user), pk=pk)
    grant = read_grant(request.GET.get("g", ""), request.user, evidence)
    reason = request.GET.get("reason", "") or grant_reason(grant)
    if evidence.marked and not reason.strip():
        return redirect("evidence:detail", pk=evidence.pk)
    open_evidence(request.user, evidence, action="downloaded", reason=reason)
    return _serve(request, evidence, attachment=True)


@login_required
@require_safe
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(visible_evidence(request.user), pk=pk)
    if not evidence.thumbnail_key:
        raise Http404
    if read_grant(request.GET.get("g", ""), request.user, evidence) is None:
        reason = request.GET.get("reason", "")
        if evidence.marked and not reason.strip():
            raise Http404
        open_evidence(request.user, evidence, action="viewed", reason=reason)
    return _serve(request, evidence, attachment=False, thumbnail=True)


# Devices -----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_register = user.agency_id is not None and user.role in DEVICE_MANAGERS
    form = DeviceForm(user, request.POST or None) if may_register else None
    if request.method == "POST":
        if not may_register:
            raise Http404
        if form.is_valid():
            try:
                device = actions.register_device(user, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已登记设备 %(s)s") % {"s": device.serial_number})
                return redirect("evidence:devices")
    rows = RecordingDevice.objects.visible_to(user).select_related("agency", "custodian")
    return render(request, "evidence/devices.html", {"rows": rows, "form": form})
