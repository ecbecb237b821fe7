"""The support fund of cluster 1 as the seeds tell it, entered through the services.

2023 (conference of 01/12/2023): 70,000,000 đ per locality to Bắc Kạn, Hà Giang, Hà Nội, Phú Thọ
and Vĩnh Phúc, the level the conference agreed. 2025 (conference of 05/12/2025): support handed to
Cao Bằng, Thái Nguyên and Sơn La; the seeds do not give the amount, so the 2023 level is used.
The contributions that funded them are illustrative (an equal share per member unit); the purpose
says so. Idempotent: a term whose ledger has entries is left alone.
"""

from __future__ import annotations

import datetime as dt

from apps.funds import services
from apps.organizations.models import ClusterTerm

PER_LOCALITY = 70_000_000
PURPOSE = "Hỗ trợ xây nhà tình nghĩa cho công chức ngành có hoàn cảnh đặc biệt khó khăn"
SHARE = "Đóng góp kinh phí hỗ trợ của Cụm (mức đóng góp minh họa)"
YEARS = {
    2023: {
        "share": 25_000_000,
        "paid_in": dt.date(2023, 11, 20),
        "handed": dt.date(2023, 12, 1),
        "recipients": ["Bắc Kạn", "Hà Giang", "Hà Nội", "Phú Thọ", "Vĩnh Phúc"],
    },
    2025: {
        "share": 25_000_000,
        "paid_in": dt.date(2025, 11, 28),
        "handed": dt.date(2025, 12, 5),
        "recipients": ["Cao Bằng", "Thái Nguyên", "Sơn La"],
    },
}


def load_demo_fund(*, term: ClusterTerm) -> int:
    """The demo ledger of ``term`` (2023 or 2025); returns the number of entries written."""
    plan = YEARS.get(term.year)
    if plan is None or term.fund_entries.exists():
        return 0
    members = {m.unit.short_name: m.unit for m in term.memberships.select_related("unit")}
    written = 0
    for unit in sorted(members.values(), key=lambda u: u.sort_key):
        services.fund_contribution_add(
            actor=None,
            term=term,
            unit=unit,
            amount=plan["share"],
            occurred_on=plan["paid_in"],
            purpose=SHARE,
        )
        written += 1
    for name in plan["recipients"]:
        services.fund_disbursement_add(
            actor=None,
            term=term,
            unit=members[name],
            amount=PER_LOCALITY,
            occurred_on=plan["handed"],
            purpose=PURPOSE,
        )
        written += 1
    return written
