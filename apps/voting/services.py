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
from apps.voting.models import Ballot, BallotCandidate, BallotDelegate, BallotPaper, VoterRecord

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
    if ballot.electorate_kind == ElectorateKind.DELEGATE:
        data["delegates"] = [str(d) for d in ballot.delegates.select_related("user", "unit")]
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
    delegates: Sequence = (),
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    members = set(term.memberships.values_list("unit_id", flat=True))
    if electorate_kind not in ElectorateKind.values:
        add("electorate_kind", _("Choose a valid electorate."))
    elif electorate_kind == ElectorateKind.DELEGATE:
        _check_delegates(term, members, delegates, add)
    elif delegates:
        add("delegates", _("Delegates are listed only for a vote per delegate."))
    if not candidates:
        add("candidates", _("A ballot needs at least one candidate."))
    ids = [u.pk for u in candidates]
    if len(set(ids)) != len(ids):
        add("candidates", _("A unit is listed twice."))
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


DELEGATE_ROLES = (Role.UNIT_LEADER, Role.UNIT_OFFICER)


def _check_delegates(term: ClusterTerm, members: set[int], delegates: Sequence, add) -> None:
    """Delegates: at least one, each once, each an active official of a member unit."""
    if not delegates:
        add("delegates", _("A vote per delegate needs the list of delegates."))
        return
    ids = [u.pk for u in delegates]
    if len(set(ids)) != len(ids):
        add("delegates", _("A delegate is listed twice."))
    for user in delegates:
        name = user.get_full_name() or user.get_username()
        if not user.is_active or user.role not in DELEGATE_ROLES:
            add(
                "delegates",
                _("%(name)s cannot be a delegate: only leaders and officers of member units can.")
                % {"name": name},
            )
        elif user.unit_id not in members:
            add(
                "delegates",
                _("%(name)s does not belong to a member unit of %(term)s.")
                % {"name": name, "term": term},
            )


