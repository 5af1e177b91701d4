"""Public pages (no login): home, agencies, officers and the credential check, windows, progress query,
complaints. Every list is fetched in a fixed number of queries."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.errors import RuleViolation
from zhifa.people.models import Agency, Credential, CredentialStatus, User
from zhifa.publicity import actions, photos, signing
from zhifa.publicity.forms import ComplaintForm, ComplaintQueryForm, CredentialLookupForm, ProgressQueryForm
from zhifa.publicity.models import DutyPost
from zhifa.publicity.progress import public_progress
from zhifa.publicity.ratelimit import COMPLAINT_QUERY, COMPLAINT_SUBMIT, PROGRESS_QUERY, client_ip

OFFICERS_PER_PAGE = 20
COMPLAINT_SESSION_KEY = "publicity.complaint_receipt"
PUBLIC_HOTLINE = "12345"


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Pages link the catalog, decisions and reports once those apps publish (publicity_tags.portal_links)."""
    return render(request, template, context, status=status)


def _valid_credentials(on) -> Q:
    return Q(credentials__stored_status=CredentialStatus.VALID, credentials__valid_from__lte=on,
             credentials__valid_to__gte=on)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    counts = {
        "agencies": Agency.objects.count(),
        "officers": Credential.objects.with_status(CredentialStatus.VALID, today).count(),
        "windows": DutyPost.objects.filter(active=True).count(),
    }
    return _render(request, "publicity/home.html", {"counts": counts, "lookup": CredentialLookupForm()})


@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = (Agency.objects.select_related("parent")
            .annotate(officer_count=Count("credentials", filter=_valid_credentials(today)))
            .order_by("level", "code"))
    return _render(request, "publicity/agencies.html", {"agencies": rows})


@require_GET
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    agency = get_object_or_404(
        Agency.objects.select_related("parent")
        .annotate(officer_count=Count("credentials", filter=_valid_credentials(today))),
        code=code,
    )
    posts = DutyPost.objects.filter(agency=agency, active=True).order_by("order", "name")
    return _render(request, "publicity/agency_detail.html", {"agency": agency, "posts": posts})


@require_GET
def officers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    credentials = Credential.objects.select_related("holder", "holder__unit", "agency").order_by("agency__code",
                                                                                                  "number")
    query = request.GET.get("q", "").strip()[:40]
    if query:
        credentials = credentials.filter(Q(number__icontains=query) | Q(holder__full_name__icontains=query)
                                         | Q(agency__name__icontains=query) | Q(agency__short_name__icontains=query))
    agency_code = request.GET.get("agency", "")
    if agency_code:
        credentials = credentials.filter(agency__code=agency_code)
    status = request.GET.get("status", "")
    if status in CredentialStatus.values:
        credentials = credentials.with_status(status, today)
    page = Paginator(credentials, OFFICERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(c, c.status_on(today)) for c in page]
    params = {k: v for k, v in (("q", query), ("agency", agency_code), ("status", status)) if v}
    return _render(request, "publicity/officers.html", {
        "page": page, "rows": rows, "q": query, "agency_code": agency_code, "status": status,
        "statuses": CredentialStatus.choices, "agencies": Agency.objects.order_by("code").only("code", "name"),
        "params": params,
    })


def _not_found(request: HttpRequest, number: str = "") -> HttpResponse:
    form = CredentialLookupForm(initial={"number": number})
    return _render(request, "publicity/credential_not_found.html", {"number": number, "lookup": form}, status=404)


@require_GET
def credential_check(request: HttpRequest) -> HttpResponse:
    """Lookup by number (the form on the home and officers pages)."""
    form = CredentialLookupForm(request.GET or None)
    if not form.is_valid():
        return _not_found(request, request.GET.get("number", "")[:30]) if request.GET else redirect("public-officers")
    return redirect("public-credential", number=form.cleaned_data["number"])


@never_cache
@require_GET
def credential(request: HttpRequest, number: str) -> HttpResponse:
    """亮证执法: who the officer is and whether the credential allows enforcement today; a scanned QR code's
    signature is checked against the registry."""
    found = Credential.objects.select_related("holder", "holder__unit", "agency").filter(number=number).first()
    if found is None:
        return _not_found(request, number)
    today = timezone.localdate()
    status = found.status_on(today)
    qr = signing.check(found, request.GET.get("v"), request.GET.get("s"))
    return _render(request, "publicity/credential.html", {
        "credential": found, "status": status, "valid": status == CredentialStatus.VALID, "qr": qr,
        "qr_valid_to": request.GET.get("v", "")[:10], "today": today,
    })


