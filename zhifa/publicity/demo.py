"""Demo data of the portal: officers' synthetic photos, window duty boards, query codes for the demo cases and
complaints in every status. Idempotent: a second run keeps what is there (and the codes written for testers).

Writes two files into the data directory (mode 0600), so that a tester can try the public forms:
``demo-query-codes.json`` (case number → query code) and ``demo-complaints.json`` (number → secret).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.db import transaction

from zhifa.cases.models import Case
from zhifa.people.models import Agency, Credential, Role, Unit, User
from zhifa.publicity import actions
from zhifa.publicity.models import CaseQueryCode, Complaint, ComplaintStatus, DutyPost
from zhifa.publicity.photos import avatar_png

QUERY_CODES_FILE = "demo-query-codes.json"
COMPLAINTS_FILE = "demo-complaints.json"
HOURS = "工作日 上午8:30—12:00，下午14:30—17:30"

# (agency code, window, location, duties, how many of the agency's officers staff it)
DUTY_POSTS = [
    ("lk-xzsp", "综合受理窗口", "区政务服务中心一楼1号窗口",
     "受理行政许可等依申请事项，核验申请材料\n材料不全的，一次性告知需补正的全部内容\n出具受理或不予受理凭证，告知办理时限\n"
     "告知办理进度查询方式和投诉举报渠道", 2),
    ("lk-xzsp", "企业开办窗口", "区政务服务中心一楼2号窗口",
     "办理市场主体设立、变更、注销登记\n办理食品经营许可等涉企经营许可\n推行“最多跑一次”，一窗受理、并联审批", 1),
    ("lk-xzsp", "工程建设项目审批窗口", "区政务服务中心二楼5号窗口",
     "办理建设工程规划许可、施工许可等审批事项\n组织联合审查、联合验收\n公开审批流程、时限和收费标准", 1),
    ("lk-xzsp", "社会事务审批窗口", "区政务服务中心二楼6号窗口",
     "办理民办教育、医疗机构等社会事务类许可\n办理行政确认、行政给付类事项\n提供政策咨询和办事指引", 1),
    ("lk-scjg", "市场监管服务窗口", "区市场监督管理局一楼大厅",
     "受理消费投诉和违法行为举报\n提供食品、药品、特种设备安全咨询\n告知案件办理进度查询方式", 1),
    ("lk-cgzf", "城市管理服务窗口", "区城市管理和综合执法局一楼",
     "受理市容环境、违法建设等投诉举报\n办理户外广告设置、占道等审批咨询\n告知执法事由、依据和当事人权利", 1),
    ("lk-sfj", "行政执法监督投诉窗口", "区司法局一楼接待室",
     "受理对行政执法行为的投诉举报\n督促有关执法部门依法处理并答复\n提供行政复议、法律援助咨询", 1),
]

# (agency code, subject, content, contact name, final status, reply)
DEMO_COMPLAINTS = [
    ("lk-scjg", "超市销售过期酸奶", "在渌口镇建设路一家超市购买的酸奶已超过保质期两天，请依法查处。", "刘先生",
     ComplaintStatus.CLOSED, "经现场检查，情况属实，已依法立案查处并责令下架，感谢您的监督。"),
    ("lk-scjg", "餐馆后厨卫生差", "南洲路某餐馆后厨苍蝇多，餐具未消毒。", "", ComplaintStatus.PROCESSING,
     "已安排执法人员近期进行现场检查。"),
    ("lk-cgzf", "夜间施工噪音扰民", "渌湘大道某工地每天晚上十一点后仍在施工，严重影响休息。", "陈女士",
     ComplaintStatus.RECEIVED, ""),
    ("lk-cgzf", "占道经营影响通行", "淦田老街早市摊贩占用人行道，行人只能走机动车道。", "", ComplaintStatus.CLOSED,
     "已劝导摊贩进入临时疏导点经营，并安排每日巡查。"),
    ("lk-xzsp", "窗口办事要求重复提交材料", "办理营业执照变更时，窗口要求提供已经在系统中的材料。", "张先生",
     ComplaintStatus.RECEIVED, ""),
    ("lk-lukou", "邻居家庭纠纷", "邻居之间因宅基地边界发生口角，希望政府出面。", "", ComplaintStatus.REJECTED,
     "该事项属于民事纠纷，不属于行政执法投诉举报受理范围，建议向村（居）委会人民调解委员会申请调解，或依法向人民法院起诉。"),
]


def _write_private_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    path.chmod(0o600)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def make_photos() -> int:
    """A synthetic avatar for every credential without a photo. Returns how many were made."""
    made = 0
    for credential in Credential.objects.filter(photo="").select_related("holder").order_by("pk"):
        png = avatar_png(credential.holder.get_full_name())
        credential.photo.save(f"{credential.number}.png", ContentFile(png), save=False)
        credential.save(update_fields=["photo"])
        made += 1
    return made


def make_duty_posts(actor: User | None) -> int:
    made = 0
    for order, (code, name, location, duties, staff_count) in enumerate(DUTY_POSTS):
        agency = Agency.objects.filter(code=code).first()
        if agency is None or DutyPost.objects.filter(agency=agency, name=name).exists():
            continue
        taken = set(DutyPost.staff.through.objects.filter(dutypost__agency=agency).values_list("user_id", flat=True))
        officers = [u for u in User.objects.filter(agency=agency, role=Role.OFFICER).order_by("username")
                    if u.pk not in taken] or list(User.objects.filter(agency=agency).order_by("username")[:1])
        supervisor = Agency.objects.filter(supervises=True).first()
        post = DutyPost(
            agency=agency, unit=Unit.objects.filter(agency=agency, kind="window").first(), name=name,
            location=location, duties=duties, hours=HOURS, phone=agency.phone,
            complaint_phone=supervisor.phone if supervisor else "", order=order,
        )
        actions.save_duty_post(actor, post, officers[:staff_count])
        made += 1
    return made


def make_query_codes(data_dir: Path, actor: User | None) -> dict[str, str]:
    """A query code for every demo case; codes already written (and still right) are kept."""
    path = data_dir / QUERY_CODES_FILE
    known = {row["case"]: row["code"] for row in (_read_json(path) or []) if isinstance(row, dict)}
    rows = []
    for case in Case.objects.select_related("agency").order_by("pk"):
        existing = CaseQueryCode.objects.filter(case=case).first()
        code = known.get(case.number)
        if existing is None or code is None or not check_password(code, existing.code_hash):
            code = actions.issue_query_code(case, actor)
        rows.append({"case": case.number, "code": code, "agency": case.agency.name})
    _write_private_json(path, rows)
    return {row["case"]: row["code"] for row in rows}


def make_complaints(data_dir: Path) -> None:
    path = data_dir / COMPLAINTS_FILE
    if Complaint.objects.exists():
        return
    rows = []
    for code, subject, content, contact, status, reply in DEMO_COMPLAINTS:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        complaint, secret = actions.submit_complaint(agency, subject, content, contact,
                                                     "13900000000" if contact else "")
        answerer = (User.objects.filter(agency=agency, role__in=[Role.AGENCY_HEAD, Role.UNIT_HEAD]).order_by("role")
                    .first() or User.objects.filter(agency=agency).first())
        if status != ComplaintStatus.RECEIVED and answerer is not None:
            if status == ComplaintStatus.CLOSED:  # the usual path: first in progress, then closed
                actions.answer_complaint(answerer, complaint, ComplaintStatus.PROCESSING, "已转承办机构调查核实。")
            actions.answer_complaint(answerer, complaint, status, reply)
        rows.append({"number": complaint.number, "secret": secret, "agency": agency.name, "status": str(status)})
    _write_private_json(path, rows)


def load_demo_publicity(data_dir: Path | None = None) -> None:
    """Fill the portal with demo content (idempotent). Call after the people and cases demo data exist."""
    data_dir = Path(data_dir or settings.DATA_DIR)
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    with transaction.atomic():
        make_photos()
        make_duty_posts(actor)
        make_query_codes(data_dir, actor)
        make_complaints(data_dir)
