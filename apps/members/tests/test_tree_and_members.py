"""The organisation tree (kinds under kinds, subtree moves in one call keeping members' paths)
and member records (CCCD checked against the record, unique; duplicates by name and birth date;
transfers kept as history; the full CCCD view audited)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.members import selectors, services
from apps.members.choices import OrgKind
from apps.members.models import Member, PartyOrganization
from apps.members.tests.factories import member, org, tree

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree():
    province, grassroots, cell, lone = tree()
    assert cell.path.startswith(grassroots.path) and grassroots.path.startswith(province.path)
    assert (province.depth, grassroots.depth, cell.depth) == (0, 1, 2)
    assert set(selectors.orgs_under(province)) == {province, grassroots, cell, lone}
    assert set(selectors.orgs_under(grassroots, include_self=False)) == {cell}


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (OrgKind.PROVINCE, OrgKind.PROVINCE),
        (OrgKind.CELL, OrgKind.PROVINCE),
        (OrgKind.SECTION, OrgKind.PROVINCE),
        (OrgKind.GRASSROOTS, None),
    ],
)
def test_kinds_only_under_their_parents(kind, parent_kind):
    parent = org(parent_kind) if parent_kind else None
    before = PartyOrganization.objects.count()
    with pytest.raises(ValidationError) as error:
        org(kind, parent)
    assert "parent" in error.value.message_dict
    assert PartyOrganization.objects.count() == before


def test_codes_are_unique():
    services.org_create(actor=None, code="pt 01", name="Đảng bộ tỉnh", kind=OrgKind.PROVINCE)
    with pytest.raises(ValidationError, match="PT01"):
        services.org_create(actor=None, code="PT01", name="Khác", kind=OrgKind.PROVINCE)


def test_moving_a_subtree_is_one_call_and_keeps_members_under_it():
    province, grassroots, cell, _lone = tree()
    other = org(OrgKind.PROVINCE, name="Đảng bộ tỉnh Tuyên Quang")
    someone = member(cell)
    moved = services.org_move(actor=None, org=grassroots, new_parent=other)
    assert moved == 2
    grassroots.refresh_from_db()
    cell.refresh_from_db()
    someone.refresh_from_db()
    assert grassroots.parent == other and grassroots.path.startswith(other.path)
    assert cell.path.startswith(grassroots.path) and cell.depth == 2
    assert someone.org_path == cell.path
    assert list(selectors.members_under(other)) == [someone]
    assert not selectors.members_under(province).exists()
    event = AuditEvent.objects.filter(action="member.org_move").latest("id")
    assert event.before["parent"] == province.pk and event.after["parent"] == other.pk


def test_cannot_move_under_its_own_subtree():
    province, grassroots, cell, _lone = tree()
    section = org(OrgKind.SECTION, grassroots)
    with pytest.raises(ValidationError, match="chính nó|itself"):
        services.org_move(actor=None, org=grassroots, new_parent=section)
    grassroots.refresh_from_db()
    assert grassroots.parent == province


def test_member_cccd_checked_against_the_record():
    *_rest, cell, _lone = tree()
    with pytest.raises(ValidationError) as error:
        member(cell, cccd="025185012345")  # 1 = female, the record says male
    assert "cccd" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        member(cell, cccd="025086012345")  # born 1986 by the ID, 1985 by the record
    assert "1986" in " ".join(error.value.message_dict["cccd"])
    assert not Member.objects.exists()


def test_cccd_is_unique_and_duplicates_by_name_need_confirmation():
    *_rest, cell, _lone = tree()
    first = member(cell)
    with pytest.raises(ValidationError) as error:
        member(cell, full_name="Trần Văn Bình")  # same CCCD
    assert "Nguyễn Văn An" in " ".join(error.value.message_dict["cccd"])
    with pytest.raises(services.DuplicateMember) as duplicate:
        member(cell, full_name="NGUYEN VAN AN", cccd="")
    assert duplicate.value.existing == [first]
    second = member(cell, full_name="Nguyễn Văn An", cccd="", confirm_duplicate=True)
    assert second.pk != first.pk and second.cccd is None


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"admitted_on": dt.date(2002, 1, 1)}, "admitted_on"),  # aged 16
        ({"full_member_on": dt.date(2009, 1, 1)}, "full_member_on"),
        ({"status": "left"}, "status_reason"),
        ({"sex": "other"}, "sex"),
    ],
)
def test_bad_member_records_are_refused(fields, key):
    *_rest, cell, _lone = tree()
    with pytest.raises(ValidationError) as error:
        member(cell, **fields)
    assert key in error.value.message_dict


def test_members_belong_to_a_cell():
    province, grassroots, _cell, _lone = tree()
    with pytest.raises(ValidationError) as error:
        member(grassroots)
    assert "organization" in error.value.message_dict


def test_transfer_keeps_history():
    *_rest, cell, lone = tree()
    someone = member(cell)
    services.member_transfer(actor=None, member=someone, to_org=lone, on=dt.date(2024, 3, 1))
    someone.refresh_from_db()
    assert someone.organization == lone and someone.org_path == lone.path
    transfer = someone.transfers.get()
    assert (transfer.from_org, transfer.to_org) == (cell, lone)
    with pytest.raises(ValidationError):
        services.member_transfer(actor=None, member=someone, to_org=cell, on=dt.date(2023, 1, 1))


def test_full_cccd_view_is_audited():
    *_rest, cell, _lone = tree()
    someone = member(cell)
    assert services.member_cccd_view(actor=None, member=someone) == "025085012345"
    assert AuditEvent.objects.filter(action="member.cccd_view", object_id=str(someone.pk)).exists()


def test_counts_by_depth():
    province, _grassroots, cell, lone = tree()
    member(cell)
    member(lone, full_name="Hà Thị Mai", sex="female", cccd="", birth_date=dt.date(1990, 1, 1))
    assert selectors.member_counts_by_depth(province) == {1: 1, 2: 1}
