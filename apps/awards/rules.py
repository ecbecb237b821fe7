"""Checking a proposal's candidates against the award rules in force on a day.

Each rule in force for the candidate's award gives a ``Verdict``: meets, does not meet, or not
enough data, with a reason in Vietnamese that names the data used ("dẫn đầu Cụm thi đua số 1 năm
2025: có — phiếu suy tôn 8/9") and the rule's source document. Rules are rows (``AwardRule``);
this module only knows how to evaluate each kind. Consecutive-year rules read a unit's history
through its predecessors, so Phú Thọ's 2025 check sees Vĩnh Phúc's 2024 record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.awards.choices import CandidateOutcome, Outcome, ProposalState, RuleKind
from apps.awards.models import AwardQuota, AwardRecord, AwardRule, ProposalCandidate
from apps.core.formats import vn_date, vn_number
from apps.core.text import fold

__all__ = [
    "CandidateCheck",
    "Verdict",
    "check_candidate",
    "check_proposal",
    "check_date",
    "cluster_leadership",
    "person_key",
    "rules_in_force",
]


@dataclass(frozen=True)
class Verdict:
    rule: AwardRule
    outcome: str  # Outcome
    reason: str
    data: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.rule.get_kind_display()

    @property
    def cited(self) -> str:
        return _("%(source)s, in force from %(date)s") % {
            "source": self.rule.source,
            "date": vn_date(self.rule.valid_from),
        }

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.pk,
            "kind": self.rule.kind,
            "label": self.label,
            "outcome": self.outcome,
            "reason": self.reason,
            "source": self.rule.source,
            "valid_from": self.rule.valid_from.isoformat(),
            "data": self.data,
        }


@dataclass(frozen=True)
class CandidateCheck:
    candidate: ProposalCandidate
    on: dt.date
    verdicts: list[Verdict]

    @property
    def outcome(self) -> str:
        outcomes = {v.outcome for v in self.verdicts}
        if Outcome.FAIL in outcomes:
            return Outcome.FAIL
        if Outcome.UNKNOWN in outcomes:
            return Outcome.UNKNOWN
        return Outcome.PASS

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label


def person_key(name: str, birth_date: dt.date | None) -> str:
    """How a person's records are matched: the name without diacritics or spacing differences,
    and the date of birth when known."""
    key = " ".join(fold(name or "").split())
    return f"{key}|{birth_date.isoformat() if birth_date else ''}"


def check_date(proposal) -> dt.date:
    """The day whose rules apply: the decision date once decided, the submission date once
    submitted, otherwise today."""
    decision = getattr(proposal, "decision", None) if proposal.pk else None
    if decision is not None:
        return decision.signed_on
    if proposal.submitted_at:
        return timezone.localdate(proposal.submitted_at)
    return timezone.localdate()


def rules_in_force(award_type, on: dt.date) -> list[AwardRule]:
    """The rule versions of ``award_type`` in force on ``on`` (one per kind), switched-off
    versions left out."""
    rows = (
        AwardRule.objects.filter(award_type=award_type, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("required_award", "award_type")
        .order_by("kind", "-valid_from")
    )
    latest: dict[str, AwardRule] = {}
    for row in rows:
        latest.setdefault(row.kind, row)
    return [r for r in latest.values() if r.applies]


def check_candidate(candidate: ProposalCandidate, *, on: dt.date | None = None) -> CandidateCheck:
    on = on or check_date(candidate.proposal)
    verdicts = [
        CHECKS[rule.kind](rule, candidate) for rule in rules_in_force(candidate.award_type, on)
    ]
    return CandidateCheck(candidate, on, verdicts)


def check_proposal(proposal, *, on: dt.date | None = None) -> list[CandidateCheck]:
    on = on or check_date(proposal)
    candidates = proposal.candidates.select_related(
        "award_type", "unit", "proposal__receiver", "proposal__ballot"
    )
    return [check_candidate(c, on=on) for c in candidates]


# --- one function per rule kind -----------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Leadership:
    term: object  # ClusterTerm
    rank: int | None
    ranked: int
    votes: int | None
    electorate: int | None
    elected: bool

    def describe(self) -> str:
        parts = []
        if self.rank is not None:
            parts.append(_("rank %(rank)s/%(n)s") % {"rank": self.rank, "n": self.ranked})
        if self.votes is not None:
            parts.append(
                _("acclamation votes %(votes)s/%(of)s")
                % {"votes": self.votes, "of": self.electorate}
            )
        return ", ".join(parts) or _("no ranking or vote published")


def cluster_leadership(unit, year: int) -> list[Leadership]:
    """Where ``unit`` stood in each cluster term of ``year``: its published rank and its votes in
    the term's counted ballots (the best result when there are several)."""
    from apps.organizations.models import ClusterTerm
    from apps.voting.choices import BallotState
    from apps.voting.selectors import ballot_tally, published_ranking_units

    found = []
    terms = ClusterTerm.objects.filter(year=year, memberships__unit=unit).select_related("cluster")
    for term in terms.distinct():
        ranking = published_ranking_units(term=term) or []
        rank = next((r for u, r in ranking if u.pk == unit.pk), None)
        best, electorate = None, None
        for ballot in term.ballots.filter(state__in=[BallotState.CLOSED, BallotState.PUBLISHED]):
            tally = ballot_tally(ballot=ballot)
            for result in tally.candidates:
                if result.unit.pk == unit.pk and (best is None or result.votes > best.votes):
                    best, electorate = result, tally.electorate_size
        found.append(
            Leadership(
                term=term,
                rank=rank,
                ranked=len(ranking),
                votes=best.votes if best else None,
                electorate=electorate,
                elected=bool(best and best.elected),
            )
        )
    return found


