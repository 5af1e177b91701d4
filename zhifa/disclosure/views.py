"""Public pages (/public/decisions/…) and the publisher's pages (/disclosure/…)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifa.core.spreadsheet import XLSX_TYPE
from zhifa.disclosure import actions, imports
from zhifa.disclosure.models import Publication, Status
from zhifa.disclosure.search import search
from zhifa.law.publicity import ACT_TYPE_LABELS, withdrawal_status
from zhifa.people.models import Agency
from zhifa.web.forms import bootstrap, run_and_report, split_numbers

DATE = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("关键词（至少2个字）"), required=False, max_length=50)
    agency = forms.ModelChoiceField(label=gettext_lazy("执法机关"), required=False, queryset=Agency.objects.none())
    act_type = forms.ChoiceField(label=gettext_lazy("执法类别"), required=False,
                                 choices=[("", gettext_lazy("全部"))] + list(ACT_TYPE_LABELS.items()))
    date_from = forms.DateField(label=gettext_lazy("自"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("至"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(Exists(Publication.objects.filter(
            agency=OuterRef("pk"), status=Status.PUBLISHED)))


def public_list(request: HttpRequest) -> HttpResponse:
    form = bootstrap(SearchForm(request.GET or None))
    public = Publication.objects.public().select_related("agency").only(
        "pk", "document_number", "target", "conclusion", "decided_on", "act_type", "status", "agency__name")
    data = form.cleaned_data if form.is_valid() else {}
    results = search(public, data.get("q", ""), data["agency"].pk if data.get("agency") else None,
                     data.get("act_type", ""), data.get("date_from"), data.get("date_to"))
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "disclosure/public_list.html", {"form": form, "page": page, "query": query.urlencode(),
                                                            "more_than_limit": results.more_than_limit})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication.objects.public().select_related("agency"), pk=pk)
    return render(request, "disclosure/public_detail.html", {"p": publication})


def highlighted(publication: Publication) -> SafeString:
    """The original text with every mask shown (numbered) for the publisher's review."""
    text, parts, cursor = publication.original_text, [], 0
    for index, mask in enumerate(sorted(publication.masks, key=lambda m: m["start"])):
        parts.append(format_html("{}", text[cursor:mask["start"]]))
        parts.append(format_html('<mark title="{} · {}">{}<sup>[{}]</sup></mark>', mask["kind"], mask["rule"],
                                 text[mask["start"]:mask["end"]], index))
        cursor = mask["end"]
    parts.append(format_html("{}", text[cursor:]))
    return mark_safe("".join(parts))  # every part was escaped by format_html


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = Publication.objects.visible_to(request.user).select_related("agency")
    drafts = [(p, "red" if p.due_on < today else "yellow" if (p.due_on - today).days <= 2 else "green")
              for p in items.filter(status=Status.DRAFT).order_by("due_on")]
    withdrawals = [(p, withdrawal_status(p.withdrawal_due_on, today))
                   for p in actions.pending_withdrawals(items).order_by("withdrawal_due_on")]
    return render(request, "disclosure/queue.html", {"drafts": drafts, "withdrawals": withdrawals,
                                                     "recent": items.exclude(status=Status.DRAFT).order_by("-pk")[:30]})


class MaskForm(forms.Form):
    remove = forms.CharField(label=gettext_lazy("取消遮盖的编号（逗号分隔）"), required=False)
    add_text = forms.CharField(label=gettext_lazy("增加遮盖：原文中的文字"), required=False)
    add_kind = forms.ChoiceField(label=gettext_lazy("类型"), required=False, choices=[
        ("name", gettext_lazy("姓名")), ("id_number", gettext_lazy("身份证号")), ("phone", gettext_lazy("电话")),
        ("address", gettext_lazy("住址")), ("bank_account", gettext_lazy("银行账号")),
        ("secret", gettext_lazy("秘密"))])
    reason = forms.CharField(label=gettext_lazy("理由"))


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication.objects.visible_to(request.user), pk=pk)
    form = bootstrap(MaskForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        remove = split_numbers(data["remove"])
        add = []
        if data["add_text"]:
            start = publication.original_text.find(data["add_text"])
            while start >= 0:
                add.append((start, start + len(data["add_text"]), data["add_kind"] or "name"))
                start = publication.original_text.find(data["add_text"], start + 1)
            if not add:
                form.add_error("add_text", _("原文中没有这段文字。"))
        if not form.errors:
            run_and_report(request, actions.change_masks, publication, request.user, add=add, remove=remove,
                 reason=data["reason"])
            return redirect("disclosure-draft", pk=publication.pk)
    context = {"p": publication, "form": form, "marked": highlighted(publication),
               "withdrawal_kinds": Publication._meta.get_field("withdrawal_kind").choices}
    return render(request, "disclosure/draft.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """publish / withhold / withdraw, from the publisher's page."""
    publication = get_object_or_404(Publication.objects.visible_to(request.user), pk=pk)
    reason = request.POST.get("reason", "")
    if what == "publish":
        run_and_report(request, actions.publish, publication, request.user)
    elif what == "withhold":
        run_and_report(request, actions.withhold, publication, request.user, reason=reason)
    elif what in {"withdraw", "open_withdrawal"}:
        try:
            decided_on = forms.DateField().clean(request.POST.get("decided_on") or str(timezone.localdate()))
        except forms.ValidationError:
            messages.error(request, _("日期格式应为 YYYY-MM-DD。"))
            return redirect("disclosure-draft", pk=publication.pk)
        action = actions.withdraw if what == "withdraw" else actions.open_withdrawal
        run_and_report(request, action, publication, request.user, kind=request.POST.get("kind", ""),
                       reason=reason, decided_on=decided_on)
    return redirect("disclosure-draft", pk=publication.pk)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("决定清单（.xlsx 或 .csv）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件或 .csv 文件。"))
        return upload


@login_required
def import_decisions(request: HttpRequest) -> HttpResponse:
    """Staff of an agency upload the decisions their other systems made; all rows become drafts, or none."""
    form = bootstrap(ImportForm(request.POST or None, request.FILES or None))
    context: dict = {"form": form, "columns": imports.COLUMNS, "required": imports.REQUIRED}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.MAX_BYTES + 1)
        try:
            records = (imports.records_from_csv(data) if upload.name.lower().endswith(".csv")
                       else imports.records_from_xlsx(data))
            created = imports.import_decisions(request.user, records)
        except imports.ImportFailed as failure:
            context["errors"] = failure.errors
        else:
            messages.success(request, _("已导入 %(n)d 件决定，请逐件审核脱敏后公开。") % {"n": len(created)})
            return redirect("disclosure-queue")
    return render(request, "disclosure/import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "执法决定导入模板.xlsx")
    return response
