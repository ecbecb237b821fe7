"""Self-assessment pieces the suite-wide tests use: one audit scenario per service
(``apps/core/tests/test_audit.py``) and the permission-matrix rows
(``apps/accounts/tests/test_permission_matrix.py``)."""

import base64
from decimal import Decimal

from apps.emulation import services
from apps.emulation.choices import CriterionKind
from apps.emulation.tests.assessment_files import good_upload, pdf_bytes
from apps.emulation.tests.factories import review_period, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

S = "apps.emulation.services.assessment."


def open_assessment(period, unit):
    return services.assessment_open(actor=None, period=period, unit=unit)


def fill(assessment, points=Decimal("1")):
    """Give every criterion line of ``assessment`` points (bonus and penalty stay empty)."""
    for item in assessment.items.filter(criterion__kind=CriterionKind.CRITERION):
        services.assessment_item_update(actor=None, item=item, version=item.version, points=points)
    return assessment


def _fresh():
    units = [UnitFactory(), UnitFactory()]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    signed_pact(term)
    return open_assessment(review_period(term), units[0])


def _with_evidence():
    assessment = _fresh()
    return services.evidence_add(
        actor=None, item=assessment.items.first(), upload=good_upload("bao-cao.pdf")
    )


def audit_scenarios() -> dict:
    def open_(a):
        units = [UnitFactory(), UnitFactory()]
        term = org.term_create(
            actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
        )
        signed_pact(term)
        return services.assessment_open(actor=a, period=review_period(term), unit=units[1])

    return {
        S + "assessment_open": open_,
        S + "assessment_item_update": lambda a: services.assessment_item_update(
            actor=a, item=_fresh().items.first(), version=0, points=Decimal("12.5")
        ),
        S + "evidence_add": lambda a: services.evidence_add(
            actor=a, item=_fresh().items.first(), upload=good_upload("so-do.png")
        ),
        S + "evidence_delete": lambda a: services.evidence_delete(
            actor=a, evidence=_with_evidence()
        ),
        S + "indicator_values_set": lambda a: services.indicator_values_set(
            actor=a, assessment=_fresh(), values={"good_practices": (Decimal(4), "2 mô hình")}
        ),
        S + "assessment_submit": lambda a: services.assessment_submit(
            actor=a, assessment=fill(_fresh())
        ),
    }


# --- permission matrix -----------------------------------------------------------------------------
# The world: a 2025 term led by "own" (deputy "third", member "other"). The pact is signed, the
# year-end period open today; the rows are about "own"'s draft self-assessment. Everything is made
# in the URL function (called before the matrix counts audit rows), and kept on the world.


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _period(w):
    def make():
        signed_pact(w.term, title="Giao ước tự chấm")
        return review_period(w.term)

    return _cached(w, "assessment_period", make)


def _own(w):
    return _cached(w, "assessment_own", lambda: open_assessment(_period(w), w.own))


def _complete(w):
    return _cached(w, "assessment_complete", lambda: fill(_own(w)))


def _line(w):
    return _own(w).items.order_by("id").first()


def _evidence(w):
    return _cached(
        w,
        "assessment_evidence",
        lambda: services.evidence_add(actor=None, item=_line(w), upload=good_upload()),
    )


def _empty(w):
    return {}


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    """(UI rows, API rows) for the self-assessment endpoints."""
    readers = managers | {"viewer", "officer_own", "leader_own"}
    staff = {"officer_own", "leader_own"}
    leader = {"leader_own"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def page(w):
        return f"/review-periods/{_period(w).pk}/units/{w.own.pk}/assessment/"

    ui = [
        row("emulation:assessment", "GET", page, readers),
        row(
            "emulation:assessment_line",
            "GET",
            lambda w: f"/assessment-lines/{_line(w).pk}/",
            readers,
            ok=302,
        ),
        row(
            "emulation:assessment_line",
            "POST",
            lambda w: f"/assessment-lines/{_line(w).pk}/",
            staff,
            data=lambda w: {"points": "7,5", "explanation": "Đã hoàn thành", "version": "0"},
            ok=302,
        ),
        row(
            "emulation:evidence_upload",
            "POST",
            lambda w: f"/assessment-lines/{_line(w).pk}/evidence/",
            staff,
            data=lambda w: {"file": good_upload("to-trinh.docx")},
            ok=302,
        ),
        row(
            "emulation:evidence_download", "GET", lambda w: f"/evidence/{_evidence(w).pk}/", readers
        ),
        row(
            "emulation:evidence_delete",
            "POST",
            lambda w: f"/evidence/{_evidence(w).pk}/delete/",
            staff,
            data=_empty,
            ok=302,
        ),
        row(
            "emulation:assessment_indicators",
            "POST",
            lambda w: f"/assessments/{_own(w).pk}/indicators/",
            staff,
            data=lambda w: {"value_good_practices": "3", "note_good_practices": "Mô hình"},
            ok=302,
        ),
        row(
            "emulation:assessment_submit",
            "POST",
            lambda w: f"/assessments/{_complete(w).pk}/submit/",
            leader,
            data=_empty,
            ok=302,
        ),
    ]

    def api_a(w, tail="", assessment=None):
        return f"/api/assessments/{(assessment or _own(w)).pk}/{tail}"

    api = [
        row("assessment-list", "GET", lambda w: f"/api/assessments/?period={_period(w).pk}", read),
        row(
            "assessment-list",
            "POST",
            lambda w: (_period(w), "/api/assessments/")[1],
            staff,
            data=lambda w: {"period": _period(w).pk, "unit": w.own.pk},
            ok=201,
        ),
        row("assessment-detail", "GET", lambda w: api_a(w), readers),
        row(
            "assessment-submit",
            "POST",
            lambda w: api_a(w, "submit/", _complete(w)),
            leader,
            data=_empty,
        ),
        row(
            "assessment-indicators",
            "POST",
            lambda w: api_a(w, "indicators/"),
            staff,
            data=lambda w: {"values": [{"indicator": "good_practices", "value": "3"}]},
        ),
        row("assessment-item-list", "GET", lambda w: api_a(w, "items/"), readers),
        row("assessment-item-detail", "GET", lambda w: api_a(w, f"items/{_line(w).pk}/"), readers),
        row(
            "assessment-item-detail",
            "PATCH",
            lambda w: api_a(w, f"items/{_line(w).pk}/"),
            staff,
            data=lambda w: {"version": 0, "points": "2.25", "explanation": "Có minh chứng"},
        ),
        row("assessment-evidence-list", "GET", lambda w: api_a(w, "evidence/"), readers),
        row(
            "assessment-evidence-list",
            "POST",
            lambda w: (_line(w), api_a(w, "evidence/"))[1],
            staff,
            data=lambda w: {
                "item": _line(w).pk,
                "file_name": "bao-cao.pdf",
                "content_base64": base64.b64encode(pdf_bytes()).decode(),
            },
            ok=201,
        ),
        row(
            "assessment-evidence-detail",
            "GET",
            lambda w: api_a(w, f"evidence/{_evidence(w).pk}/"),
            readers,
        ),
        row(
            "assessment-evidence-detail",
            "DELETE",
            lambda w: api_a(w, f"evidence/{_evidence(w).pk}/"),
            staff,
            data=_empty,
            ok=204,
        ),
        row(
            "assessment-evidence-download",
            "GET",
            lambda w: api_a(w, f"evidence/{_evidence(w).pk}/download/"),
            readers,
        ),
    ]
    return ui, api
