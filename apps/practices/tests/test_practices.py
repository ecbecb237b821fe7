"""The good-practice registry: services (states, refusals, audit), pages (search without
diacritics, a form that keeps what was typed, counts per cluster year), the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.practices import services
from apps.practices.choices import PracticeStatus
from apps.practices.models import GoodPractice, PracticeAdoption
from apps.practices.selectors import term_practice_counts

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 9, 1)


def _text(response) -> str:
    return response.content.decode()


def new(demo, unit="Lào Cai", **extra):
    data = {
        "year": 2025,
        "field": "digital",
        "title": "Họp chi bộ trực tuyến vùng cao",
        "description": "Chi bộ ở xã xa họp qua cầu truyền hình.",
    }
    data.update(extra)
    return services.practice_create(
        actor=demo.users["laocai.lanhdao"], unit=demo.units[unit], **data
    )


def test_proposed_then_recognised_then_replicated(demo):
    practice = new(demo)
    assert practice.status == PracticeStatus.PROPOSED
    central = demo.users["tw.chuyenvien"]
    services.practice_recognise(
        actor=central, practice=practice, recognised_on=DAY, recognised_by="Ban TCTW, CV số 12"
    )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RECOGNISED and practice.recognised_on == DAY
    services.practice_adopt(
        actor=central, practice=practice, unit=demo.units["Sơn La"], adopted_on=DAY
    )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.REPLICATED
    events = AuditEvent.objects.filter(object_id=str(practice.pk)).values_list("action", flat=True)
    assert {"practice.create", "practice.recognise", "practice.adopt"} <= set(events)


def test_refusals_say_why_and_change_nothing(demo):
    practice = new(demo)
    central = demo.users["tw.chuyenvien"]
    with pytest.raises(ValidationError) as info:
        services.practice_adopt(
            actor=central, practice=practice, unit=demo.units["Sơn La"], adopted_on=DAY
        )
    assert "Mô hình đang ở trạng thái “Đề xuất”" in " ".join(info.value.messages)
    with pytest.raises(ValidationError) as info:
        services.practice_recognise(
            actor=central, practice=practice, recognised_on=DAY, recognised_by="  "
        )
    assert "recognised_by" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.practice_recognise(
            actor=central, practice=practice, recognised_on=dt.date(2024, 5, 1), recognised_by="X"
        )
    services.practice_recognise(
        actor=central, practice=practice, recognised_on=DAY, recognised_by="X"
    )
    with pytest.raises(ValidationError):
        services.practice_update(actor=central, practice=practice, title="Sửa sau công nhận")
    with pytest.raises(ValidationError):  # its own unit does not adopt it
        services.practice_adopt(
            actor=central, practice=practice, unit=demo.units["Lào Cai"], adopted_on=DAY
        )
    services.practice_adopt(
        actor=central, practice=practice, unit=demo.units["Sơn La"], adopted_on=DAY
    )
    with pytest.raises(ValidationError) as info:  # once per unit
        services.practice_adopt(
            actor=central, practice=practice, unit=demo.units["Sơn La"], adopted_on=DAY
        )
    assert "Sơn La" in " ".join(info.value.messages)
    assert PracticeAdoption.objects.filter(practice=practice).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"year": 1999}, "year"),
        ({"year": 2099}, "year"),
        ({"field": "fishing"}, "field"),
    ],
)
def test_bad_input_is_refused_field_by_field(demo, changes, field):
    with pytest.raises(ValidationError) as info:
        new(demo, **changes)
    assert field in info.value.message_dict


def test_counts_per_cluster_year(demo):
    counts = {c.unit.short_name: c for c in term_practice_counts(term=demo.terms[2025])}
    assert counts["Hà Nội"].total == 1 and counts["Hà Nội"].adopted_elsewhere == 2
    assert sum(c.total for c in counts.values()) == 4  # the demo's illustrative practices
    assert sum(c.recognised for c in counts.values()) == 2


def test_search_ignores_diacritics_and_case(client, demo):
    client.force_login(demo.users["xem"])
    page = client.get(reverse("practices:list"), {"q": "SO TAY DANG VIEN DIEN TU"})
    assert "Sổ tay đảng viên điện tử" in _text(page)
    assert "Quy trình ba bước" not in _text(page)
    page = client.get(reverse("practices:list"), {"status": "proposed"})
    assert "Quy trình ba bước" in _text(page) and "Sổ tay đảng viên" not in _text(page)


def test_an_officer_records_for_their_own_unit_and_a_bad_form_keeps_the_text(client, demo):
    officer = demo.users["caobang.chuyenvien"]
    client.force_login(officer)
    url = reverse("practices:create")
    typed = {
        "year": "2025",
        "field": "cadres",
        "title": "Luân chuyển cán bộ trẻ",
        "description": "",
    }
    response = client.post(url, typed)
    assert response.status_code == 200 and "Luân chuyển cán bộ trẻ" in _text(response)
    assert not GoodPractice.objects.filter(title="Luân chuyển cán bộ trẻ").exists()
    response = client.post(url, {**typed, "description": "Luân chuyển về xã."}, follow=True)
    practice = GoodPractice.objects.get(title="Luân chuyển cán bộ trẻ")
    assert practice.unit == demo.units["Cao Bằng"] and practice.created_by == officer
    # Another unit's staff cannot edit it, but may record that their unit adopted it later.
    client.force_login(demo.users["laocai.lanhdao"])
    assert client.get(reverse("practices:edit", args=[practice.pk])).status_code == 403


def test_term_counts_page_and_api(client, demo):
    term = demo.terms[2025]
    client.force_login(demo.users["xem"])
    page = client.get(reverse("practices:term_counts", args=[term.pk]))
    assert 'data-figure="total">4<' in _text(page)
    api = APIClient()
    api.force_authenticate(demo.users["xem"])
    rows = api.get("/api/practices/counts/", {"term": term.pk}).json()
    assert sum(r["total"] for r in rows) == 4 and len(rows) == 9
    found = api.get("/api/practices/", {"q": "can cuoc"}).json()["results"]
    assert [p["title"] for p in found] == [
        "Chuẩn hóa dữ liệu đảng viên gắn với căn cước công dân sau hợp nhất tỉnh"
    ]


def test_api_adoption_is_for_the_callers_own_unit(demo):
    practice = GoodPractice.objects.get(status="replicated", unit=demo.units["Phú Thọ"])
    api = APIClient()
    api.force_authenticate(demo.users["caobang.lanhdao"])
    url = f"/api/practices/{practice.pk}/adopt/"
    other = api.post(
        url, {"unit": demo.units["Sơn La"].pk, "adopted_on": "2025-12-01"}, format="json"
    )
    assert other.status_code == 403
    mine = api.post(
        url, {"unit": demo.units["Cao Bằng"].pk, "adopted_on": "2025-12-01"}, format="json"
    )
    assert mine.status_code == 201
    assert "Cao Bằng" in {
        a["unit_name"].split()[-2] + " " + a["unit_name"].split()[-1]
        for a in mine.json()["adoptions"]
    }
