"""Every write to ballots. Each function is an audited ``@service``.

Casting a vote writes a ``VoterRecord`` (who) and a ``BallotPaper`` (what) in one transaction; the
audit row says only that the unit voted. Nothing here logs a choice, and nothing that is logged or
stored next to the voter carries the receipt code.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.core.audit import no_change, record_event, service, snapshot
from apps.organizations.models import ClusterTerm, Unit
from apps.voting.choices import TRANSITIONS, BallotState, ElectorateKind
from apps.voting.models import Ballot, BallotCandidate, BallotPaper, VoterRecord

BALLOT_FIELDS = (
    "question",
    "max_choices",
    "electorate_kind",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_strict",
    "threshold_numerator",
    "threshold_denominator",
    "threshold_strict",
)
# Receipt codes: 12 characters from 31 unambiguous letters and digits (no 0/O, 1/I/L), about
# 59 bits of randomness, shown as three groups of four: "K7QX-M3HT-9RWB".
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def ballot_snapshot(ballot: Ballot) -> dict:
    data = snapshot(ballot, BALLOT_FIELDS)
    data["candidates"] = [
        c.unit.short_name for c in ballot.candidates.select_related("unit").order_by("position")
    ]
    return data


def _require_state(ballot: Ballot, required: str) -> None:
    if ballot.state != required:
        raise ValidationError(
            _("The ballot is “%(state)s”; this can only be done while it is “%(required)s”.")
            % {
                "state": BallotState(ballot.state).label,
                "required": BallotState(required).label,
            }
        )


def _transition(ballot: Ballot, action: str) -> tuple[str, str]:
    required, new = TRANSITIONS[action]
    _require_state(ballot, required)
    return required, new


def _locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("term").get(pk=ballot.pk)


def _validate_settings(
    *,
    term: ClusterTerm,
    candidates: Sequence[Unit],
    max_choices: int,
    electorate_kind: str,
    quorum: tuple[int, int],
    threshold: tuple[int, int],
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if electorate_kind == ElectorateKind.DELEGATE:
        add(
            "electorate_kind",
            _("Voting per delegate is not available yet; use one vote per member unit."),
        )
    elif electorate_kind not in ElectorateKind.values:
        add("electorate_kind", _("Choose a valid electorate."))
    if not candidates:
        add("candidates", _("A ballot needs at least one candidate."))
    ids = [u.pk for u in candidates]
    if len(set(ids)) != len(ids):
        add("candidates", _("A unit is listed twice."))
    members = set(term.memberships.values_list("unit_id", flat=True))
    for unit in candidates:
        if unit.pk not in members:
            add(
                "candidates",
                _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": term},
            )
    if max_choices < 1:
        add("max_choices", _("A voter must be allowed at least one choice."))
    elif candidates and max_choices > len(set(ids)):
        add(
            "max_choices",
            _("A voter cannot be allowed more choices (%(max)s) than there are candidates (%(n)s).")
            % {"max": max_choices, "n": len(set(ids))},
        )
    for field, (numerator, denominator) in (("quorum", quorum), ("threshold", threshold)):
        if denominator < 1 or numerator < 0 or numerator > denominator:
            add(field, _("Give a fraction between 0 and 1, such as 1/2."))
    if errors:
        raise ValidationError(errors)


def _write_candidates(ballot: Ballot, candidates: Sequence[Unit]) -> None:
    ballot.candidates.all().delete()
    BallotCandidate.objects.bulk_create(
        BallotCandidate(ballot=ballot, unit=unit, position=index)
        for index, unit in enumerate(candidates, start=1)
    )


@service
def ballot_create(
    *,
    actor,
    term: ClusterTerm,
    question: str,
    candidates: Sequence[Unit],
    max_choices: int = 1,
    electorate_kind: str = ElectorateKind.UNIT,
    quorum_numerator: int = 1,
    quorum_denominator: int = 2,
    quorum_strict: bool = True,
    threshold_numerator: int = 1,
    threshold_denominator: int = 2,
    threshold_strict: bool = True,
) -> Ballot:
    """A draft ballot of ``term`` with ``candidates`` (member units) in the order given."""
    if not question.strip():
        raise ValidationError({"question": _("State the question put to the vote.")})
    _validate_settings(
        term=term,
        candidates=candidates,
        max_choices=max_choices,
        electorate_kind=electorate_kind,
        quorum=(quorum_numerator, quorum_denominator),
        threshold=(threshold_numerator, threshold_denominator),
    )
    ballot = Ballot.objects.create(
        term=term,
        question=question.strip(),
        max_choices=max_choices,
        electorate_kind=electorate_kind,
        quorum_numerator=quorum_numerator,
        quorum_denominator=quorum_denominator,
        quorum_strict=quorum_strict,
        threshold_numerator=threshold_numerator,
        threshold_denominator=threshold_denominator,
        threshold_strict=threshold_strict,
    )
    _write_candidates(ballot, candidates)
    record_event(actor=actor, action="ballot.create", obj=ballot, after=ballot_snapshot(ballot))
    return ballot


@service
def ballot_update(
    *, actor, ballot: Ballot, candidates: Sequence[Unit] | None = None, **changes
) -> Ballot:
    """Change a draft ballot's question, settings or candidates (the list replaces the old one)."""
    unknown = set(changes) - set(BALLOT_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    ballot = _locked(ballot)
    _require_state(ballot, BallotState.DRAFT)
    before = ballot_snapshot(ballot)
    current = [c.unit for c in ballot.candidates.select_related("unit").order_by("position")]
    for field, value in changes.items():
        setattr(ballot, field, value.strip() if field == "question" else value)
    if not ballot.question:
        raise ValidationError({"question": _("State the question put to the vote.")})
    if candidates is None:
        candidates = current
    _validate_settings(
        term=ballot.term,
        candidates=candidates,
        max_choices=ballot.max_choices,
        electorate_kind=ballot.electorate_kind,
        quorum=(ballot.quorum_numerator, ballot.quorum_denominator),
        threshold=(ballot.threshold_numerator, ballot.threshold_denominator),
    )
    candidates_changed = [u.pk for u in candidates] != [u.pk for u in current]
    fields_changed = snapshot(ballot, BALLOT_FIELDS) != {k: before[k] for k in BALLOT_FIELDS}
    if not candidates_changed and not fields_changed:
        no_change()
        return ballot
    ballot.save(update_fields=[*changes.keys(), "updated_at"])
    if candidates_changed:
        _write_candidates(ballot, candidates)
    after = ballot_snapshot(ballot)
    record_event(actor=actor, action="ballot.update", obj=ballot, before=before, after=after)
    return ballot


@service
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    """Open the vote; the electorate is fixed now as the term's member units."""
    ballot = _locked(ballot)
    old, new = _transition(ballot, "open")
    candidates = ballot.candidates.count()
    if not candidates:
        raise ValidationError(_("A ballot needs at least one candidate."))
    if ballot.max_choices > candidates:
        raise ValidationError(
            _("A voter cannot be allowed more choices (%(max)s) than there are candidates (%(n)s).")
            % {"max": ballot.max_choices, "n": candidates}
        )
    ballot.state = new
    ballot.electorate_size = ballot.term.memberships.count()
    ballot.opened_by = actor if getattr(actor, "is_authenticated", False) else None
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["state", "electorate_size", "opened_by", "opened_at", "updated_at"])
    record_event(
        actor=actor,
        action="ballot.open",
        obj=ballot,
        before={"state": old},
        after={"state": new, "electorate_size": ballot.electorate_size},
    )
    return ballot


