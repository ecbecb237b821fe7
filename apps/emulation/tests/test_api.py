"""The pact API: same permissions as the pages, 400 (never 500) on bad input or wrong state."""

import pytest
from rest_framework.test import APIClient

from apps.emulation.choices import PactState
from apps.emulation.models import Pact

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo):
    def as_user(username):
        client = APIClient()
        client.force_authenticate(demo.users[username])
        return client

    return as_user


def _central(api, demo):
    return api(next(name for name, user in demo.users.items() if user.is_sector_manager))


def test_list_filters_by_term_and_retrieve_has_totals(api, demo):
    term = demo.terms[2025]
    response = api("xem").get(f"/api/pacts/?term={term.pk}")
    assert response.status_code == 200
    assert [row["version"] for row in response.data["results"]] == [1]
    assert api("xem").get(f"/api/pacts/?term={demo.terms[2026].pk}").data["results"] == []
    pact_id = response.data["results"][0]["id"]
    detail = api("xem").get(f"/api/pacts/{pact_id}/").data
    assert detail["state"] == "signed"
    assert detail["totals"] == {
        "criteria": "100.00",
        "bonus_cap": "5.00",
        "penalty_cap": "5.00",
        "criteria_count": 19,
    }
    assert len(detail["groups"]) == 8 and len(detail["signatures"]) == 9
    assert detail["missing_signatures"] == []


def test_full_cycle_through_the_api(api, demo):
    term = demo.terms[2026]
    secretariat = api("caobang.chuyenvien")
    response = secretariat.post("/api/pacts/", {"term": term.pk, "title": "Giao ước 2026"})
    assert response.status_code == 201
    pact_id = response.data["id"]
    base = f"/api/pacts/{pact_id}/"
    # Opening an empty pact is refused with a 400.
    assert secretariat.post(base + "open/").status_code == 400
    group = secretariat.post(base + "groups/", {"code": "I", "title": "Công tác cán bộ"})
    assert group.status_code == 201
    criterion = secretariat.post(
        base + "criteria/",
        {"group": group.data["id"], "title": "Quy hoạch", "max_points": "10", "kind": "criterion"},
    )
    assert criterion.status_code == 201
    bad = secretariat.post(
        base + "criteria/", {"group": group.data["id"], "title": "Sai", "max_points": "0"}
    )
    assert bad.status_code == 400
    assert secretariat.patch(base, {"tie_break": ["nonsense"]}).status_code == 400
    assert secretariat.post(base + "open/").data["state"] == "open_for_signing"
    # Locked content: 400, not 500.
    locked = secretariat.patch(base + f"criteria/{criterion.data['id']}/", {"max_points": "5"})
    assert locked.status_code == 400
    # A secretariat officer is no unit leader: 403 on signing.
    assert secretariat.post(base + "sign/").status_code == 403
    signed = api("caobang.lanhdao").post(base + "sign/")
    assert signed.status_code == 200
    assert [s["unit"]["short_name"] for s in signed.data["signatures"]] == ["Cao Bằng"]
    assert api("caobang.lanhdao").post(base + "sign/").status_code == 400
    assert api("phutho.lanhdao").post(base + "close/").status_code == 403


def test_copy_and_amend(api, demo):
    term = demo.terms[2026]
    client = _central(api, demo)
    copied = client.post("/api/pacts/copy-from-previous/", {"term": term.pk})
    assert copied.status_code == 201 and len(copied.data["groups"]) == 8
    again = client.post("/api/pacts/copy-from-previous/", {"term": term.pk})
    assert again.status_code == 400
    old = Pact.objects.get(term=demo.terms[2025])
    assert client.post(f"/api/pacts/{old.pk}/amend/", {}).status_code == 400
    amended = client.post(f"/api/pacts/{old.pk}/amend/", {"reason": "Bổ sung"})
    assert amended.status_code == 201 and amended.data["version"] == 2
    assert amended.data["supersedes"] == old.pk and amended.data["state"] == PactState.DRAFT


def test_nested_routes_do_not_cross_pacts(api, demo):
    old = Pact.objects.get(term=demo.terms[2025])
    client = _central(api, demo)
    draft = client.post("/api/pacts/copy-from-previous/", {"term": demo.terms[2026].pk}).data
    group_id = draft["groups"][0]["id"]
    response = client.patch(f"/api/pacts/{old.pk}/groups/{group_id}/", {"title": "x"})
    assert response.status_code == 404
    response = client.post(
        f"/api/pacts/{old.pk}/criteria/", {"group": group_id, "title": "x", "max_points": "1"}
    )
    assert response.status_code in {400, 403}
