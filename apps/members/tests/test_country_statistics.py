"""The whole country's statistics: each province's grouped figures equal ``member_statistics``,
``classification_summary`` and ``badges_due_under`` for that root, in a fixed number of queries
whatever the number of provinces; the page is for central staff and viewers; the Excel export."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import selectors, services
from apps.members.choices import GapReason, MemberStatus, OrgKind
from apps.members.exports_country import COUNT_FORMAT, PERCENT_FORMAT
from apps.members.models import MemberGap, MemberStatusChange
from apps.members.party_age import next_round
from apps.members.selectors_orgs import country_statistics
from apps.members.tests.factories import member, org
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 12, 31)
CCCD_YEARS = {"male": "0", "female": "1"}


def _cccd(n, sex, born):
    return f"025{CCCD_YEARS[sex]}{born.year % 100:02d}{n:06d}"


def province_with_members(name, count, *, offset):
    province = org(OrgKind.PROVINCE, name=name)
    grassroots = org(OrgKind.GRASSROOTS, province)
    cells = [org(OrgKind.CELL, grassroots), org(OrgKind.GRASSROOTS_CELL, province)]
    people = []
    for i in range(count):
        n = offset + i
        sex = "female" if i % 3 == 0 else "male"
        born = dt.date(1950 + (i * 7) % 50, 1 + i % 12, 1 + i % 27)
        admitted = dt.date(born.year + 20 + i % 30, 5, 19)
        if i % 4 == 0:  # veterans: due a badge
            born, admitted = dt.date(1955, 1 + i % 12, 1 + i % 27), dt.date(1980 + i % 12, 5, 19)
        admitted = min(admitted, dt.date(2025, 11, 1))
        status = [MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT][i % 3]
        people.append(
            member(
                cells[i % 2],
                full_name=f"Người Thử {n}",
                sex=sex,
                birth_date=born,
                cccd=_cccd(n, sex, born) if i % 5 else "",
                admitted_on=admitted,
                status=status,
                status_reason="Tuổi cao" if status == MemberStatus.EXEMPT else "",
                card_number=f"C{n:06d}" if i % 2 else "",
                card_issued_on=dt.date(2025, 3, 1) if i % 2 else None,
            )
        )
    return province, people


@pytest.fixture
def country():
    phu_tho, people = province_with_members("Đảng bộ tỉnh Phú Thọ", 14, offset=1)
    cao_bang, others = province_with_members("Đảng bộ tỉnh Cao Bằng", 9, offset=100)
    empty = org(OrgKind.PROVINCE, name="Đảng bộ tỉnh Lai Châu")
    # A member who left, one admitted after the day: not on the rolls.
    left = people[1]
    left.status, left.status_reason = MemberStatus.LEFT, "Chuyển ra ngoài"
    left.save()
    # Classification of 2024 (the year before ON).
    classified = [p for p in people[2:] if p.admitted_on <= dt.date(2024, 6, 30)][:5]
    for person, score in zip(classified, [85, 80, 75, 60, 40], strict=True):
        person.status = MemberStatus.FULL
        person.save()
        services.classification_record(actor=None, member=person, year=2024, score=score)
    services.classification_record(actor=None, member=others[1], year=2024, score=85)
    # A badge already given, and a member with a gap (counted with the full rule).
    services.badge_award(
        actor=None,
        member=people[0],
        years=30,
        awarded_on=dt.date(2020, 5, 19),
        number="HH-1",
    )
    MemberGap.objects.create(
        member=others[0],
        start=dt.date(1995, 1, 1),
        end=dt.date(1997, 1, 1),
        reason=GapReason.LOST_CONTACT,
    )
    # Status changed after the day: on ON the member still counts with the status before.
    changed = others[2]
    changed.status_since = dt.date(2026, 1, 15)
    changed.save()
    MemberStatusChange.objects.create(
        member=changed,
        on=dt.date(2026, 1, 15),
        from_status=MemberStatus.FULL,
        to_status=changed.status,
    )
    return [phu_tho, cao_bang, empty]


def test_each_province_equals_the_per_root_selectors(country, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        stats = country_statistics(on=ON)
    assert [r.org.name for r in stats.rows] == [
        "Đảng bộ tỉnh Cao Bằng",
        "Đảng bộ tỉnh Lai Châu",
        "Đảng bộ tỉnh Phú Thọ",
    ]
    round_on = next_round(ON)
    assert stats.round_on == round_on and stats.classification_year == 2024
    for row in stats.rows:
        expected = selectors.member_statistics(row.org, on=ON)
        assert row.total == expected.total
        assert row.by_status == expected.by_status
        assert row.women == expected.by_sex["female"]
        assert row.women_percent == expected.share(expected.by_sex["female"])
        assert (row.with_cccd, row.cccd_percent) == (expected.with_cccd, expected.cccd_percent)
        assert (row.renewed_cards, row.card_percent) == (
            expected.renewed_cards,
            expected.card_percent,
        )
        summary = selectors.classification_summary(row.org, year=2024)
        assert (row.classified, row.good_or_better) == (
            summary.classified,
            summary.good_or_better,
        )
        assert row.good_or_better_percent == summary.good_or_better_percent
        assert row.badges_due == len(selectors.badges_due_under(row.org, round_on=round_on))
    phu_tho = stats.rows[2]
    assert phu_tho.total == 13 and phu_tho.classified == 5 and phu_tho.good_or_better == 3
    assert phu_tho.badges_due > 0
    total = stats.total
    assert total.total == sum(r.total for r in stats.rows)
    assert total.badges_due == sum(r.badges_due for r in stats.rows)
    assert total.by_status[MemberStatus.FULL] == sum(r.by_status["full"] for r in stats.rows)


def test_the_number_of_queries_does_not_grow_with_provinces(django_assert_max_num_queries):
    for i in range(6):
        province_with_members(f"Đảng bộ tỉnh {i}", 2, offset=500 + 10 * i)
    with django_assert_max_num_queries(8):
        assert len(country_statistics(on=ON).rows) == 6


@pytest.fixture
def users():
    own = UnitFactory(short_name="Phú Thọ")
    return {
        "central": UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")),
        "viewer": UserFactory(role=Role.VIEWER, unit=own),
        "officer": UserFactory(role=Role.UNIT_OFFICER, unit=own),
    }


def test_the_page_for_central_staff_and_viewers_only(client, country, users):
    for name in ("central", "viewer"):
        client.force_login(users[name])
        response = client.get("/party/statistics/?on=2025-12-31")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Đảng bộ tỉnh Phú Thọ" in page and 'data-root="total"' in page
        assert page.count("<tr data-root=") == 4
    client.force_login(users["officer"])
    assert client.get("/party/statistics/").status_code == 403
    assert client.get("/party/statistics/export/").status_code == 403
    # The tree's first page links to it for those who may see it.
    assert "/party/statistics/" not in client.get("/party/").content.decode()
    client.force_login(users["central"])
    assert "/party/statistics/" in client.get("/party/").content.decode()


def test_excel_export_has_a_row_per_province_and_the_total(client, country, users):
    client.force_login(users["central"])
    response = client.get("/party/statistics/export/?on=2025-12-31")
    assert response.status_code == 200
    assert "thong-ke-dang-vien-2025-12-31.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [ws.cell(row=r, column=1).value for r in range(5, 9)]
    assert names[:3] == ["Đảng bộ tỉnh Cao Bằng", "Đảng bộ tỉnh Lai Châu", "Đảng bộ tỉnh Phú Thọ"]
    stats = country_statistics(on=ON)
    assert ws.cell(row=7, column=2).value == stats.rows[2].total
    assert ws.cell(row=8, column=2).value == stats.total.total
    assert ws.cell(row=8, column=2).number_format == COUNT_FORMAT
    assert ws.cell(row=7, column=7).number_format == PERCENT_FORMAT  # women
