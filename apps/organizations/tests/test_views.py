"""The organizations screens through the HTTP client: search, partials, forms that keep input."""

import datetime as dt

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.organizations import services
from apps.organizations.models import ClusterTerm
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(client):
    user = UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central"))
    client.force_login(user)
    return user


@pytest.fixture
def officer(client):
    user = UserFactory(role=Role.UNIT_OFFICER)
    client.force_login(user)
    return user


@pytest.mark.parametrize("query", ["ha giang", "HÀ GIANG", "Hà Giang", "hà giang", "HA GIANG"])
def test_unit_search_ignores_diacritics_and_case(client, officer, query):
    UnitFactory(name="Ban Tổ chức Tỉnh ủy Hà Giang", short_name="Hà Giang")
    UnitFactory(name="Ban Tổ chức Tỉnh ủy Hà Nam", short_name="Hà Nam")
    response = client.get("/units/", {"q": query})
    names = [u.short_name for u in response.context["page"]]
    assert names == ["Hà Giang"]


def test_unit_search_matches_d_for_dj(client, officer):
    UnitFactory(name="Ban Tổ chức Tỉnh ủy Đắk Lắk", short_name="Đắk Lắk")
    UnitFactory(name="Ban Tổ chức Tỉnh ủy Điện Biên", short_name="Điện Biên")
    for query in ("dak lak", "Đắk", "ĐẮK LẮK"):
        names = [u.short_name for u in client.get("/units/", {"q": query}).context["page"]]
        assert names == ["Đắk Lắk"], query


def test_unit_list_filters_by_status(client, officer):
    UnitFactory(short_name="Còn", name="Ban Còn")
    UnitFactory(short_name="Đã hợp nhất", name="Ban Cũ", active_to=dt.date(2025, 6, 30))
    active = [u.short_name for u in client.get("/units/", {"status": "active"}).context["page"]]
    ceased = [u.short_name for u in client.get("/units/", {"status": "inactive"}).context["page"]]
    assert "Còn" in active and "Đã hợp nhất" not in active
    assert ceased == ["Đã hợp nhất"]


def test_unit_list_htmx_returns_only_the_table(client, officer):
    UnitFactory(short_name="Hà Giang", name="Ban Tổ chức Tỉnh ủy Hà Giang")
    response = client.get("/units/", {"q": "giang"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ban Tổ chức Tỉnh ủy Hà Giang" in html
    assert "<html" not in html and "navbar" not in html
    full = client.get("/units/", {"q": "giang"}).content.decode()
    assert "<html" in full


def test_unit_list_paginates_with_filters_kept(client, officer):
    for i in range(30):
        UnitFactory(short_name=f"Giang {i:02d}", name=f"Ban Giang {i:02d}")
    response = client.get("/units/", {"q": "giang", "page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"]) == 5
    assert "q=giang" in response.content.decode()


def test_missing_unit_is_404(client, officer):
    assert client.get("/units/999999/").status_code == 404


def test_term_form_error_keeps_what_was_typed(client, central):
    a, b, c = (UnitFactory(short_name=n, name=f"Ban {n}") for n in ("A", "B", "C"))
    cluster = ClusterFactory()
    response = client.post(
        f"/clusters/{cluster.pk}/terms/new/",
        {"year": "2025", "members": [a.pk, b.pk], "leader": c.pk, "notes": "Ghi chú đã gõ"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "leader" in form.errors
    html = response.content.decode()
    assert "Ghi chú đã gõ" in html
    assert f'value="{a.pk}" checked' in html or f'value="{a.pk}"\n' in html or "checked" in html
    assert not ClusterTerm.objects.exists()


def test_term_form_shows_service_error_for_unit_in_two_clusters(client, central):
    a, b = UnitFactory(short_name="A"), UnitFactory(short_name="B")
    services.term_create(actor=None, cluster=ClusterFactory(), year=2025, members=[a])
    other = ClusterFactory()
    response = client.post(
        f"/clusters/{other.pk}/terms/new/", {"year": "2025", "members": [a.pk, b.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["members"]
    assert not ClusterTerm.objects.filter(cluster=other).exists()


def test_term_create_then_detail_and_history(client, central):
    a, b = UnitFactory(short_name="A"), UnitFactory(short_name="B")
    cluster = ClusterFactory()
    response = client.post(
        f"/clusters/{cluster.pk}/terms/new/",
        {"year": "2025", "members": [a.pk, b.pk], "leader": a.pk, "host": a.pk},
    )
    term = ClusterTerm.objects.get(cluster=cluster, year=2025)
    assert response.status_code == 302 and response["Location"] == term.get_absolute_url()
    detail = client.get(term.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["term"].leader == a
    history = client.get(detail.context["history_url"])
    assert history.status_code == 200
    events = list(history.context["page"])
    assert [e.action for e in events] == ["term.create"]
    assert AuditEvent.objects.get(action="term.create").actor == central


def test_unit_leader_edits_only_contact_fields(client):
    unit = UnitFactory(name="Ban Tổ chức Tỉnh ủy Cao Bằng", short_name="Cao Bằng")
    leader = UserFactory(role=Role.UNIT_LEADER, unit=unit)
    client.force_login(leader)
    form = client.get(f"/units/{unit.pk}/edit/").context["form"]
    assert set(form.fields) == {"address", "phone", "email"}
    response = client.post(
        f"/units/{unit.pk}/edit/",
        {"address": "Số 1 Hoàng Đình Giong", "phone": "0206 3852 000", "name": "Đổi tên lén"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Ban Tổ chức Tỉnh ủy Cao Bằng"
    assert unit.phone == "0206 3852 000"


def test_open_next_page_lists_carried_members(client, central):
    a, b = UnitFactory(short_name="A"), UnitFactory(short_name="B")
    merged = UnitFactory(short_name="AB", active_from=None)
    term = services.term_create(actor=None, cluster=ClusterFactory(), year=2024, members=[a, b])
    services.unit_merge(
        actor=None,
        predecessors=[a, b],
        successor=merged,
        effective_date=dt.date(2025, 7, 1),
        legal_basis="x",
    )
    response = client.get(f"/terms/{term.pk}/open-next/")
    assert response.context["members"] == [merged]
    assert set(response.context["replaced"]) == {a, b}
    response = client.post(f"/terms/{term.pk}/open-next/", {"leader": merged.pk})
    new_term = ClusterTerm.objects.get(year=2025)
    assert response["Location"] == new_term.get_absolute_url()
    assert new_term.leader == merged


def test_unit_list_is_in_vietnamese_order_with_the_commission_first(client, officer):
    names = ["Bắc Giang", "Bạc Liêu", "Đà Nẵng", "Điện Biên", "Dak Test", "Ấp Test"]
    for name in names:
        UnitFactory(short_name=name, name=f"Ban Tổ chức Tỉnh ủy {name}")
    UnitFactory(short_name="Ban TCTW", name="Ban Tổ chức Trung ương", kind="central")
    listed = [
        u.short_name
        for u in client.get("/units/", {"q": "ban to chuc"}).context["page"]
        if u.short_name in {*names, "Ban TCTW"}
    ]
    assert listed == [
        "Ban TCTW",
        "Ấp Test",
        "Bạc Liêu",
        "Bắc Giang",
        "Dak Test",
        "Đà Nẵng",
        "Điện Biên",
    ]
