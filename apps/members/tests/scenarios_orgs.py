"""Audit scenarios and permission-matrix rows for organisation management, the organisations'
classification steps, badge awards and the country statistics (``apps.core.tests.discovery``)."""

import datetime as dt

from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member, tree

YEAR = 2025


def _self_assessed():
    grassroots = tree()[1]
    services.org_classification_self_assess(actor=None, org=grassroots, year=YEAR, score=85)
    return grassroots


def _appraised():
    grassroots = _self_assessed()
    services.org_classification_appraise(actor=None, org=grassroots, year=YEAR, level="good")
    return grassroots


def audit_scenarios() -> dict:
    p = "apps.members.services_orgs."
    return {
        p + "org_update": lambda a: services.org_update(
            actor=a, org=tree()[1], code="PT-CQ", name="Đảng bộ Cơ quan", valid_from=None
        ),
        p + "org_classification_self_assess": lambda a: services.org_classification_self_assess(
            actor=a, org=tree()[1], year=YEAR, score=85, comment="Tự đánh giá"
        ),
        p + "org_classification_appraise": lambda a: services.org_classification_appraise(
            actor=a, org=_self_assessed(), year=YEAR, level="good"
        ),
        p + "org_classification_decide": lambda a: services.org_classification_decide(
            actor=a,
            org=_appraised(),
            year=YEAR,
            level="good",
            decision_number="12-QĐ/TU",
            decision_date=dt.date(2026, 1, 10),
        ),
    }


# --- permission matrix --------------------------------------------------------------------------


def _world_orgs(w):
    """Beside the matrix world's tree (kept by unit "own"): an above-grassroots committee to move
    under, a cell to succeed into, and a member due the 30-year badge on 19/5/2020."""
    from apps.members.tests.scenarios import _cached, _tree

    def make():
        province, cell, _person = _tree(w)
        above = services.org_create(
            actor=None,
            code="OWN-AB",
            name="Đảng bộ Khối Own",
            kind=OrgKind.ABOVE_GRASSROOTS,
            parent=province,
        )
        successor = services.org_create(
            actor=None,
            code="OWN-3",
            name="Chi bộ xã Ba",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=province,
        )
        veteran = member(
            cell,
            full_name="Hoàng Văn Lâm",
            birth_date=dt.date(1960, 1, 1),
            admitted_on=dt.date(1990, 5, 19),
            cccd="",
        )
        return above, successor, veteran

    return _cached(w, "party_orgs", make)


