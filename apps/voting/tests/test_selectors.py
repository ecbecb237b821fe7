"""Tally, the published list of receipts, verification by a voter and a recount by anyone."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from apps.voting import services
from apps.voting.selectors import (
    ballot_has_voted,
    ballot_list,
    ballot_published_papers,
    ballot_receipt_check,
    ballot_tally,
    ballot_voters,
    normalize_receipt,
)
from apps.voting.tests.conftest import QUESTION, cast_many, make_ballot, open_ballot

pytestmark = pytest.mark.django_db

# 8 of 9 units vote; two choices allowed; Sơn La casts a blank paper; Lai Châu stays away.
VOTES = {
    "Hà Nội": ["Phú Thọ", "Lào Cai"],
    "Thái Nguyên": ["Phú Thọ", "Lào Cai"],
    "Tuyên Quang": ["Phú Thọ", "Cao Bằng"],
    "Cao Bằng": ["Phú Thọ", "Lào Cai"],
    "Sơn La": [],
    "Điện Biên": ["Phú Thọ", "Lào Cai"],
    "Lào Cai": ["Phú Thọ", "Cao Bằng"],
    "Phú Thọ": ["Phú Thọ", "Lào Cai"],
}


@pytest.fixture
def voted(electorate):
    ballot = open_ballot(electorate, max_choices=2)
    receipts = cast_many(electorate, ballot, VOTES)
    return ballot, receipts


def _close(electorate, ballot):
    return services.ballot_close(actor=electorate.secretary, ballot=ballot)


def _publish(electorate, ballot):
    return services.ballot_publish(actor=electorate.secretary, ballot=_close(electorate, ballot))


def test_tally_gives_the_minutes_everything(electorate, voted):
    ballot, _receipts = voted
    tally = ballot_tally(ballot=_close(electorate, ballot))
    assert tally.question == QUESTION and tally.term == electorate.term
    assert tally.opened_at and tally.closed_at and tally.published_at is None
    assert (tally.electorate_size, tally.votes_cast, tally.turnout_fraction) == (9, 8, "8/9")
    assert (tally.valid, tally.invalid, tally.blank) == (8, 0, 1)
    assert (tally.quorum_votes, tally.quorum_met, tally.threshold_votes) == (5, True, 5)
    rows = [
        (c.position, c.unit.short_name, c.votes, c.fraction, c.passed) for c in tally.candidates
    ]
    assert rows == [
        (1, "Phú Thọ", 7, "7/9", True),
        (2, "Cao Bằng", 2, "2/9", False),
        (3, "Lào Cai", 5, "5/9", True),
    ]
    assert str(tally.candidates[0].percent) == "77.78"
    assert [c.unit.short_name for c in tally.elected] == ["Phú Thọ", "Lào Cai"]


@pytest.mark.parametrize("state", ["draft", "open"])
def test_no_count_before_the_close(electorate, state):
    ballot = make_ballot(electorate) if state == "draft" else open_ballot(electorate)
    with pytest.raises(ValidationError):
        ballot_tally(ballot=ballot)


def test_published_list_only_after_publication(electorate, voted):
    ballot, _receipts = voted
    with pytest.raises(ValidationError):
        ballot_published_papers(ballot=ballot)
    ballot = _close(electorate, ballot)
    with pytest.raises(ValidationError):
        ballot_published_papers(ballot=ballot)
    with pytest.raises(ValidationError):
        ballot_receipt_check(ballot=ballot, receipt="AAAA-BBBB-CCCC")


def test_every_voter_finds_their_own_paper(electorate, voted):
    ballot, receipts = voted
    ballot = _publish(electorate, ballot)
    for voter, chosen in VOTES.items():
        paper = ballot_receipt_check(ballot=ballot, receipt=receipts[voter])
        assert paper is not None
        assert sorted(c.unit.short_name for c in paper.choices) == sorted(chosen)
    typed = receipts["Hà Nội"].lower().replace("-", " ")
    assert ballot_receipt_check(ballot=ballot, receipt=typed).receipt == receipts["Hà Nội"]
    assert ballot_receipt_check(ballot=ballot, receipt="2222-2222-2222") is None


def test_recount_from_the_published_list_equals_the_tally(electorate, voted):
    ballot, receipts = voted
    ballot = _publish(electorate, ballot)
    papers = ballot_published_papers(ballot=ballot)
    assert [p.receipt for p in papers] == sorted(receipts.values())
    recount = Counter(c.unit.short_name for p in papers for c in p.choices)
    tally = ballot_tally(ballot=ballot)
    assert tally.published_at is not None
    assert {c.unit.short_name: c.votes for c in tally.candidates} == {
        "Phú Thọ": recount["Phú Thọ"],
        "Cao Bằng": recount["Cao Bằng"],
        "Lào Cai": recount["Lào Cai"],
    }
    assert len(papers) == tally.votes_cast


def test_turnout_lists_who_voted_never_what(electorate, voted):
    ballot, _receipts = voted
    voters = ballot_voters(ballot=ballot)
    assert sorted(r.unit.short_name for r in voters) == sorted(VOTES)
    assert ballot_has_voted(ballot=ballot, user=electorate.leader_of("Hà Nội"))
    assert not ballot_has_voted(ballot=ballot, user=electorate.leader_of("Lai Châu"))


def test_drafts_are_listed_only_for_the_secretariat(electorate, demo):
    draft = make_ballot(electorate)
    opened = open_ballot(electorate)
    assert set(ballot_list(user=electorate.secretary, term=electorate.term)) == {draft, opened}
    assert set(ballot_list(user=demo.users["tw.chuyenvien"], term=electorate.term)) == {
        draft,
        opened,
    }
    assert list(ballot_list(user=demo.users["caobang.lanhdao"], term=electorate.term)) == [opened]


def test_normalize_receipt():
    assert normalize_receipt(" k7qx m3ht-9rwb ") == "K7QX-M3HT-9RWB"
