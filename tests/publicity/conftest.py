"""A small district for the portal tests: two bureaus and the judicial bureau, credentials in all four statuses,
a case with a query code's party, staff in every role that matters for scoping."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.cache import cache

from zhifa.law.identifiers import credit_code_check_char
from zhifa.people import actions as people_actions
from zhifa.people.models import CredentialStatus, Role, Unit


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Attempt counters live in the (per-process, local-memory) cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def organisation_code(serial: int) -> str:
    first17 = f"91430212MA{serial:07d}"
    return first17 + credit_code_check_char(first17)


@pytest.fixture
def named_user(make_user):
    """make_user with a real-looking name (full_name)."""

    def make(agency, role, username=None, full_name="", **fields):
        user = make_user(agency, role, username=username, **fields)
        if full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        return user

    return make


@pytest.fixture
def world(make_agency, make_user, named_user, issue):
    admin = make_user(role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True)
    a = make_agency("lk-scjg", name="株洲市渌口区市场监督管理局", short_name="渌市监", phone="0731-22221111",
                    address="渌口区建设路1号", duties="负责市场综合监督管理。")
    b = make_agency("lk-cgzf", name="株洲市渌口区城市管理和综合执法局", short_name="渌城管", phone="0731-22223333")
    sfj = make_agency("lk-sfj", name="株洲市渌口区司法局", short_name="渌司", supervises=True)
    unit_a = Unit.objects.create(agency=a, name="执法大队")
    window_a = Unit.objects.create(agency=a, name="服务窗口", kind="window")
    people = {"admin": admin, "A": a, "B": b, "sfj": sfj, "window_a": window_a}
    people["officer_a"] = named_user(a, Role.OFFICER, username="a-officer", full_name="王建国", unit=unit_a,
                                    phone="13900001111")
    people["head_a"] = named_user(a, Role.AGENCY_HEAD, username="a-head", full_name="李立新")
    people["officer_b"] = named_user(b, Role.OFFICER, username="b-officer", full_name="赵晓东")
    people["head_b"] = named_user(b, Role.AGENCY_HEAD, username="b-head", full_name="周海燕")
    people["supervisor"] = named_user(sfj, Role.SUPERVISOR, username="supervisor", full_name="孙明")
    people["valid"] = issue(people["officer_a"], number="43021226000001", fields=("市场监管", "食品安全"),
                            valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2099, 12, 31), actor=admin)
    expired_holder = named_user(a, Role.OFFICER, username="a-expired", full_name="陈思远")
    people["expired"] = issue(expired_holder, number="43021226000002", valid_from=dt.date(2019, 1, 1),
                              valid_to=dt.date(2023, 12, 31), actor=admin)
    suspended_holder = named_user(a, Role.OFFICER, username="a-suspended", full_name="刘雨婷")
    people["suspended"] = issue(suspended_holder, number="43021226000003", valid_from=dt.date(2024, 1, 1),
                                valid_to=dt.date(2099, 12, 31), actor=admin)
    people_actions.set_credential_status(admin, people["suspended"], CredentialStatus.SUSPENDED, "涉嫌违纪")
    revoked_holder = named_user(b, Role.OFFICER, username="b-revoked", full_name="黄志文")
    people["revoked"] = issue(revoked_holder, number="43021226000004", fields=("城市管理",),
                              valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2099, 12, 31), actor=admin)
    people_actions.set_credential_status(admin, people["revoked"], CredentialStatus.REVOKED, "调离执法岗位")
    people["valid_b"] = issue(people["officer_b"], number="43021226000005", fields=("城市管理",),
                              valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2099, 12, 31), actor=admin)
    for key in ("expired", "suspended", "revoked"):
        people[key].refresh_from_db()
    return people


@pytest.fixture
def case(world):
    """A case of 甲 (市场监管) with two parties: the code goes to the first; the second is somebody else."""
    from zhifa.cases.actions import PartyInput, open_case
    from zhifa.cases.models import CaseSource, PartyKind

    parties = [
        PartyInput(kind=PartyKind.ORGANISATION, name="株洲渌口惠民超市有限公司", credit_code=organisation_code(1),
                   legal_representative="张三丰", phone="0731-28880001", address="渌口区建设路8号"),
        PartyInput(kind=PartyKind.ORGANISATION, name="湖南另一当事人商贸有限公司", credit_code=organisation_code(2),
                   legal_representative="钱七", phone="0731-28880002", address="渌口区南洲路9号"),
    ]
    return open_case(world["officer_a"], world["A"], "涉嫌销售超过保质期食品案", CaseSource.INSPECTION, parties,
                     [world["officer_a"]], world["officer_a"].unit)


def pdf_text(data: bytes) -> str:
    """The text of a PDF: pypdf if installed, else poppler's pdftotext; "" when neither is there."""
    try:
        from pypdf import PdfReader
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        import io

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    result = subprocess.run([tool, "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return result.stdout.decode()
