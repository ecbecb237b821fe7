"""The member API: scope, masking, the audited full citizen ID, refusals as 400 with the reason."""

import pytest
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    own, other = UnitFactory(), UnitFactory()
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    cell = services.org_create(
        actor=None, code="PT-1", name="Chi bộ 1", kind=OrgKind.GRASSROOTS_CELL, parent=province
    )
    return {
        "province": province,
        "cell": cell,
        "member": member(cell),
        "officer": UserFactory(role=Role.UNIT_OFFICER, unit=own),
        "leader": UserFactory(role=Role.UNIT_LEADER, unit=own),
        "stranger": UserFactory(role=Role.UNIT_OFFICER, unit=other),
    }


def test_lists_are_scoped_and_masked(world):
    officer = _api(world["officer"])
    roots = officer.get("/api/party-orgs/").data["results"]
    assert [r["code"] for r in roots] == ["PT"]
    assert _api(world["stranger"]).get("/api/party-orgs/").data["results"] == []
    rows = officer.get(f"/api/party-members/?org={world['province'].pk}&q=nguyen").data["results"]
    assert [(r["full_name"], r["cccd_masked"]) for r in rows] == [("Nguyễn Văn An", "0250******45")]
    assert "cccd" not in rows[0]
    assert (
        _api(world["stranger"]).get(f"/api/party-members/{world['member'].pk}/").status_code == 403
    )
    assert officer.get("/api/party-members/").status_code == 400


def test_full_cccd_is_a_post_for_leaders_and_audited(world):
    url = f"/api/party-members/{world['member'].pk}/cccd/"
    assert _api(world["officer"]).post(url).status_code == 403
    response = _api(world["leader"]).post(url)
    assert response.data == {"cccd": "025085012345"}
    assert AuditEvent.objects.filter(action="member.cccd_view").count() == 1


def test_create_refusals_and_duplicate_confirmation(world):
    officer = _api(world["officer"])
    payload = {
        "organization": world["cell"].pk,
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "1985-04-12",
        "admitted_on": "2010-05-19",
        "cccd": "025185000001",
    }
    bad = officer.post("/api/party-members/", payload, format="json")
    assert bad.status_code == 400 and "giới tính nữ" in str(bad.data["cccd"])
    payload["cccd"] = ""
    duplicate = officer.post("/api/party-members/", payload, format="json")
    assert duplicate.status_code == 400 and "trùng họ tên" in str(duplicate.data)
    confirmed = officer.post(
        "/api/party-members/", {**payload, "confirm_duplicate": True}, format="json"
    )
    assert confirmed.status_code == 201
    stats = officer.get(f"/api/party-orgs/{world['province'].pk}/statistics/?on=2025-12-31")
    assert stats.data["total"] == 2 and stats.data["with_cccd"] == 1
    assert (
        officer.get(f"/api/party-orgs/{world['province'].pk}/statistics/?on=x").status_code == 400
    )
