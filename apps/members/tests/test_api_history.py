"""The API of imports (upload, progress, confirm, cancel) and of a member's corrections, dated
status changes and merges: same services and refusals as the pages."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import Member, MemberImport
from apps.members.tests.factories import member
from apps.members.tests.scenarios import good_workbook
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = UnitFactory(short_name="Phú Thọ")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    cell = services.org_create(
        actor=None, code="PT-1", name="Chi bộ 1", kind=OrgKind.GRASSROOTS_CELL, parent=province
    )
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=own)
    client = APIClient()
    client.force_login(officer)
    return {"cell": cell, "officer": officer, "client": client}


def test_import_through_the_api(world):
    client = world["client"]
    upload = SimpleUploadedFile("a.xlsx", good_workbook("PT-1"))
    response = client.post("/api/party-imports/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["rows"], body["percent"], body["kind"]) == (
        "ok",
        1,
        100,
        "members",
    )
    assert client.get("/api/party-imports/").json()["results"][0]["id"] == body["id"]
    done = client.post(f"/api/party-imports/{body['id']}/confirm/").json()
    assert done["state"] == "imported" and done["imported"] == 1
    again = client.post(f"/api/party-imports/{body['id']}/confirm/")
    assert again.status_code == 400 and "Đã nhập" in str(again.json())
    bad = client.post(
        "/api/party-imports/",
        {"file": SimpleUploadedFile("x.xlsx", b"nope")},
        format="multipart",
    )
    assert bad.status_code == 400 and "Excel" in str(bad.json())
    # Another officer of the same unit: not their import.
    other = APIClient()
    other.force_login(UserFactory(role=Role.UNIT_OFFICER, unit=world["officer"].unit))
    assert other.get(f"/api/party-imports/{body['id']}/").status_code == 403
    assert other.get("/api/party-imports/").json()["results"] == []


def test_cancel_through_the_api(world):
    client = world["client"]
    record = services.member_import_upload(
        actor=world["officer"], upload=io.BytesIO(good_workbook("PT-1")), scope_paths=None
    )
    body = client.post(f"/api/party-imports/{record.pk}/cancel/").json()
    assert body["state"] == "cancelled" and not Member.objects.exists()
    assert MemberImport.objects.get(pk=record.pk).cancel_requested


def test_member_corrections_status_and_merge_through_the_api(world):
    client = world["client"]
    someone = member(world["cell"], full_member_on=dt.date(2011, 5, 19), status="full")
    version = someone.updated_at.isoformat()
    response = client.patch(
        f"/api/party-members/{someone.pk}/",
        {"version": version, "ethnicity": "Tày"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["ethnicity"] == "Tày"
    stale = client.patch(
        f"/api/party-members/{someone.pk}/",
        {"version": version, "ethnicity": "Nùng"},
        format="json",
    )
    assert stale.status_code == 400 and "sau khi bạn mở" in str(stale.json())
    change = client.post(
        f"/api/party-members/{someone.pk}/status/",
        {"status": "exempt", "on": "2025-01-02", "reason": "Tuổi cao"},
        format="json",
    )
    assert change.status_code == 201 and change.json()["from_status"] == "full"
    refused = client.post(
        f"/api/party-members/{someone.pk}/status/",
        {"status": "left", "on": "2025-02-02", "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "gap_reason" in refused.json()
    twin = member(world["cell"], cccd="", admitted_on=dt.date(2011, 1, 1), confirm_duplicate=True)
    merged = client.post(
        f"/api/party-members/{someone.pk}/merge/",
        {"remove": twin.pk, "reason": "Nhập hai lần"},
        format="json",
    )
    assert merged.status_code == 201 and merged.json()["removed_id"] == twin.pk
    assert not Member.objects.filter(pk=twin.pk).exists()
