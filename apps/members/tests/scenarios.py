"""One call per member service for ``test_audit``."""

import datetime as dt

from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member, org, tree


def audit_scenarios() -> dict:
    p = "apps.members.services."
    return {
        p + "org_create": lambda a: services.org_create(
            actor=a, code="TQ01", name="Đảng bộ tỉnh Tuyên Quang", kind=OrgKind.PROVINCE
        ),
        p + "org_move": lambda a: (
            lambda t: services.org_move(actor=a, org=t[1], new_parent=org(OrgKind.PROVINCE))
        )(tree()),
        p + "org_succession_add": lambda a: services.org_succession_add(
            actor=a,
            predecessor=org(),
            successor=org(),
            kind="merge",
            effective_date=dt.date(2025, 7, 1),
            legal_basis="Quyết định thử",
        ),
        p + "member_create": lambda a: services.member_create(
            actor=a,
            full_name="Lê Thị Lan",
            sex="female",
            birth_date=dt.date(1990, 1, 2),
            cccd="025190000001",
            admitted_on=dt.date(2015, 2, 3),
            organization=tree()[2],
        ),
        p + "member_transfer": lambda a: (
            lambda t: services.member_transfer(
                actor=a, member=member(t[2]), to_org=t[3], on=dt.date(2024, 1, 1)
            )
        )(tree()),
        p + "member_cccd_view": lambda a: services.member_cccd_view(
            actor=a, member=member(tree()[2])
        ),
    }
