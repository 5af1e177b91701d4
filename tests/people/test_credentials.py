"""Enforcement credentials (行政执法证): derived status, validity checks, and the actions that change them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from zhifa.core.errors import RuleViolation
from zhifa.people import actions
from zhifa.people.models import Credential, CredentialStatus, Role
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

FROM, TO = dt.date(2024, 1, 1), dt.date(2028, 12, 31)


@pytest.fixture
def agency(make_agency):
    return make_agency("scjg")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def officer(make_user, agency):
    return make_user(agency, Role.OFFICER)


@pytest.fixture
def credential(issue, officer, admin):
    return issue(officer, number="43021226000001", fields=("市场监管", "食品安全"), valid_from=FROM, valid_to=TO,
                 actor=admin)


def _events(event_type: str, credential: Credential):
    return Event.objects.filter(event_type=event_type, object_type="people.credential", object_id=str(credential.pk))


# --- derived status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("on", [FROM, dt.date(2026, 6, 1), TO])
def test_credential_valid_within_its_dates_art42(credential, on):
    assert credential.status_on(on) == CredentialStatus.VALID
    assert credential.is_valid_on(on)


def test_credential_expired_after_valid_to_art42(credential):
    assert credential.status_on(TO + dt.timedelta(days=1)) == CredentialStatus.EXPIRED
    assert credential.status_on(TO + dt.timedelta(days=1)).label == "过期"
    assert not credential.is_valid_on(TO + dt.timedelta(days=1))


def test_credential_not_yet_valid_before_valid_from_shows_expired_art42(credential):
    assert credential.status_on(FROM - dt.timedelta(days=1)) == CredentialStatus.EXPIRED
    assert not credential.is_valid_on(FROM - dt.timedelta(days=1))


@pytest.mark.parametrize(("status", "label"), [(CredentialStatus.SUSPENDED, "暂扣"),
                                               (CredentialStatus.REVOKED, "注销")])
def test_suspended_or_revoked_credential_invalid_even_within_dates_art42(credential, admin, status, label):
    actions.set_credential_status(admin, credential, status, "测试")
    credential.refresh_from_db()
    assert credential.status_on(dt.date(2026, 6, 1)) == status
    assert credential.status_on(dt.date(2026, 6, 1)).label == label
    assert credential.status_on(TO + dt.timedelta(days=1)) == status  # suspension outranks the dates
    assert not credential.is_valid_on(dt.date(2026, 6, 1))


def test_expired_status_is_derived_never_stored():
    stored = {value for value, _label in Credential._meta.get_field("stored_status").choices}
    assert stored == {"valid", "suspended", "revoked"}


def test_status_property_uses_today(credential):
    assert credential.status in {CredentialStatus.VALID, CredentialStatus.EXPIRED}
    from django.utils import timezone

    assert credential.status == credential.status_on(timezone.localdate())


# --- valid_credential(on, field) ------------------------------------------------------------------------


def test_valid_credential_in_its_field_art42(credential, officer):
    assert officer.valid_credential(dt.date(2026, 6, 1)) == credential
    assert officer.valid_credential(dt.date(2026, 6, 1), "食品安全") == credential


def test_no_valid_credential_outside_its_fields_art42(credential, officer):
    assert officer.valid_credential(dt.date(2026, 6, 1), "城市管理") is None


def test_no_valid_credential_after_expiry_art42(credential, officer):
    assert officer.valid_credential(TO + dt.timedelta(days=1)) is None


def test_no_valid_credential_while_suspended_art42(credential, officer, admin):
    actions.set_credential_status(admin, credential, CredentialStatus.SUSPENDED, "涉嫌违纪")
    assert officer.valid_credential(dt.date(2026, 6, 1)) is None


def test_valid_credential_picks_the_valid_one_of_several(credential, officer, issue, admin):
    newer = issue(officer, number="43021226000002", fields=("城市管理",), valid_from=FROM, valid_to=TO, actor=admin)
    actions.set_credential_status(admin, credential, CredentialStatus.REVOKED, "换发新证")
    assert officer.valid_credential(dt.date(2026, 6, 1)) == newer
    assert officer.valid_credential(dt.date(2026, 6, 1), "市场监管") is None


def test_officer_without_credential_has_no_valid_credential(officer):
    assert officer.valid_credential(dt.date(2026, 6, 1)) is None


# --- issue_credential -----------------------------------------------------------------------------------


def test_issue_credential_appends_one_issued_event(officer, admin, agency):
    before = Event.objects.count()
    credential = actions.issue_credential(admin, officer, "43021226000009", ["市场监管"], "株洲市渌口区人民政府",
                                          FROM, TO)
    assert Event.objects.count() == before + 1
    event = _events("people.credential_issued", credential).get()
    assert event.actor == admin
    assert event.agency_id == agency.pk
    assert event.payload["number"] == "43021226000009"
    assert event.payload["valid_to"] == "2028-12-31"
    assert credential.agency == agency
    assert credential.stored_status == CredentialStatus.VALID


def _refused(code: str, fn, *args) -> RuleViolation:
    before = (Event.objects.count(), Credential.objects.count())
    with pytest.raises(RuleViolation) as caught:
        fn(*args)
    assert caught.value.code == code
    assert caught.value.basis and caught.value.detail
    assert (Event.objects.count(), Credential.objects.count()) == before, "a refused action changed nothing"
    return caught.value


def test_issue_credential_refuses_reversed_dates(officer, admin):
    _refused("credential_dates_reversed", actions.issue_credential, admin, officer, "N1", ["市场监管"], "发证机关",
             TO, FROM)


def test_issue_credential_refuses_no_field(officer, admin):
    _refused("credential_without_field", actions.issue_credential, admin, officer, "N1", [], "发证机关", FROM, TO)


def test_issue_credential_refuses_duplicate_number(credential, officer, admin):
    error = _refused("credential_number_taken", actions.issue_credential, admin, officer, credential.number,
                     ["市场监管"], "发证机关", FROM, TO)
    assert credential.number in error.detail


def test_issue_credential_refuses_holder_without_agency(make_user, admin):
    _refused("holder_without_agency", actions.issue_credential, admin, make_user(None, Role.OFFICER), "N1",
             ["市场监管"], "发证机关", FROM, TO)


def test_database_refuses_reversed_credential_dates(officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(holder=officer, agency=officer.agency, number="N2", fields=["x"],
                                  issuing_authority="x", valid_from=TO, valid_to=FROM)


# --- set_credential_status ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [CredentialStatus.SUSPENDED, CredentialStatus.REVOKED])
def test_set_credential_status_appends_one_status_event(credential, admin, status):
    before = Event.objects.count()
    actions.set_credential_status(admin, credential, status, "涉嫌违纪")
    assert Event.objects.count() == before + 1
    event = _events("people.credential_status_changed", credential).get()
    assert event.payload == {"number": credential.number, "from": "valid", "to": str(status), "reason": "涉嫌违纪"}
    assert event.actor == admin
    credential.refresh_from_db()
    assert credential.stored_status == status


def test_suspended_credential_can_be_restored(credential, admin):
    actions.set_credential_status(admin, credential, CredentialStatus.SUSPENDED, "涉嫌违纪")
    actions.set_credential_status(admin, credential, CredentialStatus.VALID, "调查结束，恢复")
    credential.refresh_from_db()
    assert credential.status_on(dt.date(2026, 6, 1)) == CredentialStatus.VALID
    assert _events("people.credential_status_changed", credential).count() == 2


@pytest.mark.parametrize("status", [CredentialStatus.VALID, CredentialStatus.SUSPENDED, CredentialStatus.REVOKED])
def test_revoked_credential_cannot_change(credential, admin, status):
    actions.set_credential_status(admin, credential, CredentialStatus.REVOKED, "调离执法岗位")
    _refused("credential_revoked", actions.set_credential_status, admin, credential, status, "恢复")
    credential.refresh_from_db()
    assert credential.stored_status == CredentialStatus.REVOKED


@pytest.mark.parametrize("reason", ["", "   "])
def test_credential_status_change_requires_reason(credential, admin, reason):
    _refused("reason_required", actions.set_credential_status, admin, credential, CredentialStatus.SUSPENDED, reason)


@pytest.mark.parametrize("status", [CredentialStatus.EXPIRED, "lost"])
def test_credential_status_cannot_be_set_to_expired_or_unknown(credential, admin, status):
    _refused("credential_status_unknown", actions.set_credential_status, admin, credential, status, "理由")


@pytest.mark.parametrize("on", [dt.date(2023, 12, 31), FROM, dt.date(2026, 6, 1), TO, dt.date(2029, 1, 1)])
def test_status_query_agrees_with_derived_status(credential, officer, issue, admin, on):
    later = issue(officer, number="43021226000003", valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2031, 1, 1),
                  actor=admin)
    suspended = issue(officer, number="43021226000004", actor=admin)
    actions.set_credential_status(admin, suspended, CredentialStatus.SUSPENDED, "涉嫌违纪")
    revoked = issue(officer, number="43021226000005", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2023, 1, 1),
                    actor=admin)
    actions.set_credential_status(admin, revoked, CredentialStatus.REVOKED, "调离")
    everything = [Credential.objects.get(pk=c.pk) for c in (credential, later, suspended, revoked)]
    for status in CredentialStatus:
        assert set(Credential.objects.with_status(status, on)) == {c for c in everything if c.status_on(on) == status}