def _leads_cluster(rule, candidate) -> Verdict:
    year = candidate.proposal.year
    if not candidate.is_collective:
        return Verdict(rule, Outcome.FAIL, _("Only a collective can lead a cluster."))
    standings = cluster_leadership(candidate.unit, year)
    for s in standings:
        if s.elected:
            return Verdict(
                rule,
                Outcome.PASS,
                _("leads %(cluster)s in %(year)s: yes — %(how)s")
                % {"cluster": s.term.cluster.name, "year": year, "how": s.describe()},
                {"term": s.term.pk, "rank": s.rank, "votes": s.votes, "electorate": s.electorate},
            )
    if candidate.votes is not None and candidate.electorate:
        # A vote held on paper (the cluster does not vote in the system): the minutes' numbers.
        passed = candidate.votes * 2 > candidate.electorate
        return Verdict(
            rule,
            Outcome.PASS if passed else Outcome.FAIL,
            _(
                "leads its cluster in %(year)s: %(answer)s — acclamation votes %(votes)s/%(of)s, as entered from the paper minutes"
            )
            % {
                "year": year,
                "answer": _("yes") if passed else _("no"),
                "votes": candidate.votes,
                "of": candidate.electorate,
            },
            {"votes": candidate.votes, "electorate": candidate.electorate, "paper": True},
        )
    if not standings:
        return Verdict(
            rule,
            Outcome.FAIL,
            _("%(unit)s is in no cluster in %(year)s.")
            % {"unit": candidate.unit.short_name, "year": year},
        )
    if all(s.votes is None and s.rank is None for s in standings):
        return Verdict(
            rule,
            Outcome.UNKNOWN,
            _("leads %(cluster)s in %(year)s: not known yet — no ranking or vote published")
            % {"cluster": standings[0].term.cluster.name, "year": year},
        )
    s = standings[0]
    return Verdict(
        rule,
        Outcome.FAIL,
        _("leads %(cluster)s in %(year)s: no — %(how)s")
        % {"cluster": s.term.cluster.name, "year": year, "how": s.describe()},
        {"term": s.term.pk, "rank": s.rank, "votes": s.votes, "electorate": s.electorate},
    )


def _history(candidate, award_type, years: list[int]):
    """Records of ``award_type`` in ``years`` for the candidate: through the unit's predecessors
    for a collective, by name and date of birth for a person."""
    from apps.organizations.selectors import unit_lineage_ids

    records = AwardRecord.objects.filter(award_type=award_type, year__in=years).select_related(
        "unit", "decision"
    )
    if candidate.is_collective:
        return records.filter(unit_id__in=unit_lineage_ids(unit=candidate.unit))
    return records.filter(person_key=person_key(candidate.person_name, candidate.person_birth_date))


