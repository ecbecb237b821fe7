"""Who may launch, change and read movements and review periods (apps.accounts.permissions).

The permission matrix covers every endpoint for eight actors; these tests pin the rules behind it:
the name a movement is launched in, the rotation of the secretariat, inactive and viewer accounts.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    access_movement,
    access_review_period,
    access_term_movements,
    access_term_reviews,
    can_edit_movement,
    can_launch_movement,
    can_run_reviews,
    movement_launchers,
)
from apps.accounts.tests.factories import UserFactory
from apps.emulation import services
from apps.emulation.tests.factories import review_period
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return {name: UnitFactory(short_name=name) for name in ("Lead", "Deputy", "Member", "Outside")}


@pytest.fixture
def term(units):
    return org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=2025,
        members=[units["Lead"], units["Deputy"], units["Member"]],
        leader=units["Lead"],
        deputies=[units["Deputy"]],
    )


@pytest.fixture
def next_term(term, units):
    """The next year: Member leads, Lead is an ordinary member."""
    return org.term_create(
        actor=None,
        cluster=term.cluster,
        year=2026,
        members=[units["Lead"], units["Member"]],
        leader=units["Member"],
    )


def user(units, unit, role=Role.UNIT_OFFICER, **extra):
    return UserFactory(role=role, unit=units[unit], **extra)


def test_secretariat_and_central_run_reviews(term, units):
    assert can_run_reviews(user(units, "Lead"), term)
    assert can_run_reviews(user(units, "Deputy", Role.UNIT_LEADER), term)
    assert not can_run_reviews(user(units, "Member", Role.UNIT_LEADER), term)
    assert not can_run_reviews(user(units, "Lead", Role.VIEWER), term)
    assert not can_run_reviews(user(units, "Lead", is_active=False), term)
    assert can_run_reviews(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory()), term)


def test_the_right_follows_the_rotation(term, next_term, units):
    lead_officer = user(units, "Lead")
    member_officer = user(units, "Member")
    assert can_run_reviews(lead_officer, term) and not can_run_reviews(lead_officer, next_term)
    assert can_run_reviews(member_officer, next_term) and not can_run_reviews(member_officer, term)
    period = review_period(term)
    with pytest.raises(PermissionDenied):
        access_review_period(member_officer, period.pk, action="reopen")
    assert access_review_period(member_officer, period.pk) == period


def test_launchers_per_account(term, units):
    assert movement_launchers(user(units, "Lead"), term) == [None, units["Lead"]]
    assert movement_launchers(user(units, "Member"), term) == [units["Member"]]
    assert movement_launchers(user(units, "Outside"), term) == []
    assert movement_launchers(user(units, "Member", Role.VIEWER), term) == []
    central = UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory())
    assert movement_launchers(central, term) == [None, *term.member_units]


def test_launch_in_whose_name(term, units):
    member = user(units, "Member", Role.UNIT_LEADER)
    assert can_launch_movement(member, term, units["Member"])
    assert not can_launch_movement(member, term, units["Lead"])
    assert not can_launch_movement(member, term, None)
    secretary = user(units, "Deputy")
    assert can_launch_movement(secretary, term, None)
    assert can_launch_movement(secretary, term, units["Deputy"])
    assert not can_launch_movement(secretary, term, units["Member"])
    # Staff of a unit outside the term launch nothing here, even in their own name.
    outsider = user(units, "Outside")
    assert not can_launch_movement(outsider, term, units["Outside"])
    with pytest.raises(PermissionDenied):
        access_term_movements(outsider, term.pk, action="create")
    assert access_term_movements(outsider, term.pk) == term


def test_who_edits_which_movement(term, units):
    cluster_movement = services.movement_create(
        actor=None, term=term, name="Cụm", starts_on="2025-01-01"
    )
    member_movement = services.movement_create(
        actor=None, term=term, name="Member", starts_on="2025-01-01", launched_by=units["Member"]
    )
    secretary, member = user(units, "Lead"), user(units, "Member")
    assert can_edit_movement(secretary, cluster_movement)
    assert not can_edit_movement(secretary, member_movement)
    assert can_edit_movement(member, member_movement)
    assert not can_edit_movement(member, cluster_movement)
    with pytest.raises(PermissionDenied, match=str(units["Member"])):
        access_movement(secretary, member_movement.pk, action="edit")
    assert access_movement(UserFactory(role=Role.VIEWER, unit=units["Lead"]), member_movement.pk)


def test_missing_objects_are_404_and_anonymous_is_refused(term, units):
    from django.contrib.auth.models import AnonymousUser

    reader = user(units, "Member", Role.VIEWER)
    with pytest.raises(Http404):
        access_movement(reader, 999999)
    with pytest.raises(Http404):
        access_review_period(reader, 999999)
    with pytest.raises(PermissionDenied):
        access_review_period(AnonymousUser(), review_period(term).pk)
    with pytest.raises(PermissionDenied):
        access_term_reviews(reader, term.pk, action="create")
