"""Cross-scoring pages through the HTTP client: the scorer's list, the sheet with autosave and
its conflicts, submitting, the reconciliation page and the ranking before and after publishing."""

from decimal import Decimal

import pytest
from django.utils import translation

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.history import history_url
from apps.emulation import services
from apps.emulation.choices import SheetState
from apps.emulation.models import FinalScore, Score
from apps.emulation.tests.scenarios_scoring import fill_all, fill_sheet, scoring_setup

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def s():
    # A leads (the secretariat), B deputises; panel A and B; C is a member.
    return scoring_setup(count=3)


@pytest.fixture
def users(s):
    a, b, c = s.units
    return {
        "secretary": UserFactory(role=Role.UNIT_OFFICER, unit=a, full_name="Lê Thị Lan"),
        "c_officer": UserFactory(role=Role.UNIT_OFFICER, unit=c, full_name="Trần Văn Hùng"),
        "c_officer2": UserFactory(role=Role.UNIT_OFFICER, unit=c, full_name="Đỗ Thị Mai"),
        "c_leader": UserFactory(role=Role.UNIT_LEADER, unit=c, full_name="Hoàng Văn Đức"),
        "viewer": UserFactory(role=Role.VIEWER, unit=c),
        "central": UserFactory(role=Role.CENTRAL_OFFICER, unit=None),
    }


def _as(client, user):
    client.force_login(user)
    return client


def test_scorer_list_shows_progress_and_starts_a_sheet(client, s, users):
    a, b, c = s.units
    fill_sheet(s.period, c, a, submit=False)
    html = _as(client, users["c_officer"]).get(f"/review-periods/{s.period.pk}/scoring/")
    html = html.content.decode()
    assert "Chấm chéo" in html and "3/3 dòng" in html
    assert f'data-target="{b.pk}"' in html and "Bắt đầu chấm" in html
    assert "Tiến độ của cụm" not in html  # a member is no secretariat
    response = client.post(f"/review-periods/{s.period.pk}/scoring/start/", {"target": b.pk})
    sheet = c.score_sheets_given.get(target=b)
    assert response.status_code == 302 and response["Location"] == f"/score-sheets/{sheet.pk}/"


def test_start_is_refused_with_the_services_message(client, s, users):
    a, b, c = s.units
    response = _as(client, users["c_officer"]).post(
        f"/review-periods/{s.period.pk}/scoring/start/", {"target": c.pk}, follow=True
    )
    assert "Đơn vị không được tự chấm chéo cho chính mình." in response.content.decode()
    assert not c.score_sheets_given.exists()


def test_secretariat_sees_the_clusters_progress(client, s, users):
    a, b, c = s.units
    fill_sheet(s.period, c, a)
    html = _as(client, users["secretary"]).get(f"/review-periods/{s.period.pk}/scoring/")
    html = html.content.decode()
    assert 'id="cluster-progress"' in html and f'data-scorer="{c.pk}"' in html
    assert f"/review-periods/{s.period.pk}/reconciliation/" in html


def test_viewer_may_not_open_the_scoring_pages(client, s, users):
    _as(client, users["viewer"])
    assert client.get(f"/review-periods/{s.period.pk}/scoring/").status_code == 403
    assert client.get(f"/review-periods/{s.period.pk}/ranking/").status_code == 403


# --- the sheet ---------------------------------------------------------------------------------


@pytest.fixture
def sheet(s):
    a, b, c = s.units
    return services.score_sheet_start(actor=None, period=s.period, scorer=c, target=a)


def _first(sheet):
    return sheet.scores.order_by("criterion__position").first()


def test_sheet_page_edits_for_officers_reads_for_the_secretariat(client, s, users, sheet):
    score = _first(sheet)
    html = _as(client, users["c_officer"]).get(f"/score-sheets/{sheet.pk}/").content.decode()
    assert f'id="points-{score.pk}"' in html and 'name="points"' in html
    assert "Tự chấm" in html  # the unit's own points beside each line
    assert f"/score-sheets/{sheet.pk}/submit/" not in html  # officers fill, leaders submit
    html = _as(client, users["c_leader"]).get(f"/score-sheets/{sheet.pk}/").content.decode()
    assert f"/score-sheets/{sheet.pk}/submit/" in html
    html = _as(client, users["secretary"]).get(f"/score-sheets/{sheet.pk}/").content.decode()
    assert 'name="points"' not in html and "line-readonly" in html


