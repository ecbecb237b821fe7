"""Party age and badges (DOMAIN.md §4; QĐ 294-QĐ/TW 2025).

Party age counts whole months from the date of the admission decision, minus every gap (expulsion,
removal from the rolls, lost contact, gaps in transferring activity). A re-admitted member counts
from the first admission, minus the time out (a gap). Badges at 30, 40, 45 … 90 years are awarded on
3/2, 19/5, 2/9 and 7/11; a seriously ill member may receive one up to 12 months early (30–65
years) or 24 months early (70–90 years), and a posthumous award up to 12 months early.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BADGE_YEARS",
    "EARLY_ILL",
    "EARLY_POSTHUMOUS",
    "Gap",
    "award_rounds",
    "badges_due",
    "months_between",
    "next_round",
    "party_age_months",
]

BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
ROUNDS = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2, 19/5, 2/9, 7/11
EARLY_ILL = "ill"
EARLY_POSTHUMOUS = "posthumous"


@dataclass(frozen=True)
class Gap:
    """Time outside the Party: from ``start`` (membership interrupted) to ``end`` (restored;
    None while it lasts)."""

    start: dt.date
    end: dt.date | None = None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is not after start): 15/3 → 14/4 is 0,
    15/3 → 15/4 is 1."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _merged(gaps: Iterable[Gap], admitted: dt.date, on: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans = sorted(
        (max(g.start, admitted), min(g.end or on, on)) for g in gaps if (g.end or on) > admitted
    )
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def party_age_months(admitted_on: dt.date, on: dt.date, gaps: Iterable[Gap] = ()) -> int:
    """Party age on ``on`` in whole months: the months since admission less the months out."""
    if on <= admitted_on:
        return 0
    total = months_between(admitted_on, on)
    out = sum(months_between(s, e) for s, e in _merged(gaps, admitted_on, on))
    return max(total - out, 0)


def award_rounds(year: int) -> list[dt.date]:
    return [dt.date(year, m, d) for m, d in ROUNDS]


def next_round(on: dt.date) -> dt.date:
    """The first award day on or after ``on``."""
    for day in award_rounds(on.year):
        if day >= on:
            return day
    return award_rounds(on.year + 1)[0]


def _early_months(years: int, reason: str | None) -> int:
    if reason == EARLY_ILL:
        return 24 if years >= 70 else 12
    if reason == EARLY_POSTHUMOUS:
        return 12
    return 0


def badges_due(
    *,
    admitted_on: dt.date,
    round_on: dt.date,
    gaps: Iterable[Gap] = (),
    awarded: Iterable[int] = (),
    early: str | None = None,
) -> list[int]:
    """Badge milestones (years) a member may receive in the round of ``round_on``: reached by
    then (or within the early window for ``early``), not yet awarded. Ordered lowest first."""
    age = party_age_months(admitted_on, round_on, list(gaps))
    done = set(awarded)
    return [
        years
        for years in BADGE_YEARS
        if years not in done and age >= years * 12 - _early_months(years, early)
    ]