def _same_proposal(candidate, award_type) -> bool:
    """The proposal also asks for ``award_type`` for the same candidate this year."""
    others = (
        candidate.proposal.candidates.exclude(pk=candidate.pk)
        .filter(award_type=award_type)
        .exclude(outcome=CandidateOutcome.REJECTED)
    )
    if candidate.is_collective:
        return others.filter(unit=candidate.unit).exists()
    return any(
        person_key(o.person_name, o.person_birth_date)
        == person_key(candidate.person_name, candidate.person_birth_date)
        for o in others.filter(unit__isnull=True)
    )


def _consecutive(rule, candidate) -> Verdict:
    year = candidate.proposal.year
    needed = rule.years or 1
    required = rule.required_award
    years = list(range(year - needed + 1, year + 1))
    by_year: dict[int, list[str]] = {}
    for record in _history(candidate, required, years):
        where = ""
        if candidate.is_collective and record.unit_id != candidate.unit_id:
            where = f", {record.unit.short_name}"
        number = record.decision.number if record.decision_id else record.decision_number
        by_year.setdefault(record.year, []).append(
            (_("decision %(n)s") % {"n": number} if number else _("recorded")) + where
        )
    if year not in by_year and _same_proposal(candidate, required):
        by_year[year] = [_("proposed in this file")]
    missing = [y for y in years if y not in by_year]
    found = "; ".join(f"{y} ({', '.join(by_year[y])})" for y in years if y in by_year) or "—"
    text = _("%(award)s %(n)s consecutive years (%(first)s–%(last)s): %(answer)s — %(found)s") % {
        "award": required.name,
        "n": needed,
        "first": years[0],
        "last": years[-1],
        "answer": _("yes")
        if not missing
        else _("missing %(years)s") % {"years": ", ".join(str(y) for y in missing)},
        "found": found,
    }
    return Verdict(
        rule,
        Outcome.FAIL if missing else Outcome.PASS,
        text,
        {"years": years, "found": sorted(by_year), "missing": missing},
    )


def _share_ldtt(rule, candidate) -> Verdict:
    need = rule.percent or Decimal(70)
    total, ldtt = candidate.members_total, candidate.members_ldtt
    if not total or ldtt is None:
        return Verdict(
            rule,
            Outcome.UNKNOWN,
            _("share of Lao động tiên tiến: not entered (members and how many are LĐTT)"),
        )
    share = _percent(ldtt, total)
    ok = Decimal(100) * ldtt >= need * total
    return Verdict(
        rule,
        Outcome.PASS if ok else Outcome.FAIL,
        _(
            "%(ldtt)s/%(total)s members are Lao động tiên tiến = %(share)s%% (needs at least %(need)s%%)"
        )
        % {"ldtt": ldtt, "total": total, "share": vn_number(share), "need": vn_number(need)},
        {"members": total, "ldtt": ldtt, "percent": str(share)},
    )


def _counted_candidates(candidate):
    """Candidates for the same award, year and receiving body that count against a cap: every
    file sent (not drafts), less those the reviewer did not accept; the candidate itself too."""
    proposal = candidate.proposal
    others = ProposalCandidate.objects.filter(
        award_type=candidate.award_type,
        proposal__year=proposal.year,
        proposal__receiver=proposal.receiver,
    ).exclude(proposal__state=ProposalState.DRAFT)
    others = others.exclude(outcome=CandidateOutcome.REJECTED).exclude(pk=candidate.pk)
    return others.count() + 1


def _voted_leaders(receiver, year: int) -> int:
    """Units voted to lead a cluster or block in ``year`` among the clusters of the sector that
    ``receiver`` heads (every cluster when it heads none)."""
    from apps.organizations.models import ClusterTerm

    terms = ClusterTerm.objects.filter(year=year)
    if receiver.headed_sectors.exists():
        terms = terms.filter(cluster__sector__head_unit=receiver)
    leaders = set()
    for term in terms.prefetch_related("memberships__unit"):
        for membership in term.memberships.all():
            if any(s.elected for s in cluster_leadership(membership.unit, year) if s.term == term):
                leaders.add((term.pk, membership.unit_id))
    return len(leaders)


