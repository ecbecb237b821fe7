"""One call per ballot service for the audit walk in ``apps/core/tests/test_audit.py``.

Each scenario receives the acting user; ``ballot_cast`` makes that user the leader of a member
unit first, because only such a user may vote.
"""

from apps.accounts.choices import Role
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory
from apps.voting import services


def _term():
    units = [UnitFactory(), UnitFactory()]
    return org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )


def _ballot(*, state: str = "draft"):
    term = _term()
    ballot = services.ballot_create(
        actor=None, term=term, question="Suy tôn", candidates=term.member_units
    )
    steps = {"draft": [], "open": ["open"], "closed": ["open", "close"]}[state]
    for step in steps:
        ballot = getattr(services, f"ballot_{step}")(actor=None, ballot=ballot)
    return ballot


def _cast(actor):
    ballot = _ballot(state="open")
    actor.role, actor.unit = Role.UNIT_LEADER, ballot.term.member_units[1]
    actor.save(update_fields=["role", "unit"])
    return services.ballot_cast(actor=actor, ballot=ballot, choices=[ballot.candidates.first()])


def audit_scenarios() -> dict:
    prefix = "apps.voting.services."
    return {
        prefix + "ballot_create": lambda a: (
            lambda term: services.ballot_create(
                actor=a, term=term, question="Suy tôn", candidates=term.member_units
            )
        )(_term()),
        prefix + "ballot_update": lambda a: services.ballot_update(
            actor=a, ballot=_ballot(), question="Câu hỏi mới"
        ),
        prefix + "ballot_open": lambda a: services.ballot_open(actor=a, ballot=_ballot()),
        prefix + "ballot_cast": _cast,
        prefix + "ballot_close": lambda a: services.ballot_close(
            actor=a, ballot=_ballot(state="open")
        ),
        prefix + "ballot_publish": lambda a: services.ballot_publish(
            actor=a, ballot=_ballot(state="closed")
        ),
    }
