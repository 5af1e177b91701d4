"""A case taken to a served decision on a 5,000 yuan fine through the actions (shared by payment tests)."""

from __future__ import annotations

from django.utils import timezone

from zhifa.cases.procedure_actions import perform
from zhifa.law.review_rules import REVIEW_POINTS
from zhifa.review.actions import give_opinion
from zhifa.review.models import Review

from .conftest import DRAFT
from .test_procedure import inquiry


def decided(case, team):
    inquiry(case, team.officer)
    perform(case, team.officer, "end_investigation", **DRAFT)
    perform(case, team.officer, "submit_review")
    give_opinion(Review.objects.get(case=case), team.reviewer, opinion="agree", reasons="同意",
                 findings={k: {"result": "符合", "comment": ""} for k, _ in REVIEW_POINTS})
    perform(case, team.officer, "notify")
    perform(case, team.officer, "record_statement", content="", waived=True)
    perform(case, team.head, "decide")
    return perform(case, team.officer, "serve", method="direct", served_on=timezone.localdate())
