"""Reads of pacts: lists, the full pact page, totals, signatures and the version in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.emulation.choices import CriterionKind
from apps.emulation.models import ContentGroup, Criterion, Pact, PactSignature
from apps.organizations.models import ClusterTerm, Unit


@dataclass(frozen=True)
class PactTotals:
    """Criteria points add up to the pact's total; bonus and penalty caps stand apart."""

    criteria: Decimal = Decimal("0")
    bonus_cap: Decimal = Decimal("0")
    penalty_cap: Decimal = Decimal("0")
    criteria_count: int = 0


@dataclass
class SignatureStatus:
    signed: list[PactSignature] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)


def pact_list(*, user=None) -> QuerySet[Pact]:
    """Every pact (signed-in users may read them all); filtering is ``PactFilter``'s job."""
    return Pact.objects.select_related("term__cluster").order_by(
        "term__cluster_id", "-term__year", "-version"
    )


def pact_detail(*, pk: int) -> Pact:
    """A pact with its groups, criteria and signatures loaded."""
    return (
        Pact.objects.select_related("term__cluster", "supersedes")
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=ContentGroup.objects.prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id"))
                ).order_by("position", "id"),
            ),
            Prefetch(
                "signatures",
                queryset=PactSignature.objects.select_related("unit", "signed_by"),
            ),
        )
        .get(pk=pk)
    )


def pact_totals(*, pact: Pact) -> PactTotals:
    sums = {kind: Decimal("0") for kind in CriterionKind.values}
    count = 0
    for group in pact.groups.all():
        for criterion in group.criteria.all():
            sums[criterion.kind] += criterion.max_points
            count += criterion.kind == CriterionKind.CRITERION
    return PactTotals(
        criteria=sums[CriterionKind.CRITERION],
        bonus_cap=sums[CriterionKind.BONUS],
        penalty_cap=sums[CriterionKind.PENALTY],
        criteria_count=count,
    )


def term_member_units(*, term: ClusterTerm) -> list[Unit]:
    return [m.unit for m in term.memberships.select_related("unit").order_by("unit__sort_key")]


def pact_signature_status(*, pact: Pact) -> SignatureStatus:
    signatures = sorted(pact.signatures.all(), key=lambda s: (s.signed_at, s.pk))
    signed_ids = {s.unit_id for s in signatures}
    missing = [u for u in term_member_units(term=pact.term) if u.pk not in signed_ids]
    return SignatureStatus(signed=signatures, missing=missing)


def term_pacts(*, term: ClusterTerm) -> list[Pact]:
    return list(term.pacts.order_by("-version"))


def pact_in_force(*, term: ClusterTerm, on: dt.date | None = None) -> Pact | None:
    """The signed version that governs ``term`` on ``on`` (today when left out).

    An amendment takes over on the day every member has signed it; until then the version before
    it stays in force. A pact closed at the year's end stays the one the year is scored with.
    """
    candidates = [p for p in term.pacts.filter(signed_at__isnull=False) if p.signed_at]
    if on is not None:
        candidates = [p for p in candidates if timezone.localdate(p.signed_at) <= on]
    return max(candidates, key=lambda p: p.version, default=None)


def previous_term(*, term: ClusterTerm) -> ClusterTerm | None:
    return (
        ClusterTerm.objects.filter(cluster_id=term.cluster_id, year__lt=term.year)
        .order_by("-year")
        .first()
    )


def pact_to_copy(*, term: ClusterTerm) -> Pact | None:
    """Last year's pact in force, else its latest version: what a new pact starts from."""
    previous = previous_term(term=term)
    if previous is None:
        return None
    return pact_in_force(term=previous) or previous.pacts.order_by("-version").first()