@require_GET
def credential_photo(request: HttpRequest, number: str) -> HttpResponse:
    found = get_object_or_404(Credential.objects.only("number", "photo"), number=number)
    data = photos.photo_bytes(found)
    if data is None:
        raise Http404(_("该执法证没有照片。"))
    response = HttpResponse(data[0], content_type=data[1])
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def windows(request: HttpRequest) -> HttpResponse:
    """岗位职责公示: every window's staff, duties, hours and contacts."""
    staff = User.objects.order_by("full_name").prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.order_by("-valid_to"))
    )
    posts = (DutyPost.objects.filter(active=True).select_related("agency", "unit")
             .prefetch_related(Prefetch("staff", queryset=staff)).order_by("agency__code", "order", "name"))
    return _render(request, "publicity/windows.html", {"posts": posts})


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """办理进度查询: case number + query code; failures are limited per address and per case number."""
    form = ProgressQueryForm(request.POST or None)
    result = None
    locked = False
    if request.method == "POST" and form.is_valid():
        keys = {"ip": client_ip(request), "case": form.cleaned_data["case_number"]}
        if PROGRESS_QUERY.locked(**keys):
            locked = True
        else:
            row = actions.find_by_query_code(form.cleaned_data["case_number"], form.cleaned_data["code"])
            if row is None:
                PROGRESS_QUERY.hit(**keys)
                locked = PROGRESS_QUERY.locked(**keys)
                if not locked:
                    form.add_error(None, _("案件编号或查询码不正确。"))
            else:
                result = public_progress(row.case, row.party)
    status = 429 if locked else 200
    return _render(request, "publicity/progress.html", {
        "form": form, "result": result, "locked": locked, "minutes": PROGRESS_QUERY.minutes,
    }, status=status)


@require_http_methods(["GET", "POST"])
def complaints(request: HttpRequest) -> HttpResponse:
    """投诉举报: channels of every agency, and the form."""
    agency_rows = Agency.objects.order_by("code").only("code", "name", "phone", "address")
    initial = {"agency": request.GET.get("agency", "")}
    form = ComplaintForm(request.POST or None, initial=initial)
    limited = False
    if request.method == "POST":
        ip = client_ip(request)
        if form.is_robot:
            # Say nothing useful to a robot; no complaint is created.
            return _render(request, "publicity/complaint_received.html", {"receipt": None})
        if COMPLAINT_SUBMIT.locked(ip=ip):
            limited = True
        elif form.is_valid():
            data = form.cleaned_data
            try:
                complaint, secret = actions.submit_complaint(data["agency"], data["subject"], data["content"],
                                                             data["contact_name"], data["contact_phone"])
            except RuleViolation as exc:
                form.add_error(None, exc.detail)
            else:
                COMPLAINT_SUBMIT.hit(ip=ip)
                request.session[COMPLAINT_SESSION_KEY] = {"number": complaint.number, "secret": secret,
                                                          "agency": complaint.agency.name}
                return redirect("public-complaint-received")
    return _render(request, "publicity/complaints.html", {
        "form": form, "agencies": agency_rows, "limited": limited, "hotline": PUBLIC_HOTLINE,
        "limit_minutes": COMPLAINT_SUBMIT.minutes,
    }, status=429 if limited else 200)


@never_cache
@require_GET
def complaint_received(request: HttpRequest) -> HttpResponse:
    """The acknowledgement number and secret, shown once (taken out of the session as it is shown)."""
    receipt = request.session.pop(COMPLAINT_SESSION_KEY, None)
    if receipt is None:
        messages.info(request, _("受理回执只显示一次。如已记下受理编号和查询密码，可在此查询办理情况。"))
        return redirect("public-complaint-status")
    return _render(request, "publicity/complaint_received.html", {"receipt": receipt})


@require_http_methods(["GET", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    form = ComplaintQueryForm(request.POST or None)
    complaint = None
    locked = False
    if request.method == "POST" and form.is_valid():
        keys = {"ip": client_ip(request), "number": form.cleaned_data["number"]}
        if COMPLAINT_QUERY.locked(**keys):
            locked = True
        else:
            complaint = actions.find_complaint(form.cleaned_data["number"], form.cleaned_data["secret"])
            if complaint is None:
                COMPLAINT_QUERY.hit(**keys)
                locked = COMPLAINT_QUERY.locked(**keys)
                if not locked:
                    form.add_error(None, _("受理编号或查询密码不正确。"))
    return _render(request, "publicity/complaint_status.html", {
        "form": form, "complaint": complaint, "locked": locked, "minutes": COMPLAINT_QUERY.minutes,
    }, status=429 if locked else 200)
