"""Reads for the organisations' classification and the whole country's statistics.

The country table is grouped SQL: one aggregate per figure over every member (or classification),
grouped by the first step of the tree path — the province-level root — so 34 provinces cost the
same few queries as one. ``member_statistics`` stays the per-subtree reference; the tests hold the
two equal root by root.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from apps.core.text import vi_collation_key
from apps.members.choices import (
    CLASSIFIED_KINDS,
    GRASSROOTS_KINDS,
    Level,
    MemberStatus,
    OrgClassificationState,
    Sex,
)
from apps.members.models import (
    STEP,
    Member,
    MemberBadge,
    MemberClassification,
    MemberGap,
    OrgClassification,
    PartyOrganization,
)
from apps.members.party_age import BADGE_YEARS, Gap, badges_due, next_round
from apps.members.selectors import CARD_RENEWAL_FROM, ClassificationSummary

__all__ = [
    "CountryRow",
    "CountryStatistics",
    "country_statistics",
    "org_classification_rows",
    "org_classification_summary",
]


# --- classification of organisations ------------------------------------------------------------


def org_classification_summary(
    org: PartyOrganization, *, year: int, target: Decimal = Decimal(90)
) -> ClassificationSummary:
    """The decided levels of the grassroots organisations in ``org``'s subtree for ``year``, and
    the share rated tốt or better against ``target`` (reports: "≥ 90 % of grassroots
    organisations")."""
    rows = (
        OrgClassification.objects.filter(
            year=year,
            state=OrgClassificationState.DECIDED,
            organization__path__startswith=org.path,
            organization__kind__in=list(GRASSROOTS_KINDS),
        )
        .values("level")
        .annotate(n=Count("id"))
    )
    by_level = {r["level"]: r["n"] for r in rows}
    return ClassificationSummary(org, year, by_level, sum(by_level.values()), Decimal(target))


def org_classification_rows(org: PartyOrganization, *, year: int, limit: int = 200):
    """The classified kinds of ``org``'s subtree (itself included) with their record for ``year``
    (None when not started), in tree order; at most ``limit`` rows and how many there are."""
    orgs = PartyOrganization.objects.filter(
        path__startswith=org.path, kind__in=list(CLASSIFIED_KINDS)
    ).order_by("path")
    total = orgs.count()
    chosen = list(orgs[:limit])
    records = {
        r.organization_id: r
        for r in OrgClassification.objects.filter(
            year=year, organization__in=[o.pk for o in chosen]
        )
    }
    return [(o, records.get(o.pk)) for o in chosen], total


# --- the whole country --------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class CountryRow:
    """One province-level root's figures (or the country total when ``org`` is None)."""

    org: PartyOrganization | None
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    women: int = 0
    with_cccd: int = 0
    renewed_cards: int = 0
    classified: int = 0
    good_or_better: int = 0
    badges_due: int = 0

    @property
    def women_percent(self) -> Decimal:
        return _share(self.women, self.total)

    @property
    def cccd_percent(self) -> Decimal:
        return _share(self.with_cccd, self.total)

    @property
    def card_percent(self) -> Decimal:
        return _share(self.renewed_cards, self.total)

    @property
    def good_or_better_percent(self) -> Decimal:
        return _share(self.good_or_better, self.classified)

    def add(self, other: CountryRow) -> None:
        for name in (
            "total",
            "women",
            "with_cccd",
            "renewed_cards",
            "classified",
            "good_or_better",
            "badges_due",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.by_status.items():
            self.by_status[key] = self.by_status.get(key, 0) + value


@dataclass(frozen=True)
class CountryStatistics:
    on: dt.date
    classification_year: int
    round_on: dt.date
    rows: list[CountryRow]
    total: CountryRow


STATUSES = [s for s in MemberStatus.values if s != MemberStatus.LEFT]


def _root_key(column: str):
    """The province-level root of a row: the first step of its tree path."""
    return Substr(column, 1, STEP)


def _member_figures(on: dt.date) -> dict[str, dict]:
    """Members on the rolls on ``on`` per root — the same rows as ``member_statistics``."""
    from apps.members.selectors import on_the_rolls, sum_groups

    figures = {
        "total": Count("id"),
        "women": Count("id", filter=Q(sex=Sex.FEMALE)),
        "with_cccd": Count("id", filter=Q(cccd__isnull=False)),
        "renewed": Count(
            "id", filter=Q(card_number__isnull=False, card_issued_on__gte=CARD_RENEWAL_FROM)
        ),
        **{f"status_{s}": Count("id", filter=Q(status_then=s)) for s in STATUSES},
    }
    parts = [
        list(
            part.annotate(root=_root_key("org_path")).values("root").annotate(**figures).order_by()
        )
        for part in on_the_rolls(Member.objects.all(), on)
    ]
    return {r["root"]: r for r in sum_groups(parts, "root")}


def _classification_figures(year: int) -> dict[str, dict]:
    """Members classified for ``year`` per root (by the cell that classified them) — the same
    rows as ``classification_summary``."""
    rows = (
        MemberClassification.objects.filter(year=year)
        .annotate(root=_root_key("organization__path"))
        .values("root")
        .annotate(
            classified=Count("id"),
            good_or_better=Count("id", filter=Q(level__in=[Level.EXCELLENT, Level.GOOD])),
        )
        .order_by()
    )
    return {r["root"]: r for r in rows}


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)  # award rounds are never 29 February


def _badge_figures(round_on: dt.date) -> dict[str, int]:
    """Members due a badge in the round of ``round_on`` per root — the same members as
    ``badges_due_under``. Without gaps, party age is whole months since admission, so a milestone
    is reached when admitted on or before the round day that many years back: counted in SQL.
    The few members with gaps are counted in Python with the full rule."""
    has_gap = Exists(MemberGap.objects.filter(member=OuterRef("pk")))
    candidates = Member.objects.exclude(status=MemberStatus.LEFT).filter(
        admitted_on__lte=_years_before(round_on, BADGE_YEARS[0])
    )
    due = Q()
    for years in BADGE_YEARS:
        awarded = Exists(MemberBadge.objects.filter(member=OuterRef("pk"), years=years))
        due |= Q(admitted_on__lte=_years_before(round_on, years)) & ~awarded
    rows = (
        candidates.alias(has_gap=has_gap)
        .filter(has_gap=False)
        .annotate(root=_root_key("org_path"))
        .values("root")
        .annotate(n=Count("id", filter=due))
        .order_by()
    )
    counts = {r["root"]: r["n"] for r in rows}
    with_gaps = (
        Member.objects.exclude(status=MemberStatus.LEFT)
        .filter(Exists(MemberGap.objects.filter(member=OuterRef("pk"))))
        .filter(admitted_on__lte=_years_before(round_on, BADGE_YEARS[0] - 2))
        .only("pk", "admitted_on", "org_path")
        .prefetch_related("gaps", "badges")
    )
    for member in with_gaps:
        if badges_due(
            admitted_on=member.admitted_on,
            round_on=round_on,
            gaps=[Gap(g.start, g.end) for g in member.gaps.all()],
            awarded={b.years for b in member.badges.all()},
        ):
            key = member.org_path[:STEP]
            counts[key] = counts.get(key, 0) + 1
    return counts


def country_statistics(*, on: dt.date) -> CountryStatistics:
    """One row per province-level root (depth 0) with the report figures on ``on``: members on
    the rolls by status, women, CCCD coverage, cards renewed since 2025, the previous year's
    members rated tốt or better, and members due a badge in the next award round; and the total."""
    year = on.year - 1
    round_on = next_round(on)
    members = _member_figures(on)
    classification = _classification_figures(year)
    badges = _badge_figures(round_on)
    rows = []
    total = CountryRow(None, by_status=dict.fromkeys(STATUSES, 0))
    roots = sorted(
        PartyOrganization.objects.filter(depth=0), key=lambda o: vi_collation_key(o.name)
    )
    for root in roots:
        m = members.get(root.path, {})
        c = classification.get(root.path, {})
        row = CountryRow(
            root,
            total=m.get("total", 0),
            by_status={s: m.get(f"status_{s}", 0) for s in STATUSES},
            women=m.get("women", 0),
            with_cccd=m.get("with_cccd", 0),
            renewed_cards=m.get("renewed", 0),
            classified=c.get("classified", 0),
            good_or_better=c.get("good_or_better", 0),
            badges_due=badges.get(root.path, 0),
        )
        rows.append(row)
        total.add(row)
    return CountryStatistics(on, year, round_on, rows, total)
