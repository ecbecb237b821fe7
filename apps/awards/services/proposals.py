"""A proposal from draft to passed review: the file, its candidates and attachments, the cluster's
proposal generated from the emulation year, and the workflow steps. Each step locks the proposal
row, checks the state it starts from (``TRANSITIONS``) and records a ``ProposalEvent`` next to the
audit event, so two officers clicking at once cannot move the file twice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.awards.choices import (
    EDITABLE_STATES,
    TRANSITIONS,
    CandidateOutcome,
    ProposalState,
    Recipient,
)
from apps.awards.models import (
    AwardType,
    Proposal,
    ProposalAttachment,
    ProposalCandidate,
    ProposalEvent,
)
from apps.core.audit import no_change, record_event, service, snapshot
from apps.core.formats import vn_number
from apps.emulation.evidence import check_evidence_file, save_checked_file

__all__ = [
    "CLUSTER_FLAG",
    "proposal_attachment_add",
    "proposal_candidate_add",
    "proposal_candidate_remove",
    "proposal_candidate_update",
    "proposal_create",
    "proposal_from_term",
    "proposal_pass",
    "proposal_receive",
    "proposal_return",
    "proposal_review_start",
    "proposal_submit",
    "proposal_update",
]

CLUSTER_FLAG = "co-thi-dua-tinh"  # the sector's emulation flag for a cluster's leading unit
FILE_FIELDS = [
    "title",
    "number",
    "achievements",
    "deliberated_on",
    "deliberation_place",
    "chair",
    "secretary",
    "signer",
]
CANDIDATE_FIELDS = [
    "award_type",
    "unit",
    "person_name",
    "person_title",
    "person_birth_date",
    "achievements",
    "votes",
    "electorate",
    "members_total",
    "members_ldtt",
    "pending_case",
]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("proposer", "receiver", "term")
        .get(pk=proposal.pk)
    )


def _require_editable(proposal: Proposal) -> None:
    if proposal.state not in EDITABLE_STATES:
        raise ValidationError(
            _("The proposal is “%(state)s”; it can be changed only as a draft or when returned.")
            % {"state": ProposalState(proposal.state).label}
        )


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _clean_file(data: dict) -> dict:
    clean = {}
    for name in FILE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "deliberated_on":
            if value is not None and value > timezone.localdate():
                raise ValidationError({name: _("The deliberation cannot be in the future.")})
            clean[name] = value
        elif name == "achievements":
            clean[name] = _text(value, 20_000)
        else:
            clean[name] = " ".join((value or "").split())[
                : Proposal._meta.get_field(name).max_length
            ]
    if "title" in clean and not clean["title"]:
        raise ValidationError({"title": _("Give the proposal a title.")})
    return clean


@service
def proposal_create(
    *, actor, proposer, receiver, year: int, title: str, term=None, **fields
) -> Proposal:
    """A draft proposal of ``proposer`` (for ``term`` when it is a cluster's) to ``receiver``."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    if receiver.pk == proposer.pk:
        raise ValidationError({"receiver": _("A unit does not send a proposal to itself.")})
    if term is not None and term.year != year:
        raise ValidationError({"year": _("The year must be the cluster term's year.")})
    data = _clean_file({"title": title, **fields})
    proposal = Proposal.objects.create(
        proposer=proposer, receiver=receiver, year=year, term=term, created_by=_user(actor), **data
    )
    record_event(
        actor=actor,
        action="award.proposal_create",
        obj=proposal,
        after=snapshot(proposal, ["proposer", "receiver", "year", "term", "title"]),
    )
    return proposal


@service
def proposal_update(*, actor, proposal: Proposal, **fields) -> Proposal:
    proposal = _locked(proposal)
    _require_editable(proposal)
    data = _clean_file(fields)
    changed = {k: v for k, v in data.items() if getattr(proposal, k) != v}
    if not changed:
        no_change()
        return proposal
    before = snapshot(proposal, changed)
    for key, value in changed.items():
        setattr(proposal, key, value)
    proposal.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="award.proposal_update",
        obj=proposal,
        before=before,
        after=snapshot(proposal, changed),
    )
    return proposal


# --- candidates ---------------------------------------------------------------------------------


