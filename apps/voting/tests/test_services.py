"""Ballot services: every transition allowed and refused, casting rules, quorum and threshold."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.organizations.tests.factories import UnitFactory
from apps.voting import services
from apps.voting.choices import BallotState, ElectorateKind
from apps.voting.models import Ballot, BallotPaper, VoterRecord
from apps.voting.selectors import ballot_tally, minimum_votes
from apps.voting.tests.conftest import QUESTION, candidate, cast_many, make_ballot, open_ballot

pytestmark = pytest.mark.django_db

NINE = ["Hà Nội", "Thái Nguyên", "Tuyên Quang", "Cao Bằng", "Sơn La", "Điện Biên", "Lai Châu"]
NINE += ["Lào Cai", "Phú Thọ"]


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- create and update ---------------------------------------------------------------------------


def test_create_draft_with_candidates_in_order_and_defaults(electorate):
    ballot = make_ballot(electorate, candidates=("Lào Cai", "Phú Thọ"))
    assert ballot.state == BallotState.DRAFT
    assert ballot.question == QUESTION
    assert [(c.position, c.unit.short_name) for c in ballot.candidates.all()] == [
        (1, "Lào Cai"),
        (2, "Phú Thọ"),
    ]
    assert (ballot.max_choices, ballot.electorate_kind) == (1, ElectorateKind.UNIT)
    assert (ballot.quorum_numerator, ballot.quorum_denominator, ballot.quorum_strict) == (
        1,
        2,
        True,
    )
    assert (ballot.threshold_numerator, ballot.threshold_denominator) == (1, 2)
    event = AuditEvent.objects.get(action="ballot.create")
    assert event.actor == electorate.secretary
    assert event.after["candidates"] == ["Lào Cai", "Phú Thọ"]


def test_create_refuses_non_member_candidate_and_too_many_choices(electorate):
    outsider = UnitFactory(short_name="Ngoài cụm")
    with pytest.raises(ValidationError) as info:
        services.ballot_create(
            actor=electorate.secretary,
            term=electorate.term,
            question=QUESTION,
            candidates=[electorate.units["Phú Thọ"], outsider],
            max_choices=3,
        )
    assert "candidates" in info.value.message_dict
    assert "max_choices" in info.value.message_dict


@pytest.mark.parametrize("max_choices", [0, 4])
def test_max_choices_between_one_and_the_number_of_candidates(electorate, max_choices):
    with pytest.raises(ValidationError) as info:
        make_ballot(electorate, max_choices=max_choices)
    assert "max_choices" in info.value.message_dict


def _delegates(e, per_unit=2):
    """``per_unit`` officers of each member unit (the conference's delegates)."""
    return {
        name: [UserFactory(role=Role.UNIT_OFFICER, unit=unit) for _ in range(per_unit)]
        for name, unit in e.units.items()
    }


def test_a_vote_per_delegate_needs_a_valid_list_of_delegates(electorate, demo):
    e = electorate
    kind = ElectorateKind.DELEGATE
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        make_ballot(e, electorate_kind=kind)
    assert "Bỏ phiếu theo đại biểu cần có danh sách đại biểu." in _messages(info.value)
    outsider = UserFactory(role=Role.UNIT_OFFICER, unit=UnitFactory())
    viewer = demo.users["xem"]
    officer = demo.users["caobang.chuyenvien"]
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        make_ballot(e, electorate_kind=kind, delegates=[officer, officer, outsider, viewer])
    text = _messages(info.value)
    assert "Một đại biểu được liệt kê hai lần." in text
    assert f"{outsider.get_full_name()} không thuộc đơn vị thành viên" in text
    assert f"{viewer.get_full_name()} không thể là đại biểu" in text
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        make_ballot(e, delegates=[officer])  # a vote per unit lists no delegates
    assert "Chỉ liệt kê đại biểu khi bỏ phiếu theo đại biểu." in _messages(info.value)
    assert not Ballot.objects.exists()


def test_every_delegate_votes_once_and_the_electorate_is_the_delegates(electorate):
    e = electorate
    delegates = _delegates(e)
    everyone = [user for users in delegates.values() for user in users]
    ballot = make_ballot(e, electorate_kind=ElectorateKind.DELEGATE, delegates=everyone)
    ballot = services.ballot_open(actor=e.secretary, ballot=ballot)
    assert ballot.electorate_size == 18
    choice = candidate(ballot, "Phú Thọ")
    # Both delegates of Cao Bằng vote: a vote per person, not per unit.
    for user in delegates["Cao Bằng"]:
        services.ballot_cast(actor=user, ballot=ballot, choices=[choice])
    assert VoterRecord.objects.filter(ballot=ballot, unit=e.units["Cao Bằng"]).count() == 2
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        services.ballot_cast(actor=delegates["Cao Bằng"][0], ballot=ballot, choices=[choice])
    name = delegates["Cao Bằng"][0].get_full_name()
    assert f"{name} đã bỏ phiếu trong cuộc bỏ phiếu này." in _messages(info.value)
    # A unit leader who is not a listed delegate may not vote on this ballot.
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        services.ballot_cast(actor=e.leader_of("Lào Cai"), ballot=ballot, choices=[choice])
    assert "Chỉ những đại biểu có tên" in _messages(info.value)
    assert BallotPaper.objects.filter(ballot=ballot).count() == 2
    event = AuditEvent.objects.filter(action="ballot.cast").latest("id")
    assert "Phú Thọ" not in str(event.after)  # the choice is not in the audit row


def test_delegates_change_only_while_draft_and_switching_to_units_clears_them(electorate):
    e = electorate
    delegates = _delegates(e, per_unit=1)
    first = delegates["Hà Nội"] + delegates["Sơn La"]
    ballot = make_ballot(e, electorate_kind=ElectorateKind.DELEGATE, delegates=first)
    ballot = services.ballot_update(actor=e.secretary, ballot=ballot, delegates=first[:1])
    assert [d.user for d in ballot.delegates.all()] == first[:1]
    ballot = services.ballot_update(
        actor=e.secretary, ballot=ballot, electorate_kind=ElectorateKind.UNIT
    )
    assert not ballot.delegates.exists()
    ballot = services.ballot_update(
        actor=e.secretary, ballot=ballot, electorate_kind=ElectorateKind.DELEGATE, delegates=first
    )
    services.ballot_open(actor=e.secretary, ballot=ballot)
    with pytest.raises(ValidationError):
        services.ballot_update(actor=e.secretary, ballot=ballot, delegates=first[:1])
    assert ballot.delegates.count() == 2


def test_update_changes_a_draft_and_records_before_and_after(electorate):
    ballot = make_ballot(electorate)
    services.ballot_update(
        actor=electorate.secretary,
        ballot=ballot,
        max_choices=2,
        candidates=[electorate.units["Hà Nội"], electorate.units["Phú Thọ"]],
    )
    ballot.refresh_from_db()
    assert ballot.max_choices == 2
    assert [c.unit.short_name for c in ballot.candidates.all()] == ["Hà Nội", "Phú Thọ"]
    event = AuditEvent.objects.get(action="ballot.update")
    assert event.before["max_choices"] == 1 and event.after["max_choices"] == 2


def test_update_without_change_records_nothing(electorate):
    ballot = make_ballot(electorate)
    services.ballot_update(actor=electorate.secretary, ballot=ballot, question=QUESTION)
    assert not AuditEvent.objects.filter(action="ballot.update").exists()


# --- transitions ---------------------------------------------------------------------------------


def test_the_whole_lifecycle(electorate):
    ballot = make_ballot(electorate)
    ballot = services.ballot_open(actor=electorate.secretary, ballot=ballot)
    assert ballot.state == BallotState.OPEN
    assert ballot.electorate_size == 9
    assert ballot.opened_by == electorate.secretary and ballot.opened_at
    ballot = services.ballot_close(actor=electorate.secretary, ballot=ballot)
    assert ballot.state == BallotState.CLOSED and ballot.closed_at
    ballot = services.ballot_publish(actor=electorate.secretary, ballot=ballot)
    assert ballot.state == BallotState.PUBLISHED and ballot.published_at
    actions = list(
        AuditEvent.objects.filter(action__startswith="ballot.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["ballot.create", "ballot.open", "ballot.close", "ballot.publish"]


STATES_REACHED = {
    BallotState.DRAFT: [],
    BallotState.OPEN: ["ballot_open"],
    BallotState.CLOSED: ["ballot_open", "ballot_close"],
    BallotState.PUBLISHED: ["ballot_open", "ballot_close", "ballot_publish"],
}
ALLOWED_FROM = {
    "ballot_open": BallotState.DRAFT,
    "ballot_close": BallotState.OPEN,
    "ballot_publish": BallotState.CLOSED,
}


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (action, state)
        for action in ALLOWED_FROM
        for state in STATES_REACHED
        if state != ALLOWED_FROM[action]
    ],
)
def test_wrong_state_is_refused_naming_both_states(electorate, action, state):
    ballot = make_ballot(electorate)
    for step in STATES_REACHED[state]:
        ballot = getattr(services, step)(actor=electorate.secretary, ballot=ballot)
    before = AuditEvent.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        getattr(services, action)(actor=electorate.secretary, ballot=ballot)
    with translation.override("vi"):
        message = _messages(info.value)
        assert str(BallotState(state).label) in message
        assert str(BallotState(ALLOWED_FROM[action]).label) in message
    ballot.refresh_from_db()
    assert ballot.state == state
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("state", [BallotState.OPEN, BallotState.CLOSED, BallotState.PUBLISHED])
def test_update_only_in_draft(electorate, state):
    ballot = make_ballot(electorate)
    for step in STATES_REACHED[state]:
        ballot = getattr(services, step)(actor=electorate.secretary, ballot=ballot)
    with pytest.raises(ValidationError):
        services.ballot_update(actor=electorate.secretary, ballot=ballot, max_choices=2)


@pytest.mark.parametrize("state", [BallotState.DRAFT, BallotState.CLOSED, BallotState.PUBLISHED])
def test_cast_only_while_open(electorate, state):
    ballot = make_ballot(electorate)
    for step in STATES_REACHED[state]:
        ballot = getattr(services, step)(actor=electorate.secretary, ballot=ballot)
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=electorate.leader_of("Hà Nội"),
            ballot=ballot,
            choices=[candidate(ballot, "Phú Thọ")],
        )
    assert not VoterRecord.objects.exists() and not BallotPaper.objects.exists()


