"""Drives the demo cases through the procedure with the real actions, so every stage has a case to show:
investigating, a major case whose review is pending (`decide` blocked), a returned review, a notice with a
hearing request, a simplified on-the-spot case, a decided case awaiting payment, an archived one, a suspended one,
and a fine paid by instalments (one paid, one overdue with its surcharge, a 复议 in between, one still to come)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from unittest import mock

from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.procedure_actions import perform
from zhifa.law.review_rules import REVIEW_POINTS
from zhifa.people.models import Role, User
from zhifa.review.actions import escalate, give_opinion


def _head(case: Case) -> User:
    return User.objects.get(agency=case.agency, role=Role.AGENCY_HEAD)


def _reviewer(case: Case) -> User:
    return User.objects.filter(agency=case.agency, role=Role.REVIEWER).order_by("username").first()


def _inspect(case: Case, officer: User, ended: dt.datetime | None = None) -> None:
    """现场检查 with its photo and body-camera video (the AV rule requires the video)."""
    from zhifa.evidence.demo import make_demo_evidence

    evidence = make_demo_evidence(officer, case)
    video = [e.pk for e in evidence if e.content_type.startswith("video/")]
    ended = ended or timezone.now() - dt.timedelta(hours=1)
    perform(case, officer, "record_activity", code="onsite_inspection",
            started_at=ended - dt.timedelta(minutes=40), ended_at=ended, location="当事人经营场所",
            notes="检查经营场所、货架及进货台账", recording_ids=video)
    perform(case, officer, "record_activity", code="inquiry", started_at=ended,
            ended_at=ended + dt.timedelta(minutes=30), location="执法大队询问室",
            notes="询问当事人经营情况，制作询问笔录")


def _draft(fine: int, kinds: tuple[str, ...] = ("fine",), confiscation: int = 0, **extra: str) -> dict:
    return {
        "kinds": list(kinds), "fine": fine, "confiscation": confiscation,
        "facts": extra.get("facts", "经查，当事人存在案由所述违法行为，违法事实清楚。"),
        "evidence_reason": "现场检查笔录、询问笔录、现场照片及执法记录仪视频相互印证，来源合法，予以采信。",
        "basis": extra.get("basis", "《中华人民共和国食品安全法》第一百二十四条第一款"),
        "basis_reason": "当事人的行为符合该条款规定的违法情形，该条款为特别规定，优先适用。",
        "discretion_reason": extra.get("discretion",
                                       "当事人系初次违法，积极配合调查，依裁量基准“一般”情节确定处罚幅度。"),
    }


def _agree(case: Case) -> None:
    review = case.reviews.order_by("-submitted_at").first()
    give_opinion(review, _reviewer(case), opinion="agree",
                 reasons="主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。",
                 findings={key: {"result": "符合", "comment": ""} for key, _label in REVIEW_POINTS})


def investigating(case: Case, officer: User) -> None:
    _inspect(case, officer)


def review_pending(case: Case, officer: User) -> None:
    _inspect(case, officer)
    perform(case, officer, "end_investigation", **_draft(30000, basis="《中华人民共和国产品质量法》第四十九条"))
    perform(case, officer, "submit_review")


def review_returned(case: Case, officer: User) -> None:
    _inspect(case, officer)
    perform(case, officer, "end_investigation", **_draft(50000, kinds=("fine",),
                                                         basis="《中华人民共和国城乡规划法》第六十四条"))
    perform(case, officer, "submit_review")
    review = case.reviews.order_by("-submitted_at").first()
    findings = {key: {"result": "符合", "comment": ""} for key, _label in REVIEW_POINTS}
    findings["evidence"] = {"result": "不符合", "comment": "缺少建设工程面积测绘报告，违法建设面积认定依据不足"}
    give_opinion(review, _reviewer(case), opinion="supplement", findings=findings,
                 reasons="请补充违法建设面积测绘报告后再次报送审核。")
    escalate(review, officer,
             unit_position="现场勘验笔录及照片已能认定违法建设面积，测绘报告非必要，请机关负责人协调。")


def hearing_requested(case: Case, officer: User) -> None:
    _inspect(case, officer)
    perform(case, officer, "end_investigation", **_draft(
        200000, kinds=("fine",), basis="《中华人民共和国广告法》第五十五条第一款",
        discretion="广告费用无法计算，依裁量基准“较重”情节处二十万元罚款。"))
    perform(case, officer, "submit_review")
    _agree(case)
    perform(case, officer, "notify")
    perform(case, officer, "request_hearing")


def simplified(case: Case, officer: User) -> None:
    perform(case, officer, "decide_on_spot", **_draft(
        100, basis="《城市市容和环境卫生管理条例》第三十六条", facts="当事人在渌湘大道人行道上摆摊经营，占用城市道路。",
        discretion="占道面积较小，当场改正，处一百元罚款。"))
    perform(case, officer, "record_payment", amount=100, paid_on=timezone.localdate(), channel="on_spot",
            reference="湘财罚字No.0012345")
    perform(case, officer, "close")


def decided_awaiting_payment(case: Case, officer: User) -> None:
    _inspect(case, officer)
    perform(case, officer, "end_investigation", **_draft(
        8000, basis="《城市建筑垃圾管理规定》第二十六条", discretion="倾倒量较小，及时清理，依裁量基准从轻处罚。"))
    perform(case, officer, "submit_review")
    _agree(case)
    perform(case, officer, "notify")
    perform(case, officer, "record_statement", content="", waived=True)
    perform(case, _head(case), "decide")
    perform(case, officer, "serve", method="direct", served_on=timezone.localdate())


@contextlib.contextmanager
def _as_of(day: dt.date) -> Iterator[None]:
    """Enter a step of a case handled in the past (补录 of an older case): the actions take `day` as today for their
    business dates and rules; the record still stamps each event with the real time it was entered."""
    real = timezone.localdate

    def localdate(value: dt.datetime | None = None, timezone: dt.tzinfo | None = None) -> dt.date:
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


INSTALMENT_DECIDED_DAYS_AGO = 45


def paying_by_instalments(case: Case, officer: User) -> None:
    """A 12,000 yuan fine decided 45 days ago, paid by three instalments (APL Art. 66(2)): the first paid on time,
    the second 10 days overdue — its surcharge (Art. 72) leaves out the 5 days of a 复议 the party applied for and
    then withdrew (Art. 73(3)) — and the third still to come."""
    today = timezone.localdate()
    decided_on = today - dt.timedelta(days=INSTALMENT_DECIDED_DAYS_AGO)
    with _as_of(decided_on - dt.timedelta(days=20)):
        _inspect(case, officer, ended=timezone.now() - dt.timedelta(days=INSTALMENT_DECIDED_DAYS_AGO + 20))
        perform(case, officer, "end_investigation", **_draft(
            12000, basis="《中华人民共和国食品安全法》第一百二十五条第一款",
            facts="经查，当事人生产经营的预包装食品标签未标注生产日期和保质期，货值金额八千余元。",
            discretion="货值金额不足一万元，依裁量基准“一般”情节处一万二千元罚款。"))
        perform(case, officer, "submit_review")
        _agree(case)
        perform(case, officer, "notify")
        perform(case, officer, "record_statement", content="", waived=True)
    with _as_of(decided_on):
        perform(case, _head(case), "decide")
        perform(case, officer, "serve", method="direct", served_on=decided_on)
    with _as_of(decided_on + dt.timedelta(days=3)):
        schedule = [{"due_on": decided_on + dt.timedelta(days=days), "amount": 4000} for days in (20, 35, 65)]
        perform(case, officer, "request_instalments", reason="当事人受经营季节影响资金周转困难，书面申请分三期缴纳。",
                schedule=schedule, requested_on=decided_on + dt.timedelta(days=2))
        perform(case, _head(case), "approve_instalments", opinion="经审查当事人确有经济困难，同意分三期缴纳。")
    with _as_of(decided_on + dt.timedelta(days=19)):
        perform(case, officer, "record_payment", amount=4000, paid_on=decided_on + dt.timedelta(days=18),
                channel="bank", reference="ICBC-LK-0000451")
    with _as_of(today - dt.timedelta(days=8)):
        perform(case, officer, "record_remedy", kind="reconsideration", applied_on=today - dt.timedelta(days=8),
                organ="株洲市渌口区人民政府", reference=f"渌政复申字〔{today.year}〕7号")
    with _as_of(today - dt.timedelta(days=4)):
        perform(case, officer, "end_remedy", kind="reconsideration", ended_on=today - dt.timedelta(days=4))


def archived(case: Case, officer: User) -> None:
    decided_awaiting_payment(case, officer)
    case.refresh_from_db()
    fine = case.decided_draft.fine
    perform(case, officer, "record_payment", amount=fine, paid_on=timezone.localdate(), channel="bank",
            reference="ICBC-20261126-000931")
    perform(case, officer, "close")
    perform(case, officer, "archive")


def suspended(case: Case, officer: User) -> None:
    _inspect(case, officer)
    perform(case, _head(case), "suspend", reason="当事人下落不明，案件调查无法继续，依法中止。")


SCENARIOS: list[Callable[[Case, User], None]] = [
    archived, investigating, review_pending, hearing_requested, simplified, review_returned,
    decided_awaiting_payment, suspended, paying_by_instalments,
]
