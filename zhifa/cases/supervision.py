"""AV coverage per agency for the supervisor (seed §二(二)2; 三(四)): of the acts that need an audio-video
record, how many have one, how many went without on the head's exemption, and how many lack it."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.cases.models import Activity
from zhifa.people.models import Agency


def av_coverage(agencies) -> list[dict]:
    totals: dict[int, Counter] = {agency.pk: Counter() for agency in agencies}
    rows = Activity.objects.filter(case__agency__in=agencies).exclude(av_requirement="none").values_list(
        "case__agency_id", "av_requirement", "recording_ids", "av_exemption_reason")
    for agency_id, requirement, recordings, exemption in rows:
        counter = totals[agency_id]
        counter["required"] += 1
        counter["full" if requirement == "full" else "av"] += 1
        counter["recorded" if recordings else "exempted" if exemption else "missing"] += 1
    result = []
    for agency in agencies:
        counter = totals[agency.pk]
        required = counter["required"]
        result.append({"agency": agency, **counter, "required": required,
                       "coverage": round(100 * counter["recorded"] / required, 1) if required else None})
    return result


@login_required
def av_coverage_page(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.visible_to(request.user).order_by("code"))
    return render(request, "cases/av_coverage.html", {"rows": av_coverage(agencies)})
