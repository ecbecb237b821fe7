"""One call per member service for ``test_audit``."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.members import services
from apps.members.choices import OrgKind
from apps.members.imports import template_workbook
from apps.members.tests.factories import member, org, tree


def audit_scenarios() -> dict:
    p = "apps.members.services."
    return {
        p + "org_create": lambda a: services.org_create(
            actor=a, code="TQ01", name="Đảng bộ tỉnh Tuyên Quang", kind=OrgKind.PROVINCE
        ),
        p + "org_move": lambda a: (
            lambda t: services.org_move(actor=a, org=t[1], new_parent=org(OrgKind.PROVINCE))
        )(tree()),
        p + "org_succession_add": lambda a: services.org_succession_add(
            actor=a,
            predecessor=org(),
            successor=org(),
            kind="merge",
            effective_date=dt.date(2025, 7, 1),
            legal_basis="Quyết định thử",
        ),
        p + "member_create": lambda a: services.member_create(
            actor=a,
            full_name="Lê Thị Lan",
            sex="female",
            birth_date=dt.date(1990, 1, 2),
            cccd="025190000001",
            admitted_on=dt.date(2015, 2, 3),
            organization=tree()[2],
        ),
        p + "member_transfer": lambda a: (
            lambda t: services.member_transfer(
                actor=a, member=member(t[2]), to_org=t[3], on=dt.date(2024, 1, 1)
            )
        )(tree()),
        p + "member_update": lambda a: services.member_update(
            actor=a, member=member(tree()[2]), ethnicity="Tày"
        ),
        p + "member_status_change": lambda a: services.member_status_change(
            actor=a,
            member=member(tree()[2]),
            status="exempt",
            on=dt.date(2025, 1, 2),
            reason="Tuổi cao, sức yếu",
        ),
        p + "member_merge": lambda a: (
            lambda t: services.member_merge(
                actor=a,
                keep=member(t[2]),
                remove=member(t[3], cccd="", card_number="X-1", confirm_duplicate=True),
                reason="Nhập hai lần",
            )
        )(tree()),
        p + "member_import_upload": lambda a: services.member_import_upload(
            actor=a, upload=io.BytesIO(template_workbook()), scope_paths=None
        ),
        p + "member_import_confirm": lambda a: services.member_import_confirm(
            actor=a, record=_checked_import(a)
        ),
        p + "member_import_apply": lambda a: services.member_import_apply(
            record=services.member_import_confirm(actor=a, record=_checked_import(a))
        ),
        p + "member_import_cancel": lambda a: services.member_import_cancel(
            actor=a, record=_checked_import(a)
        ),
        p + "member_imports_discard_stale": lambda a: (
            _checked_import(a),
            services.member_imports_discard_stale(actor=a, now=_in_a_fortnight()),
        ),
        p + "badge_award": lambda a: services.badge_award(
            actor=a,
            member=member(
                tree()[2], admitted_on=dt.date(1990, 5, 19), birth_date=dt.date(1960, 1, 1), cccd=""
            ),
            years=30,
            awarded_on=dt.date(2020, 5, 19),
            number="HH-TEST",
        ),
        p + "classification_record": lambda a: services.classification_record(
            actor=a, member=member(tree()[2]), year=2025, score=80
        ),
        p + "member_cccd_view": lambda a: services.member_cccd_view(
            actor=a, member=member(tree()[2])
        ),
    }


_lines = iter(range(1, 1_000_000))


def good_workbook(code: str) -> bytes:
    """A one-line member workbook for the cell ``code``, a new person each call."""
    from openpyxl import Workbook

    from apps.members.imports import COLUMNS

    n = next(_lines)
    book = Workbook()
    book.active.append([h for h, _f in COLUMNS])
    book.active.append(
        [f"Người Thử {n}", "Nam", "01/01/1985", f"0250850{n:05d}", "Kinh", "", "01/01/2010"]
        + ["", "", "", code]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _in_a_fortnight():
    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=14)


def _checked_import(actor, code=None):
    """An import checked and ready to confirm (the immediate task backend runs the check)."""
    if code is None:
        code = org(OrgKind.GRASSROOTS_CELL, org()).code
    record = services.member_import_upload(
        actor=actor, upload=io.BytesIO(good_workbook(code)), scope_paths=None
    )
    record.refresh_from_db()
    assert record.state == "ok", record.errors
    return record


def _fresh_import(w):
    """A checked import of this test's world, ready for the step under test."""
    _tree(w)
    return _cached(
        w, "checked_import", lambda: _checked_import(w.users["officer_own"], code="OWN-1")
    )


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _tree(w):
    """The matrix world's party tree, kept by unit "own": province → grassroots cell, a member."""

    def make():
        province = services.org_create(
            actor=None, code="OWN", name="Đảng bộ tỉnh Own", kind=OrgKind.PROVINCE, managed_by=w.own
        )
        cell = services.org_create(
            actor=None,
            code="OWN-1",
            name="Chi bộ xã Một",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=province,
        )
        person = member(cell)
        return province, cell, person

    return _cached(w, "party_tree", make)


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    own_staff = {"officer_own", "leader_own"}
    readers = managers | own_staff | {"viewer"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    ui = [
        row("members:org_list", "GET", lambda w: (_tree(w), "/party/")[1], read),
        row("members:org_detail", "GET", lambda w: f"/party/orgs/{_tree(w)[0].pk}/?q=an", readers),
        row(
            "members:member_create",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[1].pk}/members/new/",
            managers | own_staff,
        ),
        row(
            "members:member_create",
            "POST",
            lambda w: f"/party/orgs/{_tree(w)[1].pk}/members/new/",
            managers | own_staff,
            data=lambda w: {
                "full_name": "Trần Thị Bình",
                "sex": "female",
                "birth_date": "1990-03-04",
                "cccd": "",
                "admitted_on": "2015-05-19",
                "status": "full",
            },
            ok=302,
        ),
        row(
            "members:org_statistics",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/statistics/?on=2025-12-31",
            readers,
        ),
        row(
            "members:org_badges",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/badges/?round_on=2026-02-03&early=ill",
            readers,
        ),
        row(
            "members:org_export",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/export/?q=an",
            readers,
        ),
        row(
            "members:org_classification",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/classification/?year=2025",
            readers,
        ),
        row("members:member_detail", "GET", lambda w: f"/party/members/{_tree(w)[2].pk}/", readers),
        row(
            "members:member_cccd",
            "POST",
            lambda w: f"/party/members/{_tree(w)[2].pk}/cccd/",
            managers | {"leader_own"},
            data=lambda w: {},
        ),
    ]
    importers = managers | own_staff

    def _import(w):
        _tree(w)
        return _cached(
            w,
            "member_import",
            lambda: services.member_import_upload(
                actor=w.users["officer_own"],
                upload=io.BytesIO(template_workbook()),
                scope_paths=None,
            ),
        )

    ui += [
        row("members:import", "GET", lambda w: (_tree(w), "/party/import/")[1], importers),
        row(
            "members:import",
            "POST",
            lambda w: (_tree(w), "/party/import/")[1],
            importers,
            data=lambda w: {"file": SimpleUploadedFile("mau.xlsx", template_workbook())},
            ok=302,
        ),
        row(
            "members:import_template",
            "GET",
            lambda w: (_tree(w), "/party/import/template/")[1],
            importers,
        ),
        row(
            "members:import_detail",
            "GET",
            lambda w: f"/party/imports/{_import(w).pk}/",
            managers | {"officer_own"},
        ),
        row(
            "members:import_confirm",
            "POST",
            lambda w: f"/party/imports/{_fresh_import(w).pk}/confirm/",
            managers | {"officer_own"},
            data=lambda w: {},
            ok=302,
        ),
        row(
            "members:import_cancel",
            "POST",
            lambda w: f"/party/imports/{_fresh_import(w).pk}/cancel/",
            managers | {"officer_own"},
            data=lambda w: {},
            ok=302,
        ),
    ]

    def _twin(w):
        """A second record of the world's member (same name and birth date, no citizen ID)."""
        return _cached(
            w,
            "twin",
            lambda: member(
                _tree(w)[1],
                cccd="",
                admitted_on=dt.date(2011, 1, 1),
                confirm_duplicate=True,
            ),
        )

    editors = managers | own_staff
    ui += [
        row(
            "members:member_edit",
            "GET",
            lambda w: f"/party/members/{_tree(w)[2].pk}/edit/",
            editors,
        ),
        row(
            "members:member_edit",
            "POST",
            lambda w: f"/party/members/{_tree(w)[2].pk}/edit/",
            editors,
            data=lambda w: {
                "full_name": "Nguyễn Văn An",
                "sex": "male",
                "birth_date": "1985-04-12",
                "cccd": "025085012345",
                "ethnicity": "Tày",
                "admitted_on": "2010-05-19",
                "version": _tree(w)[2].updated_at.isoformat(),
            },
            ok=302,
        ),
        row(
            "members:member_status",
            "GET",
            lambda w: f"/party/members/{_tree(w)[2].pk}/status/",
            editors,
        ),
        row(
            "members:member_status",
            "POST",
            lambda w: f"/party/members/{_tree(w)[2].pk}/status/",
            editors,
            data=lambda w: {"status": "exempt", "on": "2025-01-02", "reason": "Tuổi cao"},
            ok=302,
        ),
        row(
            "members:member_merge",
            "GET",
            lambda w: f"/party/members/{_tree(w)[2].pk}/merge/{_twin(w).pk}/",
            editors,
        ),
        row(
            "members:member_merge",
            "POST",
            lambda w: f"/party/members/{_tree(w)[2].pk}/merge/{_twin(w).pk}/",
            editors,
            data=lambda w: {"reason": "Nhập hai lần"},
            ok=302,
        ),
        row(
            "members:org_duplicates",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/duplicates/",
            readers,
        ),
    ]
    api = [
        row("party-org-list", "GET", lambda w: (_tree(w), "/api/party-orgs/")[1], read),
        row("party-org-detail", "GET", lambda w: f"/api/party-orgs/{_tree(w)[0].pk}/", readers),
        row(
            "party-org-statistics",
            "GET",
            lambda w: f"/api/party-orgs/{_tree(w)[0].pk}/statistics/?on=2025-12-31",
            readers,
        ),
        row(
            "party-member-list",
            "GET",
            lambda w: f"/api/party-members/?org={_tree(w)[0].pk}&q=an",
            readers,
        ),
        row(
            "party-member-list",
            "POST",
            lambda w: (_tree(w), "/api/party-members/")[1],
            managers | own_staff,
            data=lambda w: {
                "organization": _tree(w)[1].pk,
                "full_name": "Trần Thị Bình",
                "sex": "female",
                "birth_date": "1990-03-04",
                "admitted_on": "2015-05-19",
            },
            ok=201,
        ),
        row(
            "party-member-detail", "GET", lambda w: f"/api/party-members/{_tree(w)[2].pk}/", readers
        ),
        row(
            "party-member-cccd",
            "POST",
            lambda w: f"/api/party-members/{_tree(w)[2].pk}/cccd/",
            managers | {"leader_own"},
            data=lambda w: {},
        ),
        row(
            "party-member-detail",
            "PATCH",
            lambda w: f"/api/party-members/{_tree(w)[2].pk}/",
            editors,
            data=lambda w: {"version": _tree(w)[2].updated_at.isoformat(), "ethnicity": "Tày"},
        ),
        row(
            "party-member-change-status",
            "POST",
            lambda w: f"/api/party-members/{_tree(w)[2].pk}/status/",
            editors,
            data=lambda w: {"status": "exempt", "on": "2025-01-02", "reason": "Tuổi cao"},
            ok=201,
        ),
        row(
            "party-member-merge",
            "POST",
            lambda w: (_twin(w), f"/api/party-members/{_tree(w)[2].pk}/merge/")[1],
            editors,
            data=lambda w: {"remove": _twin(w).pk, "reason": "Nhập hai lần"},
            ok=201,
        ),
        row("party-import-list", "GET", lambda w: (_tree(w), "/api/party-imports/")[1], importers),
        row(
            "party-import-list",
            "POST",
            lambda w: (_tree(w), "/api/party-imports/")[1],
            importers,
            data=lambda w: {"file": SimpleUploadedFile("mau.xlsx", good_workbook("OWN-1"))},
            ok=201,
        ),
        row(
            "party-import-detail",
            "GET",
            lambda w: f"/api/party-imports/{_fresh_import(w).pk}/",
            managers | {"officer_own"},
        ),
        row(
            "party-import-confirm",
            "POST",
            lambda w: f"/api/party-imports/{_fresh_import(w).pk}/confirm/",
            managers | {"officer_own"},
            data=lambda w: {},
        ),
        row(
            "party-import-cancel",
            "POST",
            lambda w: f"/api/party-imports/{_fresh_import(w).pk}/cancel/",
            managers | {"officer_own"},
            data=lambda w: {},
        ),
    ]
    return ui, api
