"""Corrections with optimistic locking, the dated status history (and statistics on a past day
read from it), leaving and re-admission through gaps, and merging two records of one person
keeping both histories."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.members import selectors, services
from apps.members.choices import OrgKind
from apps.members.models import (
    Member,
    MemberBadge,
    MemberClassification,
    MemberGap,
    MemberMerge,
    MemberStatusChange,
    MemberTransfer,
)
from apps.members.party_age import Gap, party_age_months
from apps.members.tests.factories import member, org, tree
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    return tree()[2]


# --- corrections ----------------------------------------------------------------------------


def test_a_correction_records_only_what_changed(cell):
    someone = member(cell)
    services.member_update(
        actor=None, member=someone, ethnicity="Tày", theory_level="Trung cấp", religion=""
    )
    someone.refresh_from_db()
    assert (someone.ethnicity, someone.theory_level) == ("Tày", "Trung cấp")
    event = AuditEvent.objects.filter(action="member.update").get()
    assert event.before == {"ethnicity": "", "theory_level": ""}
    assert event.after == {"ethnicity": "Tày", "theory_level": "Trung cấp"}
    # The same values again: nothing recorded.
    services.member_update(actor=None, member=someone, ethnicity="Tày")
    assert AuditEvent.objects.filter(action="member.update").count() == 1


def test_a_correction_is_checked_like_a_new_record(cell):
    someone = member(cell)
    other = member(cell, full_name="Trần Văn Bình", cccd="025085000002")
    with pytest.raises(ValidationError) as error:
        services.member_update(actor=None, member=someone, sex="female")  # CCCD says male
    assert "cccd" in error.value.message_dict
    with pytest.raises(ValidationError, match="Trần Văn Bình"):
        services.member_update(actor=None, member=someone, cccd=other.cccd)
    with pytest.raises(ValidationError, match="status"):
        services.member_update(actor=None, member=someone, status="left")
    someone.refresh_from_db()
    assert someone.sex == "male" and someone.cccd == "025085012345"


def test_a_record_saved_since_the_form_opened_is_not_overwritten(cell):
    someone = member(cell)
    opened_at = someone.updated_at
    first = UserFactory(role=Role.UNIT_OFFICER, unit=UnitFactory(), username="can.bo.a")
    services.member_update(
        actor=first, member=someone, expected_updated_at=opened_at, ethnicity="Tày"
    )
    with pytest.raises(ValidationError, match="can.bo.a") as error:
        services.member_update(
            actor=None, member=someone, expected_updated_at=opened_at, ethnicity="Nùng"
        )
    assert error.value.code == "stale"
    someone.refresh_from_db()
    assert someone.ethnicity == "Tày"


# --- the dated status -------------------------------------------------------------------------


def test_status_changes_are_dated_and_checked(cell):
    someone = member(cell, full_member_on=dt.date(2011, 5, 19), status="full")
    with pytest.raises(ValidationError, match="lý do"):
        services.member_status_change(
            actor=None, member=someone, status="exempt", on=dt.date(2024, 1, 1)
        )
    with pytest.raises(ValidationError) as error:
        services.member_status_change(
            actor=None, member=someone, status="exempt", on=dt.date(2099, 1, 1), reason="x"
        )
    assert "on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # before admission
        services.member_status_change(
            actor=None, member=someone, status="exempt", on=dt.date(2009, 1, 1), reason="x"
        )
    assert "on" in error.value.message_dict
    with pytest.raises(ValidationError, match="đã ở trạng thái"):
        services.member_status_change(
            actor=None, member=someone, status="full", on=dt.date(2024, 1, 1)
        )
    change = services.member_status_change(
        actor=None, member=someone, status="exempt", on=dt.date(2024, 3, 1), reason="Tuổi cao"
    )
    someone.refresh_from_db()
    assert (someone.status, someone.status_since, someone.status_reason) == (
        "exempt",
        dt.date(2024, 3, 1),
        "Tuổi cao",
    )
    assert (change.from_status, change.to_status) == ("full", "exempt")
    # Not before the current status began.
    with pytest.raises(ValidationError) as error:
        services.member_status_change(
            actor=None, member=someone, status="full", on=dt.date(2024, 2, 1)
        )
    assert "01/03/2024" in str(error.value)


def test_probation_ends_with_the_change_to_full(cell):
    someone = member(cell)
    assert someone.status == "probationary" and someone.full_member_on is None
    services.member_status_change(
        actor=None, member=someone, status="full", on=dt.date(2011, 5, 19)
    )
    someone.refresh_from_db()
    assert someone.full_member_on == dt.date(2011, 5, 19)


def test_leaving_opens_a_gap_and_readmission_closes_it(cell):
    someone = member(cell, full_member_on=dt.date(2011, 5, 19), status="full")
    with pytest.raises(ValidationError) as error:
        services.member_status_change(
            actor=None, member=someone, status="left", on=dt.date(2015, 5, 19), reason="QĐ 12"
        )
    assert "gap_reason" in error.value.message_dict
    services.member_status_change(
        actor=None,
        member=someone,
        status="left",
        on=dt.date(2015, 5, 19),
        reason="Quyết định xóa tên số 12",
        gap_reason="removed",
    )
    gap = MemberGap.objects.get(member=someone)
    assert (gap.start, gap.end, gap.reason) == (dt.date(2015, 5, 19), None, "removed")
    services.member_status_change(
        actor=None, member=someone, status="probationary", on=dt.date(2017, 5, 19)
    )
    gap.refresh_from_db()
    assert gap.end == dt.date(2017, 5, 19)
    # Party age counts from the first admission minus the two years out.
    gaps = [Gap(g.start, g.end) for g in someone.gaps.all()]
    assert party_age_months(someone.admitted_on, dt.date(2020, 5, 19), gaps) == 10 * 12 - 24


def test_statistics_on_a_past_day_read_the_status_then(cell):
    full = {"full_member_on": dt.date(2011, 5, 19), "status": "full"}
    stays = member(cell, **full)
    leaves = member(
        cell, full_name="Lê Văn Cường", cccd="025080000003", birth_date=dt.date(1980, 1, 1), **full
    )
    rests = member(
        cell, full_name="Phạm Văn Dũng", cccd="025075000004", birth_date=dt.date(1975, 1, 1), **full
    )
    services.member_status_change(
        actor=None, member=rests, status="exempt", on=dt.date(2025, 3, 1), reason="Tuổi cao"
    )
    services.member_status_change(
        actor=None,
        member=leaves,
        status="left",
        on=dt.date(2025, 6, 1),
        reason="Quyết định khai trừ",
        gap_reason="expelled",
    )
    root = cell.parent.parent

    def figures(day):
        stats = selectors.member_statistics(root, on=day)
        return stats.total, stats.by_status["full"], stats.by_status["exempt"]

    assert figures(dt.date(2025, 2, 28)) == (3, 3, 0)
    assert figures(dt.date(2025, 3, 1)) == (3, 2, 1)
    assert figures(dt.date(2025, 5, 31)) == (3, 2, 1)
    assert figures(dt.date(2025, 6, 1)) == (2, 1, 1)
    assert stays.status == "full"
    # Two changes after the day: the status before the first of them.
    services.member_status_change(actor=None, member=rests, status="full", on=dt.date(2025, 9, 1))
    assert figures(dt.date(2025, 2, 1)) == (3, 3, 0)
    assert figures(dt.date(2025, 4, 1)) == (3, 2, 1)
    assert figures(dt.date(2025, 10, 1)) == (2, 2, 0)


# --- merging duplicates --------------------------------------------------------------------------


def _pair(cell):
    keep = member(cell, full_member_on=dt.date(2011, 5, 19), status="full", card_number=None)
    other_cell = org(OrgKind.GRASSROOTS_CELL, cell.parent.parent)
    twin = member(
        other_cell,
        full_name="Nguyen Van An",
        cccd="",
        card_number="25000077",
        card_issued_on=dt.date(2025, 5, 19),
        admitted_on=dt.date(2010, 5, 19),
        confirm_duplicate=True,
    )
    return keep, twin


def test_merge_keeps_both_histories(cell):
    keep, twin = _pair(cell)
    services.member_transfer(actor=None, member=twin, to_org=cell, on=dt.date(2020, 1, 1))
    services.classification_record(actor=None, member=twin, year=2024, score=80)
    services.classification_record(actor=None, member=keep, year=2025, score=75)
    services.member_status_change(
        actor=None, member=twin, status="exempt", on=dt.date(2023, 1, 1), reason="Ốm"
    )
    merge = services.member_merge(actor=None, keep=keep, remove=twin, reason="Nhập hai lần")
    assert not Member.objects.filter(pk=twin.pk).exists()
    keep.refresh_from_db()
    assert keep.card_number == "25000077" and keep.card_issued_on == dt.date(2025, 5, 19)
    assert keep.cccd == "025085012345"  # its own, kept
    assert MemberTransfer.objects.filter(member=keep).count() == 1
    assert sorted(
        MemberClassification.objects.filter(member=keep).values_list("year", flat=True)
    ) == [2024, 2025]
    assert MemberStatusChange.objects.filter(member=keep).count() == 1
    assert merge.removed["full_name"] == "Nguyen Van An" and merge.removed_id == twin.pk
    assert merge.moved["members.MemberTransfer.member"] == 1
    event = AuditEvent.objects.get(action="member.merge")
    assert event.before["removed"] == twin.pk and "card_number" in event.after["filled"]
    # A later merge into the same record keeps the earlier merge's history too.
    third = member(
        cell,
        full_name="Nguyễn Văn  An",
        cccd="",
        admitted_on=dt.date(2010, 5, 19),
        confirm_duplicate=True,
    )
    services.member_merge(actor=None, keep=third, remove=keep, reason="Còn một bản nữa")
    assert MemberMerge.objects.filter(kept=third).count() == 2


def test_merge_refusals_change_nothing(cell):
    keep, twin = _pair(cell)
    services.classification_record(actor=None, member=twin, year=2024, score=80)
    services.classification_record(actor=None, member=keep, year=2024, score=60)
    with pytest.raises(ValidationError, match="2024"):
        services.member_merge(actor=None, keep=keep, remove=twin, reason="x")
    with pytest.raises(ValidationError) as error:
        services.member_merge(actor=None, keep=keep, remove=twin, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError, match="hai hồ sơ khác nhau"):
        services.member_merge(actor=None, keep=keep, remove=keep, reason="x")
    stranger = member(cell, full_name="Đỗ Văn Hùng", cccd="", birth_date=dt.date(1985, 4, 12))
    with pytest.raises(ValidationError, match="cùng họ tên và ngày sinh"):
        services.member_merge(actor=None, keep=keep, remove=stranger, reason="x")
    namesake = member(cell, cccd="025085099999", card_number=None, confirm_duplicate=True)
    with pytest.raises(ValidationError, match="số định danh khác nhau"):
        services.member_merge(actor=None, keep=keep, remove=namesake, reason="x")
    assert Member.objects.filter(pk=twin.pk).exists() and not MemberMerge.objects.exists()
    assert MemberClassification.objects.filter(member=twin).count() == 1
    assert not MemberBadge.objects.exists()


def test_duplicates_of_a_subtree(cell):
    keep, twin = _pair(cell)
    member(
        cell,
        full_name="Trần Thị Bình",
        sex="female",
        cccd="025190000002",
        birth_date=dt.date(1990, 2, 3),
    )
    groups = selectors.duplicates_under(cell.parent.parent)
    assert [{m.pk for m in g} for g in groups] == [{keep.pk, twin.pk}]
    assert selectors.duplicates_under(cell) == []  # the twin is in another cell


# --- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def kept_tree():
    own = UnitFactory(short_name="Phú Thọ")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    cell = services.org_create(
        actor=None, code="PT-1", name="Chi bộ 1", kind=OrgKind.GRASSROOTS_CELL, parent=province
    )
    return province, cell, UserFactory(role=Role.UNIT_OFFICER, unit=own)


def test_edit_page_keeps_typed_values_and_names_who_saved_first(client, kept_tree):
    province, cell, officer = kept_tree
    someone = member(cell)
    client.force_login(officer)
    page = client.get(f"/party/members/{someone.pk}/edit/").content.decode()
    assert 'name="version"' in page and 'value="Nguyễn Văn An"' in page
    version = someone.updated_at.isoformat()
    data = {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "1985-04-12",
        "cccd": "025085012345",
        "ethnicity": "Dao",
        "admitted_on": "2010-05-19",
        "version": version,
    }
    response = client.post(f"/party/members/{someone.pk}/edit/", data)
    assert response.status_code == 302
    # A second form opened at the same version: refused, the typed value kept on the form.
    response = client.post(f"/party/members/{someone.pk}/edit/", {**data, "ethnicity": "Nùng"})
    page = response.content.decode()
    assert response.status_code == 200 and "sau khi bạn mở" in page and 'value="Nùng"' in page
    someone.refresh_from_db()
    assert someone.ethnicity == "Dao"


def test_status_page_and_history_on_the_record(client, kept_tree):
    province, cell, officer = kept_tree
    someone = member(cell, full_member_on=dt.date(2011, 5, 19), status="full")
    client.force_login(officer)
    response = client.post(
        f"/party/members/{someone.pk}/status/", {"status": "exempt", "on": "2025-01-02"}
    )
    assert (
        response.status_code == 200 and "Nhập lý do của trạng thái này" in response.content.decode()
    )
    response = client.post(
        f"/party/members/{someone.pk}/status/",
        {"status": "exempt", "on": "2025-01-02", "reason": "Tuổi cao, sức yếu"},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="status-history"' in page and "Tuổi cao, sức yếu" in page and "02/01/2025" in page


def test_duplicates_and_merge_pages(client, kept_tree):
    province, cell, officer = kept_tree
    keep = member(cell)
    twin = member(cell, cccd="", admitted_on=dt.date(2011, 1, 1), confirm_duplicate=True)
    client.force_login(officer)
    page = client.get(f"/party/orgs/{province.pk}/duplicates/").content.decode()
    assert f"/party/members/{keep.pk}/merge/{twin.pk}/" in page
    page = client.get(f"/party/members/{keep.pk}/merge/{twin.pk}/").content.decode()
    assert 'id="pair"' in page and 'id="merge"' in page
    response = client.post(
        f"/party/members/{keep.pk}/merge/{twin.pk}/", {"reason": "Nhập hai lần"}, follow=True
    )
    assert 'id="merges"' in response.content.decode()
    assert not Member.objects.filter(pk=twin.pk).exists()
    page = client.get(f"/party/orgs/{province.pk}/duplicates/").content.decode()
    assert 'id="no-duplicates"' in page
    # Another unit's staff cannot see or merge these records.
    client.force_login(UserFactory(role=Role.UNIT_OFFICER, unit=UnitFactory()))
    assert client.get(f"/party/members/{keep.pk}/edit/").status_code == 403
    assert client.get(f"/party/orgs/{province.pk}/duplicates/").status_code == 403
