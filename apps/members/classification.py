"""Yearly quality classification of members, QĐ 366-QĐ/TW (30/8/2025) and HD 43-HD/BTCTW.

100-point scale: xuất sắc ≥ 90, tốt 70 to < 90, hoàn thành 50 to < 70, không hoàn thành < 50 or
any disqualifying fact (e.g. discipline at khiển trách or above). Not classified: members exempt
from activity, members whose activity is suspended, members admitted less than 6 months before the
end of the year. In each organisation the number rated xuất sắc may not exceed 20 % of those rated
tốt (25 % with the competent level's approval). Reports quote the share rated tốt or better against
a target (e.g. > 90 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from apps.members.choices import Level, MemberStatus

__all__ = [
    "QuotaCheck",
    "exclusion_reason",
    "level_for",
    "quota_check",
]

QUOTA = Decimal(20)
QUOTA_APPROVED = Decimal(25)


def level_for(score: Decimal, *, disqualified: bool = False) -> str:
    if disqualified or score < 50:
        return Level.INCOMPLETE
    if score >= 90:
        return Level.EXCELLENT
    if score >= 70:
        return Level.GOOD
    return Level.COMPLETE


def exclusion_reason(member, year: int) -> str | None:
    """Why ``member`` is not classified for ``year``, or None."""
    if member.status == MemberStatus.EXEMPT:
        return _("exempt from activity")
    if member.status == MemberStatus.SUSPENDED:
        return _("activity suspended")
    if member.status == MemberStatus.LEFT:
        return _("no longer a member")
    year_end = dt.date(year, 12, 31)
    six_months_before = dt.date(year, 6, 30)
    if member.admitted_on > six_months_before:
        return (
            _("admitted less than 6 months before the end of %(year)s (on %(date)s)")
            % {
                "year": year,
                "date": member.admitted_on.strftime("%d/%m/%Y"),
            }
            if member.admitted_on <= year_end
            else _("not yet admitted in %(year)s") % {"year": year}
        )
    return None


@dataclass(frozen=True)
class QuotaCheck:
    excellent: int
    good: int
    percent: Decimal  # the cap used: 20, or 25 with approval
    allowed: int

    @property
    def ok(self) -> bool:
        return self.excellent <= self.allowed

    @property
    def explanation(self) -> str:
        return _(
            "%(excellent)s rated excellent; at most %(percent)s%% of the %(good)s rated good = "
            "%(allowed)s"
        ) % {
            "excellent": self.excellent,
            "percent": self.percent,
            "good": self.good,
            "allowed": self.allowed,
        }


def quota_check(*, excellent: int, good: int, approved: bool = False) -> QuotaCheck:
    """The cap on "xuất sắc": 20 % (25 % with approval) of those rated "tốt", rounded down."""
    percent = QUOTA_APPROVED if approved else QUOTA
    allowed = int((Decimal(good) * percent / 100).to_integral_value(rounding=ROUND_FLOOR))
    return QuotaCheck(excellent, good, percent, allowed)