def _write_delegates(ballot: Ballot, delegates: Sequence) -> None:
    ballot.delegates.all().delete()
    BallotDelegate.objects.bulk_create(
        BallotDelegate(ballot=ballot, user=user, unit_id=user.unit_id) for user in delegates
    )


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
    delegates: Sequence = (),
) -> Ballot:
    """A draft ballot of ``term`` with ``candidates`` (member units) in the order given; for a
    vote per delegate, ``delegates`` (users of member units) form the electorate."""
    if not question.strip():
        raise ValidationError({"question": _("State the question put to the vote.")})
    _validate_settings(
        term=term,
        candidates=candidates,
        max_choices=max_choices,
        electorate_kind=electorate_kind,
        quorum=(quorum_numerator, quorum_denominator),
        threshold=(threshold_numerator, threshold_denominator),
        delegates=delegates,
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
    _write_delegates(ballot, delegates)
    record_event(actor=actor, action="ballot.create", obj=ballot, after=ballot_snapshot(ballot))
    return ballot


@service
def ballot_update(
    *,
    actor,
    ballot: Ballot,
    candidates: Sequence[Unit] | None = None,
    delegates: Sequence | None = None,
    **changes,
) -> Ballot:
    """Change a draft ballot's question, settings, candidates or delegates (a list given replaces
    the old one; a vote per member unit keeps no delegates)."""
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
    current_delegates = [d.user for d in ballot.delegates.select_related("user").order_by("id")]
    if delegates is None:
        per_delegate = ballot.electorate_kind == ElectorateKind.DELEGATE
        delegates = current_delegates if per_delegate else []
    _validate_settings(
        term=ballot.term,
        candidates=candidates,
        max_choices=ballot.max_choices,
        electorate_kind=ballot.electorate_kind,
        quorum=(ballot.quorum_numerator, ballot.quorum_denominator),
        threshold=(ballot.threshold_numerator, ballot.threshold_denominator),
        delegates=delegates,
    )
    candidates_changed = [u.pk for u in candidates] != [u.pk for u in current]
    delegates_changed = {u.pk for u in delegates} != {u.pk for u in current_delegates}
    fields_changed = snapshot(ballot, BALLOT_FIELDS) != {k: before[k] for k in BALLOT_FIELDS}
    if not candidates_changed and not fields_changed and not delegates_changed:
        no_change()
        return ballot
    ballot.save(update_fields=[*changes.keys(), "updated_at"])
    if candidates_changed:
        _write_candidates(ballot, candidates)
    if delegates_changed:
        _write_delegates(ballot, delegates)
    after = ballot_snapshot(ballot)
    record_event(actor=actor, action="ballot.update", obj=ballot, before=before, after=after)
    return ballot


@service
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    """Open the vote; the electorate is fixed now: the term's member units, or the delegates."""
    ballot = _locked(ballot)
    old, new = _transition(ballot, "open")
    per_delegate = ballot.electorate_kind == ElectorateKind.DELEGATE
    if per_delegate and not ballot.delegates.exists():
        raise ValidationError(_("A vote per delegate needs the list of delegates."))
    candidates = ballot.candidates.count()
    if not candidates:
        raise ValidationError(_("A ballot needs at least one candidate."))
    if ballot.max_choices > candidates:
        raise ValidationError(
            _("A voter cannot be allowed more choices (%(max)s) than there are candidates (%(n)s).")
            % {"max": ballot.max_choices, "n": candidates}
        )
    ballot.state = new
    electorate = ballot.delegates if per_delegate else ballot.term.memberships
    ballot.electorate_size = electorate.count()
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


def voter_identity(*, user, ballot: Ballot) -> tuple[Unit, BallotDelegate | None]:
    """Who ``user`` votes as on ``ballot``: (the member unit, the delegate entry on a per-delegate
    ballot or None), or a ValidationError saying why they may not vote."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise ValidationError(_("Please sign in."))
    if ballot.electorate_kind == ElectorateKind.DELEGATE:
        delegate = ballot.delegates.select_related("unit").filter(user=user).first()
        if delegate is None:
            raise ValidationError(_("Only the delegates listed on this ballot may vote on it."))
        return delegate.unit, delegate
    if user.role != Role.UNIT_LEADER or not user.unit_id:
        raise ValidationError(_("Only the leader of a member unit may cast its vote."))
    membership = ballot.term.memberships.filter(unit_id=user.unit_id).select_related("unit").first()
    if membership is None:
        raise ValidationError(
            _("%(unit)s is not a member of %(term)s and cannot vote on this ballot.")
            % {"unit": user.unit, "term": ballot.term}
        )
    return membership.unit, None


@service
def ballot_cast(*, actor, ballot: Ballot, choices: Sequence[BallotCandidate | int]) -> str:
    """Cast ``actor``'s vote (for their unit, or as a delegate) and return the receipt code, which
    is shown to them once.

    ``choices`` are candidates of this ballot (objects or ids), at most ``max_choices``; an empty
    list is a blank paper. The ballot row is locked so a cast cannot slip in after the close.
    """
    # The lock also orders concurrent casts by the same voter; the unique constraints on
    # (ballot, unit) and on the delegate are what finally guarantee a single vote.
    ballot = _locked(ballot)
    _require_state(ballot, BallotState.OPEN)
    unit, delegate = voter_identity(user=actor, ballot=ballot)
    if delegate is None:
        already = _("%(unit)s has already voted on this ballot.") % {"unit": unit}
    else:
        already = _("%(name)s has already voted on this ballot.") % {"name": delegate.user_name}
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
    voted = VoterRecord.objects.filter(ballot=ballot)
    if delegate is None:
        voted = voted.filter(unit=unit, delegate__isnull=True)
    else:
        voted = voted.filter(delegate=delegate)
    if voted.exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            VoterRecord.objects.create(
                ballot=ballot,
                unit=unit,
                delegate=delegate,
                voted_by=actor,
                voted_at=timezone.now(),
            )
    except IntegrityError as exc:  # a concurrent attempt by the same voter won
        raise ValidationError(already) from exc
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
