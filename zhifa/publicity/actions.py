"""The only way publicity data changes: each action checks its rules and appends its event in one transaction."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.cases.models import Case, Party
from zhifa.core.errors import require
from zhifa.people.models import Agency, User
from zhifa.people.scoping import sees_every_agency
from zhifa.publicity.models import CaseQueryCode, Complaint, ComplaintSequence, ComplaintStatus, DutyPost
from zhifa.record import log

BASIS_PUBLICITY = "实施办法二(一)2"
# Codes are read aloud and typed from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8
COMPLAINT_SECRET_LENGTH = 6
SUBJECT_MAX, CONTENT_MAX, CONTACT_MAX = 100, 2000, 40


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a person types: any case, with spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


# --- progress query codes --------------------------------------------------------------------------------


@transaction.atomic
def issue_query_code(case: Case, actor: User | None = None, party: Party | None = None) -> str:
    """A new 8-character query code for `case`, to hand to `party` (default: its first party) at filing or
    notice. Only its hash is kept; a new code replaces the old one. Returns the code, shown once."""
    party = party or case.parties.order_by("pk").first()
    require(party is None or party.case_id == case.pk, "party_of_other_case", BASIS_PUBLICITY,
            "该当事人不属于本案")
    code = random_code(QUERY_CODE_LENGTH)
    row, created = CaseQueryCode.objects.update_or_create(
        case=case, defaults={"party": party, "code_hash": make_password(code), "issued_at": timezone.now()},
    )
    log.append("publicity.query_code_issued", actor=actor, agency=case.agency, obj=row, case_id=case.pk,
               payload={"case": case.number, "party": party.name if party else "", "reissued": not created})
    return code


_DUMMY_HASH: list[str] = []


def find_by_query_code(case_number: str, code: str) -> CaseQueryCode | None:
    """The query code row of the case if `code` is right, else None (takes as long for unknown case numbers)."""
    row = (CaseQueryCode.objects.select_related("case", "case__agency", "party")
           .filter(case__number=case_number.strip()).first())
    code = normalise_code(code)
    if row is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(make_password(random_code(QUERY_CODE_LENGTH)))
        check_password(code, _DUMMY_HASH[0])
        return None
    return row if code and check_password(code, row.code_hash) else None


# --- complaints ------------------------------------------------------------------------------------------


def _next_serial(day: dt.date) -> int:
    """The next acknowledgement serial of `day`, gap-free: a rollback of the caller gives it back."""
    try:
        with transaction.atomic():
            ComplaintSequence.objects.get_or_create(day=day)
    except IntegrityError:  # created concurrently: it exists now
        pass
    sequence = ComplaintSequence.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def submit_complaint(agency: Agency, subject: str, content: str, contact_name: str = "",
                     contact_phone: str = "") -> tuple[Complaint, str]:
    """投诉举报 from the public: an acknowledgement number (TS20261126-0001) and a secret shown once."""
    subject, content = subject.strip(), content.strip()
    require(subject, "subject_required", BASIS_PUBLICITY, "请填写投诉举报事由")
    require(content, "content_required", BASIS_PUBLICITY, "请填写投诉举报内容")
    require(len(subject) <= SUBJECT_MAX and len(content) <= CONTENT_MAX, "complaint_too_long", BASIS_PUBLICITY,
            f"事由不超过{SUBJECT_MAX}字，内容不超过{CONTENT_MAX}字")
    require(len(contact_name) <= CONTACT_MAX and len(contact_phone) <= CONTACT_MAX, "contact_too_long",
            BASIS_PUBLICITY, "联系人或电话过长")
    now = timezone.now()
    day = timezone.localdate(now)
    number = f"TS{day:%Y%m%d}-{_next_serial(day):04d}"
    secret = random_code(COMPLAINT_SECRET_LENGTH)
    complaint = Complaint(number=number, agency=agency, subject=subject, content=content,
                          secret_hash=make_password(secret), submitted_at=now)
    complaint.set_contact(contact_name.strip(), contact_phone.strip())
    complaint.save()
    # No personal data in the permanent record: the contact stays in the (encrypted) complaint row only.
    log.append("publicity.complaint_received", actor=None, agency=agency, obj=complaint,
               payload={"number": number, "subject": subject})
    return complaint, secret


def find_complaint(number: str, secret: str) -> Complaint | None:
    complaint = Complaint.objects.select_related("agency").filter(number=number.strip().upper()).first()
    secret = normalise_code(secret)
    if complaint is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(make_password(random_code(QUERY_CODE_LENGTH)))
        check_password(secret, _DUMMY_HASH[0])
        return None
    return complaint if secret and check_password(secret, complaint.secret_hash) else None


def may_answer(user: User, complaint: Complaint) -> bool:
    """The agency the complaint went to answers it; an administrator may too. The supervisor reads only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == "admin":
        return True
    return bool(user.agency_id) and user.agency_id == complaint.agency_id


