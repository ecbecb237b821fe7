"""The movements and review-period API: the pages' permissions, 400 (never 500) with Vietnamese
field errors on bad input or a refused rule, the overview as data."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.emulation.models import Assessment, Movement, PeriodReopening, ReviewPeriod
from apps.emulation.tests.factories import review_period, signed_pact

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def api(demo):
    def as_user(username):
        client = APIClient()
        client.force_authenticate(demo.users[username])
        return client

    return as_user


@pytest.fixture
def term(demo):
    return demo.terms[2026]


def test_period_lifecycle(api, demo, term):
    secretariat = api("caobang.chuyenvien")
    response = secretariat.post(
        "/api/review-periods/",
        {"term": term.pk, "kind": "year_end", "opens_on": "2026-11-01", "deadline": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 201, response.data
    data = response.data
    assert data["kind"] == "year_end" and data["flag_margin"] == "20.00"
    assert {u["short_name"] for u in data["panel"]} == {"Cao Bằng", "Lào Cai", "Lai Châu"}
    assert data["reopenings"] == [] and data["ranking_published_at"] is None
    period_id = data["id"]
    listed = api("xem").get(f"/api/review-periods/?term={term.pk}").data["results"]
    assert [p["id"] for p in listed] == [period_id]
    patched = secretariat.patch(
        f"/api/review-periods/{period_id}/",
        {"flag_margin": "12.5", "panel": [demo.units["Sơn La"].pk]},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.data["flag_margin"] == "12.50"
    assert [u["short_name"] for u in patched.data["panel"]] == ["Sơn La"]
    assert secretariat.delete(f"/api/review-periods/{period_id}/").status_code == 204
    assert not ReviewPeriod.objects.exists()


def test_period_refusals_are_field_errors_in_vietnamese(api, demo, term):
    secretariat = api("caobang.chuyenvien")
    response = secretariat.post(
        "/api/review-periods/",
        {
            "term": term.pk,
            "kind": "year_end",
            "opens_on": "2026-11-20",
            "deadline": "2026-11-19",
            "panel": [demo.old["Vĩnh Phúc"].pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data["deadline"] == [
        "Hạn chót (19/11/2026) không thể trước ngày mở (20/11/2026)."
    ]
    response = secretariat.post(
        "/api/review-periods/",
        {"term": term.pk, "kind": "weekly", "opens_on": "2026-13-01", "deadline": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.data) == {"kind", "opens_on", "deadline"}
    review_period(term)
    response = secretariat.post(
        "/api/review-periods/",
        {"term": term.pk, "kind": "year_end", "opens_on": "2026-11-01", "deadline": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 400 and "đã có đợt" in response.data["kind"][0]


def test_only_the_secretariat_of_the_term_creates(api, term):
    data = {"term": term.pk, "kind": "year_end", "opens_on": "2026-11-01", "deadline": "2026-11-20"}
    # Phú Thọ led 2025, not 2026.
    assert (
        api("phutho.chuyenvien").post("/api/review-periods/", data, format="json").status_code
        == 403
    )
    assert api("xem").post("/api/review-periods/", data, format="json").status_code == 403
    assert not ReviewPeriod.objects.exists()


def test_reopen_and_overview(api, demo, term):
    today = timezone.localdate()
    period = review_period(term, kind="mid_year", opens_on=today - 20 * DAY, deadline=today - DAY)
    pact = signed_pact(term)
    Assessment.objects.create(
        period=period,
        unit=demo.units["Cao Bằng"],
        pact=pact,
        state="submitted",
        submitted_at=timezone.now() - 5 * DAY,
    )
    son_la = demo.units["Sơn La"]
    response = api("caobang.lanhdao").post(
        f"/api/review-periods/{period.pk}/reopen/",
        {"unit": son_la.pk, "until": (today + DAY).isoformat(), "reason": "Mất điện"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["unit"]["id"] == son_la.pk
    assert response.data["created_by"] == "caobang.lanhdao"
    overview = api("xem").get(f"/api/review-periods/{period.pk}/overview/")
    assert overview.status_code == 200
    data = overview.data
    assert data["on"] == today.isoformat() and data["counts"]["members"] == 9
    assert data["counts"]["on_time"] == 1 and data["counts"]["missing"] == 7
    rows = {row["unit"]["short_name"]: row for row in data["rows"]}
    assert rows["Cao Bằng"]["punctuality"] == "on_time" and rows["Cao Bằng"]["role"] == "leader"
    assert rows["Sơn La"]["period_state"] == "reopened"
    assert rows["Sơn La"]["reopened_until"] == (today + DAY).isoformat()
    assert rows["Sơn La"]["punctuality"] == "pending"
    assert rows["Điện Biên"] == {
        **rows["Điện Biên"],
        "state": "none",
        "submitted_at": None,
        "punctuality": "missing",
        "period_state": "closed",
        "reopened_until": None,
    }
    # The overview on the deadline day: nobody missing yet.
    on_deadline = api("xem").get(
        f"/api/review-periods/{period.pk}/overview/?on={(today - DAY).isoformat()}"
    )
    assert on_deadline.data["counts"]["missing"] == 0
    assert (
        api("xem").get(f"/api/review-periods/{period.pk}/overview/?on=hôm-nay").status_code == 400
    )
    detail = api("xem").get(f"/api/review-periods/{period.pk}/").data
    assert detail["state"] == "closed" and detail["reopenings"][0]["reason"] == "Mất điện"


def test_reopen_refusals(api, demo, term):
    today = timezone.localdate()
    open_period = review_period(term)
    response = api("caobang.chuyenvien").post(
        f"/api/review-periods/{open_period.pk}/reopen/",
        {"unit": demo.units["Sơn La"].pk, "until": today.isoformat(), "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "vẫn đang mở" in response.data["non_field_errors"][0]
    response = api("caobang.chuyenvien").post(
        f"/api/review-periods/{open_period.pk}/reopen/",
        {"unit": demo.old["Vĩnh Phúc"].pk, "until": "2020-01-01", "reason": ""},
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.data
    assert (
        api("phutho.lanhdao")
        .post(f"/api/review-periods/{open_period.pk}/reopen/", {}, format="json")
        .status_code
        == 403
    )
    assert not PeriodReopening.objects.exists()


def test_movements_crud_under_the_term(api, demo, term):
    phu_tho = api("phutho.chuyenvien")
    base = f"/api/terms/{term.pk}/movements/"
    response = phu_tho.post(
        base,
        {
            "name": "Chuẩn hóa dữ liệu",
            "starts_on": "2026-03-01",
            "participants": [demo.units["Phú Thọ"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["launched_by"]["short_name"] == "Phú Thọ"  # left out: one's own unit
    movement_id = response.data["id"]
    # Not in the cluster's name, nor in another unit's.
    assert (
        phu_tho.post(
            base, {"name": "X", "starts_on": "2026-03-01", "launched_by": None}, format="json"
        ).status_code
        == 403
    )
    assert (
        phu_tho.post(
            base,
            {"name": "X", "starts_on": "2026-03-01", "launched_by": demo.units["Sơn La"].pk},
            format="json",
        ).status_code
        == 403
    )
    secretariat = api("caobang.chuyenvien")
    cluster = secretariat.post(
        base,
        {"name": "Phong trào của cụm", "starts_on": "2026-01-01", "launched_by": None},
        format="json",
    )
    assert cluster.status_code == 201 and cluster.data["launched_by"] is None
    listed = api("xem").get(base, {"q": "CHUAN HOA"}).data["results"]
    assert [m["id"] for m in listed] == [movement_id]
    listed = api("xem").get(base, {"launched_by": "cluster"}).data["results"]
    assert [m["name"] for m in listed] == ["Phong trào của cụm"]
    assert api("xem").get(base, {"launched_by": "abc"}).status_code == 400
    patched = phu_tho.patch(f"{base}{movement_id}/", {"slogan": "Chính xác"}, format="json")
    assert patched.status_code == 200 and patched.data["slogan"] == "Chính xác"
    assert (
        secretariat.patch(f"{base}{movement_id}/", {"slogan": "Y"}, format="json").status_code
        == 403
    )
    bad = phu_tho.patch(f"{base}{movement_id}/", {"ends_on": "2026-01-01"}, format="json")
    assert bad.status_code == 400 and "ends_on" in bad.data
    # The movement of another term is not found under this one.
    other_term = demo.terms[2025]
    assert api("xem").get(f"/api/terms/{other_term.pk}/movements/{movement_id}/").status_code == 404
    assert phu_tho.delete(f"{base}{movement_id}/").status_code == 204
    assert not Movement.objects.filter(pk=movement_id).exists()


def test_movement_criteria_from_the_pact_in_force_only(api, demo, term):
    pact_2025 = demo.terms[2025].pacts.get()
    foreign = pact_2025.groups.first().criteria.first()
    response = api("caobang.chuyenvien").post(
        f"/api/terms/{term.pk}/movements/",
        {"name": "X", "starts_on": "2026-01-01", "criteria": [foreign.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "không thuộc giao ước đang có hiệu lực" in response.data["criteria"][0]
    response = api("caobang.chuyenvien").post(
        f"/api/terms/{term.pk}/movements/",
        {"name": "X", "starts_on": "2026-01-01", "criteria": [999999], "participants": [1.5]},
        format="json",
    )
    assert response.status_code == 400 and set(response.data) == {"criteria", "participants"}
