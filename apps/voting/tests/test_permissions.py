"""``access_ballot`` and ``access_term_ballots``: who may run, cast and read a vote, per state.

The 2025 term is led by Phú Thọ: its leader and officer are the secretariat; Cao Bằng's leader is
an ordinary member (in 2026 Cao Bằng leads, which gives it no right over 2025's ballots).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.choices import Role
from apps.accounts.permissions import access_ballot, access_term_ballots
from apps.accounts.tests.factories import UserFactory
from apps.organizations.tests.factories import UnitFactory
from apps.voting import services
from apps.voting.tests.conftest import make_ballot

pytestmark = pytest.mark.django_db

RUN = {"edit", "open", "close", "publish"}
ACTIONS = ["view", *sorted(RUN), "cast", "view_results"]


def _actors(demo):
    return {
        "secretariat leader": demo.users["phutho.lanhdao"],
        "secretariat officer": demo.users["phutho.chuyenvien"],
        "member leader": demo.users["caobang.lanhdao"],
        "member officer": demo.users["caobang.chuyenvien"],
        "outside leader": UserFactory(role=Role.UNIT_LEADER, unit=UnitFactory()),
        "central": demo.users["tw.chuyenvien"],
        "admin": demo.users["admin"],
        "viewer": demo.users["xem"],
    }


RUNNERS = {"secretariat leader", "secretariat officer", "central", "admin"}
VOTERS = {"secretariat leader", "member leader"}


def expected(actor: str, action: str, state: str) -> bool:
    if action in RUN:
        return actor in RUNNERS
    if action == "view":
        return actor in RUNNERS or state != "draft"
    if action == "cast":
        return actor in VOTERS
    if action == "view_results":
        return actor in RUNNERS or state == "published"
    raise AssertionError(action)


@pytest.mark.parametrize("state", ["draft", "open", "closed", "published"])
def test_access_ballot_matrix(electorate, demo, state):
    ballot = make_ballot(electorate)
    for step in {"draft": [], "open": ["open"], "closed": ["open", "close"]}.get(
        state, ["open", "close", "publish"]
    ):
        ballot = getattr(services, f"ballot_{step}")(actor=electorate.secretary, ballot=ballot)
    wrong = []
    for actor_name, user in _actors(demo).items():
        for action in ACTIONS:
            try:
                access_ballot(user, ballot.pk, action=action)
                allowed = True
            except PermissionDenied:
                allowed = False
            if allowed != expected(actor_name, action, state):
                wrong.append((actor_name, action, allowed))
    assert not wrong


def test_anonymous_and_missing(electorate):
    from django.contrib.auth.models import AnonymousUser

    ballot = make_ballot(electorate)
    with pytest.raises(PermissionDenied):
        access_ballot(AnonymousUser(), ballot.pk)
    with pytest.raises(Http404):
        access_ballot(electorate.secretary, 999999)


def test_creating_ballots_belongs_to_the_terms_secretariat(electorate, demo):
    term = electorate.term
    assert access_term_ballots(demo.users["phutho.chuyenvien"], term.pk, action="create") == term
    assert access_term_ballots(demo.users["tw.chuyenvien"], term.pk, action="create") == term
    assert access_term_ballots(demo.users["caobang.lanhdao"], term.pk) == term
    for name in ("caobang.lanhdao", "xem"):
        with pytest.raises(PermissionDenied):
            access_term_ballots(demo.users[name], term.pk, action="create")
    # Cao Bằng leads 2026: it runs 2026's ballots, not 2025's.
    assert access_term_ballots(demo.users["caobang.lanhdao"], demo.terms[2026].pk, action="create")