def _clean_candidate(proposal: Proposal, data: dict, *, exclude_pk=None) -> dict:
    award: AwardType = data["award_type"]
    unit = data.get("unit")
    name = " ".join((data.get("person_name") or "").split())[:200]
    if award.recipient == Recipient.COLLECTIVE:
        if unit is None:
            raise ValidationError(
                {
                    "unit": _("“%(award)s” goes to a collective: choose the unit.")
                    % {"award": award.name}
                }
            )
        name = ""
        data.update(person_title="", person_birth_date=None)
    else:
        if not name:
            raise ValidationError(
                {
                    "person_name": _("“%(award)s” goes to a person: give the full name.")
                    % {"award": award.name}
                }
            )
        unit = None
    data["unit"], data["person_name"] = unit, name
    data["person_title"] = " ".join((data.get("person_title") or "").split())[:300]
    born = data.get("person_birth_date")
    if born is not None and born >= timezone.localdate():
        raise ValidationError({"person_birth_date": _("The date of birth must be in the past.")})
    data["achievements"] = _text(data.get("achievements"), 10_000)
    votes, electorate = data.get("votes"), data.get("electorate")
    if (votes is None) != (electorate is None):
        raise ValidationError(
            {"votes": _("Give both the votes received and the number of voters.")}
        )
    if votes is not None and (electorate < 1 or votes > electorate):
        raise ValidationError({"votes": _("The votes cannot exceed the number of voters.")})
    total, ldtt = data.get("members_total"), data.get("members_ldtt")
    if ldtt is not None and (total is None or ldtt > total):
        raise ValidationError(
            {"members_ldtt": _("Give the number of members, at least the number who are LĐTT.")}
        )
    data["pending_case"] = bool(data.get("pending_case"))
    same = proposal.candidates.filter(award_type=award).exclude(pk=exclude_pk)
    clash = (
        same.filter(unit=unit).exists()
        if unit
        else any(
            c.person_name.casefold() == name.casefold()
            and c.person_birth_date == data.get("person_birth_date")
            for c in same.filter(unit__isnull=True)
        )
    )
    if clash:
        raise ValidationError(
            _("This candidate is already proposed for “%(award)s” in this file.")
            % {"award": award.name}
        )
    return {k: data.get(k) for k in CANDIDATE_FIELDS}


@service
def proposal_candidate_add(*, actor, proposal: Proposal, award_type: AwardType, **fields):
    proposal = _locked(proposal)
    _require_editable(proposal)
    data = _clean_candidate(proposal, {"award_type": award_type, **fields})
    last = proposal.candidates.order_by("-position").values_list("position", flat=True).first()
    candidate = ProposalCandidate.objects.create(
        proposal=proposal, position=(last or 0) + 1, **data
    )
    record_event(
        actor=actor,
        action="award.candidate_add",
        obj=proposal,
        after={"candidate": candidate.pk, **snapshot(candidate, CANDIDATE_FIELDS)},
    )
    return candidate


@service
def proposal_candidate_update(*, actor, candidate: ProposalCandidate, **fields):
    proposal = _locked(candidate.proposal)
    _require_editable(proposal)
    candidate = ProposalCandidate.objects.select_related("award_type", "unit").get(pk=candidate.pk)
    merged = {k: getattr(candidate, k) for k in CANDIDATE_FIELDS}
    merged.update(fields)
    data = _clean_candidate(proposal, merged, exclude_pk=candidate.pk)
    changed = {k: v for k, v in data.items() if getattr(candidate, k) != v}
    if not changed:
        no_change()
        return candidate
    before = snapshot(candidate, changed)
    for key, value in changed.items():
        setattr(candidate, key, value)
    candidate.save()
    record_event(
        actor=actor,
        action="award.candidate_update",
        obj=proposal,
        before={"candidate": candidate.pk, **before},
        after={"candidate": candidate.pk, **snapshot(candidate, changed)},
    )
    return candidate


@service
def proposal_candidate_remove(*, actor, candidate: ProposalCandidate) -> None:
    proposal = _locked(candidate.proposal)
    _require_editable(proposal)
    before = {"candidate": candidate.pk, **snapshot(candidate, CANDIDATE_FIELDS)}
    candidate.delete()
    record_event(actor=actor, action="award.candidate_remove", obj=proposal, before=before)


@service
def proposal_attachment_add(*, actor, proposal: Proposal, upload) -> ProposalAttachment:
    """Attach the achievement report, the signed minutes or another paper (checked by content)."""
    proposal = _locked(proposal)
    _require_editable(proposal)
    checked = check_evidence_file(upload)
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(actor),
    )
    save_checked_file(
        attachment,
        checked,
        lambda: record_event(
            actor=actor,
            action="award.proposal_attachment_add",
            obj=proposal,
            after={"attachment": attachment.pk, "name": checked.name, "sha256": checked.sha256},
        ),
    )
    return attachment


