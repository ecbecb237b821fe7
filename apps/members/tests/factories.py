"""Building a small tree and members through the real services."""

import datetime as dt

from apps.members import services
from apps.members.choices import OrgKind

_counter = iter(range(1, 10_000_000))


def org(kind=OrgKind.PROVINCE, parent=None, name=None):
    n = next(_counter)
    return services.org_create(
        actor=None, code=f"T{n:06d}", name=name or f"Tổ chức thử {n}", kind=kind, parent=parent
    )


def tree():
    """province → grassroots committee → cell, and province → grassroots cell."""
    province = org(OrgKind.PROVINCE, name="Đảng bộ tỉnh Phú Thọ")
    grassroots = org(OrgKind.GRASSROOTS, province, name="Đảng bộ Cơ quan Ban Tổ chức")
    cell = org(OrgKind.CELL, grassroots, name="Chi bộ Phòng Tổ chức đảng")
    lone = org(OrgKind.GRASSROOTS_CELL, province, name="Chi bộ xã Thử")
    return province, grassroots, cell, lone


def member(cell, **fields):
    data = {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": dt.date(1985, 4, 12),
        "cccd": "025085012345",
        "admitted_on": dt.date(2010, 5, 19),
        "organization": cell,
    }
    data.update(fields)
    return services.member_create(actor=None, **data)
