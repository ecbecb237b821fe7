"""Classification under QĐ 366: levels on both sides of 50/70/90, disqualification, who is not
classified (exempt, suspended, admitted in the last 6 months), the 20 %/25 % quota of "xuất sắc",
and the roll-up against a target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.members import selectors, services
from apps.members.classification import exclusion_reason, level_for, quota_check
from apps.members.models import MemberClassification
from apps.members.tests.factories import member, tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (90, "excellent"),
        (Decimal("89.99"), "good"),
        (70, "good"),
        (Decimal("69.5"), "complete"),
        (50, "complete"),
        (Decimal("49.99"), "incomplete"),
        (100, "excellent"),
        (0, "incomplete"),
    ],
)
def test_levels(score, level):
    assert level_for(Decimal(score)) == level


def test_disqualification_overrides_the_score():
    assert level_for(Decimal(95), disqualified=True) == "incomplete"


@pytest.mark.parametrize(
    ("excellent", "good", "approved", "ok"),
    [
        (1, 5, False, True),
        (2, 5, False, False),
        (2, 10, False, True),
        (3, 10, False, False),
        (2, 8, True, True),
        (3, 8, True, False),
        (1, 4, False, False),
        (1, 4, True, True),
    ],
)
def test_quota_of_excellent(excellent, good, approved, ok):
    assert quota_check(excellent=excellent, good=good, approved=approved).ok is ok


def _people(n, cell, start=0):
    return [
        member(
            cell,
            full_name=f"Đảng viên {i}",
            cccd="",
            birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i),
            admitted_on=dt.date(2010, 1, 1),
        )
        for i in range(start, start + n)
    ]


def test_exclusions():
    *_rest, cell, _lone = tree()
    exempt = member(cell, full_name="Miễn", cccd="", status="exempt", status_reason="Tuổi cao")
    recent = member(
        cell,
        full_name="Mới",
        cccd="",
        admitted_on=dt.date(2025, 7, 1),
        birth_date=dt.date(1990, 1, 1),
    )
    on_time = member(
        cell,
        full_name="Đủ",
        cccd="",
        admitted_on=dt.date(2025, 6, 30),
        birth_date=dt.date(1991, 1, 1),
    )
    assert exclusion_reason(exempt, 2025) == "miễn sinh hoạt"
    assert "dưới 6 tháng" in exclusion_reason(recent, 2025)
    assert exclusion_reason(on_time, 2025) is None
    with pytest.raises(ValidationError, match="không được xếp loại"):
        services.classification_record(actor=None, member=recent, year=2025, score=80)
    assert not MemberClassification.objects.exists()


def test_recording_respects_the_cells_quota_and_rolls_up():
    province, _grassroots, cell, _lone = tree()
    people = _people(8, cell)
    for person in people[:5]:
        services.classification_record(actor=None, member=person, year=2025, score=80)
    services.classification_record(actor=None, member=people[5], year=2025, score=95)
    with pytest.raises(ValidationError, match="đã đủ"):
        services.classification_record(actor=None, member=people[6], year=2025, score=92)
    services.classification_record(actor=None, member=people[6], year=2025, score=45)
    services.classification_record(
        actor=None, member=people[7], year=2025, score=91, disqualified="Khiển trách 2025"
    )
    summary = selectors.classification_summary(province, year=2025)
    assert summary.by_level == {"good": 5, "excellent": 1, "incomplete": 2}
    assert summary.classified == 8
    assert summary.good_or_better_percent == Decimal("75.00") and not summary.meets_target
    # Reclassifying replaces the year's level (audited), it does not add a second one.
    services.classification_record(actor=None, member=people[6], year=2025, score=75)
    assert selectors.classification_summary(province, year=2025).by_level["good"] == 6
    with pytest.raises(ValidationError, match="0 đến 100"):
        services.classification_record(actor=None, member=people[0], year=2025, score=101)


def test_classification_page(client):
    from apps.accounts.choices import Role
    from apps.accounts.tests.factories import UserFactory
    from apps.organizations.tests.factories import UnitFactory

    province, _grassroots, cell, _lone = tree()
    for person in _people(9, cell):
        services.classification_record(actor=None, member=person, year=2025, score=80)
    services.classification_record(
        actor=None, member=_people(1, cell, start=20)[0], year=2025, score=30
    )
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    page = client.get(f"/party/orgs/{province.pk}/classification/?year=2025").content.decode()
    assert "90% của 10 đảng viên" in page and "text-success" in page
