"""Review-period and movement pages through the HTTP client, with the demo accounts.

In the demo, Cao Bằng leads the 2026 term (its officer "caobang.chuyenvien" is the secretariat);
Phú Thọ is an ordinary member in 2026 ("phutho.chuyenvien"); "xem" only reads.
"""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.history import history_url
from apps.core.models import AuditEvent
from apps.emulation import services
from apps.emulation.models import Assessment, Movement, PeriodReopening, ReviewPeriod
from apps.emulation.tests.factories import review_period, signed_pact

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _login(client, demo, username):
    client.force_login(demo.users[username])
    return client


@pytest.fixture
def term(demo):
    return demo.terms[2026]


@pytest.fixture
def closed(term):
    """A mid-year period whose deadline was yesterday."""
    today = timezone.localdate()
    return review_period(term, kind="mid_year", opens_on=today - 20 * DAY, deadline=today - DAY)


def _html(response):
    return response.content.decode()


# --- the term's "Đợt đánh giá" page ----------------------------------------------------------------


def test_term_page_links_to_reviews_and_movements(client, demo, term):
    html = _html(_login(client, demo, "xem").get(term.get_absolute_url()))
    assert f"/terms/{term.pk}/reviews/" in html and "Đợt đánh giá" in html
    assert f"/terms/{term.pk}/movements/" in html and "Phong trào thi đua" in html


def test_reviews_page_for_a_reader(client, demo, term, closed):
    pact = signed_pact(term) if not term.pacts.exists() else term.pacts.get()
    cao_bang = demo.units["Cao Bằng"]
    Assessment.objects.create(
        period=closed,
        unit=cao_bang,
        pact=pact,
        state="submitted",
        submitted_at=timezone.now() - 3 * DAY,
    )
    response = _login(client, demo, "xem").get(f"/terms/{term.pk}/reviews/")
    assert response.status_code == 200
    html = _html(response)
    assert "Đợt đánh giá của Cụm thi đua số 1 năm 2026" in html
    assert "Sơ kết giữa năm" in html and "Đã hết hạn" in html
    assert closed.deadline.strftime("%d/%m/%Y") in html
    assert "Đúng hạn" in html and "Chưa nộp" in html
    assert "Đã gửi: 1/9" in html
    # Breadcrumbs lead back to the term.
    assert f'href="{term.get_absolute_url()}"' in html
    # A reader has no buttons.
    assert "/reviews/new/" not in html and "/reopen/" not in html and "/edit/" not in html


def test_reviews_page_for_the_secretariat(client, demo, term, closed):
    html = _html(_login(client, demo, "caobang.chuyenvien").get(f"/terms/{term.pk}/reviews/"))
    assert f"/terms/{term.pk}/reviews/new/" in html  # the year-end period can still be added
    assert f"/review-periods/{closed.pk}/edit/" in html
    assert f'action="/review-periods/{closed.pk}/reopen/"' in html  # the (collapsed) form
    assert f"/review-periods/{closed.pk}/reopen/?unit={demo.units['Phú Thọ'].pk}" in html


def test_no_reopen_form_while_the_period_is_open(client, demo, term):
    period = review_period(term)
    html = _html(_login(client, demo, "caobang.chuyenvien").get(f"/review-periods/{period.pk}/"))
    assert "/reopen/" not in html
    assert "Đang mở" in html


def test_the_previous_secretariat_only_reads_this_year(client, demo, term, closed):
    """Phú Thọ led 2025, not 2026: the right follows the term, not the person."""
    client = _login(client, demo, "phutho.chuyenvien")
    assert client.get(f"/terms/{term.pk}/reviews/new/").status_code == 403
    assert client.get(f"/review-periods/{closed.pk}/reopen/").status_code == 403
    assert client.get(f"/review-periods/{closed.pk}/").status_code == 200


# --- period forms --------------------------------------------------------------------------------


