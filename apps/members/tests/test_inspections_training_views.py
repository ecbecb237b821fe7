"""Inspection and training pages and API over HTTP: a unit sees only its subtree, refused forms
keep what was typed, concluded inspections are read-only, participants follow the course's
kind, and the statistics page counts them."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import CourseParticipant, Inspection
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
    far_cell = services.org_create(
        actor=None,
        code="CB-1",
        name="Chi bộ Cao Bằng",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=elsewhere,
    )
    person = member(cell)
    ours = services.inspection_create(
        actor=None,
        kind="inspection",
        conducted_by=province,
        topic="Kiểm tra chi bộ Hùng Lô",
        started_on=dt.date(2025, 3, 1),
        subject_org=cell,
    )
    theirs = services.inspection_create(
        actor=None,
        kind="supervision",
        conducted_by=elsewhere,
        topic="Giám sát Cao Bằng",
        started_on=dt.date(2025, 3, 1),
        subject_org=far_cell,
    )
    return {
        "province": province,
        "cell": cell,
        "elsewhere": elsewhere,
        "member": person,
        "ours": ours,
        "theirs": theirs,
        "officer": UserFactory(role=Role.UNIT_OFFICER, unit=own),
        "stranger": UserFactory(role=Role.UNIT_LEADER, unit=other),
        "viewer": UserFactory(role=Role.VIEWER, unit=own),
        "central": UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")),
    }


def test_inspection_lists_are_scoped_to_the_subtree(client, world):
    client.force_login(world["officer"])
    page = client.get(f"/party/orgs/{world['province'].pk}/").content.decode()
    assert f"/party/orgs/{world['province'].pk}/inspections/" in page
    assert f"/party/orgs/{world['province'].pk}/training/" in page
    listing = client.get(f"/party/orgs/{world['province'].pk}/inspections/").content.decode()
    assert "Kiểm tra chi bộ Hùng Lô" in listing and "Giám sát Cao Bằng" not in listing
    assert client.get(f"/party/orgs/{world['elsewhere'].pk}/inspections/").status_code == 403
    assert client.get(f"/party/inspections/{world['theirs'].pk}/").status_code == 403
    assert client.get("/party/inspections/999999/").status_code == 404
    client.force_login(world["stranger"])
    assert client.get(f"/party/inspections/{world['ours'].pk}/").status_code == 403
    assert client.get(f"/party/orgs/{world['province'].pk}/training/").status_code == 403
    client.force_login(world["viewer"])
    detail = client.get(f"/party/inspections/{world['ours'].pk}/").content.decode()
    assert "Kiểm tra chi bộ Hùng Lô" in detail and "/edit/" not in detail
    assert client.get(f"/party/inspections/{world['ours'].pk}/edit/").status_code == 403


def test_recording_an_inspection_of_a_member_keeps_typed_values_when_refused(client, world):
    client.force_login(world["officer"])
    url = f"/party/members/{world['member'].pk}/inspections/new/"
    form = {
        "kind": "inspection",
        "basis": "signs",
        "conducted_by": world["cell"].pk,
        "body_name": "Chi bộ",
        "topic": "Dấu hiệu vi phạm",
        "decision_number": "01-QĐ/CB",
        "started_on": "2025-05-10",
        "ended_on": "2025-05-01",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dấu hiệu vi phạm" in page and "01-QĐ/CB" in page
    assert (
        "The end date cannot be before the start date." in page or "ngày kết thúc" in page.lower()
    )
    response = client.post(url, {**form, "ended_on": ""})
    assert response.status_code == 302
    row = Inspection.objects.get(topic="Dấu hiệu vi phạm")
    assert row.subject_member == world["member"] and row.created_by == world["officer"]
    member_page = client.get(f"/party/members/{world['member'].pk}/").content.decode()
    assert "Dấu hiệu vi phạm" in member_page and row.get_absolute_url() in member_page


def test_a_concluded_inspection_is_read_only_until_a_central_officer_reopens_it(client, world):
    client.force_login(world["officer"])
    inspection = world["ours"]
    response = client.post(
        f"/party/inspections/{inspection.pk}/conclude/",
        {"concluded_on": "2025-02-01", "outcome": "violation", "conclusion": "Vi phạm."},
    )
    assert response.status_code == 200 and "Vi phạm." in response.content.decode()
    response = client.post(
        f"/party/inspections/{inspection.pk}/conclude/",
        {
            "concluded_on": "2025-04-01",
            "outcome": "violation",
            "conclusion": "Vi phạm.",
            "measure": "Khiển trách",
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/party/inspections/{inspection.pk}/").content.decode()
    assert "Khiển trách" in detail and f"/party/inspections/{inspection.pk}/edit/" not in detail
    response = client.post(
        f"/party/inspections/{inspection.pk}/edit/",
        {
            "kind": "inspection",
            "basis": "regular",
            "conducted_by": world["province"].pk,
            "topic": "Đổi",
            "started_on": "2025-03-01",
        },
    )
    assert response.status_code == 200 and "Đổi" in response.content.decode()
    client.post(f"/party/inspections/{inspection.pk}/delete/")
    assert Inspection.objects.filter(pk=inspection.pk).exists()
    assert (
        client.post(f"/party/inspections/{inspection.pk}/reopen/", {"reason": "x"}).status_code
        == 403
    )
    client.force_login(world["central"])
    client.post(f"/party/inspections/{inspection.pk}/reopen/", {"reason": ""})
    inspection.refresh_from_db()
    assert inspection.is_concluded
    client.post(f"/party/inspections/{inspection.pk}/reopen/", {"reason": "Sai ngày"})
    inspection.refresh_from_db()
    assert not inspection.is_concluded
    client.force_login(world["officer"])
    assert client.post(f"/party/inspections/{inspection.pk}/delete/").status_code == 302
    assert not Inspection.objects.filter(pk=inspection.pk).exists()


def test_course_page_adds_participants_by_kind_and_records_results(client, world):
    client.force_login(world["officer"])
    response = client.post(
        f"/party/orgs/{world['province'].pk}/training/new/",
        {"kind": "awareness", "name": "Lớp cảm tình Đảng", "started_on": "2025-03-01"},
    )
    assert response.status_code == 302
    course = world["province"].training_courses.get()
    url = f"/party/training/{course.pk}/"
    page = client.get(url).content.decode()
    assert 'id="add-person"' in page and 'id="add-member"' not in page
    # A party member typed as a non-member is refused and the form keeps what was typed.
    response = client.post(
        url + "participants/add-person/",
        {
            "n-full_name": "Nguyen Van An",
            "n-birth_date": "1985-04-12",
            "n-sex": "male",
            "n-cccd": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Nguyen Van An"' in page and "Chi bộ xã Hùng Lô" in page
    response = client.post(
        url + "participants/add-person/",
        {"n-full_name": "Hoàng Thị Mai", "n-birth_date": "2000-02-03", "n-sex": "female"},
    )
    assert response.status_code == 302
    mai = CourseParticipant.objects.get(course=course)
    response = client.post(
        url + f"participants/{mai.pk}/result/",
        {f"p{mai.pk}-result": "completed", f"p{mai.pk}-completed_on": "2025-02-01"},
    )
    assert response.status_code == 200 and 'value="2025-02-01"' in response.content.decode()
    client.post(
        url + f"participants/{mai.pk}/result/",
        {
            f"p{mai.pk}-result": "completed",
            f"p{mai.pk}-completed_on": "2025-03-05",
            f"p{mai.pk}-certificate_number": "GCN-7",
        },
    )
    mai.refresh_from_db()
    assert (mai.result, mai.certificate_number) == ("completed", "GCN-7")
    client.post(url + f"participants/{mai.pk}/remove/")
    assert CourseParticipant.objects.filter(pk=mai.pk).exists()  # holds a certificate
    # The course for new members takes members, found by citizen ID in the organiser's subtree.
    theory = services.course_create(
        actor=None,
        organizer=world["province"],
        kind="new_member",
        name="Lớp đảng viên mới",
        started_on=dt.date(2025, 4, 1),
    )
    response = client.post(
        f"/party/training/{theory.pk}/participants/add-member/", {"m-reference": "000000000000"}
    )
    assert response.status_code == 200 and 'value="000000000000"' in response.content.decode()
    response = client.post(
        f"/party/training/{theory.pk}/participants/add-member/",
        {"m-reference": world["member"].cccd},
    )
    assert response.status_code == 302
    assert theory.participants.get().member == world["member"]
    client.force_login(world["stranger"])
    assert client.get(url).status_code == 403
    assert client.post(url + "participants/add-person/", {}).status_code == 403
    # Statistics of the year: one inspection open, two courses, two participants, one completed.
    client.force_login(world["officer"])
    page = client.get(
        f"/party/orgs/{world['province'].pk}/statistics/?on=2025-12-31"
    ).content.decode()
    assert 'id="inspection-counts"' in page and 'id="training-counts"' in page
    response = client.get(f"/party/orgs/{world['province'].pk}/statistics/?on=2025-12-31")
    assert response.context["inspections"].by_kind == {"inspection": 1, "supervision": 0}
    training = response.context["training"]
    assert (training.total_courses, training.total_participants, training.total_completed) == (
        2,
        2,
        1,
    )


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_api_scope_rules_and_refusals(world):
    officer = _api(world["officer"])
    rows = officer.get(f"/api/party-inspections/?org={world['province'].pk}").data["results"]
    assert [r["topic"] for r in rows] == ["Kiểm tra chi bộ Hùng Lô"]
    assert officer.get("/api/party-inspections/").status_code == 400
    assert officer.get(f"/api/party-inspections/?org={world['elsewhere'].pk}").status_code == 403
    assert officer.get(f"/api/party-inspections/{world['theirs'].pk}/").status_code == 403
    both = {
        "subject_org": world["cell"].pk,
        "subject_member": world["member"].pk,
        "conducted_by": world["province"].pk,
        "kind": "inspection",
        "topic": "Hai đối tượng",
        "started_on": "2025-05-01",
    }
    response = officer.post("/api/party-inspections/", both, format="json")
    assert response.status_code == 400
    neither = {k: v for k, v in both.items() if not k.startswith("subject")}
    assert officer.post("/api/party-inspections/", neither, format="json").status_code == 400
    outside = {
        **neither,
        "subject_org": world["elsewhere"].pk,
        "conducted_by": world["elsewhere"].pk,
    }
    assert officer.post("/api/party-inspections/", outside, format="json").status_code == 403
    url = f"/api/party-inspections/{world['ours'].pk}/"
    response = officer.post(
        url + "conclude/",
        {"concluded_on": "2025-02-01", "conclusion": "x", "outcome": "violation"},
        format="json",
    )
    assert response.status_code == 400 and "concluded_on" in response.data
    response = officer.post(
        url + "conclude/",
        {"concluded_on": "2025-04-01", "conclusion": "Có vi phạm", "outcome": "violation"},
        format="json",
    )
    assert response.status_code == 200 and response.data["outcome"] == "violation"
    assert officer.patch(url, {"topic": "Đổi"}, format="json").status_code == 400
    assert officer.post(url + "reopen/", {"reason": "x"}, format="json").status_code == 403
    # Courses and participants.
    response = officer.post(
        "/api/training-courses/",
        {
            "organizer": world["province"].pk,
            "kind": "new_member",
            "name": "Lớp đảng viên mới",
            "started_on": "2025-04-01",
        },
        format="json",
    )
    assert response.status_code == 201
    base = f"/api/training-courses/{response.data['id']}/participants/"
    person = {"full_name": "Hoàng Thị Mai", "birth_date": "2000-02-03", "sex": "female"}
    assert officer.post(base, person, format="json").status_code == 400
    response = officer.post(base, {"member": world["member"].pk}, format="json")
    assert response.status_code == 201 and response.data["cccd_masked"] == "0250******45"
    pid = response.data["id"]
    response = officer.patch(
        f"{base}{pid}/",
        {"result": "completed", "completed_on": "2025-04-10", "certificate_number": "GCN-1"},
        format="json",
    )
    assert response.status_code == 200 and response.data["certificate_number"] == "GCN-1"
    assert officer.delete(f"{base}{pid}/").status_code == 400
    assert _api(world["stranger"]).get(base).status_code == 403
    assert AuditEvent.objects.filter(action="member.course_result_record").count() == 1
