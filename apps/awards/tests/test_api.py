"""The awards API end to end: the cluster's file generated from the vote, returned with a comment
per candidate, sent again, passed, decided and issued; each refusal a 400 with the reason in
Vietnamese; the catalog priced on a date; rules, quotas and the history through a merger."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.awards.models import AwardRecord, AwardRule
from apps.emulation.demo_year import year_end_records_import

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def year(demo):
    year_end_records_import(actor=None, term=demo.terms[2025])
    return demo


def test_the_whole_workflow_over_the_api(year):
    secretariat = _api(year.users["phutho.chuyenvien"])
    leader = _api(year.users["phutho.lanhdao"])
    central = _api(year.users["tw.chuyenvien"])

    made = secretariat.post(
        "/api/award-proposals/from-term/", {"term": year.terms[2025].pk}, format="json"
    )
    assert made.status_code == 201, made.data
    pk = made.data["id"]
    first = made.data["candidates"][0]
    assert first["candidate"]["votes"] == 8 and first["candidate"]["electorate"] == 9
    leads = next(v for v in first["verdicts"] if v["kind"] == "leads_cluster")
    assert leads["outcome"] == "pass" and "phiếu suy tôn 8/9" in leads["reason"]
    assert "152/2025" in leads["source"]

    assert secretariat.post(f"/api/award-proposals/{pk}/submit/").status_code == 403
    assert leader.post(f"/api/award-proposals/{pk}/submit/").data["state"] == "submitted"
    refused = leader.patch(f"/api/award-proposals/{pk}/", {"chair": "X"}, format="json")
    assert refused.status_code == 400 and "chỉ sửa được khi còn là bản nháp" in str(refused.data)
    assert central.post(f"/api/award-proposals/{pk}/receive/").data["state"] == "received"
    assert central.post(f"/api/award-proposals/{pk}/review/").data["state"] == "under_review"
    candidate = first["candidate"]["id"]
    returned = central.post(
        f"/api/award-proposals/{pk}/return/",
        {"comments": {str(candidate): "Bổ sung biên bản có chữ ký"}},
        format="json",
    )
    assert returned.data["state"] == "returned"
    assert returned.data["candidates"][0]["candidate"]["review_comment"] == (
        "Bổ sung biên bản có chữ ký"
    )
    fixed = secretariat.patch(
        f"/api/award-proposals/{pk}/", {"chair": "Nguyễn Văn Minh"}, format="json"
    )
    assert fixed.status_code == 200 and fixed.data["chair"] == "Nguyễn Văn Minh"
    assert leader.post(f"/api/award-proposals/{pk}/submit/").data["state"] == "submitted"
    central.post(f"/api/award-proposals/{pk}/receive/")
    central.post(f"/api/award-proposals/{pk}/review/")
    passed = central.post(
        f"/api/award-proposals/{pk}/pass/",
        {"outcomes": {str(candidate): {"outcome": "accepted"}}},
        format="json",
    )
    assert passed.data["state"] == "passed"
    decided = central.post(
        f"/api/award-proposals/{pk}/decide/",
        {
            "number": "1234-QĐ/BTCTW",
            "signed_on": timezone.localdate().isoformat(),
            "signer": "Lê Minh Hưng",
            "issuing_body": "Ban Tổ chức Trung ương",
        },
        format="json",
    )
    assert decided.data["state"] == "decided"
    record = decided.data["decision"]["records"][0]
    assert (record["name"], record["prize_amount"]) == ("Ban Tổ chức Tỉnh ủy Phú Thọ", 18_720_000)
    issued = central.post(f"/api/award-proposals/{pk}/issue/")
    assert issued.data["state"] == "issued"
    assert issued.data["decision"]["records"][0]["certificate_number"] == "1234-QĐ/BTCTW/01"
    steps = [e["action"] for e in issued.data["events"]]
    assert steps == [
        "submit",
        "receive",
        "review",
        "return",
        "submit",
        "receive",
        "review",
        "pass",
        "decide",
        "issue",
    ]


def test_refusals_are_400_with_the_reason(year):
    central = _api(year.users["tw.chuyenvien"])
    secretariat = _api(year.users["phutho.chuyenvien"])
    made = secretariat.post(
        "/api/award-proposals/from-term/", {"term": year.terms[2025].pk}, format="json"
    )
    pk = made.data["id"]
    wrong_state = central.post(f"/api/award-proposals/{pk}/receive/")
    assert wrong_state.status_code == 400
    assert "không thể tiếp nhận" in str(wrong_state.data)
    twice = secretariat.post(
        "/api/award-proposals/from-term/", {"term": year.terms[2025].pk}, format="json"
    )
    assert twice.status_code == 400 and "Đã có hồ sơ" in str(twice.data)
    bad = secretariat.post(
        f"/api/award-proposals/{pk}/candidates/",
        {
            "award_type": "chien-si-thi-dua-co-so",
            "votes": 10,
            "electorate": 9,
            "person_name": "Lê Văn Tám",
        },
        format="json",
    )
    assert bad.status_code == 400 and "không thể vượt" in str(bad.data)
    foreign = _api(year.users["caobang.lanhdao"]).get(f"/api/award-proposals/{pk}/")
    assert foreign.status_code == 403


def test_catalog_priced_on_a_date(demo):
    client = _api(demo.users["xem"])
    before = {r["code"]: r for r in client.get("/api/award-types/?on=2024-06-30").data}
    after = {r["code"]: r for r in client.get("/api/award-types/?on=2024-07-01").data}
    assert before["lao-dong-tien-tien"]["prize_amount"] == 540_000  # 0,3 × 1.800.000
    assert after["lao-dong-tien-tien"]["prize_amount"] == 710_000  # 702.000 rounded up
    assert after["giay-khen-ca-nhan"]["prize_amount"] is None
    assert client.get("/api/award-types/?on=05-12-2025").status_code == 400


def test_rules_and_quotas_over_the_api(demo):
    viewer = _api(demo.users["xem"])
    central = _api(demo.users["tw.chuyenvien"])
    in_force = viewer.get("/api/award-rules/?on=2025-07-01&award=co-thi-dua-tinh").data
    assert {r["kind"] for r in in_force} >= {"leads_cluster", "no_pending_case"}
    payload = {
        "award_type": "co-thi-dua-tinh",
        "kind": "quota",
        "valid_from": "2030-01-01",
        "source": "Nghị định mới",
    }
    assert viewer.post("/api/award-rules/", payload, format="json").status_code == 403
    created = central.post("/api/award-rules/", payload, format="json")
    assert created.status_code == 201 and created.data["valid_to"] is None
    assert AwardRule.objects.get(pk=created.data["id"]).source == "Nghị định mới"
    backdated = central.post(
        "/api/award-rules/", {**payload, "valid_from": "2029-01-01"}, format="json"
    )
    assert backdated.status_code == 400 and "valid_from" in backdated.data
    quota = central.post(
        "/api/award-quotas/",
        {
            "receiver": demo.sector.head_unit.pk,
            "year": 2025,
            "award_type": "co-thi-dua-tinh",
            "count": 5,
            "source": "Công văn",
        },
        format="json",
    )
    assert quota.status_code == 200 and quota.data["count"] == 5
    assert viewer.get("/api/award-quotas/?year=2025").data[0]["count"] == 5


def test_history_over_the_api_follows_the_merger(demo):
    central = _api(demo.users["tw.chuyenvien"])
    created = central.post(
        "/api/award-records/",
        {
            "award_type": "tap-the-lao-dong-xuat-sac",
            "year": 2024,
            "unit": demo.old["Vĩnh Phúc"].pk,
            "source": "Sổ khen thưởng 2024",
        },
        format="json",
    )
    assert created.status_code == 201
    rows = central.get(f"/api/award-records/?unit={demo.units['Phú Thọ'].pk}").data["results"]
    assert [r["id"] for r in rows] == [created.data["id"]]
    assert central.get("/api/award-records/").status_code == 400
    missing = central.post(
        "/api/award-records/",
        {"award_type": "tap-the-lao-dong-xuat-sac", "year": 2024},
        format="json",
    )
    assert missing.status_code == 400 and "unit" in missing.data
    assert AwardRecord.objects.count() == 1
