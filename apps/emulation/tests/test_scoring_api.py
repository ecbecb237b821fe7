"""The scoring API: same permissions as the pages, 400 with field errors on bad input, 409 when a
score line was saved by someone else since it was read."""

from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.emulation.models import FinalScore, RankingEntry, Score, ScoreSheet
from apps.emulation.tests.scenarios_scoring import fill_all, fill_sheet, scoring_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def s():
    return scoring_setup(count=3)


@pytest.fixture
def api(s):
    a, b, c = s.units
    users = {
        "secretary": UserFactory(role=Role.UNIT_OFFICER, unit=a, full_name="Lê Thị Lan"),
        "c_officer": UserFactory(role=Role.UNIT_OFFICER, unit=c, full_name="Trần Văn Hùng"),
        "c_officer2": UserFactory(role=Role.UNIT_OFFICER, unit=c, full_name="Đỗ Thị Mai"),
        "c_leader": UserFactory(role=Role.UNIT_LEADER, unit=c),
        "viewer": UserFactory(role=Role.VIEWER, unit=c),
    }

    def as_user(name):
        client = APIClient()
        client.force_authenticate(users[name])
        return client

    return as_user


def test_sheet_cycle_with_a_conflict(api, s):
    a, b, c = s.units
    officer = api("c_officer")
    created = officer.post("/api/score-sheets/", {"period": s.period.pk, "target": a.pk})
    assert created.status_code == 201
    assert [line["criterion_title"] for line in created.data["scores"]] == [
        "Công tác cán bộ",
        "Điểm thưởng",
        "Điểm trừ",
    ]
    again = officer.post("/api/score-sheets/", {"period": s.period.pk, "target": a.pk})
    assert again.status_code == 200 and again.data["id"] == created.data["id"]
    listed = officer.get(f"/api/score-sheets/?period={s.period.pk}")
    assert [row["target"]["id"] for row in listed.data] == [a.pk]
    line = created.data["scores"][0]
    url = f"/api/scores/{line['id']}/"

    saved = officer.patch(url, {"points": "55.5", "comment": "Tốt", "version": 0}, format="json")
    assert saved.status_code == 200 and saved.data["version"] == 1
    assert saved.data["points"] == "55.50"
    # The second officer read the line at version 0 too: 409 with the saved line and who saved it.
    late = api("c_officer2").patch(url, {"points": "40", "version": 0}, format="json")
    assert late.status_code == 409
    assert late.data["current"]["points"] == "55.50" and late.data["current"]["version"] == 1
    assert "Trần Văn Hùng" in late.data["detail"] and "55,5" in late.data["detail"]
    assert Score.objects.get(pk=line["id"]).points == Decimal("55.50")
    replaced = api("c_officer2").patch(url, {"points": "40", "version": 1}, format="json")
    assert replaced.status_code == 200 and replaced.data["points"] == "40.00"

    too_much = officer.patch(url, {"points": "61", "version": 2}, format="json")
    assert too_much.status_code == 400 and "points" in too_much.data
    assert "Tối đa 60 điểm" in str(too_much.data["points"])
    no_version = officer.patch(url, {"points": "1"}, format="json")
    assert no_version.status_code == 400 and "version" in no_version.data

    sheet_id = created.data["id"]
    refused = api("c_leader").post(f"/api/score-sheets/{sheet_id}/submit/")
    assert refused.status_code == 400 and "Điểm thưởng" in str(refused.data)
    assert officer.post(f"/api/score-sheets/{sheet_id}/submit/").status_code == 403
    for other in created.data["scores"][1:]:
        officer.patch(f"/api/scores/{other['id']}/", {"points": 0, "version": 0}, format="json")
    submitted = api("c_leader").post(f"/api/score-sheets/{sheet_id}/submit/")
    assert submitted.status_code == 200 and submitted.data["state"] == "submitted"
    locked = officer.patch(url, {"points": "1", "version": 3}, format="json")
    assert locked.status_code == 400


def test_start_refusals_are_400_and_strangers_403(api, s):
    a, b, c = s.units
    officer = api("c_officer")
    assert (
        officer.post("/api/score-sheets/", {"period": s.period.pk, "target": c.pk}).status_code
        == 400
    )
    assert officer.post("/api/score-sheets/", {"period": s.period.pk}).status_code == 400
    assert officer.get("/api/score-sheets/").status_code == 400
    viewer = api("viewer")
    assert viewer.get(f"/api/score-sheets/?period={s.period.pk}").status_code == 403
    sheet = fill_sheet(s.period, a, b, submit=False)
    assert officer.get(f"/api/score-sheets/{sheet.pk}/").status_code == 403
    score = sheet.scores.first()
    assert (
        officer.patch(
            f"/api/scores/{score.pk}/", {"points": 1, "version": 1}, format="json"
        ).status_code
        == 403
    )
    secretariat = api("secretary")
    listed = secretariat.get(f"/api/score-sheets/?period={s.period.pk}")
    assert [row["id"] for row in listed.data] == [sheet.pk]


def test_reconciliation_final_score_ranking_and_publish(api, s):
    a, b, c = s.units
    secretary = api("secretary")
    base = f"/api/scoring/{s.period.pk}/"
    blocked = secretary.post(base + "publish/")
    assert blocked.status_code == 400
    assert any("Chưa gửi" in m or "chưa lập" in m for m in blocked.data["non_field_errors"])
    fill_all(s, {"Công tác cán bộ": 45})
    data = secretary.get(base + f"reconciliation/?unit={c.pk}").data
    assert [u["unit"]["id"] for u in data["units"]] == [c.pk]
    line = data["units"][0]["lines"][0]
    assert line["mean"] == "45.00" and line["self_points"] == "60.00" and line["self_flag"]
    assert data["flag_margin"] == "20.00"
    criterion = s.criterion("Công tác cán bộ")
    no_reason = secretary.post(
        base + "final-scores/", {"unit": c.pk, "criterion": criterion.pk, "points": "55"}
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.data
    final = secretary.post(
        base + "final-scores/",
        {"unit": c.pk, "criterion": criterion.pk, "points": "55", "reason": "Họp cụm"},
    )
    assert final.status_code == 200 and final.data["computed"] == "45.00"
    assert FinalScore.objects.get().decided_by.full_name == "Lê Thị Lan"

    ranking = secretary.get(base + "ranking/").data
    assert ranking["published"] is False and ranking["rows"][0]["unit"]["id"] == c.pk
    assert ranking["rows"][0]["total"] == "95.00"
    assert ranking["rows"][0]["lines"][0]["source"] == "final"
    assert api("c_officer").get(base + "ranking/").status_code == 403
    assert api("c_officer").post(base + "publish/").status_code == 403
    assert api("c_officer").get(base + "reconciliation/").status_code == 403

    published = secretary.post(base + "publish/")
    assert published.status_code == 200 and published.data["published"] is True
    assert RankingEntry.objects.filter(period=s.period).count() == 3
    for name in ("c_officer", "viewer"):
        frozen = api(name).get(base + "ranking/")
        assert frozen.status_code == 200 and frozen.data["rows"] == published.data["rows"]
        export = api(name).get(base + "ranking/export/")
        assert export.status_code == 200 and export.content[:2] == b"PK"
    assert secretary.post(base + "publish/").status_code == 400
    assert ScoreSheet.objects.filter(period=s.period).count() == 6


def test_export_can_be_asked_for_by_its_type(api, s):
    response = api("secretary").get(
        f"/api/scoring/{s.period.pk}/ranking/export/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    denied = api("c_officer").get(
        f"/api/scoring/{s.period.pk}/ranking/export/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert denied.status_code == 403