# --- the cluster's proposal from the emulation year ----------------------------------------------


@service
def proposal_from_term(*, actor, term) -> Proposal:
    """The cluster's draft proposal for its leading unit(s): those elected by the term's counted
    acclamation vote, with the ranking, the vote numbers and the deliberation filled in."""
    from apps.emulation.models import RankingEntry
    from apps.voting.choices import BallotState
    from apps.voting.selectors import ballot_tally

    ballots = term.ballots.filter(state__in=[BallotState.PUBLISHED, BallotState.CLOSED])
    tally = None
    for ballot in ballots.order_by("-closed_at", "-id"):
        candidate = ballot_tally(ballot=ballot)
        if candidate.elected:
            tally = candidate
            break
    if tally is None:
        raise ValidationError(
            _(
                "The term has no counted acclamation vote with an elected unit yet: close the vote first."
            )
        )
    if Proposal.objects.filter(ballot=tally.ballot).exists():
        raise ValidationError(_("A proposal was already made from this vote; open it instead."))
    leader = term.leader
    sector = term.cluster.sector
    if leader is None or sector.head_unit is None:
        raise ValidationError(
            _("The term needs a leading unit and the sector a head body to send the file to.")
        )
    flag = AwardType.objects.get(code=CLUSTER_FLAG)
    entries = {
        e.unit_id: e
        for e in RankingEntry.objects.filter(
            period__term=term, period__ranking_published_at__isnull=False
        )
    }
    ranked = len(entries)
    names = ", ".join(r.unit.short_name for r in tally.elected)
    closed = timezone.localdate(tally.closed_at) if tally.closed_at else None
    proposal = Proposal.objects.create(
        proposer=leader,
        receiver=sector.head_unit,
        term=term,
        year=term.year,
        title=_(
            "Proposal of the emulation flag of %(body)s for the leading unit of %(cluster)s in %(year)s"
        )
        % {"body": sector.head_unit.name, "cluster": term.cluster.name, "year": term.year},
        ballot=tally.ballot,
        deliberated_on=term.review_date or closed,
        deliberation_place=term.host.name if term.host_id else leader.name,
        achievements=_(
            "At its year-end review the cluster scored and ranked its %(n)s members against the "
            "%(year)s pact and voted by secret ballot on the unit that leads it: %(names)s."
        )
        % {"n": ranked or tally.electorate_size, "year": term.year, "names": names},
        created_by=_user(actor),
    )
    for position, result in enumerate(tally.elected, 1):
        entry = entries.get(result.unit.pk)
        line = [
            _("Leads %(cluster)s in %(year)s") % {"cluster": term.cluster.name, "year": term.year}
        ]
        if entry is not None:
            line.append(
                _("rank %(rank)s/%(n)s with %(total)s points")
                % {"rank": entry.rank, "n": ranked, "total": vn_number(entry.total)}
            )
        line.append(
            _("acclamation votes %(votes)s/%(of)s (%(percent)s%%)")
            % {
                "votes": result.votes,
                "of": tally.electorate_size,
                "percent": vn_number(result.percent),
            }
        )
        ProposalCandidate.objects.create(
            proposal=proposal,
            position=position,
            award_type=flag,
            unit=result.unit,
            achievements="; ".join(line) + ".",
            votes=result.votes,
            electorate=tally.electorate_size,
        )
    record_event(
        actor=actor,
        action="award.proposal_from_term",
        obj=proposal,
        after={
            "term": term.pk,
            "ballot": tally.ballot.pk,
            "candidates": [[r.unit.pk, r.votes, tally.electorate_size] for r in tally.elected],
        },
    )
    return proposal


# --- workflow -----------------------------------------------------------------------------------


def move(actor, proposal: Proposal, action: str, comment: str = "") -> Proposal:
    """Lock the proposal, check the state ``action`` starts from, move it, and record the step.
    Callers are services; this is their shared step."""
    sources, target, _side = TRANSITIONS[action]
    proposal = _locked(proposal)
    if proposal.state not in sources:
        raise ValidationError(
            _("The proposal is “%(state)s”: it cannot be %(action)s now.")
            % {"state": ProposalState(proposal.state).label, "action": ACTION_LABELS[action]}
        )
    before = proposal.state
    proposal.state = target
    fields = ["state", "updated_at"]
    if action == "submit":
        proposal.submitted_at = timezone.now()
        fields.append("submitted_at")
    proposal.save(update_fields=fields)
    ProposalEvent.objects.create(
        proposal=proposal,
        action=action,
        from_state=before,
        to_state=target,
        actor=_user(actor),
        occurred_at=timezone.now(),
        comment=comment,
    )
    record_event(
        actor=actor,
        action=f"award.proposal_{action}",
        obj=proposal,
        before={"state": before},
        after={"state": target, "comment": comment} if comment else {"state": target},
    )
    return proposal


