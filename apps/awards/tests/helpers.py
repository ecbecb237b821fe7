"""Building blocks for award tests: a receiving body, a counted acclamation vote, a proposal moved
to any state through the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.awards import services
from apps.awards.choices import CandidateOutcome
from apps.awards.models import AwardType, Proposal
from apps.organizations.choices import UnitKind
from apps.organizations.tests.factories import UnitFactory
from apps.voting import services as voting

ORDER = ["draft", "submitted", "received", "under_review", "passed", "decided", "issued"]


def award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def central_unit(**kwargs):
    defaults = {"name": "Ban Tổ chức Trung ương", "short_name": "Ban TCTW"}
    return UnitFactory(kind=UnitKind.CENTRAL_COMMISSION, **{**defaults, **kwargs})


def leader_of(unit):
    from apps.accounts.models import User

    user = User.objects.filter(role=Role.UNIT_LEADER, unit=unit, is_active=True).first()
    return user or UserFactory(role=Role.UNIT_LEADER, unit=unit)


def counted_vote(term, winner, *, votes_for: int | None = None, publish: bool = False):
    """A closed acclamation vote of ``term``: ``votes_for`` member leaders choose ``winner`` (all
    of them by default), the others choose the next candidate."""
    members = term.member_units
    ballot = voting.ballot_create(
        actor=None,
        term=term,
        question=f"Đơn vị dẫn đầu {term.cluster.name} năm {term.year}",
        candidates=members,
    )
    ballot = voting.ballot_open(actor=None, ballot=ballot)
    candidates = {c.unit_id: c for c in ballot.candidates.all()}
    other = next(c for u, c in candidates.items() if u != winner.pk)
    votes_for = len(members) if votes_for is None else votes_for
    for n, unit in enumerate(members):
        choice = candidates[winner.pk] if n < votes_for else other
        voting.ballot_cast(actor=leader_of(unit), ballot=ballot, choices=[choice])
    ballot = voting.ballot_close(actor=None, ballot=ballot)
    if publish:
        ballot = voting.ballot_publish(actor=None, ballot=ballot)
    return ballot


def proposal(
    proposer,
    receiver,
    *,
    term=None,
    year: int = 2025,
    code: str = "tap-the-lao-dong-xuat-sac",
    state: str = "draft",
    **candidate,
) -> Proposal:
    """A proposal with one candidate (the proposer, as a collective, by default) in ``state``."""
    made = services.proposal_create(
        actor=None,
        proposer=proposer,
        receiver=receiver,
        year=year,
        term=term,
        title=f"Đề nghị khen thưởng năm {year}",
    )
    kind = award(code)
    if kind.recipient == "collective":
        candidate.setdefault("unit", proposer)
        candidate.setdefault("members_total", 30)
        candidate.setdefault("members_ldtt", 25)
    else:
        candidate.setdefault("person_name", "Nguyễn Thị Hoa")
    services.proposal_candidate_add(actor=None, proposal=made, award_type=kind, **candidate)
    return advance(made, state)


def advance(made: Proposal, state: str, *, number: str = "01-QĐ/TW", signed_on=None) -> Proposal:
    """Move ``made`` forward to ``state`` through the services, as the people would."""
    made.refresh_from_db()
    start = "draft" if made.state == "returned" else made.state  # a returned file is sent again
    for step in ORDER[ORDER.index(start) + 1 : ORDER.index(state) + 1]:
        if step == "submitted":
            services.proposal_submit(actor=None, proposal=made)
        elif step == "received":
            services.proposal_receive(actor=None, proposal=made)
        elif step == "under_review":
            services.proposal_review_start(actor=None, proposal=made)
        elif step == "passed":
            outcomes = {c.pk: (CandidateOutcome.ACCEPTED, "") for c in made.candidates.all()}
            services.proposal_pass(actor=None, proposal=made, outcomes=outcomes)
        elif step == "decided":
            services.proposal_decide(
                actor=None,
                proposal=made,
                number=number,
                signed_on=signed_on or timezone.localdate(),
                signer="Lê Minh Hưng",
                signer_title="Trưởng ban",
                issuing_body=made.receiver.name,
            )
        elif step == "issued":
            services.proposal_issue_certificates(actor=None, proposal=made)
        made.refresh_from_db()
    return made


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
