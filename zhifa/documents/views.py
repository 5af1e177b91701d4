"""Document pages: a case's documents, the download (an access event in the record), the on-screen signature
page (works on a phone: a canvas pad driven by static/documents/signature-pad.js) and the seal CA certificate."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.core.models import Confidentiality
from zhifa.documents import actions, seal
from zhifa.documents.forms import ReasonForm, SignatureForm
from zhifa.documents.kinds import PARTY_SIGNS
from zhifa.documents.models import Document, SignerKind
from zhifa.record.access import is_cleared, record_access

logger = logging.getLogger(__name__)


def _visible_document(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(Document.objects.visible_to(request.user).select_related("case", "agency"), pk=pk)
    if not is_cleared(request.user, document.case.confidentiality):
        raise Http404
    return document


@login_required
@require_safe
def case_list(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's documents (metadata only: opening one is what the record logs)."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("agency"), pk=case_id)
    if not is_cleared(request.user, case.confidentiality):
        raise Http404
    return render(request, "documents/case.html", {
        "case": case, "documents": actions.case_documents(case),
        "is_officer": case.officers.filter(pk=request.user.pk).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed PDF, checked against its recorded SHA-256; every download is an access event (a marked case asks
    for the reason first)."""
    document = _visible_document(request, pk)
    case = document.case
    form = ReasonForm(request.POST or None)
    reason = (request.POST.get("reason") or request.GET.get("reason") or "").strip()[:200]
    if case.confidentiality != Confidentiality.NONE and not reason:
        return render(request, "documents/reason.html", {
            "form": form, "document": document, "marking": case.get_confidentiality_display()})
    try:
        data = actions.document_bytes(document)
    except FileNotFoundError:
        logger.error("document %s: stored object %s is missing", document.pk, document.storage_key)
        return HttpResponse(_("文书文件在存储中缺失，请联系系统管理员运行 zhifa verify 核查。"), status=404,
                            content_type="text/plain; charset=utf-8")
    except actions.DocumentDamaged as exc:
        logger.error("%s", exc)
        return HttpResponse(_("文书文件与记录的哈希值不符，已拒绝下载，请联系系统管理员核查。"), status=500,
                            content_type="text/plain; charset=utf-8")
    try:
        record_access(request.user, document, action="downloaded", agency=document.agency, case_id=case.pk,
                      marking=case.confidentiality, reason=reason)
    except RuleViolation:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign on screen: the case officer signs, or hands the phone to the party (or witness) to sign; a party's
    refusal is recorded with what happened and a witness."""
    document = _visible_document(request, pk)
    is_officer = document.case.officers.filter(pk=request.user.pk).exists()
    form = SignatureForm(request.POST or None)
    status = 200 if is_officer else 403
    if request.method == "POST" and is_officer and form.is_valid():
        data = form.cleaned_data
        try:
            image = b"" if data["refused"] else actions.decode_signature_image(data["image"])
            signature = actions.record_signature(
                document, request.user, signer_kind=data["signer_kind"], name=data["name"], image_png=image,
                refused=data["refused"], note=data["note"], witness_name=data["witness_name"])
        except RuleViolation as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            if signature.refused:
                messages.success(request, _("已记录 %(name)s 拒绝签名") % {"name": signature.name})
            else:
                messages.success(request, _("已保存 %(name)s 的签名") % {"name": signature.name})
            return redirect("documents:sign", pk=document.pk)
    elif request.method == "POST":
        status = 403 if not is_officer else 400
    return render(request, "documents/sign.html", {
        "document": document, "form": form, "is_officer": is_officer,
        "signatures": document.signatures.order_by("signed_at", "pk"),
        "party_signs": document.kind in PARTY_SIGNS, "officer_kind": SignerKind.OFFICER,
    }, status=status)


@require_safe
def ca_certificate(request: HttpRequest) -> HttpResponse:
    """The trust root of the documents' seals, for anyone validating a served PDF (public, like the record's
    verifier keys)."""
    response = HttpResponse(seal.ca_certificate_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = content_disposition_header(True, "zhifa-seal-ca.pem")
    return response
