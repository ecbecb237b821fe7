"""An illustrative slice of Phú Thọ's party organisation tree for the demo (not real people):
the provincial committee kept by Phú Thọ's Organization Board, two grassroots cells and six
members with valid citizen IDs (province code 025)."""

from __future__ import annotations

import datetime as dt

from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import Member, PartyOrganization

MEMBERS = [
    # cell, name, sex, birth date, CCCD, admitted, full member, card
    (
        0,
        "Nguyễn Văn Hùng",
        "male",
        dt.date(1968, 3, 14),
        "025068001201",
        dt.date(1992, 5, 19),
        dt.date(1993, 5, 19),
        "25001201",
    ),
    (
        0,
        "Trần Thị Thu Hà",
        "female",
        dt.date(1979, 9, 2),
        "025179004402",
        dt.date(2003, 2, 3),
        dt.date(2004, 2, 3),
        "25004402",
    ),
    (
        0,
        "Hà Văn Lâm",
        "male",
        dt.date(1990, 11, 20),
        "025090007803",
        dt.date(2016, 9, 2),
        dt.date(2017, 9, 2),
        "25007803",
    ),
    (
        1,
        "Đinh Thị Hoa",
        "female",
        dt.date(1985, 6, 30),
        "025185002104",
        dt.date(2009, 11, 7),
        dt.date(2010, 11, 7),
        "25002104",
    ),
    (
        1,
        "Lê Minh Đức",
        "male",
        dt.date(2001, 1, 15),
        "025201000905",
        dt.date(2025, 5, 19),
        None,
        None,
    ),
    (
        1,
        "Bùi Thị Yến",
        "female",
        dt.date(1975, 12, 8),
        "025175006606",
        dt.date(1996, 2, 3),
        dt.date(1997, 2, 3),
        "25006606",
    ),
]


def load_demo_members(*, unit) -> int:
    """Idempotent; returns the number of members added."""
    if PartyOrganization.objects.filter(code="PT").exists():
        return 0
    province = services.org_create(
        actor=None,
        code="PT",
        name="Đảng bộ tỉnh Phú Thọ (minh họa)",
        kind=OrgKind.PROVINCE,
        managed_by=unit,
        province=unit.province,
    )
    cells = [
        services.org_create(
            actor=None, code=code, name=name, kind=OrgKind.GRASSROOTS_CELL, parent=province
        )
        for code, name in (("PT-001", "Chi bộ xã Hùng Lô"), ("PT-002", "Chi bộ phường Vân Phú"))
    ]
    for cell, name, sex, born, cccd, admitted, full, card in MEMBERS:
        services.member_create(
            actor=None,
            organization=cells[cell],
            full_name=name,
            sex=sex,
            birth_date=born,
            cccd=cccd,
            admitted_on=admitted,
            full_member_on=full,
            status="full" if full else "probationary",
            card_number=card,
            card_issued_on=dt.date(2025, 5, 19) if card else None,
            ethnicity="Kinh",
        )
    return Member.objects.filter(org_path__startswith=province.path).count()
