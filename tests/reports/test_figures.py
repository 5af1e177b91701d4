"""The report's figures (seed §二(一)3: 上年度行政执法总体情况有关数据) on a small hand-built data set, and the
aggregate queries against a plain Python recount on a synthetic agency-year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, CoerciveMeasure, Draft
from zhifa.disclosure.models import Publication, Status
from zhifa.law.penalties import PenaltyKind
from zhifa.reports.figures import compute_figures
from zhifa.reports.models import RemedyOutcome
from zhifa.reports.synthetic import build_agency_year
from zhifa.review.models import Review

pytestmark = pytest.mark.django_db
ZONE = timezone.get_current_timezone()


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ZONE)


class Builder:
    def __init__(self, agency, author):
        self.agency, self.author, self.serial = agency, author, 0

    def case(self, decided_on=None, kinds=(), fine=0, confiscation=0, no_penalty=False, procedure="general",
             hearing_held_on=None, agency=None) -> Case:
        self.serial += 1
        case = Case.objects.create(agency=agency or self.agency, number=f"T-{self.serial}", title="案",
                                   source="inspection", procedure=procedure, opened_at=at(2024, 6, 1),
                                   hearing_held_on=hearing_held_on)
        draft = Draft.objects.create(case=case, version=1, kinds=list(kinds), fine=fine, confiscation=confiscation,
                                     no_penalty=no_penalty, facts="f", evidence_reason="e", basis="b",
                                     basis_reason="r", discretion_reason="d", digest=f"{self.serial:064x}",
                                     author=self.author, created_at=at(2024, 6, 2))
        if decided_on:
            case.decided_on, case.decided_draft, case.stage = decided_on, draft, "decided"
            case.save()
        return case

    def review(self, case, submitted_at, status):
        draft = case.drafts.get()
        Review.objects.create(case=case, draft=draft, digest=draft.digest, rule="r", status=status,
                              submitted_by=self.author, submitted_at=submitted_at)

    def publication(self, decided_on, due_on, *, case=None, act_type="penalty", status=Status.PUBLISHED,
                    published_at=None, agency=None):
        Publication.objects.create(agency=agency or self.agency, case=case, source="case" if case else "import",
                                   act_type=act_type, document_number="n", target="t", conclusion="c",
                                   decided_on=decided_on, due_on=due_on, original_text="x", redacted_text="x",
                                   status=status, published_at=published_at)

    def seizure(self, case, started_on, kind="seizure"):
        CoerciveMeasure.objects.create(case=case, kind=kind, items="物品", started_on=started_on,
                                       due_on=started_on + dt.timedelta(days=30), approved_by=self.author)

    def remedy(self, case, kind, outcome, decided_on):
        RemedyOutcome.objects.create(case=case, kind=kind, outcome=outcome, decided_on=decided_on, organ="区政府",
                                     recorded_by=self.author, recorded_at=timezone.now())


@pytest.fixture
def hand_built(team):
    agency, other = team.head.agency, team.outsider.agency
    b = Builder(agency, team.officer)
    c1 = b.case(dt.date(2025, 3, 10), ["fine", "confiscation"], 5000, 1200, hearing_held_on=dt.date(2025, 3, 1))
    c2 = b.case(dt.date(2025, 6, 1), ["warning"], procedure="simplified")
    c3 = b.case(dt.date(2025, 12, 31), ["fine", "revoke_licence"], Decimal("20000.50"))
    c4 = b.case(dt.date(2024, 12, 31), ["fine"], 999, hearing_held_on=dt.date(2024, 12, 20))  # last year's
    b.case(dt.date(2026, 1, 1), ["fine"], 777)  # next year's
    b.case(dt.date(2025, 5, 5), [], no_penalty=True)  # 不予处罚
    c7 = b.case()  # open
    b.case(dt.date(2025, 4, 4), ["fine"], 888, agency=other)  # another agency's
    b.review(c1, at(2025, 3, 5), "passed")
    b.review(c3, at(2025, 12, 20), "returned")
    b.review(c3, at(2025, 12, 25), "passed")
    b.review(c7, at(2025, 12, 31, 23, 59), "submitted")
    b.review(c4, at(2024, 12, 31, 23, 59), "passed")  # last year's
    b.seizure(c7, dt.date(2025, 4, 1))
    b.seizure(c7, dt.date(2025, 4, 2), kind="preservation")  # 先行登记保存 is not 行政强制
    b.seizure(c4, dt.date(2024, 11, 1))
    # Publication timeliness, judged on the local (Asia/Shanghai) date of publication:
    b.publication(dt.date(2025, 3, 10), dt.date(2025, 3, 19), case=c1, published_at=at(2025, 3, 19, 23, 30))
    b.publication(dt.date(2025, 6, 1), dt.date(2025, 6, 10), case=c2, published_at=at(2025, 6, 11, 0, 30))
    b.publication(dt.date(2025, 12, 31), dt.date(2026, 1, 12), case=c3, status=Status.DRAFT)  # overdue on 01-15
    b.publication(dt.date(2025, 2, 1), dt.date(2025, 2, 12), act_type="licensing", published_at=at(2025, 2, 12))
    b.publication(dt.date(2025, 2, 2), dt.date(2025, 2, 13), act_type="licensing", status=Status.WITHHELD)
    b.publication(dt.date(2025, 12, 30), dt.date(2026, 1, 30), act_type="inspection", status=Status.DRAFT)
    b.publication(dt.date(2025, 7, 7), dt.date(2025, 7, 16), act_type="penalty", published_at=at(2025, 7, 8))
    b.publication(dt.date(2025, 9, 9), dt.date(2025, 10, 9), act_type="coercion", published_at=at(2025, 9, 10))
    b.publication(dt.date(2025, 8, 8), dt.date(2025, 8, 19), act_type="licensing", agency=other,
                  published_at=at(2025, 8, 9))
    b.publication(dt.date(2024, 8, 8), dt.date(2024, 8, 19), act_type="licensing", published_at=at(2024, 8, 9))
    b.remedy(c1, "reconsideration", "upheld", dt.date(2025, 8, 1))
    b.remedy(c1, "litigation", "dismissed", dt.date(2025, 11, 11))
    b.remedy(c4, "reconsideration", "revoked", dt.date(2025, 2, 2))
    b.remedy(c2, "reconsideration", "changed", dt.date(2026, 2, 1))  # next year's
    return agency


def test_figures_of_a_hand_built_agency_year_seed(hand_built) -> None:
    figures = compute_figures(hand_built, 2025, today=dt.date(2026, 1, 15))
    outcomes = ["upheld", "revoked", "remade", "changed", "illegal", "void", "dismissed", "withdrawn", "other"]
    kinds = dict.fromkeys([k.value for k in PenaltyKind], 0) | {"fine": 2, "confiscation": 1, "warning": 1,
                                                                  "revoke_licence": 1}
    assert figures == {
        "schema": 1,
        "agency": {"code": hand_built.code, "name": hand_built.name},
        "year": 2025,
        "as_of": "2026-01-15",
        "acts": {"licensing": 2, "penalty": 4, "coercion": 2, "levy": 0, "requisition": 0, "inspection": 1,
                 "other": 0},
        "acts_total": 9,
        "penalties": {"decisions": 3, "simplified": 1, "general": 2, "no_penalty": 1, "imported": 1,
                      "by_kind": kinds, "fine_total": "25000.50", "confiscation_total": "1200.00"},
        "coercion": {"seizures": 1},
        "hearings": {"held": 1},
        "reviews": {"submitted": 4, "passed": 2, "returned": 1, "pending": 1},
        "remedies": {"reconsideration": dict.fromkeys(outcomes, 0) | {"upheld": 1, "revoked": 1},
                     "litigation": dict.fromkeys(outcomes, 0) | {"dismissed": 1}},
        "publication": {"decisions": 8, "on_time": 4, "late": 1, "overdue": 1, "pending": 1, "withheld": 1,
                        "on_time_rate": 66.7},
    }


def test_figures_take_a_fixed_number_of_queries(hand_built, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        compute_figures(hand_built, 2025, today=dt.date(2026, 1, 15))


def test_penalty_kinds_counted_in_sql_equal_a_python_recount_art9(team) -> None:
    """APL Art. 9 kinds, counted by one aggregate query over the JSON lists; checked against a loop over the rows."""
    agency = team.head.agency
    build_agency_year(agency, 2025, 1500, team.officer, seed=3)
    figures = compute_figures(agency, 2025, today=dt.date(2026, 1, 15))
    decided = Case.objects.filter(agency=agency, decided_on__year=2025, decided_draft__no_penalty=False)
    counted: Counter = Counter()
    fines = Decimal(0)
    for kinds, fine in decided.values_list("decided_draft__kinds", "decided_draft__fine"):
        counted.update(kinds)
        fines += fine if "fine" in kinds else 0
    assert figures["penalties"]["by_kind"] == {k.value: counted[k.value] for k in PenaltyKind}
    assert Decimal(figures["penalties"]["fine_total"]) == fines
    assert figures["penalties"]["decisions"] == decided.count() > 1000


def test_nothing_counted_for_a_year_without_activity(team) -> None:
    figures = compute_figures(team.head.agency, 2019, today=dt.date(2026, 1, 15))
    assert figures["acts_total"] == 0 and figures["publication"]["on_time_rate"] is None
    assert figures["penalties"]["fine_total"] == "0.00"


def test_report_of_figures_frozen_before_void_and_remade_outcomes_still_renders(hand_built) -> None:
    from zhifa.reports.render import paragraphs, tables

    figures = compute_figures(hand_built, 2025, today=dt.date(2026, 1, 15))
    for counts in figures["remedies"].values():
        del counts["void"], counts["remade"]
    rows = [row for table in tables(figures) if table.key == "remedies" for row in table.rows]
    assert ["确认无效", 0, 0] in rows and ["撤销", 1, 0] in rows
    assert "撤销1件" in paragraphs(figures)["remedies"]
