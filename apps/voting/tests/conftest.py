"""Cluster 1 in 2025 from the demo set, with a leader account for each of its 9 member units."""

from dataclasses import dataclass

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.voting import services

QUESTION = "Đơn vị dẫn đầu Cụm thi đua số 1 năm 2025 đề nghị Cờ thi đua"


@dataclass
class Electorate:
    term: object
    secretary: object  # phutho.lanhdao: Phú Thọ leads the 2025 term
    leaders: dict  # unit short name -> the unit leader's account
    units: dict  # unit short name -> unit

    def leader_of(self, name):
        return self.leaders[name]


@pytest.fixture
def electorate(demo):
    term = demo.terms[2025]
    units = {u.short_name: u for u in term.member_units}
    leaders = {
        "Phú Thọ": demo.users["phutho.lanhdao"],
        "Cao Bằng": demo.users["caobang.lanhdao"],
        "Lào Cai": demo.users["laocai.lanhdao"],
    }
    for name, unit in units.items():
        if name not in leaders:
            leaders[name] = UserFactory(role=Role.UNIT_LEADER, unit=unit)
    return Electorate(term, demo.users["phutho.lanhdao"], leaders, units)


def make_ballot(e, candidates=("Phú Thọ", "Cao Bằng", "Lào Cai"), **kwargs):
    return services.ballot_create(
        actor=e.secretary,
        term=e.term,
        question=QUESTION,
        candidates=[e.units[n] for n in candidates],
        **kwargs,
    )


def open_ballot(e, **kwargs):
    ballot = make_ballot(e, **kwargs)
    return services.ballot_open(actor=e.secretary, ballot=ballot)


def candidate(ballot, name):
    return ballot.candidates.get(unit__short_name=name)


def cast_many(e, ballot, votes):
    """``votes``: voter short name -> list of candidate short names. Returns receipts by voter."""
    return {
        voter: services.ballot_cast(
            actor=e.leader_of(voter),
            ballot=ballot,
            choices=[candidate(ballot, c) for c in chosen],
        )
        for voter, chosen in votes.items()
    }
