"""One call per fund service for ``test_audit``, and the permission-matrix rows of the fund's
pages and API (``test_permission_matrix``: a 2025 term led by "own", deputy "third")."""

import base64
import datetime as dt

from apps.emulation.tests.assessment_files import pdf_bytes
from apps.funds import services
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

DAY = dt.date(2025, 6, 1)


def _term():
    units = [UnitFactory(), UnitFactory()]
    return org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )


def _funded(term=None, amount=100_000_000):
    term = term or _term()
    unit = term.member_units[0]
    return services.fund_contribution_add(
        actor=None, term=term, unit=unit, amount=amount, occurred_on=DAY
    )


def _paid(term=None):
    entry = _funded(term)
    return services.fund_disbursement_add(
        actor=None,
        term=entry.term,
        unit=entry.term.member_units[1],
        amount=70_000_000,
        occurred_on=DAY,
        purpose="Hỗ trợ xây nhà tình nghĩa",
    )


def audit_scenarios() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    prefix = "apps.funds.services."
    return {
        prefix + "fund_contribution_add": lambda a: services.fund_contribution_add(
            actor=a, term=(t := _term()), unit=t.member_units[0], amount=5, occurred_on=DAY
        ),
        prefix + "fund_disbursement_add": lambda a: services.fund_disbursement_add(
            actor=a,
            term=(e := _funded()).term,
            unit=e.unit,
            amount=5,
            occurred_on=DAY,
            purpose="Hỗ trợ",
        ),
        prefix + "fund_entry_reverse": lambda a: services.fund_entry_reverse(
            actor=a, entry=_funded(), reason="Ghi nhầm"
        ),
        prefix + "fund_handover_record": lambda a: services.fund_handover_record(
            actor=a, entry=_paid(), handed_over_on=DAY + dt.timedelta(days=30)
        ),
        prefix + "fund_attachment_add": lambda a: services.fund_attachment_add(
            actor=a, entry=_funded(), upload=SimpleUploadedFile("giay-bao-co.pdf", pdf_bytes())
        ),
    }


# --- permission matrix ---------------------------------------------------------------------------


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _entry(w):
    return _cached(w, "fund_entry", lambda: _funded(w.term, amount=500_000_000))


def _fresh_contribution(w):
    """An entry to reverse (each matrix case has a world of its own; made before the call)."""
    return _cached(w, "fund_reversible", lambda: _funded(w.term, amount=1_000_000))


def _disbursement(w):
    def make():
        _entry(w)
        return services.fund_disbursement_add(
            actor=None,
            term=w.term,
            unit=w.other,
            amount=1_000_000,
            occurred_on=DAY,
            purpose="Hỗ trợ xây nhà tình nghĩa",
        )

    return _cached(w, "fund_disbursement", make)


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    keep = managers | {"officer_own", "leader_own"}  # the term's secretariat ("own" leads)

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def fund(w, tail=""):
        return f"/terms/{w.term.pk}/fund/{tail}"

    entry_form = lambda w: {  # noqa: E731
        "unit": w.other.pk,
        "amount": "1.000.000",
        "occurred_on": "2025-06-01",
        "purpose": "Đóng góp",
        "beneficiary": "Đồng chí A",
    }
    ui = [
        row("funds:ledger", "GET", lambda w: (_entry(w), fund(w))[1], read),
        row("funds:ledger_export", "GET", lambda w: (_entry(w), fund(w, "export/"))[1], read),
        row("funds:contribution_create", "GET", lambda w: fund(w, "contributions/new/"), keep),
        row(
            "funds:contribution_create",
            "POST",
            lambda w: fund(w, "contributions/new/"),
            keep,
            data=entry_form,
            ok=302,
        ),
        row("funds:disbursement_create", "GET", lambda w: fund(w, "disbursements/new/"), keep),
        row(
            "funds:disbursement_create",
            "POST",
            lambda w: (_entry(w), fund(w, "disbursements/new/"))[1],
            keep,
            data=entry_form,
            ok=302,
        ),
        row(
            "funds:entry_reverse",
            "GET",
            lambda w: f"/fund-entries/{_entry(w).pk}/reverse/",
            keep,
        ),
        row(
            "funds:entry_reverse",
            "POST",
            lambda w: f"/fund-entries/{_fresh_contribution(w).pk}/reverse/",
            keep,
            data=lambda w: {"reason": "Ghi nhầm số tiền"},
            ok=302,
        ),
        row(
            "funds:entry_handover",
            "GET",
            lambda w: f"/fund-entries/{_disbursement(w).pk}/handover/",
            keep,
        ),
        row(
            "funds:entry_handover",
            "POST",
            lambda w: f"/fund-entries/{_disbursement(w).pk}/handover/",
            keep,
            data=lambda w: {"handed_over_on": "2025-07-01", "note": ""},
            ok=302,
        ),
        row(
            "funds:attachment_upload",
            "POST",
            lambda w: f"/fund-entries/{_entry(w).pk}/attachments/",
            keep,
            data=lambda w: {"kind": "receipt", "file": _pdf_upload()},
            ok=302,
        ),
        row(
            "funds:attachment_download",
            "GET",
            lambda w: f"/fund-attachments/{_attachment(w).pk}/",
            read,
        ),
    ]
    api_form = lambda w: {  # noqa: E731
        "term": w.term.pk,
        "kind": "contribution",
        "unit": w.other.pk,
        "amount": 1_000_000,
        "occurred_on": "2025-06-01",
    }
    api = [
        row(
            "fund-entry-list",
            "GET",
            lambda w: (_entry(w), f"/api/fund-entries/?term={w.term.pk}")[1],
            read,
        ),
        row("fund-entry-list", "POST", lambda w: "/api/fund-entries/", keep, data=api_form, ok=201),
        row("fund-entry-detail", "GET", lambda w: f"/api/fund-entries/{_entry(w).pk}/", read),
        row(
            "fund-entry-reverse",
            "POST",
            lambda w: f"/api/fund-entries/{_fresh_contribution(w).pk}/reverse/",
            keep,
            data=lambda w: {"reason": "Ghi nhầm"},
            ok=201,
        ),
        row(
            "fund-entry-handover",
            "POST",
            lambda w: f"/api/fund-entries/{_disbursement(w).pk}/handover/",
            keep,
            data=lambda w: {"handed_over_on": "2025-07-01"},
        ),
        row(
            "fund-entry-attachments",
            "POST",
            lambda w: f"/api/fund-entries/{_entry(w).pk}/attachments/",
            keep,
            data=lambda w: {
                "file_name": "giay-bao-co.pdf",
                "content_base64": base64.b64encode(pdf_bytes()).decode(),
            },
            ok=201,
        ),
    ]
    return ui, api


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("giay-bao-co.pdf", pdf_bytes(), content_type="application/pdf")


def _attachment(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return _cached(
        w,
        "fund_attachment",
        lambda: services.fund_attachment_add(
            actor=None, entry=_entry(w), upload=SimpleUploadedFile("phieu-thu.pdf", pdf_bytes())
        ),
    )
