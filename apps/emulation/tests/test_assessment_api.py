"""The self-assessment API: same permissions as the page, 409 with the stored line on a stale
version, multipart and base64 uploads checked by content, 400 (never 500) on bad input."""

import base64
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.emulation import services
from apps.emulation.choices import SheetState
from apps.emulation.models import Assessment, Evidence
from apps.emulation.tests import assessment_files as files
from apps.emulation.tests.assessment_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def api(w):
    def as_user(name):
        client = APIClient()
        client.force_authenticate(w.users[name])
        return client

    return as_user


def _open(api, w, name="officer", unit=None):
    return api(name).post(
        "/api/assessments/", {"period": w.period.pk, "unit": (unit or w.member).pk}, format="json"
    )


def test_open_creates_then_returns_the_same(api, w):
    response = _open(api, w)
    assert response.status_code == 201
    data = response.data
    assert data["state"] == "draft" and data["pact_version"] == 1
    assert [i["criterion"]["kind"] for i in data["items"]] == [
        "criterion",
        "criterion",
        "bonus",
        "penalty",
    ]
    assert data["totals"] == {
        "criteria": "0.00",
        "bonus": "0.00",
        "penalty": "0.00",
        "total": "0.00",
        "filled": 0,
        "required": 2,
    }
    assert {i["code"] for i in data["indicators"]} >= {"good_practices", "support_money"}
    again = _open(api, w, "leader")
    assert again.status_code == 200 and again.data["id"] == data["id"]


def test_open_is_refused_to_others_and_for_non_members(api, w):
    for name in ("viewer", "third_officer", "central", "lead_officer"):
        assert _open(api, w, name).status_code == 403, name
    assert _open(api, w, "outsider_leader", unit=w.outsider).status_code == 404
    bad = api("officer").post("/api/assessments/", {"period": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.data) == {"period", "unit"}
    assert not Assessment.objects.exists()


def test_open_after_the_deadline_is_a_400_in_vietnamese(api, w):
    w.close()
    response = _open(api, w)
    assert response.status_code == 400
    assert "không được mở lại cho" in response.data["non_field_errors"][0]


def test_list_shows_only_what_the_caller_may_read(api, w):
    mine = w.open()
    theirs = w.fill(w.open(unit=w.third))
    ids = lambda name: {row["id"] for row in api(name).get("/api/assessments/").data["results"]}  # noqa: E731
    assert ids("officer") == {mine.pk}
    assert ids("lead_officer") == {mine.pk, theirs.pk}  # the secretariat
    assert ids("central") == {mine.pk, theirs.pk}
    assert ids("outsider_leader") == set()
    services.assessment_submit(actor=None, assessment=theirs)
    assert ids("officer") == {mine.pk, theirs.pk}  # a submitted one is open to the members
    assert ids("outsider_leader") == set()
    filtered = api("central").get(f"/api/assessments/?unit={w.third.pk}&state=submitted")
    assert [row["id"] for row in filtered.data["results"]] == [theirs.pk]


def test_patch_line_then_conflict_409_with_the_stored_line(api, w):
    assessment = w.open()
    line = w.line(assessment)
    url = f"/api/assessments/{assessment.pk}/items/{line.pk}/"
    first = api("officer").patch(
        url, {"version": 0, "points": "50.5", "explanation": "Mai"}, format="json"
    )
    assert first.status_code == 200
    assert (first.data["points"], first.data["version"]) == ("50.50", 1)
    assert first.data["updated_by_name"] == "Nông Thị Mai"
    stale = api("officer2").patch(url, {"version": 0, "points": "40"}, format="json")
    assert stale.status_code == 409
    assert stale.data["current"]["points"] == "50.50"
    assert stale.data["current"]["version"] == 1
    assert stale.data["current"]["explanation"] == "Mai"
    assert "Nông Thị Mai đã lưu dòng này" in stale.data["detail"]
    line.refresh_from_db()
    assert line.points == Decimal("50.5")


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"version": 0, "points": "60.01"}, "points", "Tối đa 60 điểm cho mục này."),
        ({"version": 0, "points": "-2"}, "points", "Điểm không được âm."),
        ({"version": 0, "points": "1.255"}, "points", "Điểm chỉ có tối đa hai chữ số thập phân."),
        ({"points": "1"}, "version", None),
        ({"version": 0, "points": "mười"}, "points", None),
    ],
)
def test_patch_refusals_are_400_by_field(api, w, payload, field, message):
    assessment = w.open()
    line = w.line(assessment)
    response = api("officer").patch(
        f"/api/assessments/{assessment.pk}/items/{line.pk}/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.data
    if message:
        assert response.data[field] == [message]


def test_patch_permissions_and_a_line_of_another_assessment(api, w):
    assessment = w.open()
    other = w.open(unit=w.third)
    line = w.line(assessment)
    url = f"/api/assessments/{assessment.pk}/items/{line.pk}/"
    for name in ("viewer", "third_officer", "central"):
        assert api(name).patch(url, {"version": 0, "points": "1"}, format="json").status_code == 403
    wrong = f"/api/assessments/{other.pk}/items/{line.pk}/"
    assert (
        api("officer").patch(wrong, {"version": 0, "points": "1"}, format="json").status_code == 404
    )
    assert api("officer").get(wrong).status_code == 404


def test_upload_multipart_and_base64_then_download_and_delete(api, w):
    assessment = w.open()
    line = w.line(assessment)
    base = f"/api/assessments/{assessment.pk}/evidence/"
    client = api("officer")
    multipart = client.post(
        base,
        {"item": line.pk, "file": SimpleUploadedFile("Tờ trình.docx", files.docx_bytes())},
        format="multipart",
    )
    assert multipart.status_code == 201, multipart.data
    assert multipart.data["original_name"] == "Tờ trình.docx"
    encoded = base64.b64encode(files.xls_bytes()).decode()
    as_json = client.post(
        base,
        {"item": line.pk, "file_name": "so-lieu.xls", "content_base64": encoded},
        format="json",
    )
    assert as_json.status_code == 201 and as_json.data["content_type"] == "application/vnd.ms-excel"
    listed = client.get(base).data
    assert [e["original_name"] for e in listed] == ["Tờ trình.docx", "so-lieu.xls"]
    download = api("central").get(listed[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.docx_bytes()
    assert "attachment;" in download["Content-Disposition"]
    assert api("third_officer").get(listed[0]["download_url"]).status_code == 403
    gone = client.delete(f"{base}{as_json.data['id']}/")
    assert gone.status_code == 204
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"file_name": "a.pdf", "content_base64": "!!!"}, "content_base64"),
        ({"file_name": "a.pdf"}, "file"),
        ({}, "file"),
    ],
)
def test_upload_bad_input_is_400(api, w, payload, field):
    assessment = w.open()
    payload = {"item": w.line(assessment).pk, **payload}
    response = api("officer").post(
        f"/api/assessments/{assessment.pk}/evidence/", payload, format="json"
    )
    assert response.status_code == 400 and field in response.data


