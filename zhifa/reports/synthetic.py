"""A realistic agency-year built directly with bulk inserts (not through the actions): for the benchmark
(bench/annual_report.py) and the tests of the report's figures at scale.

Distributions (a county market regulation bureau): 30 % simplified procedure; 4 % 不予处罚; fines in most decisions
(simplified ≤ 200 yuan, general from 1,000 yuan with a long tail), confiscation in 15 %, heavier kinds rare; hearings in
3 % and seizures in 2 % of general cases; legal review of 70 % of general decisions (92 % passed, 6 % returned);
a publication task per decision (90 % on time, 6 % late, 2 % overdue, 2 % withheld) and imported licences and
inspections; 复议/诉讼 outcomes for 0.5 % of decisions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.cases.models import Case, CoerciveMeasure, Draft
from zhifa.disclosure.models import Publication, Status
from zhifa.people.models import Agency, User
from zhifa.reports.models import RemedyKind, RemedyOutcome, RemedyOutcomeChoice
from zhifa.review.models import Review, ReviewStatus

BATCH = 5000
GENERAL_EXTRA_KINDS = [("confiscation", 0.15), ("warning", 0.10), ("criticism", 0.02), ("suspend_licence", 0.02),
                       ("revoke_licence", 0.01), ("suspend_business", 0.01), ("restrict_activity", 0.005),
                       ("lower_qualification", 0.003), ("close", 0.003), ("restrict_employment", 0.002)]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def build_agency_year(agency: Agency, year: int, cases: int, author: User, *, seed: int = 1,
                      publications: bool = True, number_prefix: str = "SYN") -> Counter:
    """Insert `cases` cases of `agency` (most decided in `year`) with their drafts, measures, reviews, publications
    and remedy outcomes. Returns what was inserted, by kind."""
    rng = random.Random(seed)
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    case_id, draft_id = _next_id(Case), _next_id(Draft)
    made: Counter = Counter()
    case_rows, draft_rows, measures, reviews, pubs, remedies = [], [], [], [], [], []
    for i in range(cases):
        cid, did = case_id + i, draft_id + i
        simplified = rng.random() < 0.30
        roll = rng.random()
        decided_on = None
        if roll < 0.92:
            decided_on = start + dt.timedelta(days=rng.randrange(days))
        elif roll < 0.95:
            decided_on = start - dt.timedelta(days=rng.randrange(1, 60))  # last year's: not counted
        no_penalty = decided_on is not None and not simplified and rng.random() < 0.04
        kinds: list[str] = []
        fine = confiscation = Decimal(0)
        if not no_penalty:
            if simplified:
                kinds = ["warning"] if rng.random() < 0.4 else ["fine"]
                fine = Decimal(rng.choice([50, 100, 150, 200])) if kinds == ["fine"] else Decimal(0)
            else:
                if rng.random() < 0.85:
                    kinds.append("fine")
                    fine = Decimal(int(1000 * rng.lognormvariate(1.2, 1.1)) // 100 * 100 + 1000)
                kinds += [kind for kind, p in GENERAL_EXTRA_KINDS if rng.random() < p]
                if "confiscation" in kinds:
                    confiscation = Decimal(rng.randrange(500, 50_000))
                kinds = kinds or ["warning"]
        anchor = decided_on or start + dt.timedelta(days=rng.randrange(days))
        opened = anchor - dt.timedelta(days=rng.randrange(0, 60))
        hearing = decided_on is not None and not simplified and rng.random() < 0.03
        case_rows.append(Case(
            id=cid, agency=agency, number=f"{number_prefix}-{agency.code}-{year}-{i:06d}", title="涉嫌违法经营案",
            source="inspection", procedure="simplified" if simplified else "general",
            stage="archived" if decided_on else "filed", opened_at=_aware(opened, 9), decided_on=decided_on,
            decided_draft_id=did if decided_on else None, decided_by=author if decided_on else None,
            hearing_held_on=decided_on - dt.timedelta(days=10) if hearing else None,
            closed_on=decided_on + dt.timedelta(days=30) if decided_on else None))
        draft_rows.append(Draft(
            id=did, case_id=cid, version=1, kinds=kinds, fine=fine, confiscation=confiscation, no_penalty=no_penalty,
            facts="当事人经营超过保质期的食品。", evidence_reason="笔录相互印证。",
            basis="《食品安全法》第一百二十四条",
            basis_reason="符合该条规定。", discretion_reason="一般情节。", digest=f"{cid:064x}", author=author,
            created_at=_aware(opened, 11)))
        if not simplified and rng.random() < 0.02:
            started = opened + dt.timedelta(days=rng.randrange(1, 10))
            measures.append(CoerciveMeasure(case_id=cid, kind="seizure", items="涉案食品一批", started_on=started,
                                            due_on=started + dt.timedelta(days=30), approved_by=author))
        if decided_on and not simplified and rng.random() < 0.70:
            r = rng.random()
            status = ReviewStatus.PASSED if r < 0.92 else ReviewStatus.RETURNED if r < 0.98 else ReviewStatus.SUBMITTED
            reviews.append(Review(case_id=cid, draft_id=did, digest=f"{cid:064x}", rule="普通程序处罚一律审核",
                                  status=status, submitted_by=author,
                                  submitted_at=_aware(decided_on - dt.timedelta(days=5), 15)))
        if decided_on and publications:
            due = decided_on + dt.timedelta(days=9)
            r = rng.random()
            status, published = Status.PUBLISHED, _aware(decided_on + dt.timedelta(days=rng.randrange(0, 9)), 16)
            if r >= 0.90:
                published = _aware(due + dt.timedelta(days=rng.randrange(1, 20)), 16)
            if r >= 0.96:
                status, published = Status.DRAFT, None
            if r >= 0.98:
                status = Status.WITHHELD
            pubs.append(_publication(agency, cid, "penalty", f"罚决-{cid}", decided_on, due, status, published))
        if decided_on and rng.random() < 0.005:
            kind = RemedyKind.RECONSIDERATION if rng.random() < 0.7 else RemedyKind.LITIGATION
            outcome = rng.choice([o for o in RemedyOutcomeChoice.values
                                  if kind == RemedyKind.RECONSIDERATION or o != RemedyOutcomeChoice.UPHELD])
            remedies.append(RemedyOutcome(case_id=cid, kind=kind, outcome=outcome,
                                          decided_on=min(decided_on + dt.timedelta(days=60), dt.date(year, 12, 31)),
                                          organ="株洲市渌口区人民政府", reference="", recorded_by=author,
                                          recorded_at=timezone.now()))
    if publications:
        for act_type, share in (("licensing", 0.30), ("inspection", 0.10), ("other", 0.02), ("coercion", 0.01),
                                ("levy", 0.005)):
            for n in range(int(cases * share)):
                decided_on = start + dt.timedelta(days=rng.randrange(days))
                due = decided_on + (dt.timedelta(days=9) if act_type == "licensing" else dt.timedelta(days=28))
                pubs.append(_publication(agency, None, act_type, f"{act_type}-{year}-{n}", decided_on, due,
                                         Status.PUBLISHED, _aware(decided_on + dt.timedelta(days=2), 16)))
    for model, rows in ((Case, case_rows), (Draft, draft_rows), (CoerciveMeasure, measures), (Review, reviews),
                        (Publication, pubs), (RemedyOutcome, remedies)):
        model.objects.bulk_create(rows, batch_size=BATCH)
        made[model._meta.model_name] += len(rows)
    _reset_sequences(Case, Draft)  # explicit ids: PostgreSQL's sequences must move past them
    return made


def _reset_sequences(*models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _publication(agency: Agency, case_id: int | None, act_type: str, number: str, decided_on: dt.date,
                 due_on: dt.date, status: str, published_at: dt.datetime | None) -> Publication:
    return Publication(agency=agency, case_id=case_id, source="case" if case_id else "import", act_type=act_type,
                       document_number=number, target="株洲某商贸有限公司", conclusion="见决定书",
                       decided_on=decided_on,
                       due_on=due_on, original_text="（略）", redacted_text="（略）", status=status,
                       published_at=published_at)
