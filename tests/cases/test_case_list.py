"""The case list: filters survive paging (the pager keeps every query parameter)."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from zhifa.cases.models import Case

from .test_api import client_for

pytestmark = pytest.mark.django_db


def _cases(agency, stage: str, count: int, prefix: str) -> None:
    now = timezone.now()
    Case.objects.bulk_create(Case(agency=agency, number=f"{prefix}{n}", title=f"{prefix}案{n}", source="inspection",
                                  stage=stage, opened_at=now) for n in range(count))


def test_pager_keeps_stage_and_search_filters(team) -> None:
    agency = team.officer.agency
    _cases(agency, "served", 35, "S")
    _cases(agency, "filed", 5, "F")
    client = client_for(team.head)
    first = html.unescape(client.get("/cases/", {"stage": "served", "q": "S"}).content.decode())
    assert "page=2" in first
    link = next(part for part in first.split('href="')[1:] if "page=2" in part).split('"')[0]
    assert "stage=served" in link and "q=S" in link
    second = client.get("/cases/" + link).content.decode()
    # page 2 still filtered: no case of another stage (by title: a number like "F0" may occur in the CSRF token)
    assert "2 / 2" in second and "F案" not in second and "S案" in second
    assert second.count('href="/cases/') >= 5
