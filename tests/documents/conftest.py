"""Fixtures for the document tests: 渌口区市场监督管理局 with two credentialed officers, a case opened through the
case action with a natural person as party, drafts, and a document store in a temporary directory per test."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import use_evidence_storage
from zhifa.cases.actions import PartyInput, open_case
from zhifa.cases.models import Case, Draft
from zhifa.law import identifiers
from zhifa.people.models import Agency, Credential, Role, User

_serial = itertools.count(1)
ID_NUMBER = "43021119800101123" + identifiers.id_check_char("43021119800101123")
ADDRESS = "湖南省株洲市渌口区渌湘大道88号"


def make_agency(name: str = "渌口区市场监督管理局", short_name: str = "渌市监") -> Agency:
    number = next(_serial)
    first17 = f"11430212{number + 500:09d}"
    return Agency.objects.create(
        code=f"doc-agency-{number}", name=f"{name}{number}" if Agency.objects.filter(name=name).exists() else name,
        short_name=short_name,
        credit_code=first17 + identifiers.credit_code_check_char(first17), kind="administrative", level="county",
        jurisdiction="株洲市渌口区", address="株洲市渌口区政务服务中心", phone="0731-12345678",
    )


def make_user(agency: Agency | None, role: str = Role.OFFICER, name: str = "", credential: bool = True) -> User:
    number = next(_serial)
    user = User.objects.create_user(username=f"docuser{number}", password="correct-horse-battery",
                                    full_name=name or f"执法人员{number}", role=role, agency=agency)
    if credential and agency is not None:
        Credential.objects.create(holder=user, agency=agency, number=f"4302122{number:07d}", fields=["市场监管"],
                                  issuing_authority="株洲市渌口区人民政府", valid_from=dt.date(2020, 1, 1),
                                  valid_to=dt.date(2099, 12, 31))
    return user


@pytest.fixture(autouse=True)
def document_store(settings, tmp_path):
    """Each test stores its PDFs and signature images in its own directory."""
    return use_evidence_storage(settings, tmp_path / "store")


@pytest.fixture
def agency(db) -> Agency:
    return make_agency()


@pytest.fixture
def other_agency(db) -> Agency:
    return make_agency("渌口区城市管理和综合执法局", "渌城管")


@pytest.fixture
def officer(agency) -> User:
    return make_user(agency, name="李明")


@pytest.fixture
def second_officer(agency) -> User:
    return make_user(agency, name="王芳")


@pytest.fixture
def case(agency, officer, second_officer, settings) -> Case:
    """A freshly filed case without its 立案审批表 (the tests issue documents themselves)."""
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = False
    opened = open_case(officer, agency, "销售过期食品", "inspection", [PartyInput(
        kind="person", name="张三", id_number=ID_NUMBER, phone="13800138000", address=ADDRESS)],
        [officer, second_officer])
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = True
    return opened


DRAFT = {
    "facts": "当事人于2025年2月在其经营场所销售超过保质期的食品（牛奶）12盒。",
    "evidence_reason": "现场检查笔录、询问笔录与照片相互印证，来源合法，予以采信。",
    "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
    "basis_reason": "当事人销售超过保质期的食品，符合该项规定的情形，故适用该项。",
    "discretion_reason": "当事人系初次违法且积极配合调查，按一般情节在裁量基准内从轻处罚。",
}


def make_draft(case: Case, author: User, *, fine: str = "5000", kinds=("fine",), **fields) -> Draft:
    values = {**DRAFT, **fields}
    digest = hashlib.sha256(json.dumps([sorted(kinds), fine, values], sort_keys=True).encode()).hexdigest()
    previous = case.drafts.order_by("-version").first()
    return Draft.objects.create(case=case, version=previous.version + 1 if previous else 1, kinds=sorted(kinds),
                                fine=Decimal(fine), digest=digest, author=author, created_at=timezone.now(), **values)


@pytest.fixture
def decided_case(case, officer) -> Case:
    """A case decided on a 5,000 yuan fine (state set directly: the procedure's own tests walk the actions)."""
    draft = make_draft(case, officer)
    case.notified_on, case.notified_draft = dt.date(2025, 3, 3), draft
    case.decided_on, case.decided_draft, case.decided_by = dt.date(2025, 3, 14), draft, officer
    case.stage = "decided"
    case.save()
    return case


def pdf_text(data: bytes) -> str:
    """The PDF's text with all white space removed (letter-spaced titles come out spaced)."""
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def png_signature(blank: bool = False) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(image).line([(20, 80), (80, 30), (150, 90), (260, 40)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _documents_on_actions(settings):
    """The document tests exercise the procedure's documents, switched off for the rest of the suite."""
    settings.ZHIFA_DOCUMENTS_ON_ACTIONS = True
