"""Demo publications: published, pending, overdue and withdrawn decisions, and licences imported from the
行政审批服务局's own system."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.disclosure import actions
from zhifa.disclosure.models import Publication, Status
from zhifa.law import identifiers, redaction
from zhifa.people.models import Agency, Role, User

LICENCES = [
    ("渌审批食许〔2026〕{n}号", "株洲渌口{n}号小吃店", "准予食品经营许可（餐饮服务）", "食品经营许可", 40),
    ("渌审批卫许〔2026〕{n}号", "渌口区悦然美发店", "准予公共场所卫生许可", "公共场所卫生许可", 15),
    ("渌审批建许〔2026〕{n}号", "株洲湘渌建设工程有限公司", "准予建筑工程施工许可", "建筑工程施工许可", 2),
]

PERSON_ID_17 = "43021219880315402"


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
    licences = []
    for serial, (number, target, conclusion, category, days_ago) in enumerate(LICENCES, start=1):
        target = target.format(n=serial)
        text = (f"{target}：你单位（人）的申请材料齐全、符合法定形式，经审查，决定{conclusion}。"
                f"联系人王小明，电话1390731{serial:04d}。")
        publication = actions.import_decision(
            approval, head, act_type="licensing", document_number=number.format(n=serial * 17), target=target,
            conclusion=conclusion, decided_on=timezone.localdate() - dt.timedelta(days=days_ago), text=text,
            category=category, known=redaction.KnownData(punished_name=target, punished_is_person=False))
        if days_ago > 20:
            licences.append(actions.publish(publication, head))  # published late; of the others one is overdue
    id_number = PERSON_ID_17 + identifiers.id_check_char(PERSON_ID_17)
    person = actions.import_decision(  # a licence to a natural person: her ID number, address and phone masked
        approval, head, act_type="licensing", document_number="渌审批食许〔2026〕88号", target="李秀英",
        conclusion="准予食品经营许可（小餐饮）", decided_on=timezone.localdate() - dt.timedelta(days=5),
        text=f"申请人：李秀英，身份证号码：{id_number}，住址：株洲市渌口区渌口镇湘江路12号，联系电话：13807330516。"
             "经审查，申请材料齐全、符合法定形式，决定准予食品经营许可（小餐饮）。", category="食品经营许可",
        known=redaction.KnownData(punished_name="李秀英", punished_is_person=True, id_numbers=[id_number],
                                  phones=["13807330516"], addresses=["株洲市渌口区渌口镇湘江路12号"]))
    actions.publish(person, head)
    # The agency revoked one of its licences itself (行政许可法第六十九条): its withdrawal is overdue.
    actions.open_withdrawal(licences[0], head, kind="revoked", reason="被许可人以欺骗手段取得许可，依法撤销",
                            decided_on=timezone.localdate() - dt.timedelta(days=10))