def voter_unit(*, user, ballot: Ballot) -> Unit:
    """The unit ``user`` votes for on ``ballot``, or a ValidationError saying why they may not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise ValidationError(_("Please sign in."))
    if user.role != Role.UNIT_LEADER or not user.unit_id:
        raise ValidationError(_("Only the leader of a member unit may cast its vote."))
    membership = ballot.term.memberships.filter(unit_id=user.unit_id).select_related("unit").first()
    if membership is None:
        raise ValidationError(
            _("%(unit)s is not a member of %(term)s and cannot vote on this ballot.")
            % {"unit": user.unit, "term": ballot.term}
        )
    return membership.unit


@service
def ballot_cast(*, actor, ballot: Ballot, choices: Sequence[BallotCandidate | int]) -> str:
    """Cast ``actor``'s unit's vote and return the receipt code, which is shown to them once.

    ``choices`` are candidates of this ballot (objects or ids), at most ``max_choices``; an empty
    list is a blank paper. The ballot row is locked so a cast cannot slip in after the close.
    """
    # The lock also orders concurrent casts by the same unit; the unique constraint on
    # (ballot, unit) is what finally guarantees a single vote.
    ballot = _locked(ballot)
    _require_state(ballot, BallotState.OPEN)
    unit = voter_unit(user=actor, ballot=ballot)
    picked = [getattr(c, "pk", c) for c in choices]
    chosen = sorted(set(picked))
    if len(chosen) != len(picked):
        raise ValidationError({"choices": _("A candidate is chosen twice.")})
    if len(chosen) > ballot.max_choices:
        raise ValidationError(
            {
                "choices": _("You may choose at most %(max)s candidate(s); you chose %(n)s.")
                % {"max": ballot.max_choices, "n": len(chosen)}
            }
        )
    valid = set(ballot.candidates.values_list("pk", flat=True))
    if not set(chosen) <= valid:
        raise ValidationError({"choices": _("Choose among the candidates of this ballot.")})
    if VoterRecord.objects.filter(ballot=ballot, unit=unit).exists():
        raise ValidationError(_("%(unit)s has already voted on this ballot.") % {"unit": unit})
    try:
        with transaction.atomic():
            VoterRecord.objects.create(
                ballot=ballot, unit=unit, voted_by=actor, voted_at=timezone.now()
            )
    except IntegrityError as exc:  # a concurrent attempt by the same unit won
        raise ValidationError(
            _("%(unit)s has already voted on this ballot.") % {"unit": unit}
        ) from exc
    receipt = new_receipt()
    BallotPaper.objects.create(ballot=ballot, receipt=receipt, choices=chosen)
    record_event(actor=actor, action="ballot.cast", obj=ballot, after={"unit": unit})
    return receipt


def _shuffle_papers(ballot: Ballot) -> int:
    """Rewrite the papers in random order, so storage order (SQLite's rowid, PostgreSQL's
    physical order and transaction ids) no longer follows the order in which units voted."""
    papers = list(BallotPaper.objects.filter(ballot=ballot).values("id", "receipt", "choices"))
    secrets.SystemRandom().shuffle(papers)
    BallotPaper.objects.filter(ballot=ballot).delete()
    BallotPaper.objects.bulk_create(BallotPaper(ballot=ballot, **paper) for paper in papers)
    return len(papers)


@service
def ballot_close(*, actor, ballot: Ballot) -> Ballot:
    ballot = _locked(ballot)
    old, new = _transition(ballot, "close")
    _shuffle_papers(ballot)
    ballot.state = new
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["state", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        action="ballot.close",
        obj=ballot,
        before={"state": old},
        after={"state": new, "votes_cast": ballot.voter_records.count()},
    )
    return ballot


@service
def ballot_publish(*, actor, ballot: Ballot) -> Ballot:
    """Make the results and the list of receipt codes with their choices visible to everyone."""
    ballot = _locked(ballot)
    old, new = _transition(ballot, "publish")
    ballot.state = new
    ballot.published_at = timezone.now()
    ballot.save(update_fields=["state", "published_at", "updated_at"])
    record_event(
        actor=actor,
        action="ballot.publish",
        obj=ballot,
        before={"state": old},
        after={"state": new},
    )
    return ballot
