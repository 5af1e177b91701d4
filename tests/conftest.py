"""Shared factories: agencies with valid credit codes, users in a role, credentials issued through the action."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

PASSWORD = "correct-horse-battery-staple"
_serial = itertools.count(1)


def credit_code(serial: int) -> str:
    """A synthetic 统一社会信用代码 (机关, 渌口区) with a correct GB 32100 check character."""
    from zhifa.law.identifiers import credit_code_check_char

    first17 = f"11430212{serial:09d}"
    return first17 + credit_code_check_char(first17)


def use_evidence_storage(settings, root):
    """Point the evidence storage (evidence files, PDFs, signature images) at a directory of the test's own."""
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "file_permissions_mode": 0o440},
    }}
    return root


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    """Test settings serve no collected static files; the empty directory keeps WhiteNoise from warning."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _workday_calendar_as_installed(request):
    """A database test starts with the calendar as the app installs it (pure tests swap the provider) and ends
    forgetting the cached notice days (a rolled-back test must not leave its own)."""
    from zhifa.core import calendar

    uses_db = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if uses_db:
        calendar.install()
    yield
    calendar.forget()


@pytest.fixture
def make_agency(db):
    from zhifa.people.models import Agency

    def make(code: str | None = None, **fields) -> Agency:
        serial = next(_serial)
        code = code or f"agency-{serial}"
        values = {"name": f"测试执法主体{code}", "short_name": f"测{serial}", "credit_code": credit_code(serial),
                  "kind": "administrative", "level": "county", "jurisdiction": "株洲市渌口区"}
        return Agency.objects.create(code=code, **{**values, **fields})

    return make


@pytest.fixture
def make_user(db):
    from zhifa.people.models import Role, User

    def make(agency=None, role: str = Role.OFFICER, username: str | None = None, **fields) -> User:
        username = username or f"{role}-{next(_serial)}"
        user = User(username=username, full_name=f"测试{username}", role=role, agency=agency, **fields)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def issue(db, make_user):
    """Issue a credential through zhifa.people.actions (so the record gets its event)."""
    from zhifa.people import actions

    def make(holder, number: str | None = None, fields=("市场监管",), valid_from=dt.date(2024, 1, 1),
             valid_to=dt.date(2028, 12, 31), actor=None):
        actor = actor or make_user(role="admin", is_superuser=True, is_staff=True)
        return actions.issue_credential(actor, holder, number or f"4302122699{next(_serial):04d}", list(fields),
                                        "株洲市渌口区人民政府", valid_from, valid_to)

    return make
