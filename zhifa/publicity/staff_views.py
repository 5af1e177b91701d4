"""Staff pages of the portal (login, scoped to the user's agency; the judicial bureau and administrators see
all): credential cards and QR codes, window duty boards, the complaints inbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.core.pdf import render_pdf
from zhifa.people.models import Credential, User
from zhifa.publicity import actions, photos, signing
from zhifa.publicity.forms import AnswerForm, LinkCaseForm
from zhifa.publicity.models import Complaint, ComplaintStatus, DutyPost


def public_base(request: HttpRequest) -> str:
    """The portal's origin for printed QR codes: ZHIFA_PUBLIC_URL if configured, else the host of this request."""
    return getattr(settings, "ZHIFA_PUBLIC_URL", "") or request.build_absolute_uri("/")


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _credentials(request: HttpRequest):
    return Credential.objects.visible_to(request.user).select_related("holder", "holder__unit", "agency")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    credentials = _credentials(request).order_by("agency__code", "number")
    query = request.GET.get("q", "").strip()[:40]
    if query:
        credentials = credentials.filter(Q(number__icontains=query) | Q(holder__full_name__icontains=query))
    page = Paginator(credentials, 30).get_page(request.GET.get("page"))
    posts = (DutyPost.objects.visible_to(request.user).select_related("agency")
             .annotate(staff_count=Count("staff")).order_by("agency__code", "order", "name"))
    counts = dict(Complaint.objects.visible_to(request.user).values_list("status").annotate(n=Count("pk")))
    complaint_counts = [(s.label, counts.get(s.value, 0)) for s in ComplaintStatus]
    return render(request, "publicity/staff/index.html", {
        "page": page, "rows": [(c, c.status_on(today)) for c in page], "q": query, "posts": posts,
        "complaint_counts": complaint_counts,
    })


@login_required
@require_GET
def credential_qr(request: HttpRequest, number: str) -> HttpResponse:
    """The credential's QR code on screen and its URL (what the printed card carries)."""
    credential = get_object_or_404(_credentials(request), number=number)
    url = signing.qr_url(credential, public_base(request))
    return render(request, "publicity/staff/credential_qr.html", {
        "credential": credential, "url": url, "qr": signing.qr_data_uri(url, box_size=6),
    })


@login_required
@require_GET
def credential_card(request: HttpRequest, number: str) -> HttpResponse:
    """The printable credential badge: photo, name, unit, number, fields, validity and the signed QR code."""
    credential = get_object_or_404(_credentials(request), number=number)
    url = signing.qr_url(credential, public_base(request))
    pdf = render_pdf("publicity/pdf/card.html", {
        "credential": credential, "photo": photos.photo_data_uri(credential), "qr": signing.qr_data_uri(url),
        "url": url, "status": credential.status_on(timezone.localdate()),
    })
    return _pdf(pdf, f"credential-{credential.number}.pdf")


def board_context(post: DutyPost, base: str) -> dict:
    today = timezone.localdate()
    people = []
    for person in post.staff.all():
        credentials = sorted(person.credentials.all(), key=lambda c: c.valid_to, reverse=True)
        valid = next((c for c in credentials if c.is_valid_on(today)), None)
        shown = valid or (credentials[0] if credentials else None)
        people.append({"name": person.get_full_name(), "credential": valid, "photo": photos.photo_data_uri(shown)})
    progress_url = base.rstrip("/") + reverse("public-progress")
    return {
        "post": post, "people": people, "progress_url": progress_url,
        "complaints_url": base.rstrip("/") + reverse("public-complaints"),
        "check_url": base.rstrip("/") + reverse("public-officers"),
        "qr": signing.qr_data_uri(progress_url), "hotline": "12345",
    }


@login_required
@require_GET
def duty_board(request: HttpRequest, pk: int) -> HttpResponse:
    """岗位职责公示牌 as an A4 PDF for the window."""
    staff = User.objects.order_by("full_name").prefetch_related("credentials")
    post = get_object_or_404(
        DutyPost.objects.visible_to(request.user).select_related("agency", "unit")
        .prefetch_related(Prefetch("staff", queryset=staff)),
        pk=pk,
    )
    pdf = render_pdf("publicity/pdf/board.html", board_context(post, public_base(request)))
    return _pdf(pdf, f"duty-board-{post.pk}.pdf")


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = Complaint.objects.visible_to(request.user).select_related("agency")
    status = request.GET.get("status", "")
    if status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    page = Paginator(complaints, 30).get_page(request.GET.get("page"))
    return render(request, "publicity/staff/complaints.html", {
        "page": page, "status": status, "statuses": ComplaintStatus.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("agency", "answered_by", "case"), number=number
    )
    may_answer = actions.may_answer(request.user, complaint) and not complaint.is_final
    may_link = actions.may_answer(request.user, complaint) and complaint.case_id is None
    linking = request.method == "POST" and "case_number" in request.POST
    form = AnswerForm(None if linking else request.POST or None, initial={"status": ComplaintStatus.PROCESSING})
    link_form = LinkCaseForm(request.POST if linking else None)
    if linking:
        if may_link and link_form.is_valid():
            case = Case.objects.filter(agency=complaint.agency, number=link_form.cleaned_data["case_number"]).first()
            if case is None:
                link_form.add_error("case_number", _("本机关没有这个案件编号。"))
            else:
                try:
                    actions.link_case(request.user, complaint, case)
                except RuleViolation as exc:
                    link_form.add_error(None, exc.detail)
                else:
                    messages.success(request, _("已关联案件。"))
                    return redirect("publicity-complaint", number=complaint.number)
        elif not may_link:
            messages.error(request, _("只能处理本机关收到的投诉举报。"))
            return redirect("publicity-complaint", number=complaint.number)
    elif request.method == "POST":
        if not may_answer:
            messages.error(request, _("只能答复本机关收到且尚未办结的投诉举报。"))
            return redirect("publicity-complaint", number=complaint.number)
        if form.is_valid():
            try:
                actions.answer_complaint(request.user, complaint, form.cleaned_data["status"],
                                         form.cleaned_data["reply"])
            except RuleViolation as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, _("已保存，投诉举报人可查询到最新状态和答复。"))
                return redirect("publicity-complaint", number=complaint.number)
    return render(request, "publicity/staff/complaint_detail.html", {
        "complaint": complaint, "form": form, "may_answer": may_answer, "link_form": link_form, "may_link": may_link,
    })
