"""The demo data set (DOMAIN.md §5), its idempotent loader and command, and the services it adds."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.core.models import AuditEvent
from apps.organizations.choices import ProvinceScheme, UnitKind
from apps.organizations.demo import DEMO_PASSWORD, MERGER_LEGAL_BASIS, load_demo
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    ProvinceSuccession,
    Sector,
    TermMembership,
    Unit,
    UnitSuccession,
)
from apps.organizations.services import sector_create

pytestmark = pytest.mark.django_db

FOURTEEN = {
    "Tuyên Quang",
    "Bắc Kạn",
    "Cao Bằng",
    "Điện Biên",
    "Hà Giang",
    "Hòa Bình",
    "Lai Châu",
    "Lào Cai",
    "Phú Thọ",
    "Sơn La",
    "Thái Nguyên",
    "Vĩnh Phúc",
    "Yên Bái",
    "Hà Nội",
}
NINE = {
    "Hà Nội",
    "Thái Nguyên",
    "Tuyên Quang",
    "Cao Bằng",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Lào Cai",
    "Phú Thọ",
}
MERGED_INTO_NEW = {"Tuyên Quang", "Thái Nguyên", "Lào Cai", "Phú Thọ"}  # of the nine


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Province,
            ProvinceSuccession,
            Unit,
            UnitSuccession,
            Sector,
            Cluster,
            ClusterTerm,
            TermMembership,
            User,
            AuditEvent,
        )
    }


# --- units and the merger ------------------------------------------------------------------------


def test_one_board_per_old_province_and_one_per_merged_new_province(demo):
    boards = Unit.objects.filter(kind=UnitKind.PROVINCIAL_BOARD)
    assert boards.filter(province__scheme=ProvinceScheme.PRE_2025).count() == 63
    assert boards.filter(province__scheme=ProvinceScheme.POST_2025).count() == 23
    assert Unit.objects.count() == 1 + 63 + 23
    assert UnitSuccession.objects.count() == 63 - 11
    assert len(demo.old) == 52
    # Ban TCTW, the 11 boards of unchanged provinces (Thừa Thiên Huế among them), 23 new boards.
    assert len(demo.units) == 1 + 11 + 23
    assert all(u.active_to is None for u in demo.units.values())
    assert all(u.active_to == dt.date(2025, 6, 30) for u in demo.old.values())


def test_board_names(demo):
    assert demo.units["Hà Nội"].name == "Ban Tổ chức Thành ủy Hà Nội"
    assert demo.units["Cao Bằng"].name == "Ban Tổ chức Tỉnh ủy Cao Bằng"
    assert demo.units["Thừa Thiên Huế"].name == "Ban Tổ chức Tỉnh ủy Thừa Thiên Huế"
    assert demo.old["TP Hồ Chí Minh"].name == "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"
    assert demo.units["TP Hồ Chí Minh"].name == "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"
    assert demo.old["Cần Thơ"].name == "Ban Tổ chức Thành ủy Cần Thơ"
    assert demo.old["Hải Dương"].name == "Ban Tổ chức Tỉnh ủy Hải Dương"


def test_new_and_old_phu_tho(demo):
    new, old = demo.units["Phú Thọ"], demo.old["Phú Thọ"]
    assert new != old
    assert (new.name, new.short_name) == ("Ban Tổ chức Tỉnh ủy Phú Thọ", "Phú Thọ")
    assert (new.province.scheme, new.province.code) == ("34", "25")
    assert (new.active_from, new.active_to) == (dt.date(2025, 7, 1), None)
    assert (old.province.scheme, old.province.code) == ("63", "25")
    assert (old.active_from, old.active_to) == (None, dt.date(2025, 6, 30))
    succession = UnitSuccession.objects.get(predecessor=demo.old["Vĩnh Phúc"])
    assert succession.successor == new
    assert succession.effective_date == dt.date(2025, 7, 1)
    assert succession.legal_basis == MERGER_LEGAL_BASIS


def test_unchanged_boards_continue_without_succession(demo):
    for name in ("Hà Nội", "Cao Bằng", "Sơn La", "Điện Biên", "Lai Châu", "Thừa Thiên Huế"):
        unit = demo.units[name]
        assert unit.province.scheme == "63"
        assert (unit.active_from, unit.active_to) == (None, None)
        assert not unit.successions_as_predecessor.exists()
        assert not unit.successions_as_successor.exists()
    assert "Huế" not in demo.units


def test_sector_and_cluster(demo):
    assert demo.sector.code == "to-chuc-xay-dung-dang"
    assert demo.sector.name == "Ngành Tổ chức xây dựng Đảng"
    assert demo.sector.head_unit == demo.units["Ban TCTW"]
    assert demo.units["Ban TCTW"].name == "Ban Tổ chức Trung ương"
    assert demo.units["Ban TCTW"].kind == UnitKind.CENTRAL_COMMISSION
    assert (demo.cluster.number, demo.cluster.name, demo.cluster.kind) == (
        1,
        "Cụm thi đua số 1",
        "cluster",
    )
    assert demo.cluster.supervising_department == ""
    assert "miền núi phía Bắc" in demo.cluster.description


# --- cluster 1, year by year (DOMAIN.md §5) ------------------------------------------------------


def test_terms_2023_and_2024_have_the_fourteen_old_boards(demo):
    assert set(demo.terms) == {2023, 2024, 2025, 2026}
    for year in (2023, 2024):
        term = demo.terms[year]
        members = term.member_units
        assert len(members) == 14
        assert {u.short_name for u in members} == FOURTEEN
        assert all(u.province.scheme == "63" for u in members)
        assert term.deputies == []
    assert demo.terms[2023].leader == demo.old["Tuyên Quang"]
    assert demo.terms[2023].host == demo.old["Tuyên Quang"]
    assert demo.terms[2023].review_date == dt.date(2023, 12, 1)
    assert demo.terms[2024].leader == demo.units["Hà Nội"]
    assert demo.terms[2024].host == demo.units["Hà Nội"]
    assert demo.terms[2024].review_date == dt.date(2024, 11, 30)


def test_terms_2025_and_2026_have_the_nine_current_boards(demo):
    for year in (2025, 2026):
        members = demo.terms[year].member_units
        assert len(members) == 9
        assert {u.short_name for u in members} == NINE
        assert set(members) == {demo.units[name] for name in NINE}
        assert not set(members) & set(demo.old.values())
    for name in MERGED_INTO_NEW:
        assert demo.units[name].province.scheme == "34"
    term_2025, term_2026 = demo.terms[2025], demo.terms[2026]
    assert term_2025.leader == term_2025.host == demo.units["Phú Thọ"]
    assert term_2025.deputies == []
    assert term_2025.review_date == dt.date(2025, 12, 5)
    assert term_2026.leader == term_2026.host == demo.units["Cao Bằng"]
    assert set(term_2026.deputies) == {demo.units["Lào Cai"], demo.units["Lai Châu"]}
    assert term_2026.review_date is None


def test_terms_carry_the_articles_facts(demo):
    assert "124 mô hình hay" in demo.terms[2023].notes
    assert "70 triệu đồng" in demo.terms[2023].notes
    assert "49 mô hình hay" in demo.terms[2024].notes
    assert "8 nhóm nội dung" in demo.terms[2024].notes
    assert "Cờ thi đua" in demo.terms[2025].notes
    assert "Cao Bằng, Thái Nguyên, Sơn La" in demo.terms[2025].notes
    assert "giao ước thi đua năm 2026" in demo.terms[2026].notes


# --- accounts ------------------------------------------------------------------------------------


def test_demo_accounts(demo):
    expected = {
        "admin": (Role.ADMIN, "Ban TCTW", "Quản trị hệ thống"),
        "tw.chuyenvien": (Role.CENTRAL_OFFICER, "Ban TCTW", "Trần Thị Hoa"),
        "phutho.lanhdao": (Role.UNIT_LEADER, "Phú Thọ", "Nguyễn Văn Minh"),
        "phutho.chuyenvien": (Role.UNIT_OFFICER, "Phú Thọ", "Lê Thị Lan"),
        "caobang.lanhdao": (Role.UNIT_LEADER, "Cao Bằng", "Hoàng Văn Đức"),
        "caobang.chuyenvien": (Role.UNIT_OFFICER, "Cao Bằng", "Nông Thị Mai"),
        "laocai.lanhdao": (Role.UNIT_LEADER, "Lào Cai", "Giàng Thị Dung"),
        "xem": (Role.VIEWER, "Ban TCTW", "Phạm Văn An"),
    }
    assert set(demo.users) == set(expected)
    for username, (role, unit, full_name) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.unit, user.full_name) == (role, demo.units[unit], full_name)
        assert user.check_password(DEMO_PASSWORD), username
        assert user.is_superuser == user.is_staff == (username == "admin")
        assert demo.users[username] == user
    # The Phú Thọ accounts belong to the board formed on 1/7/2025, not to the old one.
    assert demo.users["phutho.chuyenvien"].unit == demo.units["Phú Thọ"]


def test_demo_officer_can_sign_in(demo, client):
    assert client.login(username="phutho.chuyenvien", password=DEMO_PASSWORD)


# --- idempotency and the command -----------------------------------------------------------------


def test_load_demo_twice_changes_nothing(demo):
    before = _counts()
    units = list(Unit.objects.values_list("pk", "name", "active_from", "active_to"))

    again = load_demo()

    assert _counts() == before
    assert list(Unit.objects.values_list("pk", "name", "active_from", "active_to")) == units
    assert not again.created
    assert again.units == demo.units and again.old == demo.old
    assert again.terms == demo.terms and again.users == demo.users


def test_load_demo_command_twice(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    first, second = io.StringIO(), io.StringIO()

    call_command("load_demo", stdout=first)
    counts = _counts()
    call_command("load_demo", stdout=second)

    assert _counts() == counts
    assert counts["Unit"] == 87 and counts["ClusterTerm"] == 4 and counts["User"] == 8
    for output in (first.getvalue(), second.getvalue()):
        assert DEMO_PASSWORD in output
        for username in ("admin", "tw.chuyenvien", "phutho.chuyenvien", "caobang.lanhdao", "xem"):
            assert username in output
    assert "87" in first.getvalue()


def test_load_demo_completes_a_partial_load(settings):
    """Only what is missing is created: here the merger and everything after it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    phu_tho = Unit.objects.get(province__scheme="34", province__code="25")
    # Simulate a load that stopped after creating the new board but before its merger.
    UnitSuccession.objects.filter(successor=phu_tho).delete()
    Unit.objects.filter(province__scheme="63", province__code__in=["17", "25", "26"]).update(
        active_to=None
    )

    again = load_demo()

    assert again.created == {"successions": 3}
    assert Unit.objects.count() == 87
    assert {r.predecessor.short_name for r in phu_tho.successions_as_successor.all()} == {
        "Phú Thọ",
        "Vĩnh Phúc",
        "Hòa Bình",
    }


