"""Pact pieces the shared suite-wide tests use: one audit scenario per service
(``apps/core/tests/test_audit.py``) and the permission-matrix rows
(``apps/accounts/tests/test_permission_matrix.py``)."""

from decimal import Decimal

from apps.emulation import services
from apps.emulation.tests.factories import draft_pact, open_pact, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

S = "apps.emulation.services.pact."


def _term(year=2025, cluster=None, units=None):
    units = units or [UnitFactory(), UnitFactory()]
    return org.term_create(
        actor=None, cluster=cluster or ClusterFactory(), year=year, members=units, leader=units[0]
    )


def _copy(actor):
    units = [UnitFactory(), UnitFactory()]
    old = _term(2024, units=units)
    signed_pact(old)
    return services.pact_copy_from_previous(
        actor=actor, term=_term(2025, cluster=old.cluster, units=units)
    )


def _criterion():
    return draft_pact(_term()).groups.get().criteria.first()


def audit_scenarios() -> dict:
    return {
        S + "pact_create": lambda a: services.pact_create(actor=a, term=_term(), title="Thử"),
        S + "pact_copy_from_previous": _copy,
        S + "pact_update": lambda a: services.pact_update(
            actor=a, pact=draft_pact(_term()), title="Đổi"
        ),
        S + "pact_open_for_signing": lambda a: services.pact_open_for_signing(
            actor=a, pact=draft_pact(_term())
        ),
        S + "pact_sign": lambda a: (
            lambda p: services.pact_sign(actor=a, pact=p, unit=p.term.member_units[0])
        )(open_pact(_term())),
        S + "pact_close": lambda a: services.pact_close(actor=a, pact=signed_pact(_term())),
        S + "pact_amend": lambda a: services.pact_amend(
            actor=a, pact=signed_pact(_term()), reason="Sửa đổi"
        ),
        S + "content_group_add": lambda a: services.content_group_add(
            actor=a, pact=draft_pact(_term()), code="II", title="Hai"
        ),
        S + "content_group_update": lambda a: services.content_group_update(
            actor=a, group=draft_pact(_term()).groups.get(), title="Đổi"
        ),
        S + "content_group_delete": lambda a: services.content_group_delete(
            actor=a, group=draft_pact(_term()).groups.get()
        ),
        S + "criterion_add": lambda a: services.criterion_add(
            actor=a, group=draft_pact(_term()).groups.get(), title="Mới", max_points=Decimal(3)
        ),
        S + "criterion_update": lambda a: services.criterion_update(
            actor=a, criterion=_criterion(), title="Đổi"
        ),
        S + "criterion_delete": lambda a: services.criterion_delete(
            actor=a, criterion=_criterion()
        ),
    }


# --- permission matrix -----------------------------------------------------------------------------
# The matrix's world has a 2025 term led by "own" (deputy "third", member "other"). Pacts are made
# on first use and kept on the world, so a row's URL and data see the same objects.


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _draft(w):
    return _cached(w, "pact_draft", lambda: draft_pact(w.term))


def _open(w):
    return _cached(w, "pact_open", lambda: open_pact(w.term))


def _signed(w):
    return _cached(w, "pact_signed", lambda: signed_pact(w.term))


def _group(w):
    return _draft(w).groups.get()


def _crit(w):
    return _group(w).criteria.order_by("id").first()


def _previous_term(w):
    def make():
        term = org.term_create(
            actor=None, cluster=w.cluster, year=2024, members=[w.own, w.other], leader=w.other
        )
        signed_pact(term, title="Giao ước 2024")
        return term

    return _cached(w, "pact_previous", make)


def _empty(w):
    return {}


