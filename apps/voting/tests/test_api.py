"""The ballot API (``/api/ballots/``) with token authentication: the same services and
permissions as the pages, answers in Vietnamese, and nothing in any answer that links a unit to
its choice."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.voting.choices import BallotState
from apps.voting.models import Ballot, BallotPaper, VoterRecord
from apps.voting.tests.conftest import QUESTION, candidate, open_ballot

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_secretariat_creates_opens_and_the_leaders_vote(electorate):
    e = electorate
    secretary = api(e.secretary)
    names = ("Phú Thọ", "Cao Bằng", "Lào Cai")
    response = secretary.post(
        "/api/ballots/",
        {
            "term": e.term.pk,
            "question": QUESTION,
            "candidates": [e.units[n].pk for n in names],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == BallotState.DRAFT and len(body["candidates"]) == 3
    ballot_id = body["id"]
    assert secretary.post(f"/api/ballots/{ballot_id}/open/").json()["state"] == "open"

    ballot = Ballot.objects.get(pk=ballot_id)
    choice = candidate(ballot, "Phú Thọ").pk
    receipts = set()
    for voter in ("Lào Cai", "Sơn La", "Hà Nội"):
        cast = api(e.leader_of(voter)).post(
            f"/api/ballots/{ballot_id}/cast/", {"choices": [choice]}, format="json"
        )
        assert cast.status_code == 201, cast.content
        assert cast["Cache-Control"] == "no-store"
        assert set(cast.json()) == {"receipt"}
        receipts.add(cast.json()["receipt"])
    assert len(receipts) == 3
    listing = secretary.get("/api/ballots/", {"term": e.term.pk}).json()
    assert [(b["id"], b["votes_cast"]) for b in listing] == [(ballot_id, 3)]

    # Results are not available while voting is open, not even to the secretariat.
    early = secretary.get(f"/api/ballots/{ballot_id}/results/")
    assert early.status_code in (400, 403)

    assert secretary.post(f"/api/ballots/{ballot_id}/close/").json()["state"] == "closed"
    tally = secretary.get(f"/api/ballots/{ballot_id}/results/").json()
    assert (tally["votes_cast"], tally["electorate_size"]) == (3, 9)
    assert tally["quorum_met"] is False  # 3 of 9 is not more than half
    assert secretary.post(f"/api/ballots/{ballot_id}/publish/").json()["state"] == "published"

    member = api(e.leader_of("Sơn La"))
    papers = member.get(f"/api/ballots/{ballot_id}/papers/").json()
    assert {p["receipt"] for p in papers} == receipts
    assert all(p["choices"] == [choice] for p in papers)
    assert all(set(p) == {"receipt", "choices"} for p in papers)
    some = next(iter(receipts))
    assert member.get(f"/api/ballots/{ballot_id}/receipt/", {"code": some}).status_code == 200
    missing = member.get(f"/api/ballots/{ballot_id}/receipt/", {"code": "KHONG-CO"})
    assert (
        missing.status_code == 404
        and missing.json()["detail"] == "Không có phiếu nào mang mã biên nhận này."
    )


def test_bad_input_is_answered_in_vietnamese_and_writes_nothing(electorate):
    e = electorate
    secretary = api(e.secretary)
    response = secretary.post(
        "/api/ballots/",
        {"term": e.term.pk, "question": QUESTION, "candidates": [], "max_choices": 0},
        format="json",
    )
    assert response.status_code == 400
    assert "max_choices" in response.json()
    response = secretary.post(
        "/api/ballots/",
        {
            "term": e.term.pk,
            "question": QUESTION,
            "candidates": [e.units["Cao Bằng"].pk],
            "max_choices": 2,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Số lựa chọn tối đa (2) không được nhiều hơn số ứng viên (1)." in str(response.json())
    assert not Ballot.objects.exists()
    assert secretary.get("/api/ballots/", {"term": "x"}).status_code == 400


def test_a_second_vote_and_too_many_choices_are_refused(electorate):
    e = electorate
    ballot = open_ballot(e)
    voter = api(e.leader_of("Cao Bằng"))
    url = f"/api/ballots/{ballot.pk}/cast/"
    two = [candidate(ballot, "Phú Thọ").pk, candidate(ballot, "Lào Cai").pk]
    response = voter.post(url, {"choices": two}, format="json")
    assert response.status_code == 400
    assert "Chỉ được chọn tối đa 1 ứng viên; bạn đã chọn 2." in str(response.json())
    assert voter.post(url, {"choices": two[:1]}, format="json").status_code == 201
    again = voter.post(url, {"choices": two[:1]}, format="json")
    assert again.status_code == 400
    assert "Cao Bằng đã bỏ phiếu trong cuộc bỏ phiếu này." in str(again.json())
    assert VoterRecord.objects.filter(ballot=ballot).count() == 1
    assert BallotPaper.objects.filter(ballot=ballot).count() == 1


def test_who_may_do_what(demo, electorate):
    e = electorate
    ballot = open_ballot(e)
    url = f"/api/ballots/{ballot.pk}/cast/"
    choice = [candidate(ballot, "Phú Thọ").pk]
    assert api().post(url, {"choices": choice}, format="json").status_code == 401
    officer = api(demo.users["caobang.chuyenvien"])
    assert officer.post(url, {"choices": choice}, format="json").status_code == 403
    member = api(e.leader_of("Lào Cai"))
    assert member.post(f"/api/ballots/{ballot.pk}/close/").status_code == 403
    response = member.post(
        "/api/ballots/",
        {"term": e.term.pk, "question": QUESTION, "candidates": [e.units["Lào Cai"].pk]},
        format="json",
    )
    assert response.status_code == 403
    assert not VoterRecord.objects.exists()
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN


def test_a_vote_per_delegate_through_the_api(demo, electorate):
    e = electorate
    officer = demo.users["caobang.chuyenvien"]
    secretary = api(e.secretary)
    response = secretary.post(
        "/api/ballots/",
        {
            "term": e.term.pk,
            "question": QUESTION,
            "candidates": [e.units["Phú Thọ"].pk, e.units["Lào Cai"].pk],
            "electorate_kind": "delegate",
            "delegates": [officer.pk, e.leader_of("Sơn La").pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {d["name"] for d in body["delegates"]} == {
        "Nông Thị Mai",
        e.leader_of("Sơn La").get_full_name(),
    }
    opened = secretary.post(f"/api/ballots/{body['id']}/open/").json()
    assert opened["electorate_size"] == 2
    ballot = Ballot.objects.get(pk=body["id"])
    choice = [candidate(ballot, "Lào Cai").pk]
    url = f"/api/ballots/{ballot.pk}/cast/"
    assert api(officer).post(url, {"choices": choice}, format="json").status_code == 201
    outsider = api(e.leader_of("Hà Nội")).post(url, {"choices": choice}, format="json")
    assert outsider.status_code == 403
    assert "Chỉ những đại biểu có tên" in outsider.json()["detail"]
    bad = secretary.post(
        "/api/ballots/",
        {
            "term": e.term.pk,
            "question": QUESTION,
            "candidates": [e.units["Phú Thọ"].pk],
            "electorate_kind": "delegate",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "Bỏ phiếu theo đại biểu cần có danh sách đại biểu." in str(bad.json())
