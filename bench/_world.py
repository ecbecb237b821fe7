"""Clusters of a sector for the benchmarks, built through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Cluster:
    term: object
    units: list


def build_clusters(*, clusters: int, units_per_cluster: int, year: int = 2025) -> list[Cluster]:
    from apps.organizations import services as org
    from apps.organizations.models import Cluster as ClusterModel
    from apps.organizations.models import Sector, Unit

    sector, _ = Sector.objects.get_or_create(
        code="to-chuc-xay-dung-dang", defaults={"name": "Ngành Tổ chức xây dựng Đảng"}
    )
    built = []
    for c in range(1, clusters + 1):
        cluster = ClusterModel.objects.create(sector=sector, number=c, name=f"Cụm thi đua số {c}")
        units = [  # one by one: Unit.save() fills the search and sort columns
            Unit.objects.create(
                name=f"Ban Tổ chức Tỉnh ủy Cụm {c} Đơn vị {u}",
                short_name=f"C{c}-U{u}",
                kind="provincial",
                active_from=dt.date(2020, 1, 1),
            )
            for u in range(1, units_per_cluster + 1)
        ]
        term = org.term_create(
            actor=None, cluster=cluster, year=year, members=units, leader=units[0]
        )
        built.append(Cluster(term=term, units=units))
    return built
