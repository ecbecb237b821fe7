"""Statistics of a subtree on a day, checked against counts made by hand: who is on the rolls,
status, sex, age bands at their boundaries, ethnicity, CCCD and card coverage."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.members import selectors, services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member, org, tree

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 12, 31)


@pytest.fixture
def subtree():
    province, grassroots, cell, lone = tree()
    elsewhere = org(OrgKind.GRASSROOTS_CELL, org(OrgKind.PROVINCE))
    # 30 on the day exactly (born 31/12/1995): in the 30–39 band.
    member(
        cell,
        full_name="A",
        birth_date=dt.date(1995, 12, 31),
        cccd="025095000001",
        admitted_on=dt.date(2020, 1, 1),
        status="full",
        ethnicity="Kinh",
        card_number="1",
        card_issued_on=dt.date(2025, 5, 19),
    )
    # 29 on the day (born 01/01/1996): under 30.
    member(
        cell,
        full_name="B",
        sex="female",
        birth_date=dt.date(1996, 1, 1),
        cccd="",
        admitted_on=dt.date(2021, 1, 1),
        ethnicity="Mường",
        card_number="2",
        card_issued_on=dt.date(2019, 5, 19),
    )
    member(
        lone,
        full_name="C",
        birth_date=dt.date(1960, 6, 1),
        cccd="025060000003",
        admitted_on=dt.date(1985, 1, 1),
        status="full",
        ethnicity="Kinh",
    )
    # Admitted after the day: not yet on the rolls.
    member(
        lone,
        full_name="D",
        birth_date=dt.date(1990, 6, 1),
        cccd="",
        admitted_on=dt.date(2026, 3, 1),
    )
    # Left: not counted.
    member(
        lone,
        full_name="E",
        birth_date=dt.date(1970, 6, 1),
        cccd="",
        admitted_on=dt.date(1995, 1, 1),
        status="left",
        status_reason="Xóa tên",
    )
    # Another province: not in the subtree.
    member(
        elsewhere,
        full_name="F",
        birth_date=dt.date(1980, 6, 1),
        cccd="",
        admitted_on=dt.date(2005, 1, 1),
    )
    return province, grassroots


def test_statistics_of_a_province(subtree):
    province, _grassroots = subtree
    stats = selectors.member_statistics(province, on=ON)
    assert stats.total == 3
    assert stats.by_status == {"probationary": 1, "full": 2, "exempt": 0, "suspended": 0}
    assert stats.by_sex == {"male": 2, "female": 1}
    assert dict(stats.by_age) == {"dưới 30": 1, "30–39": 1, "40–49": 0, "50–59": 0, "60 trở lên": 1}
    assert stats.by_ethnicity == [("Kinh", 2), ("Mường", 1)]
    assert (stats.with_cccd, stats.cccd_percent) == (2, Decimal("66.67"))
    assert (stats.renewed_cards, stats.card_percent) == (1, Decimal("33.33"))


def test_statistics_of_a_smaller_subtree_and_another_day(subtree):
    _province, grassroots = subtree
    assert selectors.member_statistics(grassroots, on=ON).total == 2
    assert selectors.member_statistics(grassroots, on=dt.date(2020, 12, 31)).total == 1


def test_statistics_page(client, subtree):
    from apps.accounts.choices import Role
    from apps.accounts.tests.factories import UserFactory
    from apps.organizations.tests.factories import UnitFactory

    province, _grassroots = subtree
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    page = client.get(f"/party/orgs/{province.pk}/statistics/?on=2025-12-31").content.decode()
    assert 'data-figure="total">3<' in page
    assert "66,67%" in page and "33,33%" in page
    services.org_create(actor=None, code="X1", name="Khác", kind=OrgKind.PROVINCE)
    assert client.get(f"/party/orgs/{province.pk}/statistics/?on=bad").status_code == 200