# --- casting -------------------------------------------------------------------------------------


def test_cast_returns_a_receipt_and_records_voter_and_paper_apart(electorate):
    ballot = open_ballot(electorate)
    receipt = services.ballot_cast(
        actor=electorate.leader_of("Hà Nội"),
        ballot=ballot,
        choices=[candidate(ballot, "Phú Thọ")],
    )
    assert len(receipt) == 14 and receipt.count("-") == 2
    record = VoterRecord.objects.get()
    assert record.unit == electorate.units["Hà Nội"]
    assert record.voted_by == electorate.leader_of("Hà Nội")
    paper = BallotPaper.objects.get()
    assert paper.receipt == receipt
    assert paper.choices == [candidate(ballot, "Phú Thọ").pk]


def test_a_unit_votes_once(electorate):
    ballot = open_ballot(electorate)
    cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ"]})
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        services.ballot_cast(
            actor=electorate.leader_of("Hà Nội"),
            ballot=ballot,
            choices=[candidate(ballot, "Cao Bằng")],
        )
    assert "đã bỏ phiếu" in _messages(info.value)
    assert VoterRecord.objects.count() == 1 and BallotPaper.objects.count() == 1


def test_another_leader_of_the_same_unit_cannot_vote_again(electorate):
    ballot = open_ballot(electorate)
    cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ"]})
    deputy = UserFactory(role=Role.UNIT_LEADER, unit=electorate.units["Hà Nội"])
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=deputy, ballot=ballot, choices=[])
    assert BallotPaper.objects.count() == 1