def _step(w, state):
    """The world's grassroots cell with its classification brought to ``state``."""
    from apps.members.tests.scenarios import _cached, _tree

    def make():
        cell = _tree(w)[1]
        services.org_classification_self_assess(actor=None, org=cell, year=YEAR, score=85)
        if state == "appraised":
            services.org_classification_appraise(actor=None, org=cell, year=YEAR, level="good")
        return cell

    return _cached(w, f"party_step_{state}", make)


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    from apps.members.tests.scenarios import _tree

    editors = managers | {"officer_own", "leader_own"}
    country = managers | {"viewer"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def cell_url(suffix):
        return lambda w: f"/party/orgs/{_tree(w)[1].pk}/{suffix}"

    def moved(w):
        _world_orgs(w)
        return f"/party/orgs/{_tree(w)[1].pk}/move/"

    def succeeded(w):
        _world_orgs(w)
        return f"/party/orgs/{_tree(w)[1].pk}/succession/"

    def award(w):
        return f"/party/members/{_world_orgs(w)[2].pk}/badges/award/"

    ui = [
        row(
            "members:org_child_create",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/new/",
            editors,
        ),
        row(
            "members:org_child_create",
            "POST",
            lambda w: f"/party/orgs/{_tree(w)[0].pk}/new/",
            editors,
            data=lambda w: {"kind": "grassroots", "code": "OWN-2", "name": "Đảng bộ xã Hai"},
            ok=302,
        ),
        row("members:org_edit", "GET", cell_url("edit/"), editors),
        row(
            "members:org_edit",
            "POST",
            cell_url("edit/"),
            editors,
            data=lambda w: {"code": "OWN-1", "name": "Chi bộ xã Một (mới)", "valid_from": ""},
            ok=302,
        ),
        row("members:org_move", "GET", moved, editors),
        row(
            "members:org_move",
            "POST",
            moved,
            editors,
            data=lambda w: {"new_parent": "OWN-AB"},
            ok=302,
        ),
        row("members:org_succession", "GET", succeeded, editors),
        row(
            "members:org_succession",
            "POST",
            succeeded,
            editors,
            data=lambda w: {
                "kind": "merge",
                "successor": "OWN-3",
                "effective_date": "2025-07-01",
                "legal_basis": "Quyết định 1-QĐ/TU",
            },
            ok=302,
        ),
        row(
            "members:member_classification_record",
            "POST",
            cell_url("classification/members/"),
            editors,
            data=lambda w: {"year": "2025", "member": _tree(w)[2].pk, "score": "80"},
            ok=302,
        ),
        row(
            "members:org_self_assess",
            "POST",
            cell_url("classification/self-assess/"),
            editors,
            data=lambda w: {"year": "2025", "score": "85", "comment": "Tự đánh giá"},
            ok=302,
        ),
        row(
            "members:org_appraise",
            "POST",
            lambda w: f"/party/orgs/{_step(w, 'self_assessed').pk}/classification/appraise/",
            editors,
            data=lambda w: {"year": "2025", "level": "good"},
            ok=302,
        ),
        row(
            "members:org_decide",
            "POST",
            lambda w: f"/party/orgs/{_step(w, 'appraised').pk}/classification/decide/",
            editors,
            data=lambda w: {
                "year": "2025",
                "level": "good",
                "decision_number": "12-QĐ/TU",
                "decision_date": "2026-01-10",
            },
            ok=302,
        ),
        row(
            "members:badge_award",
            "POST",
            award,
            editors,
            data=lambda w: {
                "org": _tree(w)[0].pk,
                "years": "30",
                "awarded_on": "2020-05-19",
                "number": "HH-OWN-1",
            },
            ok=302,
        ),
        row(
            "members:country_statistics",
            "GET",
            lambda w: (_tree(w), "/party/statistics/?on=2025-12-31")[1],
            country,
        ),
        row(
            "members:country_statistics_export",
            "GET",
            lambda w: (_tree(w), "/party/statistics/export/?on=2025-12-31")[1],
            country,
        ),
    ]

    def org_api(suffix):
        return lambda w: f"/api/party-orgs/{_tree(w)[1].pk}/{suffix}"

    api = [
        row(
            "party-org-list",
            "POST",
            lambda w: (_tree(w), "/api/party-orgs/")[1],
            editors,
            data=lambda w: {
                "parent": _tree(w)[0].pk,
                "code": "OWN-2",
                "name": "Đảng bộ xã Hai",
                "kind": "grassroots",
            },
            ok=201,
        ),
        row(
            "party-org-detail",
            "PATCH",
            org_api(""),
            editors,
            data=lambda w: {"name": "Chi bộ xã Một (mới)"},
        ),
        row(
            "party-org-move",
            "POST",
            lambda w: (_world_orgs(w), f"/api/party-orgs/{_tree(w)[1].pk}/move/")[1],
            editors,
            data=lambda w: {"new_parent": _world_orgs(w)[0].pk},
        ),
        row(
            "party-org-successions",
            "POST",
            lambda w: (_world_orgs(w), f"/api/party-orgs/{_tree(w)[1].pk}/successions/")[1],
            editors,
            data=lambda w: {
                "successor": _world_orgs(w)[1].pk,
                "kind": "merge",
                "effective_date": "2025-07-01",
                "legal_basis": "Quyết định 1-QĐ/TU",
            },
            ok=201,
        ),
        row(
            "party-org-classification",
            "GET",
            org_api("classification/?year=2025"),
            managers | {"officer_own", "leader_own", "viewer"},
        ),
        row(
            "party-org-self-assess",
            "POST",
            org_api("self-assess/"),
            editors,
            data=lambda w: {"year": 2025, "score": "85"},
        ),
        row(
            "party-org-appraise",
            "POST",
            lambda w: f"/api/party-orgs/{_step(w, 'self_assessed').pk}/appraise/",
            editors,
            data=lambda w: {"year": 2025, "level": "good"},
        ),
        row(
            "party-org-decide",
            "POST",
            lambda w: f"/api/party-orgs/{_step(w, 'appraised').pk}/decide/",
            editors,
            data=lambda w: {
                "year": 2025,
                "level": "good",
                "decision_number": "12-QĐ/TU",
                "decision_date": "2026-01-10",
            },
        ),
        row(
            "party-member-badges",
            "POST",
            lambda w: f"/api/party-members/{_world_orgs(w)[2].pk}/badges/",
            editors,
            data=lambda w: {"years": 30, "awarded_on": "2020-05-19", "number": "HH-OWN-1"},
            ok=201,
        ),
        row(
            "party-statistics-list",
            "GET",
            lambda w: (_tree(w), "/api/party-statistics/?on=2025-12-31")[1],
            country,
        ),
    ]
    return ui, api
