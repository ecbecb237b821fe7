"""The proposal workflow: every step from the states it may start from and refused from the
others, the file locked outside draft/returned, comments per candidate, the decision with its
prize money, certificates, the cluster's proposal generated from the vote, and two reviewers
clicking at once."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from apps.awards import services
from apps.awards.choices import TRANSITIONS, CandidateOutcome, ProposalState
from apps.awards.models import AwardRecord, Proposal, ProposalEvent
from apps.awards.tests.helpers import ORDER, advance, award, central_unit, counted_vote, proposal
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

STEP = {
    "submit": lambda p: services.proposal_submit(actor=None, proposal=p),
    "receive": lambda p: services.proposal_receive(actor=None, proposal=p),
    "review": lambda p: services.proposal_review_start(actor=None, proposal=p),
    "return": lambda p: services.proposal_return(actor=None, proposal=p, comment="Bổ sung"),
    "pass": lambda p: services.proposal_pass(
        actor=None,
        proposal=p,
        outcomes={c.pk: (CandidateOutcome.ACCEPTED, "") for c in p.candidates.all()},
    ),
    "decide": lambda p: services.proposal_decide(
        actor=None,
        proposal=p,
        number=f"{p.pk}-QĐ/TW",
        signed_on=timezone.localdate(),
        signer="Lê Minh Hưng",
        issuing_body="Ban Tổ chức Trung ương",
    ),
    "issue": lambda p: services.proposal_issue_certificates(actor=None, proposal=p),
}
STATES = [*ORDER, "returned"]


@pytest.fixture
def receiver():
    return central_unit()


def _at(state, receiver):
    if state == "returned":
        made = proposal(UnitFactory(), receiver, state="under_review")
        services.proposal_return(actor=None, proposal=made, comment="Bổ sung")
        made.refresh_from_db()
        return made
    return proposal(UnitFactory(), receiver, state=state)


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
def test_every_step_only_from_its_states(receiver, action, state):
    made = _at(state, receiver)
    sources, target, _side = TRANSITIONS[action]
    events = ProposalEvent.objects.filter(proposal=made).count()
    if state in sources:
        STEP[action](made)
        made.refresh_from_db()
        assert made.state == target
        event = ProposalEvent.objects.filter(proposal=made).latest("id")
        assert (event.action, event.from_state, event.to_state) == (action, state, target)
    else:
        with pytest.raises(ValidationError, match="không thể"):
            STEP[action](made)
        made.refresh_from_db()
        assert made.state == state
        assert ProposalEvent.objects.filter(proposal=made).count() == events


@pytest.mark.parametrize("state", ["submitted", "received", "under_review", "passed", "decided"])
def test_the_file_is_locked_once_sent(receiver, state):
    made = _at(state, receiver)
    candidate = made.candidates.get()
    for call in (
        lambda: services.proposal_update(actor=None, proposal=made, title="Sửa"),
        lambda: services.proposal_candidate_update(
            actor=None, candidate=candidate, members_ldtt=29
        ),
        lambda: services.proposal_candidate_remove(actor=None, candidate=candidate),
        lambda: services.proposal_candidate_add(
            actor=None, proposal=made, award_type=award("giay-khen-ca-nhan"), person_name="A"
        ),
    ):
        with pytest.raises(ValidationError, match="bản nháp hoặc khi bị trả lại"):
            call()
    candidate.refresh_from_db()
    assert candidate.members_ldtt == 25


def test_returned_with_comments_then_resubmitted(receiver):
    made = _at("under_review", receiver)
    candidate = made.candidates.get()
    with pytest.raises(ValidationError, match="nội dung cần hoàn thiện"):
        services.proposal_return(actor=None, proposal=made, comment="  ", comments={})
    services.proposal_return(
        actor=None,
        proposal=made,
        comment="Thiếu biên bản",
        comments={candidate.pk: "Ghi rõ số thành viên đạt LĐTT"},
    )
    made.refresh_from_db()
    candidate.refresh_from_db()
    assert made.state == ProposalState.RETURNED
    assert candidate.review_comment == "Ghi rõ số thành viên đạt LĐTT"
    # The unit corrects the file and sends it again; the comment stays for reference.
    services.proposal_candidate_update(actor=None, candidate=candidate, members_ldtt=28)
    services.proposal_submit(actor=None, proposal=made)
    made.refresh_from_db()
    assert made.state == ProposalState.SUBMITTED
    steps = list(made.events.values_list("action", flat=True))
    assert steps == ["submit", "receive", "review", "return", "submit"]
    assert made.events.get(action="return").comment == "Thiếu biên bản"


def test_a_comment_for_a_foreign_candidate_is_refused(receiver):
    made = _at("under_review", receiver)
    other = _at("draft", receiver).candidates.get()
    with pytest.raises(ValidationError, match="không thuộc hồ sơ"):
        services.proposal_return(actor=None, proposal=made, comments={other.pk: "x"})
    made.refresh_from_db()
    assert made.state == ProposalState.UNDER_REVIEW


def test_passing_needs_an_outcome_for_everyone_and_a_reason_to_refuse(receiver):
    made = _at("under_review", receiver)
    first = made.candidates.get()
    with pytest.raises(ValidationError, match="còn thiếu"):
        services.proposal_pass(actor=None, proposal=made, outcomes={})
    with pytest.raises(ValidationError, match="Nêu lý do"):
        services.proposal_pass(
            actor=None, proposal=made, outcomes={first.pk: (CandidateOutcome.REJECTED, "")}
        )
    with pytest.raises(ValidationError, match="ít nhất một"):
        services.proposal_pass(
            actor=None,
            proposal=made,
            outcomes={first.pk: (CandidateOutcome.REJECTED, "Chưa đủ tiêu chuẩn")},
        )
    made.refresh_from_db()
    assert made.state == ProposalState.UNDER_REVIEW
    services.proposal_pass(
        actor=None, proposal=made, outcomes={first.pk: (CandidateOutcome.ACCEPTED, "Đạt")}
    )
    first.refresh_from_db()
    assert (first.outcome, first.review_comment) == (CandidateOutcome.ACCEPTED, "Đạt")


def test_submit_needs_a_candidate(receiver):
    made = services.proposal_create(
        actor=None, proposer=UnitFactory(), receiver=receiver, year=2025, title="Rỗng"
    )
    with pytest.raises(ValidationError, match="ít nhất một đối tượng"):
        services.proposal_submit(actor=None, proposal=made)


# --- candidates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"award_type": "tap-the-lao-dong-xuat-sac"}, "dành cho tập thể"),
        ({"award_type": "chien-si-thi-dua-co-so"}, "dành cho cá nhân"),
        ({"award_type": "giay-khen-ca-nhan", "person_name": "A", "votes": 5}, "cả số phiếu"),
        (
            {"award_type": "giay-khen-ca-nhan", "person_name": "A", "votes": 10, "electorate": 9},
            "không thể vượt",
        ),
        (
            {
                "award_type": "tap-the-lao-dong-tien-tien",
                "unit": "own",
                "members_total": 10,
                "members_ldtt": 11,
            },
            "không ít hơn số đạt LĐTT",
        ),
        (
            {
                "award_type": "giay-khen-ca-nhan",
                "person_name": "A",
                "person_birth_date": dt.date(2999, 1, 1),
            },
            "ở quá khứ",
        ),
        ({"award_type": "tap-the-lao-dong-xuat-sac", "unit": "own"}, "đã được đề nghị"),
    ],
)
def test_bad_candidates_are_refused_with_the_reason(receiver, fields, message):
    made = _at("draft", receiver)
    fields = dict(fields)
    kind = award(fields.pop("award_type"))
    if fields.get("unit") == "own":
        fields["unit"] = made.proposer
    with pytest.raises(ValidationError, match=message):
        services.proposal_candidate_add(actor=None, proposal=made, award_type=kind, **fields)
    assert made.candidates.count() == 1


# --- decision, prize money, certificates --------------------------------------------------------


def test_decision_records_each_accepted_candidate_with_its_prize(receiver):
    made = _at("draft", receiver)
    services.proposal_candidate_add(
        actor=None,
        proposal=made,
        award_type=award("lao-dong-tien-tien"),
        person_name="Trần Văn Bình",
        person_birth_date=dt.date(1985, 5, 1),
    )
    services.proposal_candidate_add(
        actor=None, proposal=made, award_type=award("giay-khen-ca-nhan"), person_name="Lê Thị Lan"
    )
    made = advance(made, "under_review")
    ids = list(made.candidates.order_by("position").values_list("pk", flat=True))
    services.proposal_pass(
        actor=None,
        proposal=made,
        outcomes={
            ids[0]: (CandidateOutcome.ACCEPTED, ""),
            ids[1]: (CandidateOutcome.ACCEPTED, ""),
            ids[2]: (CandidateOutcome.REJECTED, "Không thuộc thẩm quyền"),
        },
    )
    decision = services.proposal_decide(
        actor=None,
        proposal=made,
        number="88-QĐ/BTCTW",
        signed_on=timezone.localdate(),
        signer="Lê Minh Hưng",
        signer_title="Trưởng ban",
        issuing_body="Ban Tổ chức Trung ương",
    )
    records = {r.award_type.code: r for r in AwardRecord.objects.filter(decision=decision)}
    assert set(records) == {"tap-the-lao-dong-xuat-sac", "lao-dong-tien-tien"}
    assert records["tap-the-lao-dong-xuat-sac"].prize_amount == 3_510_000  # 1,5 × 2.340.000
    assert records["lao-dong-tien-tien"].prize_amount == 710_000  # 702.000 rounded up
    assert "làm tròn lên" in records["lao-dong-tien-tien"].prize_explanation
    assert records["lao-dong-tien-tien"].person_unit == made.proposer
    made.refresh_from_db()
    assert made.state == ProposalState.DECIDED
    services.proposal_issue_certificates(actor=None, proposal=made)
    numbers = sorted(
        AwardRecord.objects.filter(decision=decision).values_list("certificate_number", flat=True)
    )
    assert numbers == ["88-QĐ/BTCTW/01", "88-QĐ/BTCTW/02"]


def test_decision_checks_number_and_date(receiver):
    made = _at("passed", receiver)
    base = {"signer": "Lê Minh Hưng", "issuing_body": "Ban Tổ chức Trung ương"}
    with pytest.raises(ValidationError, match="tương lai"):
        services.proposal_decide(
            actor=None,
            proposal=made,
            number="1-QĐ",
            **base,
            signed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="trước ngày gửi"):
        services.proposal_decide(
            actor=None,
            proposal=made,
            number="1-QĐ",
            **base,
            signed_on=timezone.localdate() - dt.timedelta(days=3),
        )
    with pytest.raises(ValidationError, match="số quyết định"):
        services.proposal_decide(
            actor=None, proposal=made, number="  ", signed_on=timezone.localdate(), **base
        )
    other = _at("passed", receiver)
    services.proposal_decide(
        actor=None, proposal=other, number="1-QĐ", signed_on=timezone.localdate(), **base
    )
    with pytest.raises(ValidationError, match="đã có quyết định mang số này"):
        services.proposal_decide(
            actor=None, proposal=made, number="1-QĐ", signed_on=timezone.localdate(), **base
        )
    made.refresh_from_db()
    assert made.state == ProposalState.PASSED
    assert not AwardRecord.objects.filter(candidate__proposal=made).exists()


def test_award_without_coefficient_carries_no_prize(receiver):
    made = proposal(UnitFactory(), receiver, code="giay-khen-tap-the", state="decided")
    record = AwardRecord.objects.get(decision__proposal=made)
    assert record.prize_amount is None
    assert "hệ số" in record.prize_explanation


# --- the cluster's proposal from the vote --------------------------------------------------------


def _term_with_vote(receiver, votes_for=8):
    units = [UnitFactory(short_name=f"Tỉnh {n}") for n in range(9)]
    cluster = ClusterFactory()
    cluster.sector.head_unit = receiver
    cluster.sector.save()
    term = org.term_create(actor=None, cluster=cluster, year=2025, members=units, leader=units[0])
    term.review_date = dt.date(2025, 12, 5)
    term.save()
    ballot = counted_vote(term, units[0], votes_for=votes_for, publish=True)
    return term, units, ballot


def test_cluster_proposal_generated_from_the_vote(receiver):
    term, units, ballot = _term_with_vote(receiver)
    made = services.proposal_from_term(actor=None, term=term)
    assert (made.proposer, made.receiver, made.term, made.year) == (units[0], receiver, term, 2025)
    assert made.ballot == ballot
    assert made.deliberated_on == dt.date(2025, 12, 5)
    candidate = made.candidates.get()
    assert (candidate.unit, candidate.award_type.code) == (units[0], "co-thi-dua-tinh")
    assert (candidate.votes, candidate.electorate) == (8, 9)
    assert "phiếu suy tôn 8/9 (88,89%)" in candidate.achievements
    assert "Ban Tổ chức Trung ương" in made.title
    # Only once per vote.
    with pytest.raises(ValidationError, match="Đã có hồ sơ"):
        services.proposal_from_term(actor=None, term=term)


def test_no_proposal_before_the_vote_is_counted(receiver):
    units = [UnitFactory() for _ in range(4)]
    cluster = ClusterFactory()
    cluster.sector.head_unit = receiver
    cluster.sector.save()
    term = org.term_create(actor=None, cluster=cluster, year=2025, members=units, leader=units[0])
    with pytest.raises(ValidationError, match="chưa có cuộc bỏ phiếu suy tôn"):
        services.proposal_from_term(actor=None, term=term)
    # A 2–2 vote: nobody has more than half of 4, so no proposal either.
    counted_vote(term, units[0], votes_for=2)
    with pytest.raises(ValidationError, match="chưa có cuộc bỏ phiếu suy tôn"):
        services.proposal_from_term(actor=None, term=term)
    assert not Proposal.objects.filter(term=term).exists()


# --- two reviewers at once -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_receiving_at_once_move_the_file_once():
    receiver = central_unit()
    made = proposal(UnitFactory(), receiver, state="submitted")
    results = []
    barrier = threading.Barrier(5)

    def receive():
        close_old_connections()
        try:
            barrier.wait()
            services.proposal_receive(actor=None, proposal=Proposal.objects.get(pk=made.pk))
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused", "refused"]
    assert ProposalEvent.objects.filter(proposal=made, action="receive").count() == 1
