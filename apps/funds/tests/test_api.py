"""The fund API with token authentication: ledger, create, reverse, handover, attachments; the
same rules and Vietnamese messages as the pages; no update or delete."""

import base64

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.emulation.tests.assessment_files import pdf_bytes
from apps.funds.models import FundEntry
from apps.funds.services import fund_balance

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_ledger_create_reverse_handover_attach(demo):
    term = demo.terms[2025]
    keeper = api(demo.users["phutho.chuyenvien"])
    ledger = api(demo.users["xem"]).get("/api/fund-entries/", {"term": term.pk}).json()
    assert ledger["balance"] == fund_balance(term) == ledger["contributed"] - ledger["disbursed"]
    assert ledger["lines"][-1]["balance"] == ledger["balance"]

    created = keeper.post(
        "/api/fund-entries/",
        {
            "term": term.pk,
            "kind": "disbursement",
            "unit": demo.units["Lai Châu"].pk,
            "amount": 5_000_000,
            "occurred_on": "2025-12-10",
            "purpose": "Hỗ trợ xây nhà",
            "beneficiary": "Đồng chí Lò Thị Hoa",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["effect"] == -5_000_000 and body["beneficiary"] == "Đồng chí Lò Thị Hoa"
    entry_id = body["id"]

    handed = keeper.post(
        f"/api/fund-entries/{entry_id}/handover/", {"handed_over_on": "2026-01-20"}, format="json"
    )
    assert handed.status_code == 200 and handed.json()["handed_over_on"] == "2026-01-20"

    attached = keeper.post(
        f"/api/fund-entries/{entry_id}/attachments/",
        {"file_name": "giay-bao-co.pdf", "content_base64": base64.b64encode(pdf_bytes()).decode()},
        format="json",
    )
    assert attached.status_code == 201 and attached.json()["name"] == "giay-bao-co.pdf"

    reversed_ = keeper.post(
        f"/api/fund-entries/{entry_id}/reverse/", {"reason": "Chuyển nhầm"}, format="json"
    )
    assert reversed_.status_code == 201 and reversed_.json()["reverses"] == entry_id
    detail = keeper.get(f"/api/fund-entries/{entry_id}/").json()
    assert detail["amount"] == 5_000_000 and len(detail["attachments"]) == 1


def test_refusals_are_vietnamese_and_write_nothing(demo):
    term = demo.terms[2025]
    keeper = api(demo.users["phutho.chuyenvien"])
    count = FundEntry.objects.count()
    over = keeper.post(
        "/api/fund-entries/",
        {
            "term": term.pk,
            "kind": "disbursement",
            "unit": demo.units["Lai Châu"].pk,
            "amount": fund_balance(term) + 1,
            "occurred_on": "2025-12-10",
            "purpose": "Hỗ trợ",
        },
        format="json",
    )
    assert over.status_code == 400 and "Quỹ hiện còn" in str(over.json())
    bad = keeper.post(
        "/api/fund-entries/",
        {"term": term.pk, "kind": "gift", "unit": 0, "amount": "nhiều", "occurred_on": "hôm qua"},
        format="json",
    )
    assert bad.status_code == 400 and {"kind", "unit", "amount", "occurred_on"} <= set(bad.json())
    assert FundEntry.objects.count() == count


def test_only_the_secretariat_and_central_record(demo):
    term = demo.terms[2025]
    payload = {
        "term": term.pk,
        "kind": "contribution",
        "unit": demo.units["Lai Châu"].pk,
        "amount": 1,
        "occurred_on": "2025-12-10",
    }
    assert api().post("/api/fund-entries/", payload, format="json").status_code == 401
    member = api(demo.users["caobang.lanhdao"])
    assert member.post("/api/fund-entries/", payload, format="json").status_code == 403
    central = api(demo.users["tw.chuyenvien"])
    assert central.post("/api/fund-entries/", payload, format="json").status_code == 201
    entry = FundEntry.objects.filter(term=term).first()
    assert member.post(f"/api/fund-entries/{entry.pk}/reverse/", {"reason": "x"}).status_code == 403
    # The ledger is append-only: no update, no delete.
    assert central.patch(f"/api/fund-entries/{entry.pk}/", {"amount": 2}).status_code == 405
    assert central.delete(f"/api/fund-entries/{entry.pk}/").status_code == 405
