"""Reads of the organisation tree and the members: subtrees by path prefix, counts per level."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from apps.members.models import Member, PartyOrganization

__all__ = ["member_counts_by_depth", "members_under", "orgs_under"]


def orgs_under(org: PartyOrganization, *, include_self: bool = True) -> QuerySet:
    rows = PartyOrganization.objects.filter(path__startswith=org.path)
    return rows if include_self else rows.exclude(pk=org.pk)


def members_under(org: PartyOrganization) -> QuerySet:
    """Every member in ``org``'s subtree: one indexed prefix condition on the member table."""
    return Member.objects.filter(org_path__startswith=org.path)


def member_counts_by_depth(org: PartyOrganization) -> dict[int, int]:
    """How many members sit in cells at each depth under ``org``."""
    rows = (
        members_under(org)
        .values("organization__depth")
        .annotate(n=Count("id"))
        .order_by("organization__depth")
    )
    return {r["organization__depth"]: r["n"] for r in rows}