@transaction.atomic
def answer_complaint(actor: User, complaint: Complaint, status: str, reply: str) -> Complaint:
    """处理中, 已办结 or 不予受理, with the reply the complainant reads. A closed or refused one is final."""
    require(may_answer(actor, complaint), "complaint_not_yours", BASIS_PUBLICITY, "只能答复本机关收到的投诉举报")
    require(status in {ComplaintStatus.PROCESSING, ComplaintStatus.CLOSED, ComplaintStatus.REJECTED},
            "complaint_status_unknown", BASIS_PUBLICITY, "状态只能改为处理中、已办结或不予受理")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    require(not complaint.is_final, "complaint_final", BASIS_PUBLICITY, "已办结或不予受理的投诉举报不能再变更")
    reply = reply.strip()
    require(reply or status == ComplaintStatus.PROCESSING, "reply_required", BASIS_PUBLICITY,
            "办结或不予受理须填写答复（说明理由）")
    before = complaint.status
    complaint.status = status
    if reply:
        complaint.reply = reply
    complaint.answered_at = timezone.now()
    complaint.answered_by = actor
    complaint.save(update_fields=["status", "reply", "answered_at", "answered_by"])
    log.append("publicity.complaint_answered", actor=actor, agency=complaint.agency, obj=complaint,
               payload={"number": complaint.number, "from": before, "to": status, "reply": reply})
    return complaint


@transaction.atomic
def link_case(actor: User, complaint: Complaint, case: Case) -> Complaint:
    """The complaint became (or joined) a case of the same agency: 案件来源 投诉举报. Shown to the agency only."""
    require(may_answer(actor, complaint), "complaint_not_yours", BASIS_PUBLICITY, "只能处理本机关收到的投诉举报")
    require(case.agency_id == complaint.agency_id, "case_of_other_agency", BASIS_PUBLICITY,
            "只能关联本机关的案件")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    require(complaint.case_id is None, "complaint_already_linked", BASIS_PUBLICITY, "该投诉举报已关联案件")
    complaint.case = case
    complaint.save(update_fields=["case"])
    log.append("publicity.complaint_case_linked", actor=actor, agency=complaint.agency, obj=complaint,
               case_id=case.pk, payload={"number": complaint.number, "case": case.number})
    return complaint


# --- duty posts ------------------------------------------------------------------------------------------


def may_manage(user: User, agency_id: int) -> bool:
    return bool(user.is_authenticated and (sees_every_agency(user) or user.agency_id == agency_id))


@transaction.atomic
def save_duty_post(actor: User | None, post: DutyPost, staff: list[User]) -> DutyPost:
    """Create or change a window's duty board; its staff must work for the post's agency."""
    require(post.name.strip(), "post_name_required", BASIS_PUBLICITY, "请填写窗口或岗位名称")
    require(post.duties.strip(), "post_duties_required", BASIS_PUBLICITY, "请填写岗位职责")
    require(post.unit_id is None or post.unit.agency_id == post.agency_id, "unit_of_other_agency",
            BASIS_PUBLICITY, "该内设机构属于其他执法主体")
    strangers = [u.get_full_name() for u in staff if u.agency_id != post.agency_id]
    require(not strangers, "staff_of_other_agency", BASIS_PUBLICITY,
            f"工作人员不属于本执法主体：{'、'.join(strangers)}")
    created = post.pk is None
    post.save()
    post.staff.set(staff)
    log.append("publicity.duty_post_saved", actor=actor, agency=post.agency, obj=post,
               payload={"name": post.name, "created": created, "staff": [u.get_full_name() for u in staff],
                        "duties": post.duties, "hours": post.hours, "active": post.active})
    return post
