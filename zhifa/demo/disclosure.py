"""Demo publications: published, pending, overdue and withdrawn decisions, and licences imported from the
行政审批服务局's own system."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.disclosure import actions
from zhifa.disclosure.models import Publication, Status
from zhifa.law import redaction
from zhifa.people.models import Agency, Role, User

LICENCES = [
    ("渌审批食许〔2026〕{n}号", "株洲渌口{n}号小吃店", "准予食品经营许可（餐饮服务）", "食品经营许可", 40),
    ("渌审批卫许〔2026〕{n}号", "渌口区悦然美发店", "准予公共场所卫生许可", "公共场所卫生许可", 15),
    ("渌审批建许〔2026〕{n}号", "株洲湘渌建设工程有限公司", "准予建筑工程施工许可", "建筑工程施工许可", 2),
]


def _head(agency: Agency) -> User:
    return User.objects.get(agency=agency, role=Role.AGENCY_HEAD)


def load_demo_disclosure() -> None:
    for publication in Publication.objects.filter(status=Status.DRAFT, case__stage__in=["archived", "closed"]):
        published = actions.publish(publication, _head(publication.agency))
        if published.case.procedure == "simplified":
            actions.withdraw(published, _head(published.agency), kind="remade", reason="经复查，原决定适用依据有误，"
                             "责令重新作出", decided_on=timezone.localdate())
    approval = Agency.objects.get(code="lk-xzsp")
    head = _head(approval)
    for serial, (number, target, conclusion, category, days_ago) in enumerate(LICENCES, start=1):
        text = (f"{target}：你单位（人）的申请材料齐全、符合法定形式，经审查，决定{conclusion}。"
                f"联系人王小明，电话1390731{serial:04d}。")
        publication = actions.import_decision(
            approval, head, act_type="licensing", document_number=number.format(n=serial * 17), target=target,
            conclusion=conclusion, decided_on=timezone.localdate() - dt.timedelta(days=days_ago), text=text,
            category=category, known=redaction.KnownData(punished_name=target, punished_is_person=False))
        if days_ago > 20:
            actions.publish(publication, head)  # published late; of the others one is overdue, one pending