def test_max_choices_is_enforced(electorate):
    ballot = open_ballot(electorate, max_choices=2)
    with pytest.raises(ValidationError) as info:
        cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ", "Cao Bằng", "Lào Cai"]})
    assert "choices" in info.value.message_dict
    cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ", "Cao Bằng"]})
    assert BallotPaper.objects.get().choices == sorted(
        [candidate(ballot, "Phú Thọ").pk, candidate(ballot, "Cao Bằng").pk]
    )


def test_a_blank_paper_is_allowed(electorate):
    ballot = open_ballot(electorate)
    cast_many(electorate, ballot, {"Hà Nội": []})
    assert BallotPaper.objects.get().choices == []


def test_choices_must_be_candidates_of_this_ballot_and_distinct(electorate):
    ballot = open_ballot(electorate)
    other = make_ballot(electorate, candidates=("Hà Nội",))
    leader = electorate.leader_of("Hà Nội")
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=leader, ballot=ballot, choices=[candidate(other, "Hà Nội")])
    same = candidate(ballot, "Phú Thọ")
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=leader, ballot=ballot, choices=[same, same.pk])
    assert not VoterRecord.objects.exists()


@pytest.mark.parametrize(
    "who", ["officer of a member", "leader of a non-member", "central officer", "viewer"]
)
def test_only_leaders_of_member_units_vote(electorate, demo, who):
    ballot = open_ballot(electorate)
    actor = {
        "officer of a member": demo.users["phutho.chuyenvien"],
        "leader of a non-member": UserFactory(role=Role.UNIT_LEADER, unit=UnitFactory()),
        "central officer": demo.users["tw.chuyenvien"],
        "viewer": demo.users["xem"],
    }[who]
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=actor, ballot=ballot, choices=[candidate(ballot, "Phú Thọ")])
    assert not VoterRecord.objects.exists() and not BallotPaper.objects.exists()


