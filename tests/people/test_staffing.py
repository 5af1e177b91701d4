"""Reviewer staffing: the 5% ratio (实施办法二(三)1) and the first-time reviewer qualification (APL Art. 58)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from zhifa.law import staffing
from zhifa.people import actions
from zhifa.people.models import Agency, CredentialStatus, Role
from zhifa.people.staffing import agency_staffing

ON = dt.date(2026, 6, 1)


# --- the rules, pure --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("reviewers", "officers", "sufficient"), [
    (1, 20, True),   # exactly 5%
    (1, 21, False),  # just below
    (0, 1, False),
    (2, 40, True),
    (2, 41, False),
    (0, 0, True),    # an agency without officers passes
    (3, 0, True),
])
def test_reviewers_at_least_five_percent_of_officers(reviewers, officers, sufficient):
    assert staffing.reviewer_ratio_sufficient(reviewers, officers) is sufficient


def test_reviewer_ratio_is_exact_fraction_and_none_without_officers():
    assert staffing.reviewer_ratio(1, 20) == Fraction(1, 20) == staffing.REVIEWER_RATIO_MIN
    assert staffing.reviewer_ratio(3, 0) is None


@pytest.mark.parametrize(("first_reviewed_on", "needs"), [
    (None, True),                    # has never reviewed: reviewing now is a first time
    (dt.date(2021, 7, 15), True),    # first reviewed on the day the revised APL took effect
    (dt.date(2023, 3, 1), True),
    (dt.date(2021, 7, 14), False),   # reviewed before the rule: not a first-time reviewer under it
    (dt.date(2020, 3, 2), False),
])
def test_first_time_reviewer_needs_legal_qualification_art58(first_reviewed_on, needs):
    assert staffing.reviewer_needs_qualification(first_reviewed_on, ON) is needs
    assert staffing.may_review_penalties(first_reviewed_on, ON, qualified=False) is not needs
    assert staffing.may_review_penalties(first_reviewed_on, ON, qualified=True)


# --- per agency, from the database ----------------------------------------------------------------------


@pytest.fixture
def staffed(make_agency, make_user, issue):
    """Make an agency with `officers` credential holders and `reviewers` active reviewers."""

    def make(officers: int, reviewers: int, code: str) -> Agency:
        agency = make_agency(code)
        actor = make_user(role=Role.ADMIN, is_superuser=True)
        for _ in range(officers):
            issue(make_user(agency, Role.OFFICER), actor=actor, valid_from=dt.date(2024, 1, 1),
                  valid_to=dt.date(2028, 12, 31))
        for _ in range(reviewers):
            make_user(agency, Role.REVIEWER)
        return agency

    return make


def _row(agency: Agency, on: dt.date = ON):
    (row,) = agency_staffing(Agency.objects.filter(pk=agency.pk), on)
    return row


@pytest.mark.django_db
def test_agency_with_one_reviewer_for_twenty_officers_meets_five_percent(staffed):
    row = _row(staffed(20, 1, "ok"))
    assert (row.officers, row.reviewers, row.ratio_percent, row.sufficient) == (20, 1, 5.0, True)


@pytest.mark.django_db
def test_agency_with_one_reviewer_for_twenty_one_officers_below_five_percent(staffed):
    row = _row(staffed(21, 1, "short"))
    assert (row.officers, row.reviewers, row.sufficient) == (21, 1, False)
    assert row.ratio_percent == 4.8


@pytest.mark.django_db
def test_reviewer_ratio_computed_per_agency(staffed):
    good, bad = staffed(4, 1, "good"), staffed(3, 0, "bad")
    rows = {row.agency.code: row for row in agency_staffing(Agency.objects.filter(pk__in=[good.pk, bad.pk]), ON)}
    assert (rows["good"].officers, rows["good"].reviewers, rows["good"].sufficient) == (4, 1, True)
    assert (rows["bad"].officers, rows["bad"].reviewers, rows["bad"].sufficient) == (3, 0, False)


@pytest.mark.django_db
def test_only_holders_of_a_valid_credential_count_as_officers(staffed, make_user, issue):
    agency = staffed(2, 0, "mixed")
    admin = make_user(role=Role.ADMIN, is_superuser=True)
    suspended = issue(make_user(agency), actor=admin)
    actions.set_credential_status(admin, suspended, CredentialStatus.SUSPENDED, "涉嫌违纪")
    issue(make_user(agency), actor=admin, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2023, 12, 31))  # expired
    issue(make_user(agency), actor=admin, valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2031, 12, 31))  # not yet
    make_user(agency, Role.OFFICER)  # no credential at all
    assert _row(agency).officers == 2


@pytest.mark.django_db
def test_officer_with_two_valid_credentials_counts_once(staffed, make_user, issue):
    agency = staffed(1, 0, "twice")
    officer = agency.credentials.get().holder
    issue(officer, fields=("食品安全",), actor=make_user(role=Role.ADMIN, is_superuser=True))
    assert _row(agency).officers == 1


@pytest.mark.django_db
def test_inactive_reviewers_do_not_count(staffed, make_user):
    agency = staffed(10, 1, "inactive")
    make_user(agency, Role.REVIEWER, is_active=False)
    assert _row(agency).reviewers == 1


@pytest.mark.django_db
def test_agency_without_officers_has_no_ratio_and_passes(staffed):
    row = _row(staffed(0, 0, "empty"))
    assert row.ratio is None and row.ratio_percent is None and row.sufficient