def _share_of_leaders(rule, candidate) -> Verdict:
    cap = rule.percent or Decimal(20)
    proposal = candidate.proposal
    leaders = _voted_leaders(proposal.receiver, proposal.year)
    allowed = int(Decimal(leaders) * cap / 100)
    count = _counted_candidates(candidate)
    return Verdict(
        rule,
        Outcome.PASS if count <= allowed else Outcome.FAIL,
        _(
            "%(count)s proposed to %(receiver)s for %(year)s; at most %(cap)s%% of the "
            "%(leaders)s voted cluster leaders = %(allowed)s"
        )
        % {
            "count": count,
            "receiver": proposal.receiver.short_name,
            "year": proposal.year,
            "cap": vn_number(cap),
            "leaders": leaders,
            "allowed": allowed,
        },
        {"proposed": count, "leaders": leaders, "allowed": allowed},
    )


def _quota(rule, candidate) -> Verdict:
    proposal = candidate.proposal
    quota = AwardQuota.objects.filter(
        receiver=proposal.receiver, year=proposal.year, award_type=candidate.award_type
    ).first()
    if quota is None:
        return Verdict(
            rule,
            Outcome.PASS,
            _("%(receiver)s has set no quota for %(year)s: no limit")
            % {"receiver": proposal.receiver.short_name, "year": proposal.year},
        )
    count = _counted_candidates(candidate)
    return Verdict(
        rule,
        Outcome.PASS if count <= quota.count else Outcome.FAIL,
        _("%(count)s proposed; quota %(quota)s for %(year)s (%(source)s)")
        % {"count": count, "quota": quota.count, "year": proposal.year, "source": quota.source},
        {"proposed": count, "quota": quota.count},
    )


def _ballot_required(rule, candidate) -> Verdict:
    proposal = candidate.proposal
    has_votes = candidate.votes is not None and bool(candidate.electorate)
    if has_votes and proposal.deliberated_on:
        return Verdict(
            rule,
            Outcome.PASS,
            _("minutes of %(date)s and secret-ballot result %(votes)s/%(of)s in the file")
            % {
                "date": vn_date(proposal.deliberated_on),
                "votes": candidate.votes,
                "of": candidate.electorate,
            },
        )
    missing = []
    if not proposal.deliberated_on:
        missing.append(_("the deliberation minutes (date)"))
    if not has_votes:
        missing.append(_("the secret-ballot result (votes of voters)"))
    return Verdict(
        rule, Outcome.FAIL, _("the file lacks %(what)s") % {"what": _(" and ").join(missing)}
    )


def _no_pending_case(rule, candidate) -> Verdict:
    if candidate.pending_case:
        return Verdict(
            rule,
            Outcome.FAIL,
            _("a discipline, inspection or complaint is pending: no award until it is settled"),
        )
    return Verdict(rule, Outcome.PASS, _("no discipline, inspection or complaint pending"))


def _not_yet_awarded(rule, candidate) -> Verdict:
    year = candidate.proposal.year
    earlier = _history(candidate, candidate.award_type, [year]).exclude(candidate=candidate)
    record = earlier.first()
    if record is None:
        return Verdict(
            rule,
            Outcome.PASS,
            _("not yet given %(award)s for %(year)s")
            % {"award": candidate.award_type.name, "year": year},
        )
    how = record.decision_number or record.source
    return Verdict(
        rule,
        Outcome.FAIL,
        _("already given %(award)s for %(year)s (%(how)s)")
        % {"award": candidate.award_name, "year": year, "how": how},
        {"record": record.pk},
    )


CHECKS = {
    RuleKind.LEADS_CLUSTER: _leads_cluster,
    RuleKind.CONSECUTIVE: _consecutive,
    RuleKind.SHARE_LDTT: _share_ldtt,
    RuleKind.SHARE_OF_LEADERS: _share_of_leaders,
    RuleKind.QUOTA: _quota,
    RuleKind.BALLOT_REQUIRED: _ballot_required,
    RuleKind.NO_PENDING_CASE: _no_pending_case,
    RuleKind.NOT_YET_AWARDED: _not_yet_awarded,
}
