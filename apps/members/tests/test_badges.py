"""Badges due in a round for a subtree (gaps subtracted, awarded ones left out) and awarding one
(only when due, on an award day, with a unique number)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.members import selectors, services
from apps.members.models import MemberGap
from apps.members.tests.factories import member, tree

pytestmark = pytest.mark.django_db

ROUND = dt.date(2026, 2, 3)


@pytest.fixture
def people():
    province, _grassroots, cell, _lone = tree()
    thirty = member(
        cell,
        full_name="Ba Mươi",
        cccd="",
        admitted_on=dt.date(1996, 2, 3),
        birth_date=dt.date(1970, 1, 1),
    )
    short = member(
        cell,
        full_name="Thiếu Tháng",
        cccd="",
        admitted_on=dt.date(1996, 2, 4),
        birth_date=dt.date(1970, 1, 1),
    )
    gap = member(
        cell,
        full_name="Gián Đoạn",
        cccd="",
        admitted_on=dt.date(1990, 2, 3),
        birth_date=dt.date(1965, 1, 1),
    )
    MemberGap.objects.create(
        member=gap, start=dt.date(2000, 1, 1), end=dt.date(2007, 1, 1), reason="removed"
    )  # 35 years since admission, 28 counted
    forty_five = member(
        cell,
        full_name="Bốn Lăm",
        cccd="",
        admitted_on=dt.date(1981, 1, 1),
        birth_date=dt.date(1955, 1, 1),
    )
    return province, thirty, short, gap, forty_five


def test_badges_due_in_a_round(people):
    province, thirty, short, gap, forty_five = people
    due = {
        d.member.full_name: d.years for d in selectors.badges_due_under(province, round_on=ROUND)
    }
    assert due == {"Ba Mươi": 30, "Bốn Lăm": 45}
    early = {
        d.member.full_name: d.years
        for d in selectors.badges_due_under(province, round_on=ROUND, early="ill")
    }
    assert early["Thiếu Tháng"] == 30 and early["Gián Đoạn"] == 30


def test_awarding_a_badge(people):
    province, thirty, short, _gap, forty_five = people
    services.badge_award(actor=None, member=thirty, years=30, awarded_on=ROUND, number="HH-0001")
    assert "Ba Mươi" not in {
        d.member.full_name for d in selectors.badges_due_under(province, round_on=ROUND)
    }
    with pytest.raises(ValidationError, match="đã được ghi nhận"):
        services.badge_award(
            actor=None, member=forty_five, years=45, awarded_on=ROUND, number="HH-0001"
        )
    with pytest.raises(ValidationError, match="không đến hạn"):
        services.badge_award(actor=None, member=short, years=30, awarded_on=ROUND, number="HH-0002")
    services.badge_award(
        actor=None, member=short, years=30, awarded_on=ROUND, number="HH-0002", early_reason="ill"
    )
    with pytest.raises(ValidationError, match="3/2, 19/5, 2/9"):
        services.badge_award(
            actor=None,
            member=forty_five,
            years=45,
            awarded_on=dt.date(2026, 2, 4),
            number="HH-0003",
        )


def test_badges_page(client, people):
    from apps.accounts.choices import Role
    from apps.accounts.tests.factories import UserFactory
    from apps.organizations.tests.factories import UnitFactory

    province = people[0]
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    page = client.get(f"/party/orgs/{province.pk}/badges/?round_on=2026-02-03").content.decode()
    assert "Ba Mươi" in page and "Bốn Lăm" in page and "Thiếu Tháng" not in page
    assert "30 năm 0 tháng" in page
    page = client.get(
        f"/party/orgs/{province.pk}/badges/?round_on=2026-02-03&early=ill"
    ).content.decode()
    assert "Thiếu Tháng" in page
