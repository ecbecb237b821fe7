"""Reads for units, provinces and clusters. Views and the API call these, never raw queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    ProvinceSuccession,
    TermMembership,
    Unit,
    UnitSuccession,
)


@dataclass(frozen=True)
class LineageEntry:
    """A predecessor of a unit: who, when it merged, into whom, how many steps back."""

    unit: Unit
    effective_date: dt.date
    merged_into: Unit
    legal_basis: str
    depth: int


def province_list() -> QuerySet[Province]:
    """All provinces of both schemes; filtering is the shared ``ProvinceFilter``'s job."""
    return Province.objects.prefetch_related(
        "successions_as_predecessor__successor", "successions_as_successor__predecessor"
    )


def unit_list(*, user) -> QuerySet[Unit]:
    """Units visible to ``user``: every unit of the sector is public to signed-in users."""
    return Unit.objects.select_related("province")


def unit_lineage(*, unit: Unit) -> list[LineageEntry]:
    """Every predecessor of ``unit``, transitively, nearest first."""
    entries: list[LineageEntry] = []
    frontier = [unit]
    seen = {unit.pk}
    depth = 0
    while frontier:
        depth += 1
        rows = (
            UnitSuccession.objects.filter(successor__in=frontier)
            .select_related("predecessor__province", "successor")
            .order_by("effective_date", "predecessor__sort_key")
        )
        frontier = []
        for row in rows:
            if row.predecessor_id in seen:
                continue
            seen.add(row.predecessor_id)
            entries.append(
                LineageEntry(
                    unit=row.predecessor,
                    effective_date=row.effective_date,
                    merged_into=row.successor,
                    legal_basis=row.legal_basis,
                    depth=depth,
                )
            )
            frontier.append(row.predecessor)
    return entries


def unit_lineage_ids(*, unit: Unit) -> list[int]:
    """The unit and all its predecessors: the ids whose history the unit carries."""
    return [unit.pk, *(entry.unit.pk for entry in unit_lineage(unit=unit))]


def unit_successor(*, unit: Unit) -> UnitSuccession | None:
    return UnitSuccession.objects.filter(predecessor=unit).select_related("successor").first()


def unit_standing_for(*, unit: Unit, on: dt.date) -> Unit | None:
    """The unit that carries ``unit``'s place on ``on``: itself, or its successor after a merger."""
    current = unit
    for _ in range(50):  # successions never chain this deep; guards against a bad cycle
        if current.is_active_on(on):
            return current
        if current.active_from and on < current.active_from:
            return None
        succession = unit_successor(unit=current)
        if succession is None:
            return None
        current = succession.successor
    return None


def province_on(*, province: Province, on: dt.date) -> Province | None:
    """The province that covers ``province``'s territory on ``on`` (following mergers forward)."""
    current = province
    for _ in range(10):
        if current.is_valid_on(on):
            return current
        if current.valid_from and on < current.valid_from:
            return None
        row = (
            ProvinceSuccession.objects.filter(predecessor=current)
            .select_related("successor")
            .first()
        )
        if row is None:
            return None
        current = row.successor
    return None


def unit_for_province(*, province: Province, on: dt.date, kind: str = "provincial") -> Unit | None:
    """Which unit of ``kind`` stands for ``province`` on ``on``.

    Vĩnh Phúc (old scheme) asked on 2025-12-05 answers the Phú Thọ Organization Board formed on
    1/7/2025; asked on 2024-06-01 it answers the Vĩnh Phúc board itself.
    """
    target = province_on(province=province, on=on)
    if target is None:
        return None
    candidates = (
        Unit.objects.filter(kind=kind)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=on))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=on))
        .exclude(province__isnull=True)
        .select_related("province")
    )
    for unit in candidates:
        if province_on(province=unit.province, on=on) == target:
            return unit
    return None


def unit_cluster_history(*, unit: Unit) -> list[TermMembership]:
    """Cluster memberships of the unit and of every predecessor, newest year first."""
    ids = unit_lineage_ids(unit=unit)
    return list(
        TermMembership.objects.filter(unit_id__in=ids)
        .select_related("term__cluster", "unit")
        .order_by("-year", "term__cluster__number", "unit__sort_key")
    )


def _terms_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=TermMembership.objects.select_related("unit").order_by("unit__sort_key"),
    )


def cluster_list() -> QuerySet[Cluster]:
    """Clusters with their terms and memberships loaded; filtering is ``ClusterFilter``'s job."""
    return Cluster.objects.select_related("sector").prefetch_related(
        Prefetch(
            "terms",
            queryset=ClusterTerm.objects.order_by("-year").prefetch_related(_terms_prefetch()),
        )
    )


def cluster_terms(*, cluster: Cluster) -> list[ClusterTerm]:
    return list(
        cluster.terms.select_related("host").prefetch_related(_terms_prefetch()).order_by("-year")
    )


def term_detail(*, pk: int) -> ClusterTerm:
    return (
        ClusterTerm.objects.select_related("cluster__sector", "host")
        .prefetch_related(_terms_prefetch())
        .get(pk=pk)
    )


def terms_for_unit_year(*, unit: Unit, year: int) -> list[ClusterTerm]:
    return list(
        ClusterTerm.objects.filter(year=year, memberships__unit=unit)
        .select_related("cluster")
        .prefetch_related(_terms_prefetch())
    )


def term_list() -> QuerySet[ClusterTerm]:
    """Every cluster term with what a list shows (cluster, host, members and roles) prefetched."""
    return (
        ClusterTerm.objects.select_related("cluster", "host")
        .prefetch_related(_terms_prefetch())
        .order_by("cluster__sector_id", "cluster__kind", "cluster__number", "-year")
    )
