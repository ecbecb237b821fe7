"""One call per practice service for ``test_audit``, and the permission-matrix rows of the
registry's pages and API (the matrix world: units "own", "other", "third"; a 2025 term)."""

import base64
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.emulation.tests.assessment_files import pdf_bytes
from apps.organizations.tests.factories import UnitFactory
from apps.practices import services

DAY = dt.date(2025, 6, 1)


def _practice(unit=None, *, recognised=False):
    practice = services.practice_create(
        actor=None,
        unit=unit or UnitFactory(),
        year=2025,
        field="digital",
        title="Số hóa hồ sơ đảng viên",
        description="Quét và lưu hồ sơ.",
    )
    if recognised:
        practice = services.practice_recognise(
            actor=None, practice=practice, recognised_on=DAY, recognised_by="Ban TCTW"
        )
    return practice


def audit_scenarios() -> dict:
    prefix = "apps.practices.services."
    return {
        prefix + "practice_create": lambda a: services.practice_create(
            actor=a,
            unit=UnitFactory(),
            year=2025,
            field="cadres",
            title="Đánh giá cán bộ theo sản phẩm",
            description="Hằng quý.",
        ),
        prefix + "practice_update": lambda a: services.practice_update(
            actor=a, practice=_practice(), title="Tên mới"
        ),
        prefix + "practice_recognise": lambda a: services.practice_recognise(
            actor=a, practice=_practice(), recognised_on=DAY, recognised_by="Ban TCTW"
        ),
        prefix + "practice_adopt": lambda a: services.practice_adopt(
            actor=a, practice=_practice(recognised=True), unit=UnitFactory(), adopted_on=DAY
        ),
        prefix + "practice_attachment_add": lambda a: services.practice_attachment_add(
            actor=a, practice=_practice(), upload=SimpleUploadedFile("mo-ta.pdf", pdf_bytes())
        ),
    }


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _own(w):
    """A proposed practice of unit "own"."""
    return _cached(w, "practice_own", lambda: _practice(w.own))


def _recognised(w):
    """A recognised practice of unit "third", for others to adopt."""
    return _cached(w, "practice_third", lambda: _practice(w.third, recognised=True))


def _attachment(w):
    return _cached(
        w,
        "practice_attachment",
        lambda: services.practice_attachment_add(
            actor=None, practice=_own(w), upload=SimpleUploadedFile("mo-ta.pdf", pdf_bytes())
        ),
    )


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    own_staff = managers | {"officer_own", "leader_own"}
    staff = own_staff | {"officer_other", "leader_other"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def form(w):
        return {
            "unit": w.own.pk,
            "year": "2025",
            "field": "digital",
            "title": "Mô hình mới",
            "description": "Mô tả cách làm.",
            "results": "",
        }

    ui = [
        row("practices:list", "GET", lambda w: (_own(w), "/practices/?q=so hoa")[1], read),
        row("practices:create", "GET", lambda w: "/practices/new/", staff),
        row("practices:create", "POST", lambda w: "/practices/new/", staff, data=form, ok=302),
        row("practices:detail", "GET", lambda w: f"/practices/{_own(w).pk}/", read),
        row("practices:edit", "GET", lambda w: f"/practices/{_own(w).pk}/edit/", own_staff),
        row(
            "practices:edit",
            "POST",
            lambda w: f"/practices/{_own(w).pk}/edit/",
            own_staff,
            data=lambda w: {**form(w), "title": "Tên đã sửa"},
            ok=302,
        ),
        row(
            "practices:recognise",
            "GET",
            lambda w: f"/practices/{_own(w).pk}/recognise/",
            managers,
        ),
        row(
            "practices:recognise",
            "POST",
            lambda w: f"/practices/{_own(w).pk}/recognise/",
            managers,
            data=lambda w: {"recognised_on": "2025-07-01", "recognised_by": "Ban TCTW"},
            ok=302,
        ),
        row(
            "practices:adopt",
            "GET",
            lambda w: f"/practices/{_recognised(w).pk}/adopt/",
            staff,
        ),
        row(
            "practices:attachment_upload",
            "POST",
            lambda w: f"/practices/{_own(w).pk}/attachments/",
            own_staff,
            data=lambda w: {
                "file": SimpleUploadedFile("mo-ta.pdf", pdf_bytes(), "application/pdf")
            },
            ok=302,
        ),
        row(
            "practices:attachment_download",
            "GET",
            lambda w: f"/practice-attachments/{_attachment(w).pk}/",
            read,
        ),
        row("practices:term_counts", "GET", lambda w: f"/terms/{w.term.pk}/practices/", read),
    ]
    api = [
        row("practice-list", "GET", lambda w: (_own(w), "/api/practices/?year=2025")[1], read),
        row(
            "practice-list",
            "POST",
            lambda w: "/api/practices/",
            own_staff,
            data=lambda w: {**form(w), "year": 2025},
            ok=201,
        ),
        row("practice-detail", "GET", lambda w: f"/api/practices/{_own(w).pk}/", read),
        row(
            "practice-detail",
            "PATCH",
            lambda w: f"/api/practices/{_own(w).pk}/",
            own_staff,
            data=lambda w: {"title": "Tên đã sửa"},
        ),
        row(
            "practice-recognise",
            "POST",
            lambda w: f"/api/practices/{_own(w).pk}/recognise/",
            managers,
            data=lambda w: {"recognised_on": "2025-07-01", "recognised_by": "Ban TCTW"},
        ),
        row(  # staff of "other" adopt for "other"; own staff would name another unit: refused
            "practice-adopt",
            "POST",
            lambda w: f"/api/practices/{_recognised(w).pk}/adopt/",
            managers | {"officer_other", "leader_other"},
            data=lambda w: {"unit": w.other.pk, "adopted_on": "2025-07-01"},
            ok=201,
        ),
        row(
            "practice-attachments",
            "POST",
            lambda w: f"/api/practices/{_own(w).pk}/attachments/",
            own_staff,
            data=lambda w: {
                "file_name": "mo-ta.pdf",
                "content_base64": base64.b64encode(pdf_bytes()).decode(),
            },
            ok=201,
        ),
        row(
            "practice-counts",
            "GET",
            lambda w: f"/api/practices/counts/?term={w.term.pk}",
            read,
        ),
    ]
    return ui, api
