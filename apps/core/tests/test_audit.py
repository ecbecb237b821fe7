"""The audit guard, and a walk over every registered service.

Every ``@service`` must record an AuditEvent (or say it changed nothing). ``SCENARIOS`` holds one call
per service; the walk fails when a service has no scenario, so a new service cannot slip in unaudited.
"""

import datetime as dt
import importlib
import pkgutil

import pytest
from django.db import connection

import apps
from apps.core.audit import SERVICE_REGISTRY, AuditMissingError, record_event, service
from apps.core.models import AuditEvent
from apps.core.tests.discovery import scenario_modules
from apps.organizations.tests.factories import ClusterFactory, SectorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _import_all_services():
    for module in pkgutil.walk_packages(apps.__path__, "apps."):
        if module.name.endswith(".services"):
            importlib.import_module(module.name)


_import_all_services()


def _term(actor=None, **kwargs):
    from apps.organizations import services

    units = kwargs.pop("units", None) or [UnitFactory(), UnitFactory()]
    return services.term_create(
        actor=actor, cluster=ClusterFactory(), year=2025, members=units, leader=units[0], **kwargs
    )


def _reference_data():
    return {
        "legal_basis": {"b": "Nghị quyết thử"},
        "provinces": [
            {
                "scheme": "63",
                "code": "26",
                "cccd_code": "026",
                "name": "Vĩnh Phúc",
                "kind": "province",
                "valid_to": "2025-06-30",
            },
            {
                "scheme": "34",
                "code": "25",
                "name": "Phú Thọ",
                "kind": "province",
                "valid_from": "2025-07-01",
            },
        ],
        "successions": [
            {
                "successor": {"scheme": "34", "code": "25"},
                "predecessors": [{"scheme": "63", "code": "26"}],
                "effective_date": "2025-07-01",
                "legal_basis": "b",
            },
        ],
    }


def scenarios():
    """One representative call per service, keyed by its registry name."""
    from apps.organizations import services as org

    result = {
        "apps.organizations.services.unit_create": lambda a: org.unit_create(
            actor=a, name="Ban Tổ chức Tỉnh ủy Thử", short_name="Thử", kind="provincial"
        ),
        "apps.organizations.services.unit_update": lambda a: org.unit_update(
            actor=a, unit=UnitFactory(), phone="0123"
        ),
        "apps.organizations.services.unit_merge": lambda a: org.unit_merge(
            actor=a,
            predecessors=[UnitFactory()],
            successor=UnitFactory(),
            effective_date=dt.date(2025, 7, 1),
            legal_basis="NQ 202/2025/QH15",
        ),
        "apps.organizations.services.cluster_create": lambda a: org.cluster_create(
            actor=a, sector=SectorFactory(), number=7, name="Cụm thi đua số 7"
        ),
        "apps.organizations.services.cluster_update": lambda a: org.cluster_update(
            actor=a, cluster=ClusterFactory(), name="Cụm đổi tên"
        ),
        "apps.organizations.services.term_create": lambda a: _term(actor=a),
        "apps.organizations.services.term_update": lambda a: (
            lambda t: org.term_update(actor=a, term=t, members=t.member_units, leader=None)
        )(_term()),
        "apps.organizations.services.term_update_notes": lambda a: org.term_update_notes(
            actor=a, term=_term(), notes="Ghi chú"
        ),
        "apps.organizations.services.term_open_next": lambda a: (
            lambda t: org.term_open_next(actor=a, term=t, leader=t.member_units[0])
        )(_term()),
        "apps.organizations.services.reference_provinces_load": lambda a: (
            org.reference_provinces_load(actor=a, data=_reference_data())
        ),
    }
    try:
        from apps.organizations.services import sector_create
    except ImportError:
        pass
    else:
        result["apps.organizations.services.sector_create"] = lambda a: sector_create(
            actor=a, code="khoi-thu", name="Khối thử"
        )
    try:
        from apps.accounts.services import user_create
    except ImportError:
        pass
    else:
        result["apps.accounts.services.user_create"] = lambda a: user_create(
            actor=a,
            username="nguoi.moi",
            password="Mat-khau-dai-2026",
            full_name="Người Mới",
            unit=UnitFactory(),
            role="viewer",
        )
    for module in scenario_modules():
        if hasattr(module, "audit_scenarios"):
            result.update(module.audit_scenarios())
    return result


def test_every_service_has_a_scenario():
    missing = sorted(set(SERVICE_REGISTRY) - set(scenarios()))
    assert not missing, f"services without an audit scenario in this test: {missing}"


@pytest.mark.parametrize("name", sorted(SERVICE_REGISTRY))
def test_service_records_audit_event(name, admin_user):
    call = scenarios().get(name)
    if call is None:
        pytest.fail(f"no scenario for {name}")
    before = AuditEvent.objects.count()
    call(admin_user)
    created = AuditEvent.objects.order_by("id")[before:]
    assert created, f"{name} wrote without an audit row"
    mine = [e for e in created if e.actor_id == admin_user.pk]
    assert mine, f"{name} recorded events, but none with the acting user"


def test_service_without_audit_event_is_rolled_back():
    @service
    def sneaky_write():
        UnitFactory(short_name="Sneaky")

    with pytest.raises(AuditMissingError, match="sneaky_write recorded no audit event"):
        sneaky_write()
    from apps.organizations.models import Unit

    assert not Unit.objects.filter(short_name="Sneaky").exists()
    SERVICE_REGISTRY.pop(
        f"{__name__}.test_service_without_audit_event_is_rolled_back.<locals>.sneaky_write", None
    )


def test_record_event_outside_service_is_refused():
    with pytest.raises(AuditMissingError):
        record_event(actor=None, action="x")


def test_audit_event_keeps_client_address(client, admin_user):
    client.force_login(admin_user)
    unit = UnitFactory()
    response = client.post(
        f"/units/{unit.pk}/edit/",
        {
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "province": "",
            "active_from": "2020-01-01",
            "active_to": "",
            "address": "",
            "phone": "0209 3852 111",
            "email": "",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unit.update")
    assert event.client_ip == "10.1.2.3"
    assert event.actor == admin_user
    assert event.before == {"phone": ""} or event.before["phone"] == ""
    assert connection.vendor in {"sqlite", "postgresql"}
