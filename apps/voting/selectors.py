"""Reads for ballots: lists, turnout, the tally and the published papers.

Results exist only once a ballot is closed (nobody, the secretariat included, sees a running count);
the list of receipt codes with their choices only once it is published. Who may call which read is
``apps.accounts.permissions.access_ballot``'s decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import can_run_ballots
from apps.organizations.models import ClusterTerm, Unit
from apps.voting.choices import BallotState, ElectorateKind
from apps.voting.models import Ballot, BallotCandidate, BallotDelegate, BallotPaper, VoterRecord

RESULT_STATES = {BallotState.CLOSED, BallotState.PUBLISHED}


@dataclass(frozen=True)
class CandidateResult:
    candidate: BallotCandidate
    unit: Unit
    position: int
    votes: int
    fraction: str  # of the electorate, as the minutes write it: "8/9"
    percent: Decimal  # of the electorate, two decimals
    passed: bool  # reached the threshold
    elected: bool  # reached the threshold and the quorum was met


@dataclass(frozen=True)
class BallotTally:
    """Everything the deliberation minutes (biên bản bình xét) need about one vote."""

    ballot: Ballot
    question: str
    term: ClusterTerm
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    electorate_size: int
    votes_cast: int
    valid: int
    invalid: int
    blank: int
    turnout_fraction: str
    quorum_votes: int  # the fewest papers that meet the quorum
    quorum_met: bool
    threshold_votes: int  # the fewest votes with which a candidate passes
    candidates: list[CandidateResult]

    @property
    def passed(self) -> list[CandidateResult]:
        return [c for c in self.candidates if c.passed]

    @property
    def elected(self) -> list[CandidateResult]:
        return [c for c in self.candidates if c.elected]


@dataclass(frozen=True)
class PublishedPaper:
    receipt: str
    choices: list[BallotCandidate]


def minimum_votes(*, numerator: int, denominator: int, strict: bool, of: int) -> int:
    """The fewest votes that satisfy "more than" (strict) or "at least" ``numerator/denominator``
    of ``of``: more than half of 9 is 5, of 8 is 5; at least half of 8 is 4."""
    product = numerator * of
    if strict:
        return product // denominator + 1
    return -(-product // denominator)


def ballot_list(*, user, term: ClusterTerm) -> QuerySet[Ballot]:
    """The term's ballots; drafts only for those who run the term's ballots."""
    ballots = Ballot.objects.filter(term=term).select_related("term__cluster")
    if not can_run_ballots(user, term):
        ballots = ballots.exclude(state=BallotState.DRAFT)
    return ballots


def ballot_candidates(*, ballot: Ballot) -> list[BallotCandidate]:
    return list(ballot.candidates.select_related("unit").order_by("position"))


def ballot_has_voted(*, ballot: Ballot, user) -> bool:
    """Whether ``user`` has voted on ``ballot``: as a delegate, or through their unit."""
    if ballot.electorate_kind == ElectorateKind.DELEGATE:
        return VoterRecord.objects.filter(ballot=ballot, delegate__user=user).exists()
    unit_id = getattr(user, "unit_id", None)
    return bool(unit_id) and VoterRecord.objects.filter(ballot=ballot, unit_id=unit_id).exists()


def ballot_delegates(*, ballot: Ballot) -> list[BallotDelegate]:
    """The delegates of a per-delegate ballot, by unit then name (empty otherwise)."""
    return list(ballot.delegates.select_related("user", "unit"))


def ballot_voters(*, ballot: Ballot) -> list[VoterRecord]:
    """Which units have voted (turnout), in unit order. Never what they chose."""
    return list(
        VoterRecord.objects.filter(ballot=ballot).select_related("unit").order_by("unit__sort_key")
    )


def _require_results(ballot: Ballot, states: set[str]) -> None:
    if ballot.state not in states:
        raise ValidationError(
            _("The ballot is “%(state)s”; its results are not available yet.")
            % {"state": BallotState(ballot.state).label}
        )


def ballot_tally(*, ballot: Ballot) -> BallotTally:
    """Count the papers of a closed or published ballot."""
    _require_results(ballot, RESULT_STATES)
    candidates = ballot_candidates(ballot=ballot)
    votes = {c.pk: 0 for c in candidates}
    cast = valid = blank = 0
    for choices in BallotPaper.objects.filter(ballot=ballot).values_list("choices", flat=True):
        cast += 1
        # The service refuses bad papers; a paper that is bad anyway is counted as invalid.
        if len(choices) > ballot.max_choices or not set(choices) <= votes.keys():
            continue
        valid += 1
        if not choices:
            blank += 1
        for candidate_id in choices:
            votes[candidate_id] += 1
    size = ballot.electorate_size or 0
    quorum_votes = minimum_votes(
        numerator=ballot.quorum_numerator,
        denominator=ballot.quorum_denominator,
        strict=ballot.quorum_strict,
        of=size,
    )
    threshold_votes = minimum_votes(
        numerator=ballot.threshold_numerator,
        denominator=ballot.threshold_denominator,
        strict=ballot.threshold_strict,
        of=size,
    )
    quorum_met = cast >= quorum_votes
    results = []
    for candidate in candidates:
        count = votes[candidate.pk]
        passed = count >= threshold_votes
        results.append(
            CandidateResult(
                candidate=candidate,
                unit=candidate.unit,
                position=candidate.position,
                votes=count,
                fraction=f"{count}/{size}",
                percent=_percent(count, size),
                passed=passed,
                elected=passed and quorum_met,
            )
        )
    return BallotTally(
        ballot=ballot,
        question=ballot.question,
        term=ballot.term,
        opened_at=ballot.opened_at,
        closed_at=ballot.closed_at,
        published_at=ballot.published_at,
        electorate_size=size,
        votes_cast=cast,
        valid=valid,
        invalid=cast - valid,
        blank=blank,
        turnout_fraction=f"{cast}/{size}",
        quorum_votes=quorum_votes,
        quorum_met=quorum_met,
        threshold_votes=threshold_votes,
        candidates=results,
    )


def _percent(count: int, size: int) -> Decimal:
    if not size:
        return Decimal("0.00")
    return (Decimal(100) * count / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ballot_published_papers(*, ballot: Ballot) -> list[PublishedPaper]:
    """Every receipt code with its choices, in receipt order, once the results are published:
    each voter can find their own paper and anyone can recount."""
    _require_results(ballot, {BallotState.PUBLISHED})
    by_id = {c.pk: c for c in ballot_candidates(ballot=ballot)}
    papers = BallotPaper.objects.filter(ballot=ballot).order_by("receipt")
    return [
        PublishedPaper(
            receipt=paper.receipt,
            choices=[by_id[i] for i in paper.choices if i in by_id],
        )
        for paper in papers
    ]


def normalize_receipt(receipt: str) -> str:
    """Accept a code typed with spaces, lower case or without dashes: "k7qx m3ht 9rwb"."""
    raw = "".join(ch for ch in receipt.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def ballot_receipt_check(*, ballot: Ballot, receipt: str) -> PublishedPaper | None:
    """The published paper with this receipt code, or None when there is none."""
    _require_results(ballot, {BallotState.PUBLISHED})
    paper = BallotPaper.objects.filter(ballot=ballot, receipt=normalize_receipt(receipt)).first()
    if paper is None:
        return None
    by_id = {c.pk: c for c in ballot_candidates(ballot=ballot)}
    return PublishedPaper(
        receipt=paper.receipt, choices=[by_id[i] for i in paper.choices if i in by_id]
    )


def published_ranking_units(*, term: ClusterTerm) -> list[tuple[Unit, int]] | None:
    """(unit, rank) of the term's published year-end ranking, best first; None when there is
    none yet. Ballot candidates are taken from it."""
    from apps.emulation.choices import PeriodKind
    from apps.emulation.models import RankingEntry, ReviewPeriod

    period = ReviewPeriod.objects.filter(
        term=term, kind=PeriodKind.YEAR_END, ranking_published_at__isnull=False
    ).first()
    if period is None:
        return None
    entries = RankingEntry.objects.filter(period=period).select_related("unit")
    return [(e.unit, e.rank) for e in entries.order_by("rank", "unit__sort_key")]
