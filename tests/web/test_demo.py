"""The demo: a realistic district whose every account logs in (issue 2: "every demo account logs in")."""

from __future__ import annotations

import json
import stat
from collections import Counter

import pytest
from django.utils import timezone

from zhifa.demo.load import DEMO_PASSWORD, load_demo
from zhifa.law.identifiers import is_valid_credit_code
from zhifa.people.models import Agency, Credential, CredentialStatus, Role, User
from zhifa.people.staffing import agency_staffing
from zhifa.record.models import Checkpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path):
    accounts = load_demo(tmp_path)
    return tmp_path, accounts


def test_every_demo_account_logs_in(client, demo):
    data_dir, accounts = demo
    listed = json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    assert [a["username"] for a in listed] == [a.username for a in accounts]
    assert {a["username"] for a in listed} == set(User.objects.values_list("username", flat=True))
    for account in listed:
        response = client.post("/accounts/login/", {"username": account["username"], "password": account["password"]})
        assert response.status_code == 302 and response["Location"] == "/", account["username"]
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")
        assert client.get("/").status_code == 302
    assert Event.objects.filter(event_type="people.login").count() == len(listed)


def test_demo_accounts_file_readable_by_owner_only(demo):
    data_dir, _accounts = demo
    mode = stat.S_IMODE((data_dir / "demo-accounts.json").stat().st_mode)
    assert mode == 0o600


def test_demo_accounts_name_password_role_and_agency(demo):
    data_dir, _accounts = demo
    for account in json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8")):
        assert account["password"] == DEMO_PASSWORD
        assert account["role"] in Role.values and account["role_label"] == Role(account["role"]).label
        assert account["agency"] and account["name"]


def test_demo_has_every_role(demo):
    roles = Counter(User.objects.values_list("role", flat=True))
    assert roles[Role.SUPERVISOR] == 1 and roles[Role.ADMIN] == 1
    assert roles[Role.UNIT_HEAD] and roles[Role.REVIEWER] and roles[Role.AGENCY_HEAD]
    supervisor = User.objects.get(role=Role.SUPERVISOR)
    assert supervisor.agency.supervises and supervisor.agency.name == "株洲市渌口区司法局"
    assert User.objects.get(role=Role.ADMIN).is_staff


def test_demo_has_forty_officers_with_credentials_some_expired_some_suspended(demo):
    holders = User.objects.filter(role=Role.OFFICER, credentials__isnull=False).distinct()
    assert holders.count() >= 40
    today = timezone.localdate()
    statuses = Counter(c.status_on(today) for c in Credential.objects.all())
    assert statuses[CredentialStatus.VALID] >= 40
    assert statuses[CredentialStatus.EXPIRED] >= 1
    assert statuses[CredentialStatus.SUSPENDED] >= 1
    assert statuses[CredentialStatus.REVOKED] >= 1


def test_demo_agencies_have_valid_credit_codes_and_short_names(demo):
    names = set(Agency.objects.values_list("name", flat=True))
    assert {"株洲市渌口区人民政府", "株洲市渌口区司法局", "株洲市渌口区市场监督管理局", "株洲市渌口区行政审批服务局",
            "株洲市渌口区财政局", "株洲市渌口区城市管理和综合执法局"} <= names
    assert sum(name.endswith("镇人民政府") for name in names) >= 5
    for agency in Agency.objects.all():
        agency.full_clean()
        assert is_valid_credit_code(agency.credit_code)
    assert Agency.objects.get(code="lk-scjg").short_name == "渌市监"


def test_demo_shows_agencies_above_and_below_five_percent(demo):
    rows = agency_staffing(Agency.objects.all())
    assert any(r.officers and r.sufficient for r in rows)
    assert any(not r.sufficient for r in rows)


def test_demo_every_credential_change_is_in_the_record(demo):
    assert Event.objects.filter(event_type="people.credential_issued").count() == Credential.objects.count()
    changed = Credential.objects.exclude(stored_status=CredentialStatus.VALID).count()
    assert Event.objects.filter(event_type="people.credential_status_changed").count() == changed
    assert Checkpoint.objects.exists()


def test_demo_load_twice_keeps_the_data(demo):
    data_dir, accounts = demo
    counts = (User.objects.count(), Credential.objects.count(), Event.objects.count())
    again = load_demo(data_dir)
    assert again == accounts
    assert (User.objects.count(), Credential.objects.count(), Event.objects.count()) == counts


@pytest.mark.parametrize("role", [Role.OFFICER, Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR,
                                  Role.ADMIN])
def test_demo_pages_render_for_each_role(client, demo, role):
    user = User.objects.filter(role=role).order_by("pk").first()
    client.force_login(user)
    for url in ("/", "/agencies/", "/officers/", "/officers/?status=expired", "/record/events/",
                "/record/events/?page=2"):
        assert client.get(url).status_code == 200, (role, url)


def test_demo_has_a_fine_paid_by_instalments_one_overdue_with_its_surcharge(client, demo):
    from decimal import Decimal

    from zhifa.cases import instalments
    from zhifa.cases.models import Case

    case = Case.objects.get(title="涉嫌生产经营标签不符合规定的预包装食品案")
    assert instalments.approved_plan(case) is not None and case.stage == "served"
    first, second, third = instalments.allocation(case, timezone.localdate()).states
    assert not first.open and first.surcharge == 0  # paid on time
    # 10 days overdue, 5 of them in the withdrawn 复议 (APL Art. 73(3)): 3% × 5 days × 4,000
    assert second.open and second.instalment.due_on < timezone.localdate()
    assert second.suspended_days == 5 and second.surcharge == Decimal("600.00")
    assert third.open and third.surcharge == 0 and third.instalment.due_on > timezone.localdate()
    client.force_login(case.officers.order_by("username").first())
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="instalments"' in page and "<td>600.00</td><td>5</td>" in page and 'id="remedies"' in page
