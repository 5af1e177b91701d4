"""The reviewer's pages: the queue of submitted reviews and the review form (nine points, opinion, reasons)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifa.core.errors import RuleViolation
from zhifa.law import review_rules
from zhifa.law import staffing as staffing_rules
from zhifa.law.penalties import PENALTY_LABELS
from zhifa.people.models import Agency, Role, User
from zhifa.people.staffing import agency_staffing
from zhifa.review import actions
from zhifa.review.actions import give_opinion
from zhifa.review.models import Escalation, Review, ReviewCatalogVersion, ReviewStatus
from zhifa.web.forms import bootstrap, run_and_report, split_list

FINDINGS = [("符合", gettext_lazy("符合")), ("不符合", gettext_lazy("不符合")), ("需补充", gettext_lazy("需补充"))]


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=gettext_lazy("审核意见"), choices=review_rules.OPINIONS)
    reasons = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in review_rules.REVIEW_POINTS:
            self.fields[f"{key}_result"] = forms.ChoiceField(label=label, choices=FINDINGS)
            self.fields[f"{key}_comment"] = forms.CharField(label=gettext_lazy("说明"), required=False)

    def points(self):
        return [(self[f"{key}_result"], self[f"{key}_comment"]) for key, _label in review_rules.REVIEW_POINTS]

    def findings(self) -> dict[str, dict[str, str]]:
        return {key: {"result": self.cleaned_data[f"{key}_result"], "comment": self.cleaned_data[f"{key}_comment"]}
                for key, _label in review_rules.REVIEW_POINTS}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    reviews = Review.objects.visible_to(request.user).select_related("case", "draft", "assigned_to")
    today = timezone.localdate()
    pending = [(r, "red" if r.due_on and r.due_on < today else "yellow" if r.due_on and (r.due_on - today).days <= 2
                else "green") for r in reviews.filter(status=ReviewStatus.SUBMITTED).order_by("due_on")]
    done = reviews.exclude(status=ReviewStatus.SUBMITTED).order_by("-decided_at")[:30]
    return render(request, "review/queue.html", {"pending": pending, "done": done})


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.visible_to(request.user).select_related("case", "draft"), pk=pk)
    form = bootstrap(OpinionForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            give_opinion(review, request.user, opinion=form.cleaned_data["opinion"], findings=form.findings(),
                         reasons=form.cleaned_data["reasons"])
        except RuleViolation as exc:
            messages.error(request, _("未能提交：%(detail)s（%(basis)s）") % {"detail": exc.detail, "basis": exc.basis})
        else:
            messages.success(request, _("审核意见已提交。"))
            return redirect("review-queue")
    history = Review.objects.filter(case=review.case).select_related("draft", "reviewer").order_by("submitted_at")
    previous = history.exclude(pk=review.pk).filter(submitted_at__lt=review.submitted_at).last()
    changes = _draft_changes(previous.draft, review.draft) if previous else []
    context = {"escalate_form": bootstrap(EscalateForm()), "resolve_form": bootstrap(ResolveForm()),
               "extend_form": bootstrap(ExtendForm()), "escalations": review.escalations.all()}
    return render(request, "review/detail.html", {**context, "review": review, "form": form, "history": history,
                                                  "previous": previous, "changes": changes,
                                                  "points": dict(review_rules.REVIEW_POINTS)})


def _draft_changes(before, after) -> list[tuple[str, str, str]]:
    """What changed between two drafts: the reviewer sees the differences at a glance."""
    labels = {"kinds": "处罚种类", "fine": "罚款金额", "confiscation": "没收金额", "facts": "违法事实",
              "evidence_reason": "证据采信理由", "basis": "法律依据", "basis_reason": "依据选择理由",
              "discretion_reason": "裁量理由"}
    return [(label, str(getattr(before, name)), str(getattr(after, name)))
            for name, label in labels.items() if getattr(before, name) != getattr(after, name)]


class EscalateForm(forms.Form):
    unit_position = forms.CharField(label=gettext_lazy("承办机构的意见和理由"),
                                    widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=gettext_lazy("协调结果"), choices=Escalation.Resolution.choices)
    record = forms.CharField(label=gettext_lazy("协调（讨论）记录"), widget=forms.Textarea(attrs={"rows": 3}))
    collective = forms.BooleanField(label=gettext_lazy("经集体讨论决定"), required=False)
    participants = forms.CharField(label=gettext_lazy("参加人员（集体讨论时，逗号分隔）"), required=False)


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=gettext_lazy("延长工作日"), min_value=1, max_value=10)
    reason = forms.CharField(label=gettext_lazy("理由"))


@login_required
@require_POST
def review_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    form = EscalateForm(request.POST)
    if form.is_valid():
        run_and_report(request, actions.escalate, review, request.user,
                       unit_position=form.cleaned_data["unit_position"])
    return redirect("review-detail", pk=review.pk)


@login_required
@require_POST
def escalation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.filter(
        review__in=Review.objects.visible_to(request.user)), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        participants = split_list(data["participants"])
        run_and_report(request, actions.resolve_escalation, escalation, request.user, resolution=data["resolution"],
             record=data["record"], collective=data["collective"], participants=participants)
    return redirect("review-detail", pk=escalation.review_id)


@login_required
@require_POST
def review_extend(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        run_and_report(request, actions.extend_review, review, request.user,
                       working_days=form.cleaned_data["working_days"], reason=form.cleaned_data["reason"])
    return redirect("review-detail", pk=review.pk)


class CatalogForm(forms.Form):
    fine_at_least = forms.DecimalField(label=gettext_lazy("罚款数额达到（元）"), required=False, min_value=0)
    confiscation_at_least = forms.DecimalField(label=gettext_lazy("没收数额达到（元）"), required=False, min_value=0)
    kinds = forms.MultipleChoiceField(label=gettext_lazy("须审核的处罚种类"), required=False,
                                      choices=list(PENALTY_LABELS.items()), widget=forms.CheckboxSelectMultiple)
    items = forms.CharField(label=gettext_lazy("须审核的执法事项编码（逗号分隔）"), required=False)
    every_general_procedure_penalty = forms.BooleanField(label=gettext_lazy("除简易程序外的处罚决定一律审核"),
                                                         required=False)
    review_working_days = forms.IntegerField(label=gettext_lazy("审核时限（工作日）"), min_value=1, max_value=30)


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    """The agency's 法制审核目录清单: the version in force, its history, and a new version by the legal unit."""
    agency = request.user.agency
    if agency is None:
        return redirect("review-queue")
    versions = ReviewCatalogVersion.objects.filter(agency=agency).order_by("-version")
    current = versions.first()
    defaults = review_rules.ReviewCatalog()
    initial = {"kinds": current.kinds if current else sorted(defaults.kinds),
               "every_general_procedure_penalty": current.every_general_procedure_penalty if current else True,
               "review_working_days": current.review_working_days if current else
               review_rules.DEFAULT_REVIEW_WORKING_DAYS,
               "fine_at_least": current.fine_at_least if current else None,
               "confiscation_at_least": current.confiscation_at_least if current else None,
               "items": ",".join(current.items) if current else ""}
    form = bootstrap(CatalogForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["items"] = split_list(data["items"])
        if run_and_report(request, actions.publish_catalog, agency, request.user, **data):
            return redirect("review-catalog")
    return render(request, "review/catalog.html", {"form": form, "versions": versions, "current": current})


@login_required
def staffing(request: HttpRequest) -> HttpResponse:
    """Reviewer staffing per agency (≥ 5% of officers), qualifications and their expiry, training records."""
    today = timezone.localdate()
    agencies = Agency.objects.visible_to(request.user)
    reviewers = User.objects.visible_to(request.user).filter(role=Role.REVIEWER).prefetch_related(
        "qualifications", "trainings").select_related("agency")
    rows = []
    for reviewer in reviewers:
        valid = [q for q in reviewer.qualifications.all() if q.is_valid_on(today)]
        expiring = [q for q in valid if q.expires_on and (q.expires_on - today).days <= 90]
        rows.append({"reviewer": reviewer, "qualified": bool(valid), "expiring": expiring,
                     "may_review": staffing_rules.may_review_penalties(reviewer.first_reviewed_on, today, bool(valid)),
                     "training_hours": sum(t.hours for t in reviewer.trainings.all() if t.held_on.year == today.year)})
    return render(request, "review/staffing.html", {"agencies": agency_staffing(agencies), "rows": rows})
