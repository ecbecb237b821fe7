"""Member pages over HTTP: a unit's staff see only the subtree their unit keeps, lists mask the
citizen ID, the full number is shown on request to permitted roles and audited, adding a member
keeps what was typed when refused and asks to confirm a likely duplicate."""

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import Member
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = UnitFactory(short_name="Phú Thọ"), UnitFactory(short_name="Cao Bằng")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    cell = services.org_create(
        actor=None,
        code="PT-1",
        name="Chi bộ xã Hùng Lô",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=province,
    )
    elsewhere = services.org_create(
        actor=None, code="CB", name="Đảng bộ tỉnh Cao Bằng", kind=OrgKind.PROVINCE, managed_by=other
    )
    users = {
        "officer": UserFactory(role=Role.UNIT_OFFICER, unit=own),
        "leader": UserFactory(role=Role.UNIT_LEADER, unit=own),
        "stranger": UserFactory(role=Role.UNIT_LEADER, unit=other),
        "central": UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")),
    }
    return {
        "province": province,
        "cell": cell,
        "elsewhere": elsewhere,
        "users": users,
        "member": member(cell),
    }


def test_lists_show_only_the_units_subtree_and_mask_the_cccd(client, world):
    client.force_login(world["users"]["officer"])
    roots = client.get("/party/").content.decode()
    assert "Đảng bộ tỉnh Phú Thọ" in roots and "Đảng bộ tỉnh Cao Bằng" not in roots
    page = client.get(f"/party/orgs/{world['province'].pk}/").content.decode()
    assert "Nguyễn Văn An" in page and "0250******45" in page and "025085012345" not in page
    assert (
        "Xem đầy đủ số" not in client.get(f"/party/members/{world['member'].pk}/").content.decode()
    )
    assert client.get(f"/party/orgs/{world['elsewhere'].pk}/").status_code == 403
    client.force_login(world["users"]["stranger"])
    assert client.get(f"/party/members/{world['member'].pk}/").status_code == 403


def test_search_ignores_diacritics(client, world):
    client.force_login(world["users"]["central"])
    page = client.get(f"/party/orgs/{world['province'].pk}/?q=NGUYEN van").content.decode()
    assert "Nguyễn Văn An" in page
    page = client.get(f"/party/orgs/{world['province'].pk}/?q=tran").content.decode()
    assert "Không tìm thấy đảng viên nào" in page


def test_full_cccd_for_the_leader_only_and_audited(client, world):
    url = f"/party/members/{world['member'].pk}/cccd/"
    client.force_login(world["users"]["officer"])
    assert client.post(url).status_code == 403
    client.force_login(world["users"]["leader"])
    before = AuditEvent.objects.filter(action="member.cccd_view").count()
    page = client.post(url).content.decode()
    assert "025085012345" in page and "lần xem này được ghi vào lịch sử" in page
    assert AuditEvent.objects.filter(action="member.cccd_view").count() == before + 1
    assert client.get(url).status_code == 405


def test_adding_a_member_refused_then_confirmed(client, world):
    client.force_login(world["users"]["officer"])
    url = f"/party/orgs/{world['cell'].pk}/members/new/"
    data = {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "1985-04-12",
        "cccd": "025185000001",  # female digit for a man
        "admitted_on": "2012-05-19",
        "status": "full",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "giới tính nữ nhưng hồ sơ ghi nam" in body
    assert 'value="Nguyễn Văn An"' in body
    data["cccd"] = ""
    body = client.post(url, data).content.decode()
    assert "Đã có đảng viên trùng họ tên và ngày sinh" in body
    assert Member.objects.count() == 1
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Member.objects.count() == 2
