"""Reviews and movements for the suite-wide tests: one audit scenario per service
(``apps/core/tests/test_audit.py``) and the permission-matrix rows
(``apps/accounts/tests/test_permission_matrix.py``)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.emulation import services
from apps.emulation.tests.factories import review_period
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

S = "apps.emulation.services.reviews."


def _term():
    units = [UnitFactory(), UnitFactory()]
    return org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )


def _movement():
    term = _term()
    return services.movement_create(
        actor=None,
        term=term,
        name="Phong trào thử",
        starts_on=dt.date(2025, 3, 1),
        launched_by=term.member_units[1],
    )


def _closed_period(term):
    today = timezone.localdate()
    return review_period(
        term,
        kind="mid_year",
        opens_on=today - dt.timedelta(days=20),
        deadline=today - dt.timedelta(days=1),
    )


def _reopen(actor):
    term = _term()
    return services.review_period_reopen(
        actor=actor,
        period=_closed_period(term),
        unit=term.member_units[1],
        until=timezone.localdate(),
        reason="Đơn vị gặp sự cố mạng",
    )


def audit_scenarios() -> dict:
    return {
        S + "movement_create": lambda a: services.movement_create(
            actor=a, term=_term(), name="Thi đua", starts_on=dt.date(2025, 1, 1)
        ),
        S + "movement_update": lambda a: services.movement_update(
            actor=a, movement=_movement(), slogan="Đoàn kết, sáng tạo"
        ),
        S + "movement_delete": lambda a: services.movement_delete(actor=a, movement=_movement()),
        S + "review_period_create": lambda a: services.review_period_create(
            actor=a,
            term=_term(),
            kind="year_end",
            opens_on=dt.date(2025, 11, 1),
            deadline=dt.date(2025, 11, 20),
        ),
        S + "review_period_update": lambda a: services.review_period_update(
            actor=a, period=review_period(_term()), flag_margin=Decimal("15")
        ),
        S + "review_period_delete": lambda a: services.review_period_delete(
            actor=a, period=review_period(_term())
        ),
        S + "review_period_reopen": _reopen,
    }


# --- permission matrix -----------------------------------------------------------------------------
# The world: a 2025 term led by "own", deputy "third", member "other". Objects are made on first
# use and kept on the world, so a row's URL and data see the same objects.


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _period(w):
    return _cached(w, "reviews_period", lambda: review_period(w.term))


def _closed(w):
    return _cached(w, "reviews_closed", lambda: _closed_period(w.term))


def _others_movement(w):
    """A movement launched by the member "other": its staff (and central) may change it."""
    return _cached(
        w,
        "reviews_movement",
        lambda: services.movement_create(
            actor=None,
            term=w.term,
            name="Phong trào của Other",
            starts_on=dt.date(2025, 2, 1),
            launched_by=w.other,
            participants=[w.other, w.own],
        ),
    )


def _empty(w):
    return {}


def _period_form(w, **extra):
    data = {
        "kind": "year_end",
        "opens_on": "2025-11-01",
        "deadline": "2025-11-20",
        "flag_margin": "20",
        "panel": [w.own.pk, w.third.pk],
    }
    data.update(extra)
    return data


def _movement_form(w, **extra):
    data = {
        "name": "Phong trào thi đua mới",
        "slogan": "",
        "starts_on": "2025-03-01",
        "ends_on": "2025-12-31",
        "description": "",
        "participants": [w.own.pk, w.other.pk],
    }
    data.update(extra)
    return data


def _reopen_form(w):
    return {"unit": w.other.pk, "until": timezone.localdate().isoformat(), "reason": "Sự cố mạng"}


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    """(UI rows, API rows) for review periods and movements."""
    run = managers | {"officer_own", "leader_own"}  # the term's secretariat ("own" leads)
    launch = run | {"officer_other", "leader_other"}  # staff of any member unit
    others = managers | {"officer_other", "leader_other"}  # who may change Other's movement

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def term_url(w, tail):
        return f"/terms/{w.term.pk}/{tail}"

    def period_url(w, tail=""):
        return f"/review-periods/{_period(w).pk}/{tail}"

    def movement_url(w, tail=""):
        return f"/movements/{_others_movement(w).pk}/{tail}"

    ui = [
        row("emulation:term_reviews", "GET", lambda w: term_url(w, "reviews/"), read),
        row("emulation:review_period_create", "GET", lambda w: term_url(w, "reviews/new/"), run),
        row(
            "emulation:review_period_create",
            "POST",
            lambda w: term_url(w, "reviews/new/"),
            run,
            data=_period_form,
            ok=302,
        ),
        row("emulation:review_period_detail", "GET", period_url, read),
        row("emulation:review_period_edit", "GET", lambda w: period_url(w, "edit/"), run),
        row(
            "emulation:review_period_edit",
            "POST",
            lambda w: period_url(w, "edit/"),
            run,
            data=lambda w: _period_form(
                w,
                opens_on=_period(w).opens_on.isoformat(),
                deadline=_period(w).deadline.isoformat(),
                flag_margin="15",
            ),
            ok=302,
        ),
        row(
            "emulation:review_period_delete",
            "POST",
            lambda w: period_url(w, "delete/"),
            run,
            data=_empty,
            ok=302,
        ),
        row(
            "emulation:review_period_reopen",
            "GET",
            lambda w: f"/review-periods/{_closed(w).pk}/reopen/",
            run,
        ),
        row(
            "emulation:review_period_reopen",
            "POST",
            lambda w: f"/review-periods/{_closed(w).pk}/reopen/",
            run,
            data=_reopen_form,
            ok=302,
        ),
        row("emulation:term_movements", "GET", lambda w: term_url(w, "movements/?q=phong"), read),
        row("emulation:movement_create", "GET", lambda w: term_url(w, "movements/new/"), launch),
        row(
            "emulation:movement_create",
            "POST",
            lambda w: term_url(w, "movements/new/"),
            launch,
            data=_movement_form,
            ok=302,
        ),
        row("emulation:movement_detail", "GET", movement_url, read),
        row("emulation:movement_edit", "GET", lambda w: movement_url(w, "edit/"), others),
        row(
            "emulation:movement_edit",
            "POST",
            lambda w: movement_url(w, "edit/"),
            others,
            data=lambda w: _movement_form(w, name="Phong trào đổi tên"),
            ok=302,
        ),
        row(
            "emulation:movement_delete",
            "POST",
            lambda w: movement_url(w, "delete/"),
            others,
            data=_empty,
            ok=302,
        ),
    ]

    def api_movements(w, tail=""):
        return f"/api/terms/{w.term.pk}/movements/{tail}"

    def api_period(w, period, tail=""):
        return f"/api/review-periods/{period.pk}/{tail}"

    api = [
        row("term-movement-list", "GET", lambda w: api_movements(w, "?q=PHONG"), read),
        row(
            "term-movement-list",
            "POST",
            api_movements,
            launch,
            data=lambda w: {"name": "Phong trào mới", "starts_on": "2025-03-01"},
            ok=201,
        ),
        row(
            "term-movement-detail",
            "GET",
            lambda w: api_movements(w, f"{_others_movement(w).pk}/"),
            read,
        ),
        row(
            "term-movement-detail",
            "PATCH",
            lambda w: api_movements(w, f"{_others_movement(w).pk}/"),
            others,
            data=lambda w: {"slogan": "Đoàn kết, đổi mới"},
        ),
        row(
            "term-movement-detail",
            "DELETE",
            lambda w: api_movements(w, f"{_others_movement(w).pk}/"),
            others,
            data=_empty,
            ok=204,
        ),
        row("review-period-list", "GET", lambda w: f"/api/review-periods/?term={w.term.pk}", read),
        row(
            "review-period-list",
            "POST",
            lambda w: "/api/review-periods/",
            run,
            data=lambda w: {
                "term": w.term.pk,
                "kind": "year_end",
                "opens_on": "2025-11-01",
                "deadline": "2025-11-20",
            },
            ok=201,
        ),
        row("review-period-detail", "GET", lambda w: api_period(w, _period(w)), read),
        row(
            "review-period-detail",
            "PATCH",
            lambda w: api_period(w, _period(w)),
            run,
            data=lambda w: {"flag_margin": "15"},
        ),
        row(
            "review-period-detail",
            "DELETE",
            lambda w: api_period(w, _period(w)),
            run,
            data=_empty,
            ok=204,
        ),
        row(
            "review-period-reopen",
            "POST",
            lambda w: api_period(w, _closed(w), "reopen/"),
            run,
            data=_reopen_form,
            ok=201,
        ),
        row(
            "review-period-overview",
            "GET",
            lambda w: api_period(w, _period(w), "overview/"),
            read,
        ),
    ]
    return ui, api
