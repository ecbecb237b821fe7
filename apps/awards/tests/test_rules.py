"""Each award rule on both sides of its threshold and of its effective date, with the reasons it
gives; rule versions and quotas as data (added, never rewritten)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.awards import services
from apps.awards.choices import Outcome, RuleKind
from apps.awards.models import AwardRule
from apps.awards.rules import check_candidate, rules_in_force
from apps.awards.tests.helpers import award, central_unit, counted_vote, proposal
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

BEFORE_152 = dt.date(2025, 6, 30)
FROM_152 = dt.date(2025, 7, 1)
DECEMBER = dt.date(2025, 12, 5)


def verdict(candidate, kind, on=DECEMBER):
    checks = check_candidate(candidate, on=on)
    found = [v for v in checks.verdicts if v.rule.kind == kind]
    return found[0] if found else None


@pytest.fixture
def receiver():
    return central_unit()


# --- versions and dates ---------------------------------------------------------------------------


def test_decree_152_replaces_98_on_1_july_2025():
    flag = award("co-thi-dua-tinh")
    before = {r.kind: r for r in rules_in_force(flag, BEFORE_152)}
    after = {r.kind: r for r in rules_in_force(flag, FROM_152)}
    assert "98/2023" in before[RuleKind.LEADS_CLUSTER].source
    assert "152/2025" in after[RuleKind.LEADS_CLUSTER].source
    # "No award while a case is pending" starts with Decree 152.
    assert RuleKind.NO_PENDING_CASE not in before
    assert RuleKind.NO_PENDING_CASE in after
    assert rules_in_force(flag, dt.date(2023, 12, 31)) == []


def test_pending_case_blocks_only_from_1_july_2025(receiver):
    made = proposal(UnitFactory(), receiver, pending_case=True)
    candidate = made.candidates.get()
    assert verdict(candidate, RuleKind.NO_PENDING_CASE, on=BEFORE_152) is None
    late = verdict(candidate, RuleKind.NO_PENDING_CASE, on=FROM_152)
    assert late.outcome == Outcome.FAIL
    assert "chưa khen thưởng" in late.reason
    assert "152/2025" in late.cited
    candidate.pending_case = False
    candidate.save()
    assert verdict(candidate, RuleKind.NO_PENDING_CASE, on=FROM_152).outcome == Outcome.PASS


def test_a_new_rule_version_closes_the_previous_and_history_is_not_rewritten():
    flag = award("co-thi-dua-tinh")
    rule = services.award_rule_add(
        actor=None,
        award_type=flag,
        kind=RuleKind.QUOTA,
        valid_from=dt.date(2027, 1, 1),
        source="Nghị định mới",
    )
    previous = AwardRule.objects.get(award_type=flag, kind=RuleKind.QUOTA, valid_from=FROM_152)
    assert previous.valid_to == dt.date(2026, 12, 31)
    assert rule.valid_to is None
    with pytest.raises(ValidationError, match="history is not rewritten|không viết lại|sau"):
        services.award_rule_add(
            actor=None,
            award_type=flag,
            kind=RuleKind.QUOTA,
            valid_from=dt.date(2026, 6, 1),
            source="Chèn giữa",
        )


def test_switching_a_rule_off_from_a_day():
    flag = award("co-thi-dua-tinh")
    services.award_rule_add(
        actor=None,
        award_type=flag,
        kind=RuleKind.BALLOT_REQUIRED,
        applies=False,
        valid_from=dt.date(2027, 1, 1),
        source="Văn bản bãi bỏ",
    )
    kinds = {r.kind for r in rules_in_force(flag, dt.date(2027, 1, 1))}
    assert RuleKind.BALLOT_REQUIRED not in kinds
    assert RuleKind.BALLOT_REQUIRED in {r.kind for r in rules_in_force(flag, DECEMBER)}


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        (RuleKind.CONSECUTIVE, {"years": 0}, "years"),
        (RuleKind.CONSECUTIVE, {"years": 3}, "required_award"),
        (RuleKind.SHARE_LDTT, {"percent": None}, "percent"),
        (RuleKind.SHARE_LDTT, {"percent": "100.5"}, "percent"),
        (RuleKind.SHARE_OF_LEADERS, {"percent": "12.345"}, "percent"),
        ("made_up", {}, "kind"),
    ],
)
def test_rule_parameters_are_checked(kind, params, field):
    with pytest.raises(ValidationError) as error:
        services.award_rule_add(
            actor=None,
            award_type=award("chien-si-thi-dua-tinh"),
            kind=kind,
            valid_from=dt.date(2027, 1, 1),
            source="Thử",
            **params,
        )
    assert field in error.value.message_dict
    assert not AwardRule.objects.filter(valid_from=dt.date(2027, 1, 1)).exists()


def test_an_award_cannot_require_itself():
    own = award("chien-si-thi-dua-tinh")
    with pytest.raises(ValidationError, match="chính nó|itself"):
        services.award_rule_add(
            actor=None,
            award_type=own,
            kind=RuleKind.CONSECUTIVE,
            years=2,
            required_award=own,
            valid_from=dt.date(2027, 1, 1),
            source="Thử",
        )


# --- share of LĐTT (≥ 70 %) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ldtt", "total", "outcome"),
    [
        (21, 30, Outcome.PASS),
        (7, 10, Outcome.PASS),
        (20, 29, Outcome.FAIL),
        (69, 100, Outcome.FAIL),
    ],
)
def test_seventy_percent_lao_dong_tien_tien(receiver, ldtt, total, outcome):
    made = proposal(UnitFactory(), receiver, members_total=total, members_ldtt=ldtt)
    v = verdict(made.candidates.get(), RuleKind.SHARE_LDTT)
    assert v.outcome == outcome
    assert f"{ldtt}/{total}" in v.reason and "70" in v.reason


def test_share_not_entered_is_not_enough_data(receiver):
    made = proposal(UnitFactory(), receiver, members_total=None, members_ldtt=None)
    assert verdict(made.candidates.get(), RuleKind.SHARE_LDTT).outcome == Outcome.UNKNOWN


# --- consecutive years, through mergers ----------------------------------------------------------


def _record(code, year, **who):
    return services.award_record_add(
        actor=None, award_type=award(code), year=year, source="Sổ khen thưởng", **who
    )


def test_three_consecutive_cstdcs_for_cstd_of_a_province(receiver):
    unit = UnitFactory()
    made = proposal(
        unit,
        receiver,
        code="chien-si-thi-dua-tinh",
        person_name="Nguyễn Thị Hoa",
        person_birth_date=dt.date(1980, 3, 2),
    )
    candidate = made.candidates.get()
    _record(
        "chien-si-thi-dua-co-so",
        2024,
        person_name="Nguyen Thi  Hoa",
        person_birth_date=dt.date(1980, 3, 2),
    )
    _record(
        "chien-si-thi-dua-co-so",
        2025,
        person_name="Nguyễn Thị Hoa",
        person_birth_date=dt.date(1980, 3, 2),
    )
    missing = verdict(candidate, RuleKind.CONSECUTIVE)
    assert missing.outcome == Outcome.FAIL
    assert "thiếu năm 2023" in missing.reason
    # Another person with the same name but another birthday does not count.
    _record(
        "chien-si-thi-dua-co-so",
        2023,
        person_name="Nguyễn Thị Hoa",
        person_birth_date=dt.date(1990, 1, 1),
    )
    assert verdict(candidate, RuleKind.CONSECUTIVE).outcome == Outcome.FAIL
    _record(
        "chien-si-thi-dua-co-so",
        2023,
        person_name="NGUYỄN THỊ HOA",
        person_birth_date=dt.date(1980, 3, 2),
    )
    found = verdict(candidate, RuleKind.CONSECUTIVE)
    assert found.outcome == Outcome.PASS
    assert "3 năm liên tục (2023–2025): có" in found.reason


def test_the_current_year_can_come_from_the_same_file(receiver):
    unit = UnitFactory()
    made = proposal(unit, receiver, code="chien-si-thi-dua-toan-quoc", person_name="Lò Văn Sơn")
    services.proposal_candidate_add(
        actor=None,
        proposal=made,
        award_type=award("chien-si-thi-dua-tinh"),
        person_name="Lò Văn Sơn",
    )
    _record("chien-si-thi-dua-tinh", 2024, person_name="Lò Văn Sơn")
    top = made.candidates.get(award_type__code="chien-si-thi-dua-toan-quoc")
    v = verdict(top, RuleKind.CONSECUTIVE)
    assert v.outcome == Outcome.PASS
    assert "được đề nghị trong hồ sơ này" in v.reason


def test_consecutive_years_read_through_a_merger(receiver):
    """Phú Thọ's 2025 check uses Vĩnh Phúc's 2024 record (merged 1/7/2025)."""
    vinh_phuc = UnitFactory(name="Ban Tổ chức Tỉnh ủy Vĩnh Phúc", short_name="Vĩnh Phúc")
    phu_tho = UnitFactory(name="Ban Tổ chức Tỉnh ủy Phú Thọ", short_name="Phú Thọ")
    rule = services.award_rule_add(
        actor=None,
        award_type=award("bang-khen-tinh-tap-the"),
        kind=RuleKind.CONSECUTIVE,
        years=2,
        required_award=award("tap-the-lao-dong-xuat-sac"),
        valid_from=dt.date(2025, 1, 1),
        source="Quy chế thi đua (thử)",
    )
    made = proposal(phu_tho, receiver, code="bang-khen-tinh-tap-the")
    candidate = made.candidates.get()
    _record("tap-the-lao-dong-xuat-sac", 2025, unit=phu_tho)
    _record("tap-the-lao-dong-xuat-sac", 2024, unit=vinh_phuc)
    assert verdict(candidate, rule.kind).outcome == Outcome.FAIL  # not merged yet
    org.unit_merge(
        actor=None,
        successor=phu_tho,
        predecessors=[vinh_phuc],
        effective_date=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết 202/2025/QH15",
    )
    v = verdict(candidate, rule.kind)
    assert v.outcome == Outcome.PASS
    assert "2024 (đã ghi nhận, Vĩnh Phúc)" in v.reason


# --- leading the cluster ------------------------------------------------------------------------


def _cluster_term(n=9, **kwargs):
    units = [UnitFactory() for _ in range(n)]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0], **kwargs
    )
    return term, units


@pytest.mark.parametrize(("votes", "outcome"), [(5, Outcome.PASS), (4, Outcome.FAIL)])
def test_leads_the_cluster_by_more_than_half_of_the_votes(receiver, votes, outcome):
    term, units = _cluster_term(9)
    counted_vote(term, units[2], votes_for=votes)
    made = proposal(units[2], receiver, code="co-thi-dua-tinh")
    v = verdict(made.candidates.get(), RuleKind.LEADS_CLUSTER)
    assert v.outcome == outcome
    assert f"phiếu suy tôn {votes}/9" in v.reason
    assert term.cluster.name in v.reason


def test_no_vote_yet_is_not_enough_data(receiver):
    term, units = _cluster_term(3)
    made = proposal(units[0], receiver, code="co-thi-dua-tinh")
    assert verdict(made.candidates.get(), RuleKind.LEADS_CLUSTER).outcome == Outcome.UNKNOWN


def test_a_vote_held_on_paper_counts_with_its_numbers(receiver):
    unit = UnitFactory()  # in no cluster of the system
    made = proposal(unit, receiver, code="co-thi-dua-tinh", votes=7, electorate=12)
    v = verdict(made.candidates.get(), RuleKind.LEADS_CLUSTER)
    assert v.outcome == Outcome.PASS and "biên bản giấy" in v.reason
    made.candidates.update(votes=6)
    assert verdict(made.candidates.get(), RuleKind.LEADS_CLUSTER).outcome == Outcome.FAIL


# --- caps: 20 % of voted leaders, quotas ----------------------------------------------------------


def _voted_leaders(sector_head, n):
    """``n`` clusters of the sector headed by ``sector_head``, each with an elected leader."""
    leaders = []
    for _ in range(n):
        term, units = _cluster_term(3)
        term.cluster.sector.head_unit = sector_head
        term.cluster.sector.save()
        counted_vote(term, units[0])
        leaders.append(units[0])
    return leaders


def test_government_flag_proposals_capped_at_twenty_percent_of_voted_leaders(receiver):
    leaders = _voted_leaders(receiver, 5)  # 20 % of 5 = 1
    first = proposal(leaders[0], receiver, code="co-thi-dua-chinh-phu", state="submitted")
    v = verdict(first.candidates.get(), RuleKind.SHARE_OF_LEADERS)
    assert v.outcome == Outcome.PASS
    assert "tối đa 20% của 5 đơn vị" in v.reason and "= 1" in v.reason
    second = proposal(leaders[1], receiver, code="co-thi-dua-chinh-phu")
    assert verdict(second.candidates.get(), RuleKind.SHARE_OF_LEADERS).outcome == Outcome.FAIL


def test_government_flag_with_fewer_than_five_leaders_has_no_room(receiver):
    leaders = _voted_leaders(receiver, 4)  # 20 % of 4 = 0,8 → 0
    made = proposal(leaders[0], receiver, code="co-thi-dua-chinh-phu")
    assert verdict(made.candidates.get(), RuleKind.SHARE_OF_LEADERS).outcome == Outcome.FAIL


def test_quota_of_the_receiving_body(receiver):
    flag = award("co-thi-dua-tinh")
    first = proposal(UnitFactory(), receiver, code="co-thi-dua-tinh", state="submitted")
    no_quota = verdict(first.candidates.get(), RuleKind.QUOTA)
    assert no_quota.outcome == Outcome.PASS and "chưa giao chỉ tiêu" in no_quota.reason
    services.award_quota_set(
        actor=None, receiver=receiver, year=2025, award_type=flag, count=1, source="CV 1"
    )
    assert verdict(first.candidates.get(), RuleKind.QUOTA).outcome == Outcome.PASS
    second = proposal(UnitFactory(), receiver, code="co-thi-dua-tinh", state="submitted")
    over = verdict(second.candidates.get(), RuleKind.QUOTA)
    assert over.outcome == Outcome.FAIL and "2 đề nghị; chỉ tiêu năm 2025 là 1" in over.reason
    # A candidate the reviewer did not accept no longer counts.
    first.candidates.update(outcome="rejected")
    assert verdict(second.candidates.get(), RuleKind.QUOTA).outcome == Outcome.PASS


def test_quota_set_is_audited_and_idempotent(receiver):
    from apps.core.models import AuditEvent

    flag = award("co-thi-dua-tinh")
    services.award_quota_set(
        actor=None, receiver=receiver, year=2025, award_type=flag, count=5, source="CV 1"
    )
    before = AuditEvent.objects.count()
    services.award_quota_set(
        actor=None, receiver=receiver, year=2025, award_type=flag, count=5, source="CV 1"
    )
    assert AuditEvent.objects.count() == before
    quota = services.award_quota_set(
        actor=None, receiver=receiver, year=2025, award_type=flag, count=6, source="CV 2"
    )
    assert quota.count == 6
    event = AuditEvent.objects.latest("id")
    assert event.before == {"count": 5, "source": "CV 1"} and event.after["count"] == 6
    with pytest.raises(ValidationError):
        services.award_quota_set(
            actor=None, receiver=receiver, year=2025, award_type=flag, count=-1, source="x"
        )


# --- minutes and ballot in the file -------------------------------------------------------------


def test_minutes_and_secret_ballot_required_for_a_flag(receiver):
    made = proposal(UnitFactory(), receiver, code="co-thi-dua-tinh")
    lacking = verdict(made.candidates.get(), RuleKind.BALLOT_REQUIRED)
    assert lacking.outcome == Outcome.FAIL
    assert "biên bản bình xét" in lacking.reason and "kết quả bỏ phiếu kín" in lacking.reason
    services.proposal_update(actor=None, proposal=made, deliberated_on=dt.date(2025, 12, 5))
    made.candidates.update(votes=8, electorate=9)
    made.refresh_from_db()
    ok = verdict(made.candidates.get(), RuleKind.BALLOT_REQUIRED)
    assert ok.outcome == Outcome.PASS and "05/12/2025" in ok.reason and "8/9" in ok.reason


def test_overall_outcome_is_the_worst_verdict(receiver):
    term, units = _cluster_term(3)  # in a cluster, no vote yet: leadership unknown
    made = proposal(units[1], receiver, code="co-thi-dua-tinh", pending_case=True)
    check = check_candidate(made.candidates.get(), on=DECEMBER)
    assert check.outcome == Outcome.FAIL
    made.candidates.update(pending_case=False)
    check = check_candidate(made.candidates.get(), on=DECEMBER)
    assert check.outcome == Outcome.FAIL  # still no minutes; leadership unknown
    assert {v.outcome for v in check.verdicts} >= {Outcome.FAIL, Outcome.UNKNOWN}


def test_the_same_award_once_per_year(receiver):
    unit = UnitFactory()
    made = proposal(unit, receiver, code="tap-the-lao-dong-xuat-sac")
    candidate = made.candidates.get()
    assert verdict(candidate, RuleKind.NOT_YET_AWARDED).outcome == Outcome.PASS
    _record("tap-the-lao-dong-xuat-sac", 2024, unit=unit)  # another year: fine
    assert verdict(candidate, RuleKind.NOT_YET_AWARDED).outcome == Outcome.PASS
    _record("tap-the-lao-dong-xuat-sac", 2025, unit=unit)
    twice = verdict(candidate, RuleKind.NOT_YET_AWARDED)
    assert twice.outcome == Outcome.FAIL and "Sổ khen thưởng" in twice.reason


def test_a_decided_candidate_does_not_count_against_itself(receiver):
    made = proposal(UnitFactory(), receiver, state="decided")
    candidate = made.candidates.get()
    assert verdict(candidate, RuleKind.NOT_YET_AWARDED).outcome == Outcome.PASS
