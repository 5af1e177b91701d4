"""Drives the demo cases through the procedure with the real actions, so every stage has a case to show:
investigating, a major case whose review is pending (`decide` blocked), a returned review, a notice with a
hearing request, a simplified on-the-spot case, a decided case awaiting payment, an archived one, a suspended one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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


def _inspect(case: Case, officer: User) -> None:
    """现场检查 with its photo and body-camera video (the AV rule requires the video)."""
    from zhifa.evidence.demo import make_demo_evidence

    evidence = make_demo_evidence(officer, case)
    video = [e.pk for e in evidence if e.content_type.startswith("video/")]
    ended = timezone.now() - dt.timedelta(hours=1)
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
    decided_awaiting_payment, suspended,
]