def test_autosave_answers_with_status_and_new_version(client, s, users, sheet):
    score = _first(sheet)
    response = _as(client, users["c_officer"]).post(
        f"/score-lines/{score.pk}/", {"points": "45,5", "comment": "Khá", "version": "0"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="saved"' in html
    assert f'id="version-{score.pk}" value="1" hx-swap-oob="true"' in html
    assert 'id="sheet-progress" hx-swap-oob="true"' in html
    score.refresh_from_db()
    assert score.points == Decimal("45.50") and score.comment == "Khá"


def test_a_refused_value_keeps_what_was_typed(client, s, users, sheet):
    score = _first(sheet)
    _as(client, users["c_officer"])
    response = client.post(
        f"/score-lines/{score.pk}/", {"points": "75", "comment": "", "version": "0"}, **HTMX
    )
    assert 'data-status="error"' in response.content.decode()
    assert "Tối đa 60 điểm" in response.content.decode()
    # Without JavaScript: the whole page again, the box holding what was typed.
    response = client.post(
        f"/score-lines/{score.pk}/", {"points": "75", "comment": "Ghi chú", "version": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="75"' in html and "Ghi chú</textarea>" in html
    score.refresh_from_db()
    assert score.points is None and score.version == 0


def test_two_officers_on_one_sheet_through_the_page(client, s, users, sheet):
    """Both opened the sheet at version 0; the second save gets the first one's value and name,
    keeps its own input, and may deliberately replace the saved value."""
    score = _first(sheet)
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(users["c_officer"])
    second.force_login(users["c_officer2"])
    ok = first.post(f"/score-lines/{score.pk}/", {"points": "50", "version": "0"}, **HTMX)
    assert 'data-status="saved"' in ok.content.decode()
    late = second.post(f"/score-lines/{score.pk}/", {"points": "40", "version": "0"}, **HTMX)
    html = late.content.decode()
    assert 'data-status="conflict"' in html
    assert "Trần Văn Hùng" in html and "50" in html
    assert 'value="1"' in html  # "save mine over it" sends the version now stored
    assert 'hx-swap-oob="true"' not in html.split("sheet-progress")[0]  # version box untouched
    score.refresh_from_db()
    assert score.points == Decimal("50.00") and score.updated_by == users["c_officer"]
    # Without JavaScript the page comes back (409) with the typed 40 in the box.
    page = second.post(f"/score-lines/{score.pk}/", {"points": "40", "version": "0"})
    assert page.status_code == 409
    assert f'id="points-{score.pk}" name="points" value="40"' in page.content.decode()
    # Saving over the stored version is a deliberate replacement.
    mine = second.post(f"/score-lines/{score.pk}/", {"points": "40", "version": "1"}, **HTMX)
    assert 'data-status="saved"' in mine.content.decode()
    score.refresh_from_db()
    assert score.points == Decimal("40.00") and score.version == 2
    # "Take the saved value" reloads the line as stored.
    line = second.get(f"/score-lines/{score.pk}/", **HTMX)
    assert (
        f'id="line-{score.pk}"' in line.content.decode() and 'value="40"' in line.content.decode()
    )


def test_submit_by_the_leader_only_and_read_only_after(client, s, users, sheet):
    for score in sheet.scores.all():
        services.score_update(actor=None, score=score, version=0, points="1")
    _as(client, users["c_officer"])
    assert client.post(f"/score-sheets/{sheet.pk}/submit/").status_code == 403
    _as(client, users["c_leader"])
    response = client.post(f"/score-sheets/{sheet.pk}/submit/", follow=True)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and sheet.submitted_by == users["c_leader"]
    html = response.content.decode()
    assert 'id="submitted-note"' in html and 'name="points"' not in html
    score = _first(sheet)
    refused = client.post(f"/score-lines/{score.pk}/", {"points": "2", "version": "1"}, **HTMX)
    assert "không thể thay đổi" in refused.content.decode()


def test_submit_with_empty_lines_says_which(client, s, users, sheet):
    _as(client, users["c_leader"])
    response = client.post(f"/score-sheets/{sheet.pk}/submit/", follow=True)
    assert "Công tác cán bộ" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DRAFT


def test_sheet_history_shows_the_line_edits(client, s, users, sheet):
    services.score_update(actor=users["c_officer"], score=_first(sheet), version=0, points="3")
    response = _as(client, users["c_officer"]).get(history_url(sheet))
    assert response.status_code == 200 and "Trần Văn Hùng" in response.content.decode()
    # Nobody outside the scoring unit and the secretariat reads it before publication.
    assert _as(client, users["viewer"]).get(history_url(sheet)).status_code == 403


# --- reconciliation ----------------------------------------------------------------------------


def test_reconciliation_page_flags_and_records_a_final_score(client, s, users):
    a, b, c = s.units
    fill_sheet(s.period, a, c, {"Công tác cán bộ": 60})
    fill_sheet(s.period, b, c, {"Công tác cán bộ": 30})
    criterion = s.criterion("Công tác cán bộ")
    _as(client, users["secretary"])
    response = client.get(f"/review-periods/{s.period.pk}/reconciliation/?unit={c.pk}")
    html = response.content.decode()
    assert f'id="c-{criterion.pk}"' in html and 'data-flagged="1"' in html
    assert "Trung bình" in html and "45" in html
    url = f"/review-periods/{s.period.pk}/reconciliation/final/"
    data = {"unit": c.pk, "criterion": criterion.pk, "points": "50", "reason": ""}
    refused = client.post(url, data, **HTMX).content.decode()
    assert 'data-status="error"' in refused and "lý do" in refused
    assert 'value="50"' in refused  # what was typed stays
    saved = client.post(url, {**data, "reason": "Bổ sung minh chứng"}, **HTMX).content.decode()
    assert 'data-status="saved"' in saved and "Bổ sung minh chứng" in saved
    final = FinalScore.objects.get(unit=c, criterion=criterion)
    assert final.points == Decimal("50.00") and final.computed == Decimal("45.00")
    # Without JavaScript: a redirect back to the unit, at the line.
    response = client.post(url, {**data, "points": "45", "reason": ""})
    assert response.status_code == 302 and response["Location"].endswith(
        f"?unit={c.pk}#c-{criterion.pk}"
    )


def test_reconciliation_is_the_secretariats(client, s, users):
    _as(client, users["c_leader"])
    assert client.get(f"/review-periods/{s.period.pk}/reconciliation/").status_code == 403
    _as(client, users["central"])
    assert client.get(f"/review-periods/{s.period.pk}/reconciliation/").status_code == 200


# --- ranking -----------------------------------------------------------------------------------


def test_ranking_preview_lists_blockers_and_hides_the_publish_button(client, s, users):
    a, b, c = s.units
    fill_sheet(s.period, c, a)
    html = _as(client, users["secretary"]).get(f"/review-periods/{s.period.pk}/ranking/")
    html = html.content.decode()
    assert 'id="preview-note"' in html and 'id="publish-blockers"' in html
    assert "ranking/publish/" not in html
    assert f"/review-periods/{s.period.pk}/ranking/export/" in html
    refused = client.post(f"/review-periods/{s.period.pk}/ranking/publish/", follow=True)
    assert "chưa thể công bố" in refused.content.decode().lower()
    s.period.refresh_from_db()
    assert not s.period.ranking_published


def test_ranking_before_and_after_publishing(client, s, users):
    a, b, c = s.units
    fill_all(s)
    member = _as(client, users["c_officer"])
    assert member.get(f"/review-periods/{s.period.pk}/ranking/").status_code == 403
    assert member.get(f"/review-periods/{s.period.pk}/ranking/export/").status_code == 403
    _as(client, users["secretary"])
    page = client.get(f"/review-periods/{s.period.pk}/ranking/").content.decode()
    assert "ranking/publish/" in page and 'id="publish-blockers"' not in page
    assert "trung bình của 2 đơn vị chấm" in page and "tự chấm" in page
    response = client.post(f"/review-periods/{s.period.pk}/ranking/publish/", follow=True)
    html = response.content.decode()
    assert 'id="published-note"' in html and "Lê Thị Lan" in html
    s.period.refresh_from_db()
    assert s.period.ranking_published
    # Every reader now sees the frozen ranking and every scorer's points.
    for name in ("c_officer", "viewer"):
        _as(client, users[name])
        page = client.get(f"/review-periods/{s.period.pk}/ranking/")
        assert page.status_code == 200 and 'id="published-note"' in page.content.decode()
        export = client.get(f"/review-periods/{s.period.pk}/ranking/export/")
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = c.score_sheets_given.first()
    assert client.get(f"/score-sheets/{sheet.pk}/").status_code == 200  # as the viewer
    # The page shows the frozen numbers even if a score changed behind the services' back.
    Score.objects.update(points=Decimal("0"))
    page = client.get(f"/review-periods/{s.period.pk}/ranking/").content.decode()
    assert page.count('data-role="total">100,00<') == 3
    assert "ranking/publish/" not in page


def test_ranking_page_explains_ties(client, users):
    from apps.emulation.choices import TieBreakKey
    from apps.emulation.tests.scenarios_scoring import CRIT, P

    t = scoring_setup(
        count=2,
        criteria=(("K1", 10, P, CRIT), ("K2", 10, P, CRIT)),
        tie_break=[TieBreakKey.CRITERIA_AT_MAXIMUM],
    )
    a, b = t.units
    for unit, points in ((a, (10, 5)), (b, (7.5, 7.5))):
        for criterion, value in zip(t.criteria, points, strict=True):
            services.final_score_set(
                actor=None,
                period=t.period,
                unit=unit,
                criterion=criterion,
                points=value,
                reason="Họp",
            )
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=None))
    html = client.get(f"/review-periods/{t.period.pk}/ranking/").content.decode()
    assert "xếp trên nhờ: Nhiều tiêu chí đạt điểm tối đa hơn" in html
    assert "thống nhất: Họp" in html
