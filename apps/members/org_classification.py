"""Classification of party organisations under QĐ 366-QĐ/TW and HD 43-HD/BTCTW: who appraises and
who decides, and how far a score lets a level go. The steps themselves are
``apps.members.services_orgs``; the state machine is ``choices.ORG_TRANSITIONS``.

- Classified: grassroots organisations (đảng bộ cơ sở, chi bộ cơ sở) and those under a grassroots
  committee (đảng bộ bộ phận, chi bộ trực thuộc). Provincial committees and committees directly
  above grassroots are not classified here.
- The direct parent appraises; the nearest committee above of kind province, above-grassroots or
  grassroots decides (the competent level), and its decisions share one quota of "xuất sắc":
  at most 20 % of those it rates "tốt" (25 % with a recorded approval), as for members.
- A level never goes above what the self-assessed score allows on the 100-point scale (≥ 90,
  70, 50), and any disqualifying fact means "không hoàn thành".
"""

from __future__ import annotations

from decimal import Decimal

from apps.members.choices import DECIDING_KINDS, Level
from apps.members.classification import level_for
from apps.members.models import STEP, PartyOrganization

__all__ = ["LEVEL_RANK", "ancestor_ids", "deciding_org", "highest_level"]

LEVEL_RANK = {
    Level.INCOMPLETE: 0,
    Level.COMPLETE: 1,
    Level.GOOD: 2,
    Level.EXCELLENT: 3,
}


def ancestor_ids(org: PartyOrganization) -> list[int]:
    """The ids above ``org``, the root first (read from its path, no query)."""
    steps = [org.path[i : i + STEP] for i in range(0, len(org.path), STEP)]
    return [int(step[:-1], 36) for step in steps[:-1]]


def deciding_org(org: PartyOrganization) -> PartyOrganization | None:
    """The competent level for ``org``'s classification: the nearest committee above it whose kind
    decides (province, above-grassroots, grassroots)."""
    above = ancestor_ids(org)
    if not above:
        return None
    candidates = PartyOrganization.objects.filter(pk__in=above, kind__in=list(DECIDING_KINDS))
    return candidates.order_by("-depth").first()


def highest_level(score: Decimal, disqualified: str = "") -> str:
    """The best level the score (and any disqualifying fact) allows."""
    return level_for(score, disqualified=bool(disqualified))


def above(level: str, cap: str) -> bool:
    return LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(cap)]
