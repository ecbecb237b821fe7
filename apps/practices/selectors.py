"""Reads of the good-practice registry: the list every reader filters, and the counts per unit
and year that the year-end reports quote."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from apps.organizations.models import ClusterTerm, Unit
from apps.practices.models import GoodPractice

__all__ = ["TermCount", "practice_list", "term_practice_counts", "unit_practice_count"]


def practice_list(*, user) -> QuerySet[GoodPractice]:
    """Every practice (the registry is readable by every signed-in user), newest year first."""
    return (
        GoodPractice.objects.select_related("unit")
        .annotate(adoption_count=Count("adoptions"))
        .order_by("-year", "unit__sort_key", "title", "id")
    )


def unit_practice_count(*, unit: Unit, year: int) -> int:
    return GoodPractice.objects.filter(unit=unit, year=year).count()


@dataclass
class TermCount:
    unit: Unit
    total: int
    recognised: int
    adopted_elsewhere: int


def term_practice_counts(*, term: ClusterTerm) -> list[TermCount]:
    """Per member unit of ``term``: practices of the term's year, how many were recognised, and
    how many other units adopted them. The cluster's total is their sum."""
    units = [m.unit for m in term.memberships.select_related("unit").order_by("unit__sort_key")]
    rows = (
        GoodPractice.objects.filter(year=term.year, unit__in=units)
        .values("unit_id", "status")
        .annotate(n=Count("id", distinct=True), adopted=Count("adoptions"))
    )
    counts = {u.pk: TermCount(u, 0, 0, 0) for u in units}
    for row in rows:
        count = counts[row["unit_id"]]
        count.total += row["n"]
        if row["status"] != "proposed":
            count.recognised += row["n"]
        count.adopted_elsewhere += row["adopted"]
    return list(counts.values())