ACTION_LABELS = {
    "submit": gettext_lazy("sent"),
    "receive": gettext_lazy("received"),
    "review": gettext_lazy("taken into review"),
    "return": gettext_lazy("returned"),
    "pass": gettext_lazy("passed"),
    "decide": gettext_lazy("decided"),
    "issue": gettext_lazy("given its certificates"),
}


@service
def proposal_submit(*, actor, proposal: Proposal) -> Proposal:
    """Send the file (again, after a return): it needs at least one candidate; the reviewer's
    earlier outcomes are cleared, their comments stay for reference."""
    locked = _locked(proposal)
    if not locked.candidates.exists():
        raise ValidationError(_("Add at least one candidate before sending the proposal."))
    if not locked.title:
        raise ValidationError({"title": _("Give the proposal a title.")})
    locked.candidates.update(outcome=CandidateOutcome.PENDING)
    return move(actor, locked, "submit")


@service
def proposal_receive(*, actor, proposal: Proposal) -> Proposal:
    return move(actor, proposal, "receive")


@service
def proposal_review_start(*, actor, proposal: Proposal) -> Proposal:
    return move(actor, proposal, "review")


def _candidate_map(proposal, keyed: dict | None) -> dict[int, ProposalCandidate]:
    candidates = {c.pk: c for c in proposal.candidates.all()}
    unknown = set((keyed or {}).keys()) - candidates.keys()
    if unknown:
        raise ValidationError(_("A comment names a candidate that is not in this proposal."))
    return candidates


@service
def proposal_return(*, actor, proposal: Proposal, comment: str = "", comments=None) -> Proposal:
    """Send the file back with the reviewer's comment, and a comment per candidate."""
    comments = {int(k): (v or "").strip()[:5000] for k, v in (comments or {}).items()}
    comment = (comment or "").strip()[:5000]
    if not comment and not any(comments.values()):
        raise ValidationError({"comment": _("Say what must be changed before returning the file.")})
    candidates = _candidate_map(proposal, comments)
    moved = move(actor, proposal, "return", comment)
    for pk, text in comments.items():
        if text and candidates[pk].review_comment != text:
            candidates[pk].review_comment = text
            candidates[pk].save(update_fields=["review_comment"])
    if any(comments.values()):
        record_event(
            actor=actor,
            action="award.candidate_comments",
            obj=moved,
            after={str(pk): text for pk, text in comments.items() if text},
        )
    return moved


@service
def proposal_pass(*, actor, proposal: Proposal, outcomes: dict, comment: str = "") -> Proposal:
    """Finish the review: each candidate accepted or not (with a comment); at least one accepted.
    ``outcomes`` maps candidate id → (outcome, comment)."""
    outcomes = {int(k): v for k, v in (outcomes or {}).items()}
    candidates = _candidate_map(proposal, outcomes)
    missing = [c for pk, c in candidates.items() if pk not in outcomes]
    if missing:
        raise ValidationError(
            _("Give an outcome for every candidate (missing: %(names)s).")
            % {"names": ", ".join(c.name for c in missing)}
        )
    for pk, (outcome, _text_) in outcomes.items():
        if outcome not in {CandidateOutcome.ACCEPTED, CandidateOutcome.REJECTED}:
            raise ValidationError(_("Each candidate is accepted or not accepted."))
        if outcome == CandidateOutcome.REJECTED and not (_text_ or "").strip():
            raise ValidationError(
                _("Say why %(name)s is not accepted.") % {"name": candidates[pk].name}
            )
    if not any(o == CandidateOutcome.ACCEPTED for o, _c in outcomes.values()):
        raise ValidationError(_("Accept at least one candidate, or return the file instead."))
    moved = move(actor, proposal, "pass", (comment or "").strip()[:5000])
    for pk, (outcome, text) in outcomes.items():
        candidate = candidates[pk]
        candidate.outcome = outcome
        candidate.review_comment = (text or "").strip()[:5000]
        candidate.save(update_fields=["outcome", "review_comment"])
    record_event(
        actor=actor,
        action="award.candidate_outcomes",
        obj=moved,
        after={str(pk): outcome for pk, (outcome, _t) in outcomes.items()},
    )
    return moved
