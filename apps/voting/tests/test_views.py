"""The ballot pages through the HTTP client: preparing a ballot (from the published ranking),
the two-step cast with its receipt, refusals with their Vietnamese reasons, results and the
published papers. Permissions per role are in ``test_permission_matrix``; secrecy in
``test_secrecy``."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.voting import selectors, services
from apps.voting.choices import BallotState
from apps.voting.models import Ballot, BallotPaper, VoterRecord
from apps.voting.tests.conftest import QUESTION, candidate, cast_many, make_ballot, open_ballot

pytestmark = pytest.mark.django_db

SETTINGS = {
    "max_choices": "1",
    "electorate_kind": "unit",
    "quorum_numerator": "1",
    "quorum_denominator": "2",
    "quorum_strict": "on",
    "threshold_numerator": "1",
    "threshold_denominator": "2",
    "threshold_strict": "on",
}


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_secretariat_creates_a_draft_ballot_from_the_form(client, electorate):
    e = electorate
    client.force_login(e.secretary)
    url = reverse("voting:ballot_create", args=[e.term.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Cờ thi đua" in _text(page)  # the suggested question is Vietnamese
    ids = [e.units["Cao Bằng"].pk, e.units["Phú Thọ"].pk]
    response = client.post(url, {"question": QUESTION, "candidates": ids, **SETTINGS}, follow=True)
    ballot = Ballot.objects.get(term=e.term)
    assert response.redirect_chain[-1][0] == ballot.get_absolute_url()
    assert ballot.state == BallotState.DRAFT and ballot.question == QUESTION
    # Candidates in the list's Vietnamese order, whatever order they were ticked in.
    names = [c.unit.short_name for c in selectors.ballot_candidates(ballot=ballot)]
    assert names == ["Cao Bằng", "Phú Thọ"]
    assert AuditEvent.objects.filter(actor=e.secretary, action="ballot.create").exists()


def test_a_rejected_form_keeps_what_was_typed_and_saves_nothing(client, electorate):
    e = electorate
    client.force_login(e.secretary)
    url = reverse("voting:ballot_create", args=[e.term.pk])
    typed = "Câu hỏi đang soạn dở"
    one = [e.units["Cao Bằng"].pk]
    response = client.post(
        url, {"question": typed, "candidates": one, **SETTINGS, "max_choices": "3"}
    )
    assert response.status_code == 200
    text = _text(response)
    assert typed in text
    assert "Số lựa chọn tối đa (3) không được nhiều hơn số ứng viên (1)." in text
    assert not Ballot.objects.exists()
    response = client.post(url, {"question": typed, **SETTINGS})  # no candidate ticked
    assert response.status_code == 200 and typed in _text(response)
    assert not Ballot.objects.exists()


def test_candidates_can_be_prefilled_from_the_published_ranking(client, electorate):
    from apps.emulation import services as emulation
    from apps.emulation.tests.factories import review_period
    from apps.emulation.tests.scenarios_scoring import quick_fill, submit_assessment

    e = electorate
    period = review_period(e.term, panel=[e.units["Phú Thọ"], e.units["Hà Nội"]])
    pact = e.term.pacts.get()
    for unit in e.units.values():
        submit_assessment(period, unit, pact)
    bias = {"Lào Cai": Decimal("1"), "Sơn La": Decimal("0.9")}

    def points(scorer, target, criterion):
        share = bias.get(target.short_name, Decimal("0.5"))
        return (criterion.max_points * share * 2).quantize(Decimal(1)) / 2

    quick_fill(period, points)
    emulation.ranking_publish(actor=e.secretary, period=period)
    client.force_login(e.secretary)
    page = client.get(reverse("voting:ballot_create", args=[e.term.pk]) + "?top=2")
    assert page.status_code == 200
    checked = set(page.context["form"].initial["candidates"])
    assert {u.short_name for u in checked} == {"Lào Cai", "Sơn La"}
    page = client.get(reverse("voting:ballot_create", args=[e.term.pk]) + "?top=all")
    assert len(page.context["form"].initial["candidates"]) == len(e.units)


def test_only_a_draft_can_be_edited(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    client.force_login(e.secretary)
    response = client.get(reverse("voting:ballot_edit", args=[ballot.pk]), follow=True)
    assert "Chỉ sửa được cuộc bỏ phiếu đang là bản nháp." in _messages(response)
    response = client.post(
        reverse("voting:ballot_edit", args=[ballot.pk]),
        {"question": "Câu hỏi khác", "candidates": [e.units["Hà Nội"].pk], **SETTINGS},
    )
    ballot.refresh_from_db()
    assert ballot.question == QUESTION


def test_a_member_leader_casts_in_two_steps_and_gets_a_receipt_once(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    voter = e.leader_of("Lào Cai")
    client.force_login(voter)
    detail = client.get(ballot.get_absolute_url())
    assert 'id="cast-form"' in _text(detail)
    choice = candidate(ballot, "Cao Bằng")
    cast_url = reverse("voting:ballot_cast", args=[ballot.pk])

    confirm = client.post(cast_url, {"choices": [choice.pk]})
    assert confirm.status_code == 200 and 'id="confirm-form"' in _text(confirm)
    assert "Cao Bằng" in _text(confirm)
    assert not VoterRecord.objects.filter(ballot=ballot).exists()  # nothing cast yet

    done = client.post(cast_url, {"choices": [choice.pk], "confirm": "on"})
    assert done.status_code == 200
    receipt = re.search(r'id="receipt">([^<]+)<', _text(done)).group(1).strip()
    assert BallotPaper.objects.filter(ballot=ballot, receipt=receipt).count() == 1
    assert done["Cache-Control"].startswith("max-age=0")  # never_cache: not kept by a proxy
    assert VoterRecord.objects.filter(ballot=ballot, unit=e.units["Lào Cai"]).count() == 1

    # The ballot page now says the unit has voted, shows no form and never the receipt again.
    again = client.get(ballot.get_absolute_url())
    assert 'id="already-voted"' in _text(again) and receipt not in _text(again)
    assert 'id="cast-form"' not in _text(again)

    # A second cast (e.g. a resubmitted form) is refused with the reason; still one paper.
    refused = client.post(cast_url, {"choices": [choice.pk], "confirm": "on"}, follow=True)
    assert "Lào Cai đã bỏ phiếu trong cuộc bỏ phiếu này." in " ".join(_messages(refused))
    assert BallotPaper.objects.filter(ballot=ballot).count() == 1


def test_too_many_choices_or_a_foreign_candidate_is_refused(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    client.force_login(e.leader_of("Sơn La"))
    cast_url = reverse("voting:ballot_cast", args=[ballot.pk])
    two = [candidate(ballot, "Cao Bằng").pk, candidate(ballot, "Phú Thọ").pk]
    response = client.post(cast_url, {"choices": two}, follow=True)
    assert any("Chỉ được chọn tối đa 1 ứng viên; bạn đã chọn 2." in m for m in _messages(response))
    response = client.post(cast_url, {"choices": two, "confirm": "on"}, follow=True)
    assert any("Chỉ được chọn tối đa 1 ứng viên; bạn đã chọn 2." in m for m in _messages(response))
    other = make_ballot(e, candidates=("Hà Nội",))
    foreign = other.candidates.get().pk
    response = client.post(cast_url, {"choices": [foreign], "confirm": "on"}, follow=True)
    assert _messages(response)
    assert not VoterRecord.objects.filter(ballot=ballot).exists()
    assert not BallotPaper.objects.filter(ballot=ballot).exists()


def test_a_blank_paper_is_a_vote(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    client.force_login(e.leader_of("Lào Cai"))
    cast_url = reverse("voting:ballot_cast", args=[ballot.pk])
    confirm = client.post(cast_url, {})
    assert "phiếu trắng" in _text(confirm)
    client.post(cast_url, {"confirm": "on"})
    paper = BallotPaper.objects.get(ballot=ballot)
    assert paper.choices == []


def test_an_officer_cannot_cast_and_a_closed_ballot_takes_no_vote(client, demo, electorate):
    e = electorate
    ballot = open_ballot(e)
    cast_url = reverse("voting:ballot_cast", args=[ballot.pk])
    choice = candidate(ballot, "Cao Bằng").pk
    client.force_login(demo.users["caobang.chuyenvien"])
    response = client.post(cast_url, {"choices": [choice], "confirm": "on"})
    assert response.status_code in (403, 404)
    services.ballot_close(actor=e.secretary, ballot=ballot)
    client.force_login(e.leader_of("Cao Bằng"))
    response = client.post(cast_url, {"choices": [choice], "confirm": "on"}, follow=True)
    assert response.status_code in (200, 403, 404)
    assert not VoterRecord.objects.filter(ballot=ballot).exists()


def test_the_open_ballot_shows_turnout_but_no_running_count(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    cast_many(e, ballot, {"Lào Cai": ["Cao Bằng"], "Sơn La": ["Cao Bằng"]})
    client.force_login(e.secretary)
    page = client.get(ballot.get_absolute_url())
    assert re.search(r'id="turnout">2/9<', _text(page))
    results = client.get(reverse("voting:ballot_results", args=[ballot.pk]), follow=True)
    assert "tally" not in (results.context or {})  # no result while voting is open
    assert _messages(results)


def test_results_then_published_papers_and_receipt_check(client, electorate):
    e = electorate
    ballot = open_ballot(e)
    votes = {
        name: ["Phú Thọ"] for name in ("Lào Cai", "Sơn La", "Cao Bằng", "Tuyên Quang", "Hà Nội")
    }
    votes["Điện Biên"] = ["Cao Bằng"]
    receipts = cast_many(e, ballot, votes)
    services.ballot_close(actor=e.secretary, ballot=ballot)

    # Closed: the secretariat sees the results, a member does not yet.
    client.force_login(e.leader_of("Lào Cai"))
    hidden = client.get(reverse("voting:ballot_results", args=[ballot.pk]))
    assert hidden.status_code in (403, 404)
    client.force_login(e.secretary)
    results = client.get(reverse("voting:ballot_results", args=[ballot.pk]))
    tally = results.context["tally"]
    assert (tally.votes_cast, tally.electorate_size) == (6, 9)
    by_name = {row.unit.short_name: row for row in tally.candidates}
    assert by_name["Phú Thọ"].votes == 5 and by_name["Phú Thọ"].passed  # 5/9 > 1/2
    assert by_name["Cao Bằng"].votes == 1 and not by_name["Cao Bằng"].passed
    assert "5/9" in _text(results)
    papers = client.get(reverse("voting:ballot_papers", args=[ballot.pk]), follow=True)
    assert "Danh sách lá phiếu được công bố cùng kết quả." in _messages(papers)

    services.ballot_publish(actor=e.secretary, ballot=ballot)
    client.force_login(e.leader_of("Điện Biên"))
    url = reverse("voting:ballot_papers", args=[ballot.pk])
    page = client.get(url)
    assert all(code in _text(page) for code in receipts.values())
    mine = client.get(url, {"receipt": receipts["Điện Biên"]})
    assert mine.context["found"] is not None
    assert [c.unit.short_name for c in mine.context["found"].choices] == ["Cao Bằng"]
    unknown = client.get(url, {"receipt": "KHONG-CO-MA"})
    assert unknown.context["found"] is None and unknown.context["checked"] == "KHONG-CO-MA"


def test_a_vote_per_delegate_from_the_form_to_a_delegates_receipt(client, demo, electorate):
    e = electorate
    officer = demo.users["caobang.chuyenvien"]
    client.force_login(e.secretary)
    url = reverse("voting:ballot_create", args=[e.term.pk])
    form = client.get(url).context["form"]
    offered = set(form.fields["delegates"].queryset)
    assert officer in offered and demo.users["xem"] not in offered  # officials of members only
    ids = [e.units["Phú Thọ"].pk, e.units["Cao Bằng"].pk]
    response = client.post(
        url,
        {
            "question": QUESTION,
            "candidates": ids,
            **SETTINGS,
            "electorate_kind": "delegate",
            "delegates": [officer.pk, e.leader_of("Cao Bằng").pk],
        },
        follow=True,
    )
    ballot = Ballot.objects.get(term=e.term)
    assert 'id="delegates"' in _text(response) and "Nông Thị Mai" in _text(response)
    services.ballot_open(actor=e.secretary, ballot=ballot)

    # The officer is a delegate: the to-do list and the cast form are theirs.
    client.force_login(officer)
    home = client.get(reverse("emulation:term_year", args=[e.term.pk]))
    assert ballot.get_absolute_url() in _text(home)
    page = client.get(ballot.get_absolute_url())
    assert 'id="cast-form"' in _text(page)
    choice = candidate(ballot, "Phú Thọ").pk
    done = client.post(
        reverse("voting:ballot_cast", args=[ballot.pk]), {"choices": [choice], "confirm": "on"}
    )
    assert 'id="receipt"' in _text(done)
    # A unit leader not on the list sees no form and may not vote.
    client.force_login(e.leader_of("Lào Cai"))
    assert 'id="cast-form"' not in _text(client.get(ballot.get_absolute_url()))
    refused = client.post(reverse("voting:ballot_cast", args=[ballot.pk]), {"choices": [choice]})
    assert refused.status_code == 403
    assert VoterRecord.objects.filter(ballot=ballot).count() == 1
    assert ballot.voter_records.get().delegate.user == officer
