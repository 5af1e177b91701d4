"""Every agency-owned query goes through `visible_to(user)`: model by model, no one sees another agency's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from zhifa.people.models import Agency, Credential, LegalQualification, Role, Unit, User
from zhifa.record import log
from zhifa.record.models import Event

pytestmark = pytest.mark.django_db

# model → the agency a row belongs to
OWNER = {
    Agency: lambda row: row.pk,
    Unit: lambda row: row.agency_id,
    User: lambda row: row.agency_id,
    Credential: lambda row: row.agency_id,
    LegalQualification: lambda row: row.holder.agency_id,
    Event: lambda row: row.agency_id,
}
MODELS = list(OWNER)
AGENCY_ROLES = [Role.OFFICER, Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD]


@pytest.fixture
def world(make_agency, make_user, issue):
    """Two agencies, A and B, each with a unit, one person in every role, a credential, a qualification and
    an event of its own; the judicial bureau with its supervisor; an administrator; a system event."""
    admin = make_user(role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True)
    people = {}
    for key in ("A", "B"):
        agency = make_agency(f"agency-{key.lower()}")
        unit = Unit.objects.create(agency=agency, name="执法大队")
        people[key] = {role: make_user(agency, role, username=f"{key}-{role}", unit=unit) for role in AGENCY_ROLES}
        issue(people[key][Role.OFFICER], actor=admin)
        LegalQualification.objects.create(holder=people[key][Role.REVIEWER], number=f"A2017{key}0001",
                                          obtained_on=dt.date(2017, 12, 20))
        log.append("test.agency_event", actor=people[key][Role.OFFICER], agency=agency)
    bureau = make_agency("judicial-bureau", supervises=True)
    people["supervisor"] = make_user(bureau, Role.SUPERVISOR, username="supervisor")
    people["admin"] = admin
    people["admin_role"] = make_user(role=Role.ADMIN, username="admin-role-only")
    log.append("test.system_event", actor=None)
    return people


def _owners(model, user) -> set:
    return {OWNER[model](row) for row in model.objects.visible_to(user)}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", AGENCY_ROLES)
def test_agency_staff_never_see_other_agency_rows(world, model, role):
    for own, other in (("A", "B"), ("B", "A")):
        user = world[own][role]
        owners = _owners(model, user)
        assert owners == {user.agency_id}, f"{role} of {own} sees {model.__name__} rows of {owners}"
        other_agency = world[other][role].agency_id
        assert not model.objects.visible_to(user).filter(pk__in=[
            row.pk for row in model.objects.all() if OWNER[model](row) == other_agency
        ]).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["supervisor", "admin", "admin_role"])
def test_supervisor_and_admins_see_every_agency(world, model, who):
    visible = set(model.objects.visible_to(world[who]).values_list("pk", flat=True))
    assert visible == set(model.objects.values_list("pk", flat=True))
    assert {world["A"][Role.OFFICER].agency_id, world["B"][Role.OFFICER].agency_id} <= _owners(model, world[who])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_anonymous_user_sees_nothing(world, model):
    assert not model.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["officer", "supervisor", "admin"])
def test_inactive_user_sees_nothing(world, model, who):
    user = world["A"][Role.OFFICER] if who == "officer" else world[who]
    user.is_active = False
    user.save()
    assert not model.objects.visible_to(user).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_without_agency_see_nothing(world, make_user, model):
    assert not model.objects.visible_to(make_user(None, Role.OFFICER)).exists()


def test_system_events_without_agency_hidden_from_agency_staff(world):
    assert Event.objects.filter(agency__isnull=True).exists()
    assert not Event.objects.visible_to(world["A"][Role.AGENCY_HEAD]).filter(agency__isnull=True).exists()
    assert Event.objects.visible_to(world["supervisor"]).filter(agency__isnull=True).exists()