def test_create_period(client, demo, term):
    client = _login(client, demo, "caobang.chuyenvien")
    form = client.get(f"/terms/{term.pk}/reviews/new/")
    html = _html(form)
    assert 'value="mid_year" selected' in html
    assert "2026-06-30" in html  # the usual mid-year dates as a start
    response = client.post(
        f"/terms/{term.pk}/reviews/new/",
        {
            "kind": "year_end",
            "opens_on": "2026-11-01",
            "deadline": "2026-11-20",
            "flag_margin": "15",
            "panel": [demo.units["Cao Bằng"].pk, demo.units["Lào Cai"].pk],
        },
    )
    period = ReviewPeriod.objects.get(term=term)
    assert response.status_code == 302 and response["Location"] == f"/review-periods/{period.pk}/"
    assert period.flag_margin == 15 and period.panel.count() == 2
    page = _html(client.get(response["Location"]))
    assert "Đã tạo đợt đánh giá." in page
    assert "Cao Bằng, Lào Cai" in page


def test_period_form_keeps_input_and_explains_in_vietnamese(client, demo, term):
    client = _login(client, demo, "caobang.chuyenvien")
    response = client.post(
        f"/terms/{term.pk}/reviews/new/",
        {
            "kind": "year_end",
            "opens_on": "2026-11-20",
            "deadline": "2026-11-02",
            "flag_margin": "17.5",
            "panel": [demo.units["Lai Châu"].pk],
        },
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Hạn chót (02/11/2026) không thể trước ngày mở (20/11/2026)." in html
    assert 'value="2026-11-20"' in html and 'value="2026-11-02"' in html
    assert 'value="17.5"' in html
    assert f'value="{demo.units["Lai Châu"].pk}"' in html
    form = response.context["form"]
    assert [u.pk for u in form.cleaned_data["panel"]] == [demo.units["Lai Châu"].pk]
    assert not ReviewPeriod.objects.exists()


def test_duplicate_kind_lands_on_the_kind_field(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    response = client.post(
        f"/terms/{term.pk}/reviews/new/",
        {
            "kind": "mid_year",
            "opens_on": "2026-06-01",
            "deadline": "2026-06-30",
            "flag_margin": "20",
        },
    )
    assert response.status_code == 200
    assert "đã có đợt “Sơ kết giữa năm”" in _html(response)
    assert "kind" in response.context["form"].errors


def test_edit_period_and_refusal_after_publication(client, demo, term):
    period = review_period(term, opens_on=dt.date(2026, 11, 1), deadline=dt.date(2026, 11, 20))
    client = _login(client, demo, "caobang.chuyenvien")
    form = _html(client.get(f"/review-periods/{period.pk}/edit/"))
    assert 'value="2026-11-20"' in form
    data = {
        "kind": "year_end",
        "opens_on": "2026-11-01",
        "deadline": "2026-11-25",
        "flag_margin": "20",
    }
    assert client.post(f"/review-periods/{period.pk}/edit/", data).status_code == 302
    period.refresh_from_db()
    assert period.deadline == dt.date(2026, 11, 25)
    ReviewPeriod.objects.filter(pk=period.pk).update(ranking_published_at=timezone.now())
    response = client.post(f"/review-periods/{period.pk}/edit/", {**data, "deadline": "2026-11-30"})
    assert response.status_code == 200
    assert "không thể thay đổi loại đợt và các mốc ngày nữa" in _html(response)
    assert 'value="2026-11-30"' in _html(response)


def test_delete_period_and_refusal_when_used(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    unused = review_period(term)
    response = client.post(f"/review-periods/{unused.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/terms/{term.pk}/reviews/"
    assert not ReviewPeriod.objects.filter(pk=unused.pk).exists()
    PeriodReopening.objects.create(
        period=closed, unit=demo.units["Sơn La"], until=timezone.localdate(), reason="x"
    )
    response = client.post(f"/review-periods/{closed.pk}/delete/", follow=True)
    assert ReviewPeriod.objects.filter(pk=closed.pk).exists()
    assert "không thể xóa" in _html(response)


# --- reopening -----------------------------------------------------------------------------------


def test_reopen_from_the_period_page(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    page = _html(client.get(f"/review-periods/{closed.pk}/"))
    assert "Mở lại đợt đánh giá cho một đơn vị" in page
    son_la = demo.units["Sơn La"]
    until = timezone.localdate() + 2 * DAY
    response = client.post(
        f"/review-periods/{closed.pk}/reopen/",
        {"unit": son_la.pk, "until": until.isoformat(), "reason": "Trưởng ban đi công tác"},
    )
    assert response.status_code == 302 and response["Location"] == f"/review-periods/{closed.pk}/"
    page = _html(client.get(response["Location"]))
    assert f"Đã mở lại đợt đánh giá cho {son_la} đến hết ngày {until:%d/%m/%Y}." in page
    assert "Trưởng ban đi công tác" in page and "đang hiệu lực" in page
    assert f"Mở lại đến {until:%d/%m/%Y}" in page
    assert closed.accepts_from(son_la)
    assert AuditEvent.objects.filter(action="review_period.reopen").count() == 1


def test_reopen_form_keeps_input_on_error(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    son_la = demo.units["Sơn La"]
    yesterday = timezone.localdate() - DAY
    response = client.post(
        f"/review-periods/{closed.pk}/reopen/",
        {"unit": son_la.pk, "until": yesterday.isoformat(), "reason": "Có lý do"},
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Thời hạn mở lại phải từ hôm nay" in html
    assert f'value="{son_la.pk}" selected' in html
    assert f'value="{yesterday.isoformat()}"' in html and "Có lý do" in html
    # An empty reason is refused by the form before the service.
    response = client.post(
        f"/review-periods/{closed.pk}/reopen/",
        {"unit": son_la.pk, "until": timezone.localdate().isoformat(), "reason": "  "},
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not PeriodReopening.objects.exists()


def test_reopen_refused_while_open_shows_why(client, demo, term):
    today = timezone.localdate()
    period = review_period(term, opens_on=today - DAY, deadline=today)
    client = _login(client, demo, "caobang.chuyenvien")
    response = client.post(
        f"/review-periods/{period.pk}/reopen/",
        {"unit": demo.units["Sơn La"].pk, "until": today.isoformat(), "reason": "Xin thêm"},
    )
    assert response.status_code == 200
    assert "vẫn đang mở đến hết ngày" in _html(response)


def test_reopen_link_preselects_the_unit(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    son_la = demo.units["Sơn La"]
    html = _html(client.get(f"/review-periods/{closed.pk}/reopen/?unit={son_la.pk}"))
    assert f'value="{son_la.pk}" selected' in html


def test_period_history_page(client, demo, term, closed):
    client = _login(client, demo, "caobang.chuyenvien")
    services.review_period_update(
        actor=demo.users["caobang.chuyenvien"], period=closed, flag_margin=15
    )
    response = _login(client, demo, "xem").get(history_url(closed))
    assert response.status_code == 200
    html = _html(response)
    assert f'href="/review-periods/{closed.pk}/"' in html  # the way back


# --- movements ------------------------------------------------------------------------------------


@pytest.fixture
def movements(demo, term):
    cao_bang, phu_tho = demo.units["Cao Bằng"], demo.units["Phú Thọ"]
    return [
        services.movement_create(
            actor=None,
            term=term,
            name="Phong trào thi đua “Chuyển đổi số”",
            slogan="Đoàn kết – Đổi mới",
            starts_on=dt.date(2026, 1, 15),
            participants=[cao_bang, phu_tho],
        ),
        services.movement_create(
            actor=None,
            term=term,
            launched_by=phu_tho,
            name="Chuẩn hóa dữ liệu đảng viên",
            starts_on=dt.date(2026, 3, 1),
            participants=[phu_tho],
        ),
        services.movement_create(
            actor=None,
            term=term,
            launched_by=cao_bang,
            name="Mô hình hay, cách làm mới",
            starts_on=dt.date(2026, 4, 1),
            participants=[cao_bang],
        ),
    ]


def _names(response):
    return [m.name for m in response.context["page"]]


def test_movement_list_shows_everyone_s_movements(client, demo, term, movements):
    response = _login(client, demo, "xem").get(f"/terms/{term.pk}/movements/")
    assert response.status_code == 200
    assert _names(response) == [
        "Mô hình hay, cách làm mới",
        "Chuẩn hóa dữ liệu đảng viên",
        "Phong trào thi đua “Chuyển đổi số”",
    ]
    assert "/movements/new/" not in _html(response)


def test_movement_list_filters(client, demo, term, movements):
    client = _login(client, demo, "xem")
    url = f"/terms/{term.pk}/movements/"
    phu_tho = demo.units["Phú Thọ"]
    assert _names(client.get(url, {"launched_by": phu_tho.pk})) == ["Chuẩn hóa dữ liệu đảng viên"]
    assert _names(client.get(url, {"launched_by": "cluster"})) == [movements[0].name]
    assert _names(client.get(url, {"participant": phu_tho.pk})) == [
        "Chuẩn hóa dữ liệu đảng viên",
        movements[0].name,
    ]
    # Diacritics and case never matter, in the name, the slogan or the launching unit.
    assert _names(client.get(url, {"q": "CHUYEN DOI SO"})) == [movements[0].name]
    assert _names(client.get(url, {"q": "doan ket"})) == [movements[0].name]
    assert _names(client.get(url, {"q": "phu tho"})) == ["Chuẩn hóa dữ liệu đảng viên"]
    assert _names(client.get(url, {"q": "không có"})) == []
    # An unknown unit in the filter is a form error, not a crash.
    assert client.get(url, {"launched_by": "999999"}).status_code == 200


def test_movement_list_htmx_answers_with_the_table_only(client, demo, term, movements):
    response = _login(client, demo, "xem").get(
        f"/terms/{term.pk}/movements/", {"q": "du lieu"}, HTTP_HX_REQUEST="true"
    )
    html = _html(response)
    assert "<html" not in html and 'id="movements"' in html
    assert "Chuẩn hóa dữ liệu đảng viên" in html and "Mô hình hay" not in html


def test_member_officer_launches_in_the_name_of_its_unit(client, demo, term):
    client = _login(client, demo, "phutho.chuyenvien")
    form = client.get(f"/terms/{term.pk}/movements/new/")
    choices = form.context["form"].fields["launched_by"].choices
    assert choices == [(str(demo.units["Phú Thọ"].pk), "Phú Thọ")]  # not the cluster
    response = client.post(
        f"/terms/{term.pk}/movements/new/",
        {"name": "Thi đua học tập", "starts_on": "2026-05-01", "launched_by": "cluster"},
    )
    assert response.status_code == 200 and "launched_by" in response.context["form"].errors
    response = client.post(
        f"/terms/{term.pk}/movements/new/", {"name": "Thi đua học tập", "starts_on": "2026-05-01"}
    )
    movement = Movement.objects.get(name="Thi đua học tập")
    assert response["Location"] == f"/movements/{movement.pk}/"
    assert movement.launched_by == demo.units["Phú Thọ"]


def test_secretariat_launches_for_the_cluster(client, demo, term):
    signed_pact(term)
    criterion = term.pacts.get().groups.get().criteria.first()
    client = _login(client, demo, "caobang.chuyenvien")
    form = client.get(f"/terms/{term.pk}/movements/new/").context["form"]
    assert form.fields["launched_by"].choices[0] == ("cluster", "Cụm thi đua")
    assert [c.pk for c in form.fields["criteria"].queryset] == list(
        term.pacts.get()
        .groups.get()
        .criteria.order_by("position", "id")
        .values_list("pk", flat=True)
    )
    response = client.post(
        f"/terms/{term.pk}/movements/new/",
        {
            "launched_by": "cluster",
            "name": "Phong trào của cụm",
            "slogan": "Vì cụm",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "participants": [demo.units["Sơn La"].pk],
            "criteria": [criterion.pk],
        },
    )
    assert response.status_code == 302
    movement = Movement.objects.get(name="Phong trào của cụm")
    assert movement.launched_by is None and list(movement.criteria.all()) == [criterion]
    page = _html(client.get(response["Location"]))
    assert "Đã phát động phong trào." in page and "“Vì cụm”" in page
    assert "Sơn La" in page and criterion.title in page


def test_movement_form_keeps_input_on_error(client, demo, term):
    client = _login(client, demo, "caobang.chuyenvien")
    response = client.post(
        f"/terms/{term.pk}/movements/new/",
        {
            "launched_by": "cluster",
            "name": "Giữ lại tên này",
            "slogan": "Giữ khẩu hiệu",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
            "participants": [demo.units["Điện Biên"].pk],
        },
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Phong trào không thể kết thúc trước khi bắt đầu." in html or "ends_on" in (
        response.context["form"].errors
    )
    assert 'value="Giữ lại tên này"' in html and 'value="Giữ khẩu hiệu"' in html
    assert 'value="2026-04-01"' in html
    assert f'value="{demo.units["Điện Biên"].pk}"' in html
    assert not Movement.objects.exists()


def test_who_may_edit_which_movement(client, demo, term, movements):
    cluster_movement, phu_tho_movement, cao_bang_movement = movements
    phu_tho = _login(client, demo, "phutho.chuyenvien")
    assert phu_tho.get(f"/movements/{phu_tho_movement.pk}/edit/").status_code == 200
    assert phu_tho.get(f"/movements/{cao_bang_movement.pk}/edit/").status_code == 403
    assert phu_tho.get(f"/movements/{cluster_movement.pk}/edit/").status_code == 403
    secretariat = _login(client, demo, "caobang.chuyenvien")
    assert secretariat.get(f"/movements/{cluster_movement.pk}/edit/").status_code == 200
    assert secretariat.get(f"/movements/{phu_tho_movement.pk}/edit/").status_code == 403
    detail = _html(secretariat.get(f"/movements/{phu_tho_movement.pk}/"))
    assert f"/movements/{phu_tho_movement.pk}/edit/" not in detail


def test_edit_and_delete_a_movement(client, demo, term, movements):
    movement = movements[1]
    client = _login(client, demo, "phutho.chuyenvien")
    form = client.get(f"/movements/{movement.pk}/edit/").context["form"]
    assert "launched_by" not in form.fields  # who launched it never changes
    response = client.post(
        f"/movements/{movement.pk}/edit/",
        {
            "name": "Chuẩn hóa dữ liệu (đợt 2)",
            "starts_on": "2026-03-01",
            "participants": [demo.units["Phú Thọ"].pk, demo.units["Hà Nội"].pk],
        },
    )
    assert response.status_code == 302
    movement.refresh_from_db()
    assert movement.name == "Chuẩn hóa dữ liệu (đợt 2)" and movement.participants.count() == 2
    history = _html(client.get(history_url(movement)))
    assert (
        "Chuẩn hóa dữ liệu đảng viên" in history and f'href="/movements/{movement.pk}/"' in history
    )
    response = client.post(f"/movements/{movement.pk}/delete/")
    assert response["Location"] == f"/terms/{term.pk}/movements/"
    assert not Movement.objects.filter(pk=movement.pk).exists()
    assert AuditEvent.objects.filter(action="movement.delete", object_id=str(movement.pk)).exists()