def _criterion_form(**extra):
    data = {
        "position": "5",
        "title": "Tiêu chí mới",
        "kind": "criterion",
        "max_points": "7.5",
        "scoring_method": "peers",
        "guidance": "",
        "evidence_required": "",
    }
    data.update(extra)
    return data


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    """(UI rows, API rows) for the pact endpoints."""
    run = managers | {"officer_own", "leader_own"}
    sign = {"leader_own", "leader_other"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def term_pacts(w, tail=""):
        return f"/terms/{w.term.pk}/pacts/{tail}"

    def copy_url(w):
        _previous_term(w)
        return term_pacts(w, "copy/")

    ui = [
        row("emulation:term_pacts", "GET", term_pacts, read),
        row("emulation:pact_create", "GET", lambda w: term_pacts(w, "new/"), run),
        row(
            "emulation:pact_create",
            "POST",
            lambda w: term_pacts(w, "new/"),
            run,
            data=lambda w: {"title": "Giao ước mới", "tie_break": ["good_practices"]},
            ok=302,
        ),
        row("emulation:pact_copy", "GET", copy_url, run),
        row("emulation:pact_copy", "POST", copy_url, run, data=lambda w: {"title": ""}, ok=302),
        row("emulation:pact_detail", "GET", lambda w: f"/pacts/{_draft(w).pk}/", read),
        row("emulation:pact_edit", "GET", lambda w: f"/pacts/{_draft(w).pk}/edit/", run),
        row(
            "emulation:pact_edit",
            "POST",
            lambda w: f"/pacts/{_draft(w).pk}/edit/",
            run,
            data=lambda w: {"title": "Đổi tên", "description": "", "tie_break": []},
            ok=302,
        ),
        row(
            "emulation:pact_open",
            "POST",
            lambda w: f"/pacts/{_draft(w).pk}/open/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "emulation:pact_sign",
            "POST",
            lambda w: f"/pacts/{_open(w).pk}/sign/",
            sign,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "emulation:pact_close",
            "POST",
            lambda w: f"/pacts/{_signed(w).pk}/close/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row("emulation:pact_amend", "GET", lambda w: f"/pacts/{_signed(w).pk}/amend/", run),
        row(
            "emulation:pact_amend",
            "POST",
            lambda w: f"/pacts/{_signed(w).pk}/amend/",
            run,
            data=lambda w: {"reason": "Sáp nhập"},
            ok=302,
        ),
        row("emulation:group_create", "GET", lambda w: f"/pacts/{_draft(w).pk}/groups/new/", run),
        row(
            "emulation:group_create",
            "POST",
            lambda w: f"/pacts/{_draft(w).pk}/groups/new/",
            run,
            data=lambda w: {"position": "2", "code": "II", "title": "Nhóm hai"},
            ok=302,
        ),
        row("emulation:group_edit", "GET", lambda w: f"/pact-groups/{_group(w).pk}/edit/", run),
        row(
            "emulation:group_edit",
            "POST",
            lambda w: f"/pact-groups/{_group(w).pk}/edit/",
            run,
            data=lambda w: {"position": "1", "code": "I", "title": "Nhóm đổi tên"},
            ok=302,
        ),
        row(
            "emulation:group_delete",
            "POST",
            lambda w: f"/pact-groups/{_group(w).pk}/delete/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "emulation:criterion_create",
            "GET",
            lambda w: f"/pact-groups/{_group(w).pk}/criteria/new/",
            run,
        ),
        row(
            "emulation:criterion_create",
            "POST",
            lambda w: f"/pact-groups/{_group(w).pk}/criteria/new/",
            run,
            data=lambda w: _criterion_form(),
            ok=302,
        ),
        row(
            "emulation:criterion_edit", "GET", lambda w: f"/pact-criteria/{_crit(w).pk}/edit/", run
        ),
        row(
            "emulation:criterion_edit",
            "POST",
            lambda w: f"/pact-criteria/{_crit(w).pk}/edit/",
            run,
            data=lambda w: _criterion_form(title="Đổi tên"),
            ok=302,
        ),
        row(
            "emulation:criterion_delete",
            "POST",
            lambda w: f"/pact-criteria/{_crit(w).pk}/delete/",
            run,
            data=lambda w: {},
            ok=302,
        ),
    ]

    def api_pact(w, pact, tail=""):
        return f"/api/pacts/{pact.pk}/{tail}"

    api = [
        row("pact-list", "GET", lambda w: f"/api/pacts/?term={w.term.pk}", read),
        row(
            "pact-list",
            "POST",
            lambda w: "/api/pacts/",
            run,
            data=lambda w: {"term": w.term.pk, "title": "Giao ước mới"},
            ok=201,
        ),
        row(
            "pact-copy-from-previous",
            "POST",
            lambda w: (_previous_term(w), "/api/pacts/copy-from-previous/")[1],
            run,
            data=lambda w: {"term": w.term.pk},
            ok=201,
        ),
        row("pact-detail", "GET", lambda w: api_pact(w, _draft(w)), read),
        row(
            "pact-detail",
            "PATCH",
            lambda w: api_pact(w, _draft(w)),
            run,
            data=lambda w: {"title": "Đổi tên", "tie_break": ["criteria_at_maximum"]},
        ),
        row("pact-open", "POST", lambda w: api_pact(w, _draft(w), "open/"), run, data=_empty),
        row("pact-sign", "POST", lambda w: api_pact(w, _open(w), "sign/"), sign, data=_empty),
        row("pact-close", "POST", lambda w: api_pact(w, _signed(w), "close/"), run, data=_empty),
        row(
            "pact-amend",
            "POST",
            lambda w: api_pact(w, _signed(w), "amend/"),
            run,
            data=lambda w: {"reason": "Sáp nhập"},
            ok=201,
        ),
        row("pact-group-list", "GET", lambda w: api_pact(w, _draft(w), "groups/"), read),
        row(
            "pact-group-list",
            "POST",
            lambda w: api_pact(w, _draft(w), "groups/"),
            run,
            data=lambda w: {"code": "II", "title": "Nhóm hai"},
            ok=201,
        ),
        row(
            "pact-group-detail",
            "GET",
            lambda w: api_pact(w, _draft(w), f"groups/{_group(w).pk}/"),
            read,
        ),
        row(
            "pact-group-detail",
            "PATCH",
            lambda w: api_pact(w, _draft(w), f"groups/{_group(w).pk}/"),
            run,
            data=lambda w: {"title": "Nhóm đổi tên"},
        ),
        row(
            "pact-group-detail",
            "DELETE",
            lambda w: api_pact(w, _draft(w), f"groups/{_group(w).pk}/"),
            run,
            data=_empty,
            ok=204,
        ),
        row("pact-criterion-list", "GET", lambda w: api_pact(w, _draft(w), "criteria/"), read),
        row(
            "pact-criterion-list",
            "POST",
            lambda w: api_pact(w, _draft(w), "criteria/"),
            run,
            data=lambda w: {"group": _group(w).pk, "title": "Mới", "max_points": "2.5"},
            ok=201,
        ),
        row(
            "pact-criterion-detail",
            "GET",
            lambda w: api_pact(w, _draft(w), f"criteria/{_crit(w).pk}/"),
            read,
        ),
        row(
            "pact-criterion-detail",
            "PATCH",
            lambda w: api_pact(w, _draft(w), f"criteria/{_crit(w).pk}/"),
            run,
            data=lambda w: {"max_points": "12"},
        ),
        row(
            "pact-criterion-detail",
            "DELETE",
            lambda w: api_pact(w, _draft(w), f"criteria/{_crit(w).pk}/"),
            run,
            data=_empty,
            ok=204,
        ),
    ]
    return ui, api
