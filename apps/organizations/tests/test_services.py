"""Services: success with its audit row, every refusal with a clear message, nothing half-saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.organizations import services
from apps.organizations.choices import TermRole
from apps.organizations.models import ClusterTerm, TermMembership, Unit, UnitSuccession
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return [UnitFactory(short_name=f"U{i}", name=f"Ban Tổ chức U{i}") for i in range(5)]


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_term_create_records_members_roles_and_audit(units, admin_user):
    cluster = ClusterFactory()
    term = services.term_create(
        actor=admin_user,
        cluster=cluster,
        year=2025,
        members=units[:4],
        leader=units[0],
        deputies=[units[1], units[2]],
        host=units[0],
    )
    roles = dict(term.memberships.values_list("unit__short_name", "role"))
    assert roles == {"U0": "leader", "U1": "deputy", "U2": "deputy", "U3": "member"}
    event = events("term.create").get()
    assert event.actor == admin_user
    assert event.object_id == str(term.pk)
    assert event.after["leader"] == "U0"
    assert sorted(event.after["deputies"]) == ["U1", "U2"]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"leader": "outsider"}, "leader", "Cụm trưởng phải là đơn vị thành viên"),
        (
            {"deputies": ["outsider"]},
            "deputies",
            "được chọn làm cụm phó nhưng không phải là đơn vị thành viên",
        ),
        ({"deputies": ["leader"]}, "deputies", "không thể đồng thời là cụm phó"),
        ({"host": "outsider"}, "host", "phải là đơn vị thành viên"),
        ({"members": []}, "members", "ít nhất một đơn vị thành viên"),
    ],
)
def test_term_create_refuses_inconsistent_roles(units, kwargs, field, text):
    cluster = ClusterFactory()
    names = {"outsider": units[4], "leader": units[0]}
    args = {"members": units[:3], "leader": units[0], "deputies": [], "host": None}
    for key, value in kwargs.items():
        args[key] = [names[v] for v in value] if isinstance(value, list) else names[value]
    with pytest.raises(ValidationError) as info:
        services.term_create(actor=None, cluster=cluster, year=2025, **args)
    assert field in info.value.message_dict
    assert text in " ".join(info.value.message_dict[field])
    assert not ClusterTerm.objects.exists()
    assert not TermMembership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_unit_ceased_before_january_cannot_be_member(units):
    gone = UnitFactory(short_name="Gone", active_to=dt.date(2024, 12, 31))
    still = UnitFactory(short_name="Still", active_to=dt.date(2025, 1, 1))
    cluster = ClusterFactory()
    with pytest.raises(ValidationError) as info:
        services.term_create(actor=None, cluster=cluster, year=2025, members=[gone, units[0]])
    assert "01/01/2025" in info.value.message_dict["members"][0]
    # Existing on 1 January is enough, even if the unit ceases during the year.
    term = services.term_create(actor=None, cluster=cluster, year=2025, members=[still, units[0]])
    assert term.memberships.count() == 2


def test_unit_not_yet_existing_cannot_be_member(units):
    future = UnitFactory(active_from=dt.date(2026, 7, 1))
    with pytest.raises(ValidationError, match="chỉ hoạt động từ ngày 01/07/2026"):
        services.term_create(actor=None, cluster=ClusterFactory(), year=2025, members=[future])


def test_unit_in_one_cluster_per_sector_and_year(units):
    first, second = ClusterFactory(), ClusterFactory()
    services.term_create(actor=None, cluster=first, year=2025, members=units[:2])
    with pytest.raises(ValidationError) as info:
        services.term_create(actor=None, cluster=second, year=2025, members=[units[1], units[2]])
    assert "đã thuộc" in info.value.message_dict["members"][0]
    assert not ClusterTerm.objects.filter(cluster=second).exists()
    # Another year is fine.
    services.term_create(actor=None, cluster=second, year=2026, members=[units[1]])


def test_database_enforces_one_cluster_per_year(units):
    """The constraint holds even if a service's check is bypassed (e.g. two concurrent writes)."""
    from django.db import IntegrityError, transaction

    first, second = ClusterFactory(), ClusterFactory()
    services.term_create(actor=None, cluster=first, year=2025, members=units[:1])
    term = ClusterTerm.objects.create(cluster=second, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermMembership.objects.create(
            term=term, unit=units[0], sector=second.sector, year=2025, role=TermRole.MEMBER
        )


def test_database_enforces_single_leader(units):
    from django.db import IntegrityError, transaction

    term = services.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units[:2], leader=units[0]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TermMembership.objects.filter(term=term, unit=units[1]).update(role=TermRole.LEADER)


def test_duplicate_term_for_year_refused(units):
    cluster = ClusterFactory()
    services.term_create(actor=None, cluster=cluster, year=2025, members=units[:1])
    with pytest.raises(ValidationError, match="đã có năm thi đua 2025"):
        services.term_create(actor=None, cluster=cluster, year=2025, members=units[1:2])


def test_term_update_replaces_roles_and_audits_before_after(units, admin_user):
    term = services.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units[:3], leader=units[0]
    )
    services.term_update(
        actor=admin_user, term=term, members=units[1:4], leader=units[1], deputies=[units[3]]
    )
    event = events("term.update").get()
    assert event.before["leader"] == "U0"
    assert event.after["leader"] == "U1"
    assert event.after["members"] == ["U1", "U2", "U3"]
    assert term.memberships.get(unit=units[3]).role == TermRole.DEPUTY
    # The same values again change nothing and record nothing.
    services.term_update(
        actor=admin_user, term=term, members=units[1:4], leader=units[1], deputies=[units[3]]
    )
    assert events("term.update").count() == 1


