"""The API of organisation management, the classification steps, badge awards and the country
statistics: the same services and permissions as the pages; refusals are 400 with the reason."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import OrgClassification, PartyOrganization
from apps.members.selectors_orgs import country_statistics
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = UnitFactory(short_name="Phú Thọ"), UnitFactory(short_name="Cao Bằng")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    grassroots = services.org_create(
        actor=None, code="PT-1", name="Đảng bộ xã Một", kind=OrgKind.GRASSROOTS, parent=province
    )
    elsewhere = services.org_create(
        actor=None, code="CB", name="Đảng bộ tỉnh Cao Bằng", kind=OrgKind.PROVINCE, managed_by=other
    )
    officer = APIClient()
    officer.force_authenticate(UserFactory(role=Role.UNIT_OFFICER, unit=own))
    central = APIClient()
    central.force_authenticate(
        UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central"))
    )
    return {
        "province": province,
        "grassroots": grassroots,
        "elsewhere": elsewhere,
        "officer": officer,
        "central": central,
    }


def test_the_three_steps_through_the_api(world):
    api, org = world["officer"], world["grassroots"]
    url = f"/api/party-orgs/{org.pk}/"
    response = api.post(url + "decide/", {"year": 2025, "level": "good"}, format="json")
    assert response.status_code == 400  # serializer: the decision's number and date
    response = api.post(
        url + "decide/",
        {"year": 2025, "level": "good", "decision_number": "1", "decision_date": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 400 and "non_field_errors" in response.data
    response = api.post(url + "self-assess/", {"year": 2025, "score": "91"}, format="json")
    assert response.status_code == 200
    assert (response.data["state"], response.data["self_level"]) == ("self_assessed", "excellent")
    response = api.post(url + "appraise/", {"year": 2025, "level": "excellent"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "appraised"
    decision = {
        "year": 2025,
        "level": "excellent",
        "decision_number": "3-QĐ/TU",
        "decision_date": "2026-01-05",
    }
    response = api.post(url + "decide/", decision, format="json")
    assert response.status_code == 400 and "level" in response.data  # the quota: 0 "good"
    response = api.post(url + "decide/", {**decision, "level": "good"}, format="json")
    assert response.status_code == 200
    assert (response.data["level"], response.data["decided_by"]) == ("good", world["province"].pk)
    page = api.get(f"/api/party-orgs/{world['province'].pk}/classification/?year=2025").data
    assert page["record"] is None and page["organisations"]["classified"] == 1
    assert page["organisations"]["good_or_better_percent"] == "100.00"
    assert api.get(url + "classification/?year=20x").status_code == 400


def test_managing_organisations_through_the_api(world):
    api = world["officer"]
    response = api.post(
        "/api/party-orgs/",
        {"parent": world["grassroots"].pk, "code": "pt-1-a", "name": "Chi bộ A", "kind": "cell"},
        format="json",
    )
    assert response.status_code == 201 and response.data["code"] == "PT-1-A"
    cell = PartyOrganization.objects.get(code="PT-1-A")
    response = api.post(
        "/api/party-orgs/",
        {"parent": world["grassroots"].pk, "code": "X", "name": "Sai", "kind": "province"},
        format="json",
    )
    assert response.status_code == 400 and "parent" in response.data
    response = api.patch(f"/api/party-orgs/{cell.pk}/", {"name": "Chi bộ Á"}, format="json")
    assert response.status_code == 200 and response.data["name"] == "Chi bộ Á"
    # Moving under another unit's subtree: refused for the unit, allowed to central officers.
    other = services.org_create(
        actor=None,
        code="CB-1",
        name="Đảng bộ xã Cao Bằng",
        kind=OrgKind.GRASSROOTS,
        parent=world["elsewhere"],
    )
    move = {"new_parent": other.pk}
    assert api.post(f"/api/party-orgs/{cell.pk}/move/", move, format="json").status_code == 403
    response = world["central"].post(f"/api/party-orgs/{cell.pk}/move/", move, format="json")
    assert response.status_code == 200 and response.data == {"moved": 1}
    # A succession within one's keeping.
    lone = services.org_create(
        actor=None,
        code="PT-2",
        name="Chi bộ xã Hai",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=world["province"],
    )
    response = api.post(
        f"/api/party-orgs/{lone.pk}/successions/",
        {
            "successor": world["grassroots"].pk,
            "kind": "merge",
            "effective_date": "2025-07-01",
            "legal_basis": "QĐ 9",
        },
        format="json",
    )
    assert response.status_code == 201 and response.data["successor"] == world["grassroots"].pk


def test_awarding_a_badge_through_the_api(world):
    cell = services.org_create(
        actor=None,
        code="PT-1-B",
        name="Chi bộ B",
        kind=OrgKind.CELL,
        parent=world["grassroots"],
    )
    veteran = member(
        cell, admitted_on=dt.date(1990, 5, 19), birth_date=dt.date(1960, 1, 1), cccd=""
    )
    url = f"/api/party-members/{veteran.pk}/badges/"
    data = {"years": 30, "awarded_on": "2020-05-20", "number": "HH-1"}
    response = world["officer"].post(url, data, format="json")
    assert response.status_code == 400 and "awarded_on" in response.data
    response = world["officer"].post(url, {**data, "awarded_on": "2020-05-19"}, format="json")
    assert response.status_code == 201 and response.data["number"] == "HH-1"


def test_country_statistics_through_the_api(world):
    cell = services.org_create(
        actor=None,
        code="PT-3",
        name="Chi bộ Ba",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=world["province"],
    )
    member(cell)
    assert world["officer"].get("/api/party-statistics/").status_code == 403
    response = world["central"].get("/api/party-statistics/?on=2025-12-31")
    assert response.status_code == 200
    expected = country_statistics(on=dt.date(2025, 12, 31))
    assert [r["code"] for r in response.data["rows"]] == [r.org.code for r in expected.rows]
    assert response.data["total"]["total"] == expected.total.total == 1
    assert response.data["total"]["code"] is None
    assert world["central"].get("/api/party-statistics/?on=x").status_code == 400
    assert not OrgClassification.objects.exists()
