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

from zhifa.core.errors import RuleViolation
from zhifa.law import review_rules
from zhifa.review.actions import give_opinion
from zhifa.review.models import Review, ReviewStatus
from zhifa.web.forms import bootstrap

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
    return render(request, "review/detail.html", {"review": review, "form": form, "history": history,
                                                  "previous": previous, "changes": changes,
                                                  "points": dict(review_rules.REVIEW_POINTS)})


def _draft_changes(before, after) -> list[tuple[str, str, str]]:
    """What changed between two drafts: the reviewer sees the differences at a glance."""
    labels = {"kinds": "处罚种类", "fine": "罚款金额", "confiscation": "没收金额", "facts": "违法事实",
              "evidence_reason": "证据采信理由", "basis": "法律依据", "basis_reason": "依据选择理由",
              "discretion_reason": "裁量理由"}
    return [(label, str(getattr(before, name)), str(getattr(after, name)))
            for name, label in labels.items() if getattr(before, name) != getattr(after, name)]