def test_membership_counts_for_the_ballots_term_only(electorate, demo):
    """Lào Cai's leader is a member in 2025 but the 2024 term had the old Lào Cai board."""
    ballot = services.ballot_create(
        actor=None,
        term=demo.terms[2024],
        question="Năm 2024",
        candidates=[demo.terms[2024].member_units[0]],
    )
    services.ballot_open(actor=None, ballot=ballot)
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=demo.users["phutho.lanhdao"], ballot=ballot, choices=[])


# --- quorum and threshold ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "strict", "of", "expected"),
    [
        (1, 2, True, 9, 5),
        (1, 2, True, 8, 5),
        (1, 2, False, 8, 4),
        (1, 2, False, 9, 5),
        (2, 3, False, 9, 6),
        (2, 3, True, 9, 7),
        (0, 1, False, 9, 0),
    ],
)
def test_minimum_votes(numerator, denominator, strict, of, expected):
    assert minimum_votes(numerator=numerator, denominator=denominator, strict=strict, of=of) == (
        expected
    )


def _vote_and_tally(electorate, votes, **kwargs):
    ballot = open_ballot(electorate, **kwargs)
    cast_many(electorate, ballot, votes)
    ballot = services.ballot_close(actor=electorate.secretary, ballot=ballot)
    return ballot_tally(ballot=ballot)


def test_threshold_five_of_nine_passes_four_of_nine_fails(electorate):
    votes = {voter: ["Phú Thọ"] for voter in NINE[:5]}
    votes |= {voter: ["Cao Bằng"] for voter in NINE[5:]}
    tally = _vote_and_tally(electorate, votes)
    by_name = {c.unit.short_name: c for c in tally.candidates}
    assert (by_name["Phú Thọ"].votes, by_name["Phú Thọ"].fraction) == (5, "5/9")
    assert by_name["Phú Thọ"].passed and by_name["Phú Thọ"].elected
    assert (by_name["Cao Bằng"].votes, by_name["Cao Bằng"].fraction) == (4, "4/9")
    assert not by_name["Cao Bằng"].passed
    assert [c.unit.short_name for c in tally.elected] == ["Phú Thọ"]
    assert tally.threshold_votes == 5