def test_upload_refusals_name_the_file(api, w):
    assessment = w.open()
    other = w.open(unit=w.third)
    base = f"/api/assessments/{assessment.pk}/evidence/"
    client = api("officer")
    html = client.post(
        base,
        {
            "item": w.line(assessment).pk,
            "file": SimpleUploadedFile("bao-cao.pdf", files.HTML_BYTES),
        },
        format="multipart",
    )
    assert html.status_code == 400
    assert html.data["non_field_errors"][0].startswith("Tệp “bao-cao.pdf” bị từ chối")
    elsewhere = client.post(
        base,
        {"item": w.line(other).pk, "file": files.good_upload()},
        format="multipart",
    )
    assert elsewhere.status_code == 400 and "item" in elsewhere.data
    assert not Evidence.objects.exists()


def test_indicators_and_submit_through_the_api(api, w):
    assessment = w.fill(w.open())
    base = f"/api/assessments/{assessment.pk}/"
    bad = api("officer").post(
        base + "indicators/",
        {"values": [{"indicator": "members_with_cccd_pct", "value": "120"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.data == {"members_with_cccd_pct": ["Tỷ lệ không được lớn hơn 100."]}
    twice = api("officer").post(
        base + "indicators/",
        {"values": [{"indicator": "inspections", "value": "1"}] * 2},
        format="json",
    )
    assert twice.status_code == 400
    good = api("officer").post(
        base + "indicators/",
        {"values": [{"indicator": "good_practices", "value": "6", "note": "6 mô hình"}]},
        format="json",
    )
    assert good.status_code == 200
    row = next(i for i in good.data["indicators"] if i["code"] == "good_practices")
    assert (row["value"], row["note"]) == ("6.00", "6 mô hình")
    assert api("officer").post(base + "submit/").status_code == 403
    submitted = api("leader").post(base + "submit/")
    assert submitted.status_code == 200 and submitted.data["state"] == "submitted"
    assert submitted.data["submitted_by"] == "tc.leader"
    again = api("leader").post(base + "submit/")
    assert again.status_code == 400
    line = submitted.data["items"][0]
    locked = api("officer").patch(
        f"{base}items/{line['id']}/", {"version": line["version"], "points": "1"}, format="json"
    )
    assert locked.status_code == 400
    assert "đang ở trạng thái Đã gửi" in locked.data["non_field_errors"][0]
    assessment.refresh_from_db()
    assert assessment.state == SheetState.SUBMITTED


def test_submit_incomplete_is_400_listing_the_criteria(api, w):
    assessment = w.open()
    response = api("leader").post(f"/api/assessments/{assessment.pk}/submit/")
    assert response.status_code == 400
    assert response.data["non_field_errors"] == [
        "Các tiêu chí sau chưa có điểm: I. Tiêu chí 60; I. Tiêu chí 40"
    ]


def test_other_members_read_through_the_api_once_submitted(api, w):
    assessment = w.fill(w.open())
    url = f"/api/assessments/{assessment.pk}/"
    assert api("third_viewer").get(url).status_code == 403
    services.assessment_submit(actor=None, assessment=assessment)
    assert api("third_viewer").get(url).status_code == 200
    assert api("outsider_leader").get(url).status_code == 403
