"""The REST API through the HTTP client: reads, filters, writes with their audit rows, 400s with
field errors for bad input, 403s for callers the permission layer refuses, and query counts.

Two data sets: ``demo`` (the real provinces, the 2025 merger and cluster 1) for behaviour that
depends on the domain, and the small factory-built ``world`` for permission and input checks.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.organizations import services
from apps.organizations.choices import ProvinceScheme
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    Unit,
    UnitSuccession,
)
from apps.organizations.tests.factories import ClusterFactory, SectorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def short_names(response) -> set[str]:
    return {row["short_name"] for row in results(response)}


def province(scheme: str, name: str) -> Province:
    return Province.objects.get(scheme=scheme, name=name)


# --- a small world for permissions and input checks ----------------------------------------------


@dataclass
class World:
    own: Unit
    other: Unit
    third: Unit
    spare: Unit
    cluster: Cluster
    term: ClusterTerm
    users: dict = field(default_factory=dict)

    @property
    def sector(self):
        return self.cluster.sector

    def client(self, name: str | None) -> APIClient:
        return client_for(self.users[name] if name else None)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast factories
    own = UnitFactory(short_name="Own", name="Ban Tổ chức Own")
    other = UnitFactory(short_name="Other", name="Ban Tổ chức Other")
    third = UnitFactory(short_name="Third", name="Ban Tổ chức Third")
    spare = UnitFactory(short_name="Spare", name="Ban Tổ chức Spare", active_from=None)
    SectorFactory()
    cluster = ClusterFactory()
    term = services.term_create(
        actor=None,
        cluster=cluster,
        year=2025,
        members=[own, other, third],
        leader=own,
        deputies=[third],
    )
    world = World(own, other, third, spare, cluster, term)
    specs = {
        "viewer": (Role.VIEWER, own),
        "officer_own": (Role.UNIT_OFFICER, own),
        "officer_other": (Role.UNIT_OFFICER, other),
        "leader_own": (Role.UNIT_LEADER, own),
        "leader_other": (Role.UNIT_LEADER, other),
        "central": (Role.CENTRAL_OFFICER, UnitFactory(kind="central")),
    }
    for name, (role, unit) in specs.items():
        world.users[name] = UserFactory(username=name, role=role, unit=unit)
    return world


# --- reads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ha giang", "HÀ GIANG", "Hà Giang", "  hà   GIANG "])
def test_search_ignores_diacritics_and_case(demo, query):
    client = client_for(demo.users["xem"])
    assert short_names(client.get("/api/units/", {"q": query})) == {"Hà Giang"}
    provinces = results(client.get("/api/provinces/", {"q": query}))
    assert [p["name"] for p in provinces] == ["Hà Giang"]


def test_search_d_matches_dj(demo):
    client = client_for(demo.users["xem"])
    for query in ("dien bien", "Điện Biên", "ĐIỆN BIÊN"):
        assert short_names(client.get("/api/units/", {"q": query})) == {"Điện Biên"}
    names = {c["name"] for c in results(client.get("/api/clusters/", {"q": "cum thi dua so 1"}))}
    assert names == {"Cụm thi đua số 1"}


def test_unit_list_filters(demo):
    client = client_for(demo.users["xem"])
    new_phu_tho = demo.units["Phú Thọ"]
    by_province = results(client.get("/api/units/", {"province": new_phu_tho.province_id}))
    assert [u["id"] for u in by_province] == [new_phu_tho.pk]
    central = results(client.get("/api/units/", {"kind": "central"}))
    assert [u["short_name"] for u in central] == ["Ban TCTW"]
    ceased = short_names(client.get("/api/units/", {"status": "inactive", "q": "phu"}))
    # The old boards that merged on 1/7/2025 ("Bình Phước" folds to "binh phuoc").
    assert ceased == {"Phú Thọ", "Vĩnh Phúc", "Phú Yên", "Bình Phước"}
    active = results(client.get("/api/units/", {"status": "active", "q": "phu tho"}))
    assert [u["id"] for u in active] == [new_phu_tho.pk]


def test_province_list_and_detail_show_the_merger(demo):
    client = client_for(demo.users["xem"])
    old = results(client.get("/api/provinces/", {"scheme": ProvinceScheme.PRE_2025, "q": "vinh"}))
    vinh_phuc = next(p for p in old if p["name"] == "Vĩnh Phúc")
    assert vinh_phuc["successor"]["province"]["name"] == "Phú Thọ"
    assert vinh_phuc["successor"]["province"]["scheme"] == ProvinceScheme.POST_2025
    assert vinh_phuc["successor"]["effective_date"] == "2025-07-01"
    new = province(ProvinceScheme.POST_2025, "Phú Thọ")
    detail = client.get(f"/api/provinces/{new.pk}/").json()
    assert detail["successor"] is None
    assert {p["province"]["name"] for p in detail["predecessors"]} == {
        "Phú Thọ",
        "Vĩnh Phúc",
        "Hòa Bình",
    }
    assert len(results(client.get("/api/provinces/", {"scheme": "34"}))) == 34


def test_new_phu_tho_lineage(demo):
    client = client_for(demo.users["phutho.chuyenvien"])
    unit = demo.units["Phú Thọ"]
    detail = client.get(f"/api/units/{unit.pk}/").json()
    assert detail["active_from"] == "2025-07-01"
    assert detail["successor"] is None
    lineage = {e["unit"]["short_name"]: e for e in detail["lineage"]}
    assert set(lineage) == {"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"}
    for entry in lineage.values():
        assert entry["effective_date"] == "2025-07-01"
        assert entry["active_to"] == "2025-06-30"
        assert entry["merged_into"]["id"] == unit.pk
        assert entry["depth"] == 1
    assert lineage["Vĩnh Phúc"]["unit"]["id"] == demo.old["Vĩnh Phúc"].pk
    assert client.get(f"/api/units/{unit.pk}/lineage/").json() == detail["lineage"]

    old = client.get(f"/api/units/{demo.old['Vĩnh Phúc'].pk}/").json()
    assert old["successor"]["unit"]["id"] == unit.pk
    assert old["successor"]["effective_date"] == "2025-07-01"
    assert old["lineage"] == []


def test_lineage_is_transitive(demo):
    """A later merger of the new Phú Thọ carries its predecessors two steps back."""
    successor = services.unit_create(
        actor=None, name="Ban Tổ chức Thử", short_name="Thử", kind="provincial"
    )
    services.unit_merge(
        actor=None,
        predecessors=[Unit.objects.get(pk=demo.units["Phú Thọ"].pk)],
        successor=successor,
        effective_date=dt.date(2027, 1, 1),
        legal_basis="NQ thử",
    )
    lineage = client_for(demo.users["xem"]).get(f"/api/units/{successor.pk}/lineage/").json()
    depths = {(e["unit"]["short_name"], e["depth"]) for e in lineage}
    assert depths == {("Phú Thọ", 1), ("Phú Thọ", 2), ("Vĩnh Phúc", 2), ("Hòa Bình", 2)}


def test_unit_cluster_history_includes_predecessors(demo):
    client = client_for(demo.users["xem"])
    rows = client.get(f"/api/units/{demo.units['Phú Thọ'].pk}/clusters/").json()
    by_year = {}
    for row in rows:
        by_year.setdefault(row["year"], set()).add((row["unit"]["short_name"], row["role"]))
    assert sorted(by_year, reverse=True) == [2026, 2025, 2024, 2023]
    assert by_year[2025] == {("Phú Thọ", "leader")}
    assert by_year[2024] == {("Phú Thọ", "member"), ("Vĩnh Phúc", "member"), ("Hòa Bình", "member")}
    assert {row["cluster"]["name"] for row in rows} == {"Cụm thi đua số 1"}


def test_unit_for_province(demo):
    client = client_for(demo.users["xem"])
    vinh_phuc = province(ProvinceScheme.PRE_2025, "Vĩnh Phúc")
    after = client.get("/api/units/for-province/", {"province": vinh_phuc.pk, "on": "2025-12-05"})
    assert after.status_code == 200
    assert after.json()["id"] == demo.units["Phú Thọ"].pk
    before = client.get("/api/units/for-province/", {"province": vinh_phuc.pk, "on": "2024-06-01"})
    assert before.json()["id"] == demo.old["Vĩnh Phúc"].pk
    today = client.get("/api/units/for-province/", {"province": vinh_phuc.pk})
    assert today.json()["id"] == demo.units["Phú Thọ"].pk

    new = province(ProvinceScheme.POST_2025, "Phú Thọ")
    none = client.get("/api/units/for-province/", {"province": new.pk, "on": "2020-01-01"})
    assert none.status_code == 404
    assert "Phú Thọ" in none.json()["detail"]
    assert "01/01/2020" in none.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "province"),
        ({"province": "abc"}, "province"),
        ({"province": "99999999"}, "province"),
        ({"province": "PROVINCE", "on": "05/12/2025"}, "on"),
    ],
)
def test_unit_for_province_bad_query(demo, params, field):
    if params.get("province") == "PROVINCE":
        params = {**params, "province": province(ProvinceScheme.PRE_2025, "Vĩnh Phúc").pk}
    response = client_for(demo.users["xem"]).get("/api/units/for-province/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_cluster_list_and_detail(demo):
    client = client_for(demo.users["xem"])
    rows = results(client.get("/api/clusters/", {"year": 2026}))
    assert [c["name"] for c in rows] == ["Cụm thi đua số 1"]
    assert rows[0]["years"] == [2026, 2025, 2024, 2023]
    assert results(client.get("/api/clusters/", {"year": 2030})) == []
    by_unit = results(client.get("/api/clusters/", {"unit": demo.old["Hà Giang"].pk}))
    assert [c["id"] for c in by_unit] == [demo.cluster.pk]
    assert results(client.get("/api/clusters/", {"kind": "block"})) == []

    detail = client.get(f"/api/clusters/{demo.cluster.pk}/").json()
    terms = {t["year"]: t for t in detail["terms"]}
    assert sorted(terms) == [2023, 2024, 2025, 2026]
    assert terms[2025]["member_count"] == 9
    assert terms[2025]["leader"]["short_name"] == "Phú Thọ"
    assert terms[2025]["host"]["short_name"] == "Phú Thọ"
    assert terms[2026]["leader"]["short_name"] == "Cao Bằng"
    assert {d["short_name"] for d in terms[2026]["deputies"]} == {"Lào Cai", "Lai Châu"}
    assert terms[2024]["member_count"] == 14


def test_term_list_and_detail(demo):
    client = client_for(demo.users["phutho.chuyenvien"])
    rows = results(client.get("/api/terms/", {"cluster": demo.cluster.pk}))
    assert [t["year"] for t in rows] == [2026, 2025, 2024, 2023]
    assert [t["year"] for t in results(client.get("/api/terms/", {"year": 2025}))] == [2025]

    term = demo.terms[2025]
    detail = client.get(f"/api/terms/{term.pk}/").json()
    assert detail["cluster"]["id"] == demo.cluster.pk
    assert detail["leader"]["short_name"] == "Phú Thọ"
    assert detail["host"]["short_name"] == "Phú Thọ"
    assert detail["review_date"] == "2025-12-05"
    assert detail["notes"].startswith("Từ 01/07/2025")
    assert len(detail["members"]) == 9
    roles = {m["unit"]["short_name"]: m["role"] for m in detail["members"]}
    assert roles["Phú Thọ"] == "leader"
    assert roles["Cao Bằng"] == "member"
    # The requesting officer's unit leads the 2025 term: the secretariat, not a sector manager.
    assert (detail["can_edit"], detail["can_edit_notes"]) == (False, True)
    detail_2026 = client.get(f"/api/terms/{demo.terms[2026].pk}/").json()
    assert (detail_2026["can_edit"], detail_2026["can_edit_notes"]) == (False, False)
    central = client_for(demo.users["tw.chuyenvien"]).get(f"/api/terms/{term.pk}/").json()
    assert (central["can_edit"], central["can_edit_notes"]) == (True, True)


def test_missing_objects_answer_404(world):
    client = world.client("viewer")
    for url in (
        "/api/units/999999/",
        "/api/units/999999/lineage/",
        "/api/clusters/999999/",
        "/api/terms/999999/",
        "/api/provinces/999999/",
        f"/api/units/{10**20}/",
    ):
        assert client.get(url).status_code == 404, url


# --- writes and their audit rows -----------------------------------------------------------------


def events(action: str, actor=None):
    qs = AuditEvent.objects.filter(action=action)
    return qs.filter(actor=actor) if actor is not None else qs


def test_unit_create(demo):
    admin = demo.users["tw.chuyenvien"]
    new = province(ProvinceScheme.POST_2025, "Cao Bằng")
    response = client_for(admin).post(
        "/api/units/",
        {
            "name": "Ban Tổ chức Đảng ủy Thử",
            "short_name": "Đảng ủy Thử",
            "kind": "other",
            "province": new.pk,
            "active_from": "2026-01-01",
            "email": "thu@example.vn",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    unit = Unit.objects.get(pk=body["id"])
    assert (unit.short_name, unit.kind, unit.province, unit.email) == (
        "Đảng ủy Thử",
        "other",
        new,
        "thu@example.vn",
    )
    assert body["province"]["name"] == "Cao Bằng"
    assert body["lineage"] == [] and body["successor"] is None
    event = events("unit.create", admin).get()
    assert event.object_id == str(unit.pk)
    assert event.after["short_name"] == "Đảng ủy Thử"


def test_unit_update_by_manager(demo):
    admin = demo.users["admin"]
    unit = demo.units["Hà Nội"]
    response = client_for(admin).patch(
        f"/api/units/{unit.pk}/", {"name": "Ban Tổ chức Thành ủy Hà Nội (mới)", "phone": "024"}
    )
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert (unit.name, unit.phone) == ("Ban Tổ chức Thành ủy Hà Nội (mới)", "024")
    event = events("unit.update", admin).get()
    assert event.before["name"] == "Ban Tổ chức Thành ủy Hà Nội"
    assert event.after == {"name": "Ban Tổ chức Thành ủy Hà Nội (mới)", "phone": "024"}


def test_unit_leader_edits_contact_of_own_unit_only(demo):
    leader = demo.users["phutho.lanhdao"]
    client = client_for(leader)
    own = demo.units["Phú Thọ"]
    response = client.patch(
        f"/api/units/{own.pk}/",
        {"address": "Việt Trì", "phone": "0210 3846 000", "email": "btc@phutho.vn"},
        format="json",
    )
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert (own.address, own.phone, own.email) == ("Việt Trì", "0210 3846 000", "btc@phutho.vn")
    assert events("unit.update", leader).count() == 1

    # Any other field is for sector managers; so is another unit.
    assert client.patch(f"/api/units/{own.pk}/", {"name": "X", "phone": "1"}).status_code == 403
    assert client.patch(f"/api/units/{own.pk}/", {"active_to": "2030-01-01"}).status_code == 403
    other = demo.units["Cao Bằng"]
    assert client.patch(f"/api/units/{other.pk}/", {"phone": "1"}).status_code == 403
    # An officer of the unit may not change it either.
    officer = client_for(demo.users["phutho.chuyenvien"])
    assert officer.patch(f"/api/units/{own.pk}/", {"phone": "1"}).status_code == 403
    own.refresh_from_db()
    assert (own.name, own.phone) == ("Ban Tổ chức Tỉnh ủy Phú Thọ", "0210 3846 000")
    assert events("unit.update").count() == 1


def test_unit_merge(demo):
    admin = demo.users["tw.chuyenvien"]
    a = services.unit_create(actor=None, name="Đảng ủy A", short_name="A", kind="other")
    b = services.unit_create(actor=None, name="Đảng ủy B", short_name="B", kind="other")
    successor = services.unit_create(actor=None, name="Đảng ủy AB", short_name="AB", kind="other")
    response = client_for(admin).post(
        f"/api/units/{successor.pk}/merge/",
        {
            "predecessors": [a.pk, b.pk],
            "effective_date": "2026-03-01",
            "legal_basis": "Quyết định số 1/QĐ-TW",
            "note": "Hợp nhất thử",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert {e["unit"]["short_name"] for e in body["lineage"]} == {"A", "B"}
    assert body["active_from"] == "2026-03-01"
    rows = UnitSuccession.objects.filter(successor=successor)
    assert {r.predecessor.short_name for r in rows} == {"A", "B"}
    assert {r.note for r in rows} == {"Hợp nhất thử"}
    a.refresh_from_db()
    assert a.active_to == dt.date(2026, 2, 28)
    assert events("unit.merge", admin).count() == 2
    assert events("unit.merge_into", admin).get().object_id == str(successor.pk)


def test_cluster_create_and_update(demo):
    admin = demo.users["tw.chuyenvien"]
    client = client_for(admin)
    response = client.post(
        "/api/clusters/",
        {"sector": demo.sector.pk, "number": 2, "name": "Cụm thi đua số 2"},
        format="json",
    )
    assert response.status_code == 201, response.content
    cluster = Cluster.objects.get(pk=response.json()["id"])
    assert (cluster.kind, cluster.number, cluster.sector) == ("cluster", 2, demo.sector)
    assert response.json()["terms"] == []
    assert events("cluster.create", admin).get().object_id == str(cluster.pk)

    response = client.patch(
        f"/api/clusters/{cluster.pk}/", {"supervising_department": "Vụ Địa phương I"}
    )
    assert response.status_code == 200, response.content
    cluster.refresh_from_db()
    assert cluster.supervising_department == "Vụ Địa phương I"
    event = events("cluster.update", admin).get()
    assert event.after == {"supervising_department": "Vụ Địa phương I"}


def _term_body(demo, **extra):
    units = demo.units
    body = {
        "cluster": demo.cluster.pk,
        "year": 2027,
        "members": [units["Hà Nội"].pk, units["Phú Thọ"].pk, units["Lào Cai"].pk],
        "leader": units["Lào Cai"].pk,
        "deputies": [units["Hà Nội"].pk],
        "host": units["Lào Cai"].pk,
        "review_date": "2027-12-01",
        "notes": "Năm 2027",
    }
    body.update(extra)
    return body


def test_term_create(demo):
    admin = demo.users["tw.chuyenvien"]
    response = client_for(admin).post("/api/terms/", _term_body(demo), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    term = ClusterTerm.objects.get(pk=body["id"])
    assert (term.year, term.cluster, term.leader.short_name) == (2027, demo.cluster, "Lào Cai")
    assert [d.short_name for d in term.deputies] == ["Hà Nội"]
    assert body["review_date"] == "2027-12-01"
    assert {m["unit"]["short_name"]: m["role"] for m in body["members"]} == {
        "Hà Nội": "deputy",
        "Phú Thọ": "member",
        "Lào Cai": "leader",
    }
    event = events("term.create", admin).get()
    assert event.object_id == str(term.pk)
    assert event.after["leader"] == "Lào Cai"


def test_term_update_put_and_patch(demo):
    admin = demo.users["admin"]
    client = client_for(admin)
    term = demo.terms[2026]
    units = demo.units
    # PATCH: only the leader changes, everything else is kept.
    response = client.patch(
        f"/api/terms/{term.pk}/", {"leader": units["Lai Châu"].pk, "deputies": []}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["leader"]["short_name"] == "Lai Châu"
    assert body["deputies"] == []
    assert len(body["members"]) == 9
    assert body["notes"].startswith("Cụm trưởng năm 2026")
    event = events("term.update", admin).get()
    assert (event.before["leader"], event.after["leader"]) == ("Cao Bằng", "Lai Châu")

    # PUT: the term becomes exactly what was sent.
    members = [units["Cao Bằng"].pk, units["Lào Cai"].pk]
    response = client.put(
        f"/api/terms/{term.pk}/",
        {"members": members, "leader": units["Cao Bằng"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    term.refresh_from_db()
    assert sorted(u.short_name for u in term.member_units) == ["Cao Bằng", "Lào Cai"]
    assert (term.host, term.notes, term.review_date) == (None, "", None)
    assert events("term.update", admin).count() == 2


def test_term_notes_by_secretariat(demo):
    officer = demo.users["phutho.chuyenvien"]
    term = demo.terms[2025]
    response = client_for(officer).post(
        f"/api/terms/{term.pk}/notes/",
        {"notes": "Đã gửi báo cáo tổng kết", "review_date": "2025-12-06"},
        format="json",
    )
    assert response.status_code == 200, response.content
    term.refresh_from_db()
    assert term.notes == "Đã gửi báo cáo tổng kết"
    assert term.review_date == dt.date(2025, 12, 6)
    assert term.host == demo.units["Phú Thọ"]  # left out, so kept
    event = events("term.update_notes", officer).get()
    assert event.after["notes"] == "Đã gửi báo cáo tổng kết"


def test_term_notes_secretariat_follows_the_rotation(demo):
    term_2025, term_2026 = demo.terms[2025], demo.terms[2026]
    lao_cai_officer = UserFactory(role=Role.UNIT_OFFICER, unit=demo.units["Lào Cai"])
    other_cluster = services.cluster_create(
        actor=None, sector=demo.sector, number=2, name="Cụm thi đua số 2"
    )
    other_term = services.term_create(
        actor=None,
        cluster=other_cluster,
        year=2025,
        members=[demo.units["Hưng Yên"], demo.units["Bắc Ninh"]],
        leader=demo.units["Hưng Yên"],
    )
    cases = [
        # Cao Bằng leads 2026; Lào Cai is a deputy.
        ("caobang.lanhdao", term_2026, 200),
        ("caobang.chuyenvien", term_2026, 200),
        (lao_cai_officer, term_2026, 200),
        ("phutho.chuyenvien", term_2025, 200),
        # Phú Thọ led 2025, not 2026; Cao Bằng was a plain member in 2025.
        ("phutho.chuyenvien", term_2026, 403),
        ("phutho.lanhdao", term_2026, 403),
        ("caobang.chuyenvien", term_2025, 403),
        (lao_cai_officer, term_2025, 403),
        # Another cluster's term.
        ("phutho.chuyenvien", other_term, 403),
        ("caobang.lanhdao", other_term, 403),
        # Viewers never write, whatever their unit.
        ("xem", term_2026, 403),
    ]
    for user, term, expected in cases:
        user = demo.users[user] if isinstance(user, str) else user
        before = AuditEvent.objects.count()
        response = client_for(user).post(
            f"/api/terms/{term.pk}/notes/", {"notes": f"Ghi chú của {user}"}, format="json"
        )
        assert response.status_code == expected, (str(user), term.year, response.content)
        assert AuditEvent.objects.count() == before + (1 if expected == 200 else 0)


def test_term_open_next_replaces_merged_units(demo):
    admin = demo.users["tw.chuyenvien"]
    old = demo.old
    cluster = services.cluster_create(
        actor=None, sector=demo.sector, number=2, name="Cụm thi đua số 2"
    )
    term_2024 = services.term_create(
        actor=None,
        cluster=cluster,
        year=2024,
        members=[old["Bắc Giang"], old["Bắc Ninh"], old["Hưng Yên"], old["Thái Bình"]],
        leader=old["Bắc Ninh"],
    )
    new_bac_ninh, new_hung_yen = demo.units["Bắc Ninh"], demo.units["Hưng Yên"]
    response = client_for(admin).post(
        f"/api/terms/{term_2024.pk}/open-next/",
        {"leader": new_hung_yen.pk, "deputies": [new_bac_ninh.pk], "host": new_hung_yen.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["year"] == 2025
    assert {m["unit"]["id"]: m["role"] for m in body["members"]} == {
        new_hung_yen.pk: "leader",
        new_bac_ninh.pk: "deputy",
    }
    assert body["host"]["id"] == new_hung_yen.pk
    assert events("term.open_next", admin).get().object_id == str(term_2024.pk)
    assert events("term.create", admin).get().object_id == str(body["id"])


def test_term_open_next_from_the_2026_term(demo):
    response = client_for(demo.users["admin"]).post(
        f"/api/terms/{demo.terms[2026].pk}/open-next/",
        {"leader": demo.units["Lào Cai"].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["year"] == 2027
    assert len(response.json()["members"]) == 9


# --- bad input: 400 with field errors, nothing written --------------------------------------------


def _resolve(value, w: World):
    """Replace "@own", "@term"… by the world's primary keys, in bodies and URLs alike."""
    if isinstance(value, str) and value.startswith("@"):
        return getattr(w, value[1:]).pk
    if isinstance(value, list):
        return [_resolve(v, w) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, w) for k, v in value.items()}
    return value