def test_quorum_five_of_nine_is_met_four_of_nine_is_not(electorate):
    met = _vote_and_tally(electorate, {voter: ["Phú Thọ"] for voter in NINE[:5]})
    assert (met.votes_cast, met.turnout_fraction, met.quorum_met) == (5, "5/9", True)


def test_quorum_not_met_elects_nobody(electorate):
    tally = _vote_and_tally(electorate, {voter: ["Phú Thọ"] for voter in NINE[:4]})
    assert (tally.votes_cast, tally.quorum_votes, tally.quorum_met) == (4, 5, False)
    assert tally.passed == [] and tally.elected == []


def test_threshold_at_least_two_thirds_as_data(electorate):
    votes = {voter: ["Phú Thọ"] for voter in NINE[:6]} | {v: ["Lào Cai"] for v in NINE[6:]}
    tally = _vote_and_tally(
        electorate, votes, threshold_numerator=2, threshold_denominator=3, threshold_strict=False
    )
    by_name = {c.unit.short_name: c for c in tally.candidates}
    assert tally.threshold_votes == 6
    assert by_name["Phú Thọ"].passed and not by_name["Lào Cai"].passed


def test_quorum_at_least_four_ninths_as_data(electorate):
    tally = _vote_and_tally(
        electorate,
        {voter: ["Phú Thọ"] for voter in NINE[:4]},
        quorum_numerator=4,
        quorum_denominator=9,
        quorum_strict=False,
    )
    assert tally.quorum_votes == 4 and tally.quorum_met


# --- one vote per unit: the database's part ------------------------------------------------------


def test_the_database_refuses_a_second_voter_record(electorate):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    ballot = open_ballot(electorate)
    unit = electorate.units["Hà Nội"]
    VoterRecord.objects.create(ballot=ballot, unit=unit, voted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecord.objects.create(ballot=ballot, unit=unit, voted_at=timezone.now())


def test_a_lost_race_on_the_constraint_is_a_clear_refusal(electorate, monkeypatch):
    """When the check passes but another attempt has just inserted the record (PostgreSQL under
    load), the IntegrityError becomes the same Vietnamese refusal and nothing is left behind."""
    ballot = open_ballot(electorate)
    cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ"]})
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: False if qs.model is VoterRecord else exists(qs)
    )
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        cast_many(electorate, ballot, {"Hà Nội": ["Cao Bằng"]})
    assert "đã bỏ phiếu" in _messages(info.value)
    monkeypatch.undo()
    assert VoterRecord.objects.count() == 1 and BallotPaper.objects.count() == 1


def test_voter_record_and_paper_are_written_together_or_not_at_all(electorate, monkeypatch):
    ballot = open_ballot(electorate)

    create = QuerySet.create

    def broken_create(qs, **kwargs):
        if qs.model is BallotPaper:
            raise RuntimeError("disk full")
        return create(qs, **kwargs)

    monkeypatch.setattr(QuerySet, "create", broken_create)
    with pytest.raises(RuntimeError):
        cast_many(electorate, ballot, {"Hà Nội": ["Phú Thọ"]})
    monkeypatch.undo()
    assert not VoterRecord.objects.exists() and not BallotPaper.objects.exists()
    assert not AuditEvent.objects.filter(action="ballot.cast").exists()


def test_update_keeps_candidate_rows_when_the_list_is_unchanged(electorate):
    ballot = make_ballot(electorate)
    ids = list(ballot.candidates.values_list("pk", flat=True))
    services.ballot_update(
        actor=electorate.secretary,
        ballot=ballot,
        candidates=[c.unit for c in ballot.candidates.all()],
        max_choices=2,
    )
    assert list(ballot.candidates.values_list("pk", flat=True)) == ids
    assert AuditEvent.objects.get(action="ballot.update").after["max_choices"] == 2