def test_load_demo_writes_only_through_audited_services(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    actions = {e.action for e in AuditEvent.objects.all()}
    assert {
        "reference.provinces_load",
        "unit.create",
        "unit.merge",
        "unit.merge_into",
        "sector.create",
        "cluster.create",
        "term.create",
        "user.create",
    } <= actions
    assert AuditEvent.objects.filter(action="unit.create").count() == 87
    assert AuditEvent.objects.filter(action="unit.merge").count() == 52
    assert AuditEvent.objects.filter(action="user.create").count() == 8


# --- the services this data set needed -----------------------------------------------------------


def test_sector_create_records_an_event(db):
    sector = sector_create(actor=None, code="khoi-thu", name=" Khối thử ")
    assert sector.name == "Khối thử"
    event = AuditEvent.objects.get(action="sector.create")
    assert event.object_id == str(sector.pk)
    assert event.after == {"code": "khoi-thu", "name": "Khối thử", "head_unit": None}


def test_sector_create_rejects_a_duplicate_code(db):
    sector_create(actor=None, code="khoi-thu", name="Khối thử")
    with pytest.raises(ValidationError):
        sector_create(actor=None, code="khoi-thu", name="Khối khác")
    assert Sector.objects.count() == 1


def test_user_create_keeps_no_password_in_the_audit_trail(settings, reference):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = user_create(
        actor=None,
        username=" nguoi.moi ",
        password="Mat-khau-dai-2026",
        full_name="Người Mới",
        unit=None,
        role=Role.VIEWER,
        job_title="Chuyên viên",
    )
    assert user.username == "nguoi.moi"
    assert user.check_password("Mat-khau-dai-2026")
    event = AuditEvent.objects.get(action="user.create")
    assert event.after["username"] == "nguoi.moi"
    assert event.after["role"] == "viewer"
    text = str(event.before) + str(event.after)
    assert "password" not in text
    assert "Mat-khau-dai-2026" not in text
    assert user.password not in text


@pytest.mark.parametrize(
    "changes",
    [{"password": "123"}, {"role": "emperor"}, {"username": "admin"}],
    ids=["weak-password", "unknown-role", "taken-username"],
)
def test_user_create_rejects_bad_input(db, settings, changes):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user_create(
        actor=None,
        username="admin",
        password="Mat-khau-dai-2026",
        full_name="Quản trị",
        unit=None,
        role=Role.ADMIN,
    )
    values = {
        "username": "nguoi.khac",
        "password": "Mat-khau-dai-2026",
        "full_name": "Người Khác",
        "unit": None,
        "role": Role.VIEWER,
        **changes,
    }
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        user_create(actor=None, **values)
    assert User.objects.count() == 1
    assert AuditEvent.objects.count() == events