def _url(url: str, w: World) -> str:
    return "/".join(str(_resolve(part, w)) for part in url.split("/"))


def _spare_in_another_cluster(w: World) -> dict:
    services.term_create(
        actor=None, cluster=ClusterFactory(sector=w.sector), year=2025, members=[w.spare]
    )
    return {}


def _number_taken(w: World) -> dict:
    return {"number": ClusterFactory(sector=w.sector).number}


UNIT = {"name": "Ban Tổ chức Mới", "short_name": "Mới", "kind": "provincial"}
TERM = {"cluster": "@cluster", "year": 2026, "members": ["@own", "@other"], "leader": "@own"}
MERGE = {"predecessors": ["@third"], "effective_date": "2026-07-01", "legal_basis": "NQ thử"}

BAD_INPUTS = [
    # (id, method, url, body, field the error is reported under, setup returning body overrides)
    ("unit missing name", "post", "/api/units/", {"short_name": "X", "kind": "other"}, "name"),
    ("unit unknown kind", "post", "/api/units/", {**UNIT, "kind": "bogus"}, "kind"),
    ("unit province not found", "post", "/api/units/", {**UNIT, "province": 999999}, "province"),
    ("unit province wrong type", "post", "/api/units/", {**UNIT, "province": "abc"}, "province"),
    ("unit province huge id", "post", "/api/units/", {**UNIT, "province": 10**20}, "province"),
    (
        "unit malformed date",
        "post",
        "/api/units/",
        {**UNIT, "active_from": "2025-13-45"},
        "active_from",
    ),
    (
        "unit end before start",
        "post",
        "/api/units/",
        {**UNIT, "active_from": "2025-07-01", "active_to": "2025-06-30"},
        "active_to",
    ),
    ("unit bad email", "post", "/api/units/", {**UNIT, "email": "not-an-email"}, "email"),
    ("unit name too long", "post", "/api/units/", {**UNIT, "name": "x" * 201}, "name"),
    ("unit body is a list", "post", "/api/units/", [UNIT], "non_field_errors"),
    ("unit update name null", "patch", "/api/units/@own/", {"name": None}, "name"),
    (
        "unit update end before start",
        "patch",
        "/api/units/@own/",
        {"active_to": "2019-01-01"},
        "active_to",
    ),
    ("term year as words", "post", "/api/terms/", {**TERM, "year": "hai nghìn"}, "year"),
    ("term year out of range", "post", "/api/terms/", {**TERM, "year": 99999}, "year"),
    ("term year as list", "post", "/api/terms/", {**TERM, "year": [2026]}, "year"),
    ("term cluster null", "post", "/api/terms/", {**TERM, "cluster": None}, "cluster"),
    ("term members not a list", "post", "/api/terms/", {**TERM, "members": "abc"}, "members"),
    ("term member not found", "post", "/api/terms/", {**TERM, "members": [999999]}, "members"),
    ("term member wrong type", "post", "/api/terms/", {**TERM, "members": [{"id": 1}]}, "members"),
    ("term member as float", "post", "/api/terms/", {**TERM, "members": [1.5]}, "members"),
    ("term member as boolean", "post", "/api/terms/", {**TERM, "members": [True]}, "members"),
    ("term no members", "post", "/api/terms/", {**TERM, "members": []}, "members"),
    ("term leader not a member", "post", "/api/terms/", {**TERM, "leader": "@spare"}, "leader"),
    ("term leader also deputy", "post", "/api/terms/", {**TERM, "deputies": ["@own"]}, "deputies"),
    ("term year taken", "post", "/api/terms/", {**TERM, "year": 2025}, "year"),
    (
        "term review date malformed",
        "post",
        "/api/terms/",
        {**TERM, "review_date": "01/12/2026"},
        "review_date",
    ),
    ("term update members missing", "put", "/api/terms/@term/", {"leader": "@own"}, "members"),
    (
        "term update unit in two clusters",
        "patch",
        "/api/terms/@term/",
        {"members": ["@own", "@other", "@third", "@spare"]},
        "members",
        _spare_in_another_cluster,
    ),
    ("notes host not a member", "post", "/api/terms/@term/notes/", {"host": "@spare"}, "host"),
    ("notes not text", "post", "/api/terms/@term/notes/", {"notes": {"a": 1}}, "notes"),
    ("open next without leader", "post", "/api/terms/@term/open-next/", {}, "leader"),
    (
        "open next deputies not ids",
        "post",
        "/api/terms/@term/open-next/",
        {"leader": "@own", "deputies": ["x"]},
        "deputies",
    ),
    (
        "merge nothing",
        "post",
        "/api/units/@spare/merge/",
        {**MERGE, "predecessors": []},
        "predecessors",
    ),
    (
        "merge malformed date",
        "post",
        "/api/units/@spare/merge/",
        {**MERGE, "effective_date": "1/7/2026"},
        "effective_date",
    ),
    (
        "merge at the calendar's start",
        "post",
        "/api/units/@spare/merge/",
        {**MERGE, "effective_date": "0001-01-01"},
        "effective_date",
    ),
    (
        "merge into itself",
        "post",
        "/api/units/@spare/merge/",
        {**MERGE, "predecessors": ["@spare"]},
        "predecessors",
    ),
    (
        "merge blank legal basis",
        "post",
        "/api/units/@spare/merge/",
        {**MERGE, "legal_basis": "   "},
        "legal_basis",
    ),
    (
        "cluster number negative",
        "post",
        "/api/clusters/",
        {"sector": "@sector", "number": -1, "name": "C"},
        "number",
    ),
    ("cluster sector missing", "post", "/api/clusters/", {"number": 5, "name": "C"}, "sector"),
    (
        "cluster number taken",
        "patch",
        "/api/clusters/@cluster/",
        {},
        "non_field_errors",
        _number_taken,
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "error_field", "setup"),
    [(*case[1:5], case[5] if len(case) > 5 else None) for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_answers_400_with_field_errors(world, method, url, body, error_field, setup):
    if setup is not None:
        body = {**body, **setup(world)}
    before = AuditEvent.objects.count()
    client = world.client("central")
    response = getattr(client, method)(_url(url, world), _resolve(body, world), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert error_field in errors, errors
    assert errors[error_field] and all(isinstance(m, str) and m for m in errors[error_field])
    assert AuditEvent.objects.count() == before


def test_malformed_json_answers_400(world):
    response = world.client("central").post(
        "/api/units/", data="{name: ", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/units/", {"status": "bogus"}, "status"),
        ("/api/units/", {"kind": "bogus"}, "kind"),
        ("/api/units/", {"province": "abc"}, "province"),
        ("/api/clusters/", {"year": "abc"}, "year"),
        ("/api/clusters/", {"unit": "999999"}, "unit"),
        ("/api/terms/", {"cluster": "abc"}, "cluster"),
        ("/api/terms/", {"year": "hai nghìn"}, "year"),
        ("/api/provinces/", {"scheme": "99"}, "scheme"),
    ],
)
def test_bad_filters_answer_400(world, url, params, field):
    response = world.client("viewer").get(url, params)
    assert response.status_code == 400
    assert field in response.json()


# --- who may write -------------------------------------------------------------------------------

WRITES = [
    # (method, url, body): every write endpoint, with a body a sector manager could send.
    ("post", "/api/units/", UNIT),
    ("patch", "/api/units/@own/", {"name": "Đổi tên"}),
    ("patch", "/api/units/@third/", {"phone": "0209 111"}),
    ("post", "/api/units/@spare/merge/", MERGE),
    ("post", "/api/clusters/", {"sector": "@sector", "number": 9, "name": "Cụm 9"}),
    ("patch", "/api/clusters/@cluster/", {"name": "Cụm đổi tên"}),
    ("post", "/api/terms/", TERM | {"year": 2027}),
    ("put", "/api/terms/@term/", {"members": ["@own", "@other"], "leader": "@other"}),
    ("patch", "/api/terms/@term/", {"leader": "@own"}),
    ("post", "/api/terms/@term/open-next/", {"leader": "@other"}),
]
REFUSED = ["viewer", "officer_own", "officer_other", "leader_own", "leader_other"]


@pytest.mark.parametrize("actor", REFUSED)
def test_writes_refused_without_the_right(world, actor):
    client = world.client(actor)
    for method, url, body in WRITES:
        before = AuditEvent.objects.count()
        response = getattr(client, method)(_url(url, world), _resolve(body, world), format="json")
        assert response.status_code == 403, (method, url, response.content)
        assert AuditEvent.objects.count() == before
    # Notes: the secretariat (leaders and officers of own, the 2025 leader) may; others may not.
    response = client.post(f"/api/terms/{world.term.pk}/notes/", {"notes": "x"}, format="json")
    assert response.status_code == (200 if actor in {"officer_own", "leader_own"} else 403)


def test_refused_before_validated(world):
    """A caller who may not write gets 403 even for bad input: the 400s tell them nothing."""
    client = world.client("officer_own")
    assert client.post("/api/terms/", {"year": "x"}, format="json").status_code == 403
    assert client.post("/api/units/", [], format="json").status_code == 403
    assert client.patch(f"/api/units/{world.own.pk}/", {"kind": 1}).status_code == 403


def test_writes_allowed_for_sector_managers(world):
    client = world.client("central")
    for method, url, body in WRITES:
        before = AuditEvent.objects.count()
        response = getattr(client, method)(_url(url, world), _resolve(body, world), format="json")
        assert response.status_code in (200, 201), (method, url, response.content)
        assert AuditEvent.objects.count() > before, (method, url)


def test_anonymous_is_refused_everywhere(world):
    client = APIClient()
    reads = [
        "/api/provinces/",
        "/api/units/",
        f"/api/units/{world.own.pk}/",
        f"/api/units/{world.own.pk}/lineage/",
        f"/api/units/{world.own.pk}/clusters/",
        "/api/units/for-province/?province=1",
        "/api/clusters/",
        f"/api/clusters/{world.cluster.pk}/",
        "/api/terms/",
        f"/api/terms/{world.term.pk}/",
    ]
    for url in reads:
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert "results" not in response.json()
    for method, url, body in [*WRITES, ("post", "/api/terms/@term/notes/", {"notes": "x"})]:
        response = getattr(client, method)(_url(url, world), _resolve(body, world), format="json")
        assert response.status_code in (401, 403), (method, url)
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()


# --- query counts --------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_unit_list_queries_do_not_grow(demo, django_assert_max_num_queries):
    client = client_for(demo.users["xem"])
    url = "/api/units/"
    first = _count_queries(client, url)
    for i in range(20):
        UnitFactory(province=province(ProvinceScheme.POST_2025, "Hà Nội"), short_name=f"Thêm {i}")
    with django_assert_max_num_queries(first):
        assert client.get(url).status_code == 200


def test_term_list_queries_do_not_grow(demo, django_assert_max_num_queries):
    client = client_for(demo.users["xem"])
    first = _count_queries(client, "/api/terms/")
    for number in range(2, 12):
        cluster = ClusterFactory(sector=demo.sector, number=number)
        unit = UnitFactory()
        services.term_create(
            actor=None, cluster=cluster, year=2026, members=[unit], leader=unit, host=unit
        )
    assert len(results(client.get("/api/terms/"))) == 14
    with django_assert_max_num_queries(first):
        client.get("/api/terms/")


def test_cluster_list_queries_do_not_grow(demo, django_assert_max_num_queries):
    client = client_for(demo.users["xem"])
    first = _count_queries(client, "/api/clusters/")
    for number in range(2, 12):
        services.term_create(
            actor=None,
            cluster=ClusterFactory(sector=demo.sector, number=number),
            year=2026,
            members=[UnitFactory()],
        )
    with django_assert_max_num_queries(first):
        client.get("/api/clusters/")