def test_failed_term_update_keeps_previous_members(units):
    term = services.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units[:3], leader=units[0]
    )
    with pytest.raises(ValidationError):
        services.term_update(actor=None, term=term, members=units[:2], leader=units[4])
    assert set(term.memberships.values_list("unit__short_name", flat=True)) == {"U0", "U1", "U2"}


def test_term_update_notes_checks_host(units, admin_user):
    term = services.term_create(actor=None, cluster=ClusterFactory(), year=2025, members=units[:2])
    with pytest.raises(ValidationError, match="phải là đơn vị thành viên"):
        services.term_update_notes(actor=admin_user, term=term, notes="x", host=units[4])
    services.term_update_notes(
        actor=admin_user,
        term=term,
        notes="Hội nghị tổng kết",
        host=units[1],
        review_date=dt.date(2025, 12, 5),
    )
    term.refresh_from_db()
    assert (term.host, term.review_date, term.notes) == (
        units[1],
        dt.date(2025, 12, 5),
        "Hội nghị tổng kết",
    )
    assert events("term.update_notes").get().after["host"] == "U1"


def test_unit_merge_ends_predecessors_and_links_history(admin_user):
    a, b = UnitFactory(short_name="A"), UnitFactory(short_name="B")
    new = UnitFactory(short_name="New", active_from=None)
    services.unit_merge(
        actor=admin_user,
        predecessors=[a, b],
        successor=new,
        effective_date=dt.date(2025, 7, 1),
        legal_basis="NQ 202/2025/QH15",
    )
    a.refresh_from_db()
    new.refresh_from_db()
    assert a.active_to == dt.date(2025, 6, 30)
    assert new.active_from == dt.date(2025, 7, 1)
    assert UnitSuccession.objects.filter(successor=new).count() == 2
    assert events("unit.merge").count() == 2
    assert events("unit.merge_into").get().object_id == str(new.pk)


@pytest.mark.parametrize("case", ["twice", "self", "no_basis", "already_ceased", "empty"])
def test_unit_merge_refusals(case):
    a = UnitFactory()
    new = UnitFactory()
    day = dt.date(2025, 7, 1)
    if case == "twice":
        services.unit_merge(
            actor=None, predecessors=[a], successor=new, effective_date=day, legal_basis="x"
        )
        other = UnitFactory()
        kwargs = {"predecessors": [a], "successor": other, "legal_basis": "x"}
        expected = "đã được hợp nhất vào đơn vị khác"
    elif case == "self":
        kwargs = {"predecessors": [new], "successor": new, "legal_basis": "x"}
        expected = "vào chính nó"
    elif case == "no_basis":
        kwargs = {"predecessors": [a], "successor": new, "legal_basis": "  "}
        expected = "căn cứ pháp lý"
    elif case == "already_ceased":
        a.active_to = dt.date(2020, 1, 1)
        a.save()
        kwargs = {"predecessors": [a], "successor": new, "legal_basis": "x"}
        expected = "đã ngừng hoạt động"
    else:
        kwargs = {"predecessors": [], "successor": new, "legal_basis": "x"}
        expected = "ít nhất một"
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=expected):
        services.unit_merge(actor=None, effective_date=day, **kwargs)
    assert AuditEvent.objects.count() == before


def test_unit_update_contact_only_refuses_other_fields():
    unit = UnitFactory()
    with pytest.raises(ValidationError, match="Không thể thay đổi các trường sau tại đây: name"):
        services.unit_update(actor=None, unit=unit, contact_only=True, name="Khác", phone="1")
    services.unit_update(actor=None, unit=unit, contact_only=True, phone="0210 3812 345")
    unit.refresh_from_db()
    assert unit.phone == "0210 3812 345"
    assert events("unit.update").get().after == {"phone": "0210 3812 345"}


def test_unit_update_refuses_reversed_dates():
    unit = UnitFactory(active_from=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="Ngày kết thúc không được trước"):
        services.unit_update(actor=None, unit=unit, active_to=dt.date(2019, 1, 1))
    unit.refresh_from_db()
    assert unit.active_to is None


def test_search_name_follows_name_changes():
    unit = UnitFactory(name="Ban Tổ chức Tỉnh ủy Hà Giang", short_name="Hà Giang")
    assert unit.search_name == "ha giang ban to chuc tinh uy ha giang"
    services.unit_update(
        actor=None, unit=unit, short_name="Đắk Lắk", name="Ban Tổ chức Tỉnh ủy Đắk Lắk"
    )
    assert Unit.objects.get(pk=unit.pk).search_name.startswith("dak lak")


def test_open_next_replaces_merged_units_by_successors(admin_user):
    a, b, c = (UnitFactory(short_name=n) for n in ("A", "B", "C"))
    merged = UnitFactory(short_name="AB", active_from=None)
    term = services.term_create(
        actor=None, cluster=ClusterFactory(), year=2024, members=[a, b, c], leader=a
    )
    services.unit_merge(
        actor=None,
        predecessors=[a, b],
        successor=merged,
        effective_date=dt.date(2025, 7, 1),
        legal_basis="x",
    )
    assert services.next_year_members(term=term) == [merged, c]
    new_term = services.term_open_next(actor=admin_user, term=term, leader=c, deputies=[merged])
    assert new_term.year == 2025
    assert {m.unit.short_name: m.role for m in new_term.memberships.all()} == {
        "AB": "deputy",
        "C": "leader",
    }
    assert events("term.open_next").get().object_id == str(term.pk)
    with pytest.raises(ValidationError, match="đã có năm thi đua 2025"):
        services.term_open_next(actor=admin_user, term=term, leader=c)
