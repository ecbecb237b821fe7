"""Every endpoint × every role × own unit / other unit, the denials included.

"own" means the user works for the unit the request is about: for a unit page the unit itself, for a
term the unit that leads it (so "own" officers are the cluster secretariat). ``test_every_url_is_in
_the_matrix`` walks the URL configuration so a new endpoint cannot be added without a row here.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.history import history_url
from apps.core.tests.discovery import scenario_modules
from apps.organizations import services
from apps.organizations.tests.factories import (
    ClusterFactory,
    ProvinceFactory,
    SectorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "viewer",
    "officer_own",
    "officer_other",
    "leader_own",
    "leader_other",
    "central",
    "admin",
]
SIGNED_IN = set(ACTORS) - {"anonymous"}
MANAGERS = {"central", "admin"}


@dataclass
class World:
    own: object
    province: object
    other: object
    third: object
    spare: object
    cluster: object
    term: object
    users: dict = field(default_factory=dict)


@pytest.fixture
def world():
    province = ProvinceFactory(name="Tỉnh Own")
    own = UnitFactory(short_name="Own", name="Ban Tổ chức Own", province=province)
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
    world = World(own, province, other, third, spare, cluster, term)
    specs = {
        "viewer": (Role.VIEWER, own),
        "officer_own": (Role.UNIT_OFFICER, own),
        "officer_other": (Role.UNIT_OFFICER, other),
        "leader_own": (Role.UNIT_LEADER, own),
        "leader_other": (Role.UNIT_LEADER, other),
        "central": (Role.CENTRAL_OFFICER, UnitFactory(kind="central")),
        "admin": (Role.ADMIN, UnitFactory(kind="central")),
    }
    for name, (role, unit) in specs.items():
        world.users[name] = UserFactory(username=name, role=role, unit=unit)
    return world


def unit_payload(unit, **extra):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "province": "",
        "active_from": "2020-01-01",
        "active_to": "",
        "address": "",
        "phone": "",
        "email": "",
    }
    data.update(extra)
    return data


def term_payload(w, **extra):
    data = {
        "year": "2026",
        "members": [w.own.pk, w.other.pk],
        "leader": w.other.pk,
        "deputies": [w.own.pk],
        "host": w.other.pk,
        "review_date": "",
        "notes": "",
    }
    data.update(extra)
    return data


@dataclass
class Endpoint:
    name: str  # URL name, as in the URL configuration
    method: str
    url: object  # World -> str
    allowed: set
    data: object = None  # World -> dict
    ok: int = 200

    @property
    def id(self):
        return f"{self.method} {self.name}"


READ = SIGNED_IN
UI = [
    Endpoint("core:home", "GET", lambda w: "/", READ),
    Endpoint("core:history", "GET", lambda w: history_url(w.own), READ),
    Endpoint("organizations:province_list", "GET", lambda w: "/provinces/", READ),
    Endpoint("organizations:unit_list", "GET", lambda w: "/units/", READ),
    Endpoint("organizations:unit_detail", "GET", lambda w: f"/units/{w.own.pk}/", READ),
    Endpoint("organizations:cluster_list", "GET", lambda w: "/clusters/", READ),
    Endpoint("organizations:cluster_detail", "GET", lambda w: f"/clusters/{w.cluster.pk}/", READ),
    Endpoint("organizations:term_detail", "GET", lambda w: f"/terms/{w.term.pk}/", READ),
    Endpoint("organizations:unit_create", "GET", lambda w: "/units/new/", MANAGERS),
    Endpoint(
        "organizations:unit_create",
        "POST",
        lambda w: "/units/new/",
        MANAGERS,
        data=lambda w: unit_payload(w.own, name="Ban Tổ chức Mới", short_name="Mới"),
        ok=302,
    ),
    Endpoint(
        "organizations:unit_edit",
        "GET",
        lambda w: f"/units/{w.own.pk}/edit/",
        MANAGERS | {"leader_own"},
    ),
    Endpoint(
        "organizations:unit_edit",
        "POST",
        lambda w: f"/units/{w.own.pk}/edit/",
        MANAGERS | {"leader_own"},
        data=lambda w: unit_payload(w.own, phone="0209 111"),
        ok=302,
    ),
    Endpoint("organizations:unit_merge", "GET", lambda w: f"/units/{w.spare.pk}/merge/", MANAGERS),
    Endpoint(
        "organizations:unit_merge",
        "POST",
        lambda w: f"/units/{w.spare.pk}/merge/",
        MANAGERS,
        data=lambda w: {
            "predecessors": [w.third.pk],
            "effective_date": "2026-07-01",
            "legal_basis": "NQ thử",
        },
        ok=302,
    ),
    Endpoint("organizations:cluster_create", "GET", lambda w: "/clusters/new/", MANAGERS),
    Endpoint(
        "organizations:cluster_create",
        "POST",
        lambda w: "/clusters/new/",
        MANAGERS,
        data=lambda w: {
            "sector": w.cluster.sector_id,
            "kind": "cluster",
            "number": "99",
            "name": "Cụm thi đua số 99",
        },
        ok=302,
    ),
    Endpoint(
        "organizations:cluster_edit", "GET", lambda w: f"/clusters/{w.cluster.pk}/edit/", MANAGERS
    ),
    Endpoint(
        "organizations:cluster_edit",
        "POST",
        lambda w: f"/clusters/{w.cluster.pk}/edit/",
        MANAGERS,
        data=lambda w: {
            "sector": w.cluster.sector_id,
            "kind": "cluster",
            "number": w.cluster.number,
            "name": "Cụm đổi tên",
        },
        ok=302,
    ),
    Endpoint(
        "organizations:term_create",
        "GET",
        lambda w: f"/clusters/{w.cluster.pk}/terms/new/",
        MANAGERS,
    ),
    Endpoint(
        "organizations:term_create",
        "POST",
        lambda w: f"/clusters/{w.cluster.pk}/terms/new/",
        MANAGERS,
        data=term_payload,
        ok=302,
    ),
    Endpoint("organizations:term_edit", "GET", lambda w: f"/terms/{w.term.pk}/edit/", MANAGERS),
    Endpoint(
        "organizations:term_edit",
        "POST",
        lambda w: f"/terms/{w.term.pk}/edit/",
        MANAGERS,
        data=lambda w: term_payload(w, year="2025", members=[w.own.pk, w.other.pk, w.third.pk]),
        ok=302,
    ),
    Endpoint(
        "organizations:term_notes",
        "GET",
        lambda w: f"/terms/{w.term.pk}/notes/",
        MANAGERS | {"officer_own", "leader_own"},
    ),
    Endpoint(
        "organizations:term_notes",
        "POST",
        lambda w: f"/terms/{w.term.pk}/notes/",
        MANAGERS | {"officer_own", "leader_own"},
        data=lambda w: {"notes": "Ghi chú", "host": w.own.pk, "review_date": "2025-12-05"},
        ok=302,
    ),
    Endpoint(
        "organizations:term_open_next", "GET", lambda w: f"/terms/{w.term.pk}/open-next/", MANAGERS
    ),
    Endpoint(
        "organizations:term_open_next",
        "POST",
        lambda w: f"/terms/{w.term.pk}/open-next/",
        MANAGERS,
        data=lambda w: {"leader": w.other.pk, "deputies": [w.own.pk]},
        ok=302,
    ),
]


def api(name, method, url, allowed, data=None, ok=200):
    return Endpoint(name, method, url, allowed, data=data, ok=ok)


API = [
    api("province-list", "GET", lambda w: "/api/provinces/", READ),
    api("province-detail", "GET", lambda w: f"/api/provinces/{w.province.pk}/", READ),
    api("unit-list", "GET", lambda w: "/api/units/?q=own", READ),
    api(
        "unit-list",
        "POST",
        lambda w: "/api/units/",
        MANAGERS,
        ok=201,
        data=lambda w: {"name": "Ban Tổ chức Mới", "short_name": "Mới", "kind": "provincial"},
    ),
    api("unit-detail", "GET", lambda w: f"/api/units/{w.own.pk}/", READ),
    api(
        "unit-detail",
        "PATCH",
        lambda w: f"/api/units/{w.own.pk}/",
        MANAGERS | {"leader_own"},
        data=lambda w: {"phone": "0209 3852 111"},
    ),
    api("unit-lineage", "GET", lambda w: f"/api/units/{w.own.pk}/lineage/", READ),
    api("unit-clusters", "GET", lambda w: f"/api/units/{w.own.pk}/clusters/", READ),
    api(
        "unit-for-province",
        "GET",
        lambda w: f"/api/units/for-province/?province={w.province.pk}&on=2025-12-05",
        READ,
    ),
    api(
        "unit-merge",
        "POST",
        lambda w: f"/api/units/{w.spare.pk}/merge/",
        MANAGERS,
        data=lambda w: {
            "predecessors": [w.third.pk],
            "effective_date": "2026-07-01",
            "legal_basis": "NQ thử",
        },
    ),
    api("cluster-list", "GET", lambda w: "/api/clusters/", READ),
    api(
        "cluster-list",
        "POST",
        lambda w: "/api/clusters/",
        MANAGERS,
        ok=201,
        data=lambda w: {"sector": w.cluster.sector_id, "number": 98, "name": "Cụm thi đua số 98"},
    ),
    api("cluster-detail", "GET", lambda w: f"/api/clusters/{w.cluster.pk}/", READ),
    api(
        "cluster-detail",
        "PATCH",
        lambda w: f"/api/clusters/{w.cluster.pk}/",
        MANAGERS,
        data=lambda w: {"name": "Cụm đổi tên"},
    ),
    api("term-list", "GET", lambda w: f"/api/terms/?cluster={w.cluster.pk}", READ),
    api(
        "term-list",
        "POST",
        lambda w: "/api/terms/",
        MANAGERS,
        ok=201,
        data=lambda w: {
            "cluster": w.cluster.pk,
            "year": 2026,
            "members": [w.own.pk, w.other.pk],
            "leader": w.other.pk,
            "deputies": [w.own.pk],
        },
    ),
    api("term-detail", "GET", lambda w: f"/api/terms/{w.term.pk}/", READ),
    api(
        "term-detail",
        "PUT",
        lambda w: f"/api/terms/{w.term.pk}/",
        MANAGERS,
        data=lambda w: {
            "members": [w.own.pk, w.other.pk, w.third.pk],
            "leader": w.other.pk,
            "deputies": [],
        },
    ),
    api(
        "term-detail",
        "PATCH",
        lambda w: f"/api/terms/{w.term.pk}/",
        MANAGERS,
        data=lambda w: {"notes": "Sửa ghi chú"},
    ),
    api(
        "term-notes",
        "POST",
        lambda w: f"/api/terms/{w.term.pk}/notes/",
        MANAGERS | {"officer_own", "leader_own"},
        data=lambda w: {"notes": "Ghi chú", "host": w.own.pk, "review_date": "2025-12-05"},
    ),
    api(
        "term-open-next",
        "POST",
        lambda w: f"/api/terms/{w.term.pk}/open-next/",
        MANAGERS,
        ok=201,
        data=lambda w: {"leader": w.other.pk, "deputies": [w.own.pk]},
    ),
]

# Apps keep their rows beside their own tests: ``apps/<app>/tests/scenarios*.py`` with
# ``matrix_rows(Endpoint, READ, MANAGERS) -> (ui_rows, api_rows)``.
ENDPOINTS = UI + API
for _module in scenario_modules():
    if hasattr(_module, "matrix_rows"):
        _ui, _api = _module.matrix_rows(Endpoint, READ, MANAGERS)
        ENDPOINTS += _ui + _api


def pytest_generate_tests(metafunc):
    if "endpoint" in metafunc.fixturenames:
        cases = [(e, a) for e in ENDPOINTS for a in ACTORS]
        metafunc.parametrize(("endpoint", "actor"), cases, ids=[f"{e.id} as {a}" for e, a in cases])


def _call(client, endpoint, world):
    url = endpoint.url(world)
    if endpoint.method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        send = getattr(client, endpoint.method.lower())
        data = endpoint.data(world)
        has_file = any(hasattr(v, "read") for v in (data or {}).values())
        return send(url, data, format="multipart" if has_file else "json")
    return client.post(url, endpoint.data(world))


def test_endpoint_permission(endpoint, actor, world, client):
    from rest_framework.test import APIClient

    from apps.core.models import AuditEvent

    is_api = endpoint.url(world).startswith("/api/")
    if is_api:
        client = (
            APIClient()
        )  # session auth with CSRF checks off, as a logged-in browser has a token
    if actor != "anonymous":
        client.force_login(world.users[actor])
    events_before = AuditEvent.objects.count()
    response = _call(client, endpoint, world)
    if actor == "anonymous" and is_api:
        assert response.status_code == 401
        assert "WWW-Authenticate" in response
    elif actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif actor in endpoint.allowed:
        assert response.status_code == endpoint.ok, getattr(response, "context", None) and [
            (f.errors if hasattr(f, "errors") else None)
            for f in [response.context.get("form")]
            if f
        ]
        if endpoint.method != "GET":
            assert AuditEvent.objects.count() > events_before
    else:
        assert response.status_code == 403
        assert AuditEvent.objects.count() == events_before


def _explain(response):
    if getattr(response, "data", None) is not None:
        return response.data
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return form.errors if form is not None else response.status_code


def _api_methods():
    """(route name, HTTP method) for every action the API routers expose."""
    for entry in _walk():
        actions = getattr(entry.callback, "actions", None)
        if actions:
            for method in actions:
                if method != "head":  # HEAD is GET without a body
                    yield entry.name, method.upper()


def _walk(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry)
        else:
            yield entry


def test_every_api_method_is_in_the_matrix():
    covered = {(e.name, e.method) for e in ENDPOINTS}
    missing = sorted(set(_api_methods()) - covered)
    assert not missing, f"API methods without a permission-matrix row: {missing}"


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


# Endpoints outside the matrix, each with the reason.
NOT_IN_MATRIX = {
    "accounts:login": "public by design (tested in the UI shell tests)",
    "accounts:logout": "any session may end itself",
    "api-schema": "public API description (tested in the API tests)",
    "api-docs": "public API description (tested in the API tests)",
    "api-token": "obtains a token from a password (tested in the API auth tests)",
}


def test_every_url_is_in_the_matrix():
    covered = {e.name for e in ENDPOINTS}
    names = {n for n in _named_patterns() if not n.startswith("admin:") and n not in NOT_IN_MATRIX}
    # The browsable-API root and format-suffix variants of the router are covered through their views.
    names = {n for n in names if n not in {"api-root"}}
    missing = sorted(names - covered)
    assert not missing, f"endpoints without a permission-matrix row: {missing}"


def test_matrix_rows_are_distinct():
    ids = [e.id for e in ENDPOINTS]
    assert len(ids) == len(set(ids))
