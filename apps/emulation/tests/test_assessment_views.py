"""The "Tự chấm điểm" page through the HTTP client: opening, htmx autosave (saved, refused,
conflict with the other person's value), evidence, indicators, submission, read-only states and
who may see or do what. Messages are checked in Vietnamese, as users see them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AuditEvent
from apps.emulation import services
from apps.emulation.choices import SheetState
from apps.emulation.models import Assessment, Evidence
from apps.emulation.tests import assessment_files as files
from apps.emulation.tests.assessment_world import make_world

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    return make_world()


def _page(w, unit=None):
    return f"/review-periods/{w.period.pk}/units/{(unit or w.member).pk}/assessment/"


def _as(client, w, name):
    client.force_login(w.users[name])
    return client


def _save(client, item, version, points="", explanation="", **extra):
    return client.post(
        f"/assessment-lines/{item.pk}/",
        {"points": points, "explanation": explanation, "version": str(version)},
        **extra,
    )


# --- the page ------------------------------------------------------------------------------------


def test_first_visit_by_the_officer_opens_the_assessment(client, w):
    response = _as(client, w, "officer").get(_page(w))
    assert response.status_code == 200
    assessment = Assessment.objects.get(unit=w.member)
    html = response.content.decode()
    assert "Tự chấm điểm: Ban Tổ chức Tỉnh ủy Cao Bằng" in html
    assert "I. Nhóm một" in html and "Tiêu chí 60" in html
    assert "Nêu số văn bản đã tham mưu" in html and "Quyết định, kế hoạch" in html
    assert "tính thẳng như đơn vị tự chấm" in html  # the criterion scored by the unit itself
    for item in assessment.items.all():
        assert (
            f'id="points-{item.pk}"' in html and f'hx-post="/assessment-lines/{item.pk}/"' in html
        )
    assert 'hx-trigger="keyup changed delay:800ms, change"' in html
    assert 'id="total-claim">0<' in html
    assert "Chỉ tiêu" in html and 'name="value_good_practices"' in html
    # The officer may not submit: no submit button.
    assert f"/assessments/{assessment.pk}/submit/" not in html
    assert AuditEvent.objects.get(action="assessment.create").actor == w.users["officer"]


def test_a_reader_sees_that_nothing_was_started_and_creates_nothing(client, w):
    response = _as(client, w, "central").get(_page(w))
    assert response.status_code == 200
    assert "Đơn vị chưa bắt đầu tự chấm điểm" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_leader_sees_the_submit_button_and_the_missing_count(client, w):
    assessment = w.open()
    html = _as(client, w, "leader").get(_page(w)).content.decode()
    assert f'action="/assessments/{assessment.pk}/submit/"' in html
    assert "Còn 2 tiêu chí chưa có điểm" in html


def test_not_a_member_is_404_and_outsiders_cannot_read(client, w):
    assert _as(client, w, "outsider_leader").get(_page(w, w.outsider)).status_code == 404
    assert _as(client, w, "central").get(_page(w, w.outsider)).status_code == 404
    assert not Assessment.objects.exists()
    w.open()
    assert _as(client, w, "outsider_leader").get(_page(w)).status_code == 403


def test_other_members_read_only_once_submitted_and_never_edit(client, w):
    assessment = w.fill(w.open())
    for name in ("third_officer", "third_leader", "third_viewer"):
        assert _as(client, w, name).get(_page(w)).status_code == 403, name
    # The secretariat (the leading unit's staff) reads drafts; its viewers do not.
    assert _as(client, w, "lead_officer").get(_page(w)).status_code == 200
    assert _as(client, w, "lead_viewer").get(_page(w)).status_code == 403
    services.assessment_submit(actor=w.users["leader"], assessment=assessment)
    for name in ("third_officer", "third_leader", "third_viewer", "lead_viewer"):
        response = _as(client, w, name).get(_page(w))
        assert response.status_code == 200, name
        assert 'hx-post="/assessment-lines/' not in response.content.decode()
    line = w.line(assessment)
    line.refresh_from_db()
    assert _save(_as(client, w, "third_officer"), line, line.version, "1").status_code == 403


def test_viewer_of_the_unit_reads_but_cannot_write(client, w):
    assessment = w.open()
    line = w.line(assessment)
    html = _as(client, w, "viewer").get(_page(w)).content.decode()
    assert "Tiêu chí 60" in html and 'hx-post="/assessment-lines/' not in html
    assert _save(client, line, 0, "10", **HX).status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/indicators/", {}).status_code == 403
    upload = {"file": SimpleUploadedFile("a.pdf", files.pdf_bytes())}
    assert client.post(f"/assessment-lines/{line.pk}/evidence/", upload).status_code == 403
    line.refresh_from_db()
    assert line.points is None


def test_other_units_officer_and_central_cannot_edit(client, w):
    assessment = w.open()
    line = w.line(assessment)
    for name in ("third_officer", "lead_officer", "central"):
        assert _save(_as(client, w, name), line, 0, "10", **HX).status_code == 403, name
    line.refresh_from_db()
    assert line.points is None


# --- autosave ------------------------------------------------------------------------------------


def test_autosave_answers_the_status_the_new_version_and_the_total(client, w):
    line = w.line(w.open())
    response = _save(_as(client, w, "officer"), line, 0, "55,5", "Đã tham mưu 3 đề án", **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã lưu lúc" in html
    assert f'id="version-{line.pk}" value="1" hx-swap-oob="true"' in html
    assert 'id="assessment-totals" hx-swap-oob="true"' in html
    assert 'id="total-claim">55,5<' in html
    # Only the status and the out-of-band parts: the fields being typed in are not replaced.
    assert f'id="points-{line.pk}"' not in html
    line.refresh_from_db()
    assert (line.points, line.explanation, line.version) == (
        Decimal("55.5"),
        "Đã tham mưu 3 đề án",
        1,
    )


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("60,01", "Tối đa 60 điểm cho mục này."),
        ("-1", "Điểm không được âm."),
        ("7,255", "Điểm chỉ có tối đa hai chữ số thập phân."),
        ("bảy", "Hãy nhập một số."),
    ],
)
def test_autosave_refusals_say_why_and_keep_the_version(client, w, points, message):
    line = w.line(w.open())
    html = _save(_as(client, w, "officer"), line, 0, points, **HX).content.decode()
    assert message in html and "Chưa lưu." in html
    assert "hx-swap-oob" in html and f'id="version-{line.pk}"' not in html
    line.refresh_from_db()
    assert (line.points, line.version) == (None, 0)


def test_autosave_conflict_shows_the_other_value_and_who_saved_it(client, w):
    line = w.line(w.open())
    _save(_as(client, w, "officer"), line, 0, "50", "Bản của chị Mai", **HX)
    # A second officer, still on version 0, types something else.
    response = _save(_as(client, w, "officer2"), line, 0, "42", "Bản của anh Hùng", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="conflict"' in html
    assert "Nông Thị Mai đã lưu dòng này lúc" in html
    assert "Giá trị đã lưu: <strong>50</strong>" in html and "Bản của chị Mai" in html
    # The offer to save over it carries the stored version; the line keeps version 0 meanwhile.
    assert 'hx-vals=\'{"version": "1"}\'' in html
    assert f'id="version-{line.pk}"' not in html
    line.refresh_from_db()
    assert (line.points, line.explanation, line.version) == (Decimal("50"), "Bản của chị Mai", 1)
    # "Save mine over it" posts the same text with the version just shown.
    saved = _save(client, line, 1, "42", "Bản của anh Hùng", **HX).content.decode()
    assert "Đã lưu lúc" in saved
    line.refresh_from_db()
    assert (line.points, line.explanation, line.updated_by) == (
        Decimal("42"),
        "Bản của anh Hùng",
        w.users["officer2"],
    )


def test_conflict_without_javascript_shows_the_page_with_the_typed_text(client, w):
    line = w.line(w.open())
    _save(_as(client, w, "officer"), line, 0, "50", "Bản của chị Mai")
    response = _save(_as(client, w, "officer2"), line, 0, "42", "Bản của anh Hùng")
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Bản của anh Hùng</textarea>" in html and 'value="42"' in html
    assert "Nông Thị Mai đã lưu dòng này lúc" in html
    assert f'id="version-{line.pk}" value="0"' in html  # still the version it was typed over


def test_take_the_saved_value_reloads_the_line(client, w):
    line = w.line(w.open())
    _save(_as(client, w, "officer"), line, 0, "50", "Bản của chị Mai")
    html = _as(client, w, "officer2").get(f"/assessment-lines/{line.pk}/", **HX).content.decode()
    assert f'id="line-{line.pk}"' in html and 'value="50"' in html
    assert f'id="version-{line.pk}" value="1"' in html
    plain = client.get(f"/assessment-lines/{line.pk}/")
    assert plain.status_code == 302 and plain["Location"].endswith(f"#line-{line.pk}")


def test_autosave_without_javascript_redirects_with_a_message(client, w):
    line = w.line(w.open())
    response = _save(_as(client, w, "officer"), line, 0, "12", "")
    assert response.status_code == 302 and response["Location"].endswith(f"#line-{line.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Đã lưu dòng này." in html


def test_a_stale_page_without_version_is_refused(client, w):
    line = w.line(w.open())
    response = client.post(f"/assessment-lines/{line.pk}/", {"points": "3"}, **HX)
    assert response.status_code == 302  # not signed in
    html = (
        _as(client, w, "officer")
        .post(f"/assessment-lines/{line.pk}/", {"points": "3"}, **HX)
        .content.decode()
    )
    assert "Trang này đã cũ" in html
    line.refresh_from_db()
    assert line.points is None


def test_after_the_deadline_the_page_is_read_only_and_saves_are_refused(client, w):
    assessment = w.open()
    line = w.line(assessment)
    w.close()
    html = _as(client, w, "officer").get(_page(w)).content.decode()
    assert "Đã quá hạn chót" in html and 'hx-post="/assessment-lines/' not in html
    refused = _save(client, line, 0, "10", **HX).content.decode()
    assert "không được mở lại cho" in refused
    w.reopen()
    html = client.get(_page(w)).content.decode()
    assert "Đã mở lại cho đơn vị đến hết ngày" in html and 'hx-post="/assessment-lines/' in html
    assert "Đã lưu lúc" in _save(client, line, 0, "10", **HX).content.decode()
    assert assessment.state == SheetState.DRAFT


# --- evidence through the page -------------------------------------------------------------------


def test_upload_and_remove_evidence_with_htmx(client, w):
    line = w.line(w.open())
    _as(client, w, "officer")
    response = client.post(
        f"/assessment-lines/{line.pk}/evidence/",
        {"file": SimpleUploadedFile("To trinh.docx", files.docx_bytes())},
        **HX,
    )
    html = response.content.decode()
    assert "Đã đính kèm “To trinh.docx”." in html
    evidence = Evidence.objects.get()
    assert f'href="/evidence/{evidence.pk}/"' in html
    assert 'id="total-used"' in html  # the total's card, out of band
    refused = client.post(
        f"/assessment-lines/{line.pk}/evidence/",
        {"file": SimpleUploadedFile("setup.pdf", files.EXE_BYTES)},
        **HX,
    ).content.decode()
    assert "Tệp “setup.pdf” bị từ chối" in refused and "một chương trình" in refused
    assert Evidence.objects.count() == 1
    removed = client.post(f"/evidence/{evidence.pk}/delete/", **HX).content.decode()
    assert "Đã gỡ “To trinh.docx”." in removed
    assert not Evidence.objects.exists()


def test_upload_without_javascript_redirects_with_the_refusal(client, w):
    line = w.line(w.open())
    response = _as(client, w, "officer").post(
        f"/assessment-lines/{line.pk}/evidence/",
        {"file": SimpleUploadedFile("bao-cao.pdf", files.HTML_BYTES)},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Tệp “bao-cao.pdf” bị từ chối" in html and "trang web (HTML)" in html
    empty = client.post(f"/assessment-lines/{line.pk}/evidence/", {})
    assert empty.status_code == 302


# --- indicators ----------------------------------------------------------------------------------


def test_indicators_save_and_refuse_keeping_what_was_typed(client, w):
    assessment = w.open()
    url = f"/assessments/{assessment.pk}/indicators/"
    _as(client, w, "officer")
    bad = client.post(
        url,
        {
            "value_members_with_cccd_pct": "101",
            "value_good_practices": "4",
            "note_good_practices": "x",
        },
        **HX,
    ).content.decode()
    assert "Tỷ lệ không được lớn hơn 100." in bad and 'value="101"' in bad
    assert not assessment.indicator_values.exists()
    good = client.post(
        url,
        {
            "value_members_with_cccd_pct": "99,5",
            "value_good_practices": "4",
            "note_good_practices": "x",
        },
        **HX,
    ).content.decode()
    assert "Đã lưu các chỉ tiêu." in good and 'value="99,5"' in good
    values = {v.indicator.code: v.value for v in assessment.indicator_values.all()}
    assert values == {"members_with_cccd_pct": Decimal("99.5"), "good_practices": Decimal(4)}
    plain = client.post(url, {"value_good_practices": "5"})
    assert plain.status_code == 302 and plain["Location"].endswith("#indicators")


# --- submission ----------------------------------------------------------------------------------


def test_submit_by_the_officer_is_refused(client, w):
    assessment = w.fill(w.open())
    response = _as(client, w, "officer").post(f"/assessments/{assessment.pk}/submit/")
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == SheetState.DRAFT


def test_submit_incomplete_lists_the_missing_criteria(client, w):
    assessment = w.open()
    response = _as(client, w, "leader").post(f"/assessments/{assessment.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "Các tiêu chí sau chưa có điểm: I. Tiêu chí 60; I. Tiêu chí 40" in html
    assessment.refresh_from_db()
    assert assessment.state == SheetState.DRAFT


def test_submit_then_everything_is_read_only(client, w):
    assessment = w.fill(w.open())
    evidence = services.evidence_add(
        actor=None, item=w.line(assessment), upload=files.good_upload()
    )
    response = _as(client, w, "leader").post(f"/assessments/{assessment.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "Đã gửi bản tự chấm điểm." in html
    assert "Đã gửi lúc" in html and "Hoàng Văn Đức" in html
    assert 'hx-post="/assessment-lines/' not in html and "/submit/" not in html
    assert f'action="/evidence/{evidence.pk}/delete/"' not in html
    line = w.line(assessment)
    line.refresh_from_db()
    refused = _save(_as(client, w, "officer"), line, line.version, "1", **HX).content.decode()
    assert "Bản tự chấm này đang ở trạng thái Đã gửi" in refused
    removed = client.post(f"/evidence/{evidence.pk}/delete/", **HX).content.decode()
    assert "Đã gửi" in removed and Evidence.objects.exists()
    again = _as(client, w, "leader").post(f"/assessments/{assessment.pk}/submit/", follow=True)
    assert "chỉ bản nháp mới gửi được" in again.content.decode()


def test_submit_during_a_reopening_is_marked_late(client, w):
    assessment = w.fill(w.open())
    w.close()
    w.reopen()
    response = _as(client, w, "leader").post(f"/assessments/{assessment.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "sau hạn chót, trong thời gian được mở lại" in html
    assert "Gửi muộn" in html
    assessment.refresh_from_db()
    assert assessment.submitted_late


def test_history_page_of_an_assessment(client, w):
    assessment = w.open(actor=w.users["officer"])
    from apps.core.history import history_url

    url = history_url(assessment)
    response = _as(client, w, "officer").get(url)
    assert response.status_code == 200
    assert _page(w) in response.content.decode()
    assert _as(client, w, "third_officer").get(url).status_code == 403


def test_page_query_count_is_bounded(client, w, django_assert_max_num_queries):
    assessment = w.fill(w.open())
    for n in range(3):
        services.evidence_add(
            actor=None, item=w.line(assessment, n=n % 2), upload=files.good_upload()
        )
    _as(client, w, "officer").get(_page(w))
    with django_assert_max_num_queries(14):  # 13 measured for 21 lines with evidence
        assert client.get(_page(w)).status_code == 200
