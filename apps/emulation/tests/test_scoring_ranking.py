"""The ranking: what counts per criterion, totals, caps, every tie-break key, shared ranks,
publishing (refused while incomplete, frozen after) and a query-count ceiling."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.models import AuditEvent
from apps.emulation import selectors, services
from apps.emulation.choices import SheetState, TieBreakKey
from apps.emulation.models import AssessmentItem, RankingEntry, Score
from apps.emulation.selectors.scoring import LineSource
from apps.emulation.tests.scenarios_scoring import (
    BONUS,
    CRIT,
    PENALTY,
    SELF,
    P,
    X,
    fill_all,
    fill_sheet,
    scoring_setup,
    submit_assessment,
)
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

TIE_CRITERIA = (
    ("K1", 10, P, CRIT),
    ("K2", 10, P, CRIT),
    ("Thưởng", 5, P, BONUS),
    ("Trừ", 5, P, PENALTY),
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _finals(setup, unit, **points):
    """Final scores by criterion title (K1, K2, Thưởng, Trừ) for ``unit``."""
    titles = {"bonus": "Thưởng", "penalty": "Trừ"}
    for key, value in points.items():
        criterion = setup.criterion(titles.get(key, key))
        services.final_score_set(
            actor=None,
            period=setup.period,
            unit=unit,
            criterion=criterion,
            points=Decimal(str(value)),
            reason="Thống nhất",
        )


def _tie_setup(tie_break, count=2, units=None):
    return scoring_setup(count=count, units=units, criteria=TIE_CRITERIA, tie_break=tie_break)


def _by_unit(ranking):
    return {row.unit.pk: row for row in ranking.rows}


# --- what counts -------------------------------------------------------------------------------


def test_each_line_says_where_its_points_come_from():
    s = scoring_setup(
        count=3,
        criteria=(
            ("Chấm chéo", 60, P, CRIT),
            ("Hội đồng", 30, X, CRIT),
            ("Tự chấm", 10, SELF, CRIT),
            ("Thưởng", 5, P, BONUS),
            ("Trừ", 5, P, PENALTY),
        ),
    )
    a, b, c = s.units  # a leads, b deputises: the panel is a and b
    submit_assessment(s.period, c, s.pact, points={"Tự chấm": 8})
    fill_sheet(s.period, a, c, {"Chấm chéo": 50, "Hội đồng": 20, "Thưởng": 2, "Trừ": 1})
    fill_sheet(s.period, b, c, {"Chấm chéo": 45, "Hội đồng": 25, "Thưởng": 3, "Trừ": 0})
    services.final_score_set(
        actor=None,
        period=s.period,
        unit=c,
        criterion=s.criterion("Hội đồng"),
        points="24",
        reason="Bổ sung minh chứng",
    )
    row = _by_unit(selectors.compute_ranking(s.period, with_scorers=True))[c.pk]
    lines = {line.column.title: line for line in row.lines}
    assert (lines["Chấm chéo"].source, lines["Chấm chéo"].points) == (
        LineSource.MEAN,
        Decimal("47.50"),
    )
    assert lines["Chấm chéo"].scorer_count == 2
    assert lines["Chấm chéo"].scorers == [
        (a.short_name, Decimal("50.00")),
        (b.short_name, Decimal("45.00")),
    ]
    assert lines["Hội đồng"].source == LineSource.FINAL
    assert lines["Hội đồng"].points == Decimal("24.00")
    assert lines["Hội đồng"].computed == Decimal("22.50")
    assert lines["Hội đồng"].reason == "Bổ sung minh chứng"
    assert (lines["Tự chấm"].source, lines["Tự chấm"].points) == (LineSource.SELF, Decimal("8"))
    assert row.criteria_points == Decimal("79.50")
    assert row.bonus_points == Decimal("2.50") and row.penalty_points == Decimal("0.50")
    assert row.total == Decimal("81.50")
    assert [line.column.code for line in row.lines] == ["I.1", "I.2", "I.3", "I.4", "I.5"]


def test_panel_criterion_of_a_panel_unit_is_scored_by_the_other_panel_member():
    s = scoring_setup(count=3, criteria=(("Hội đồng", 20, X, CRIT),))
    a, b, c = s.units
    fill_sheet(s.period, b, a, {"Hội đồng": 15})
    fill_sheet(s.period, a, b, {"Hội đồng": 18})
    fill_sheet(s.period, a, c, {"Hội đồng": 10})
    fill_sheet(s.period, b, c, {"Hội đồng": 12})
    rows = _by_unit(selectors.compute_ranking(s.period))
    assert rows[a.pk].lines[0].points == Decimal("15.00")
    assert rows[a.pk].lines[0].scorer_count == 1
    assert rows[b.pk].lines[0].points == Decimal("18.00")
    assert rows[c.pk].lines[0].points == Decimal("11.00")
    assert [r.unit for r in selectors.compute_ranking(s.period).rows] == [b, a, c]


def test_scores_from_a_unit_no_longer_on_the_panel_do_not_count():
    s = scoring_setup(count=3, criteria=(("Hội đồng", 20, X, CRIT),))
    a, b, c = s.units
    fill_sheet(s.period, a, c, {"Hội đồng": 20})
    fill_sheet(s.period, b, c, {"Hội đồng": 10})
    s.period.panel.set([a])
    line = _by_unit(selectors.compute_ranking(s.period))[c.pk].lines[0]
    assert line.points == Decimal("20.00") and line.scorer_count == 1


def test_points_are_capped_at_the_maximum():
    s = scoring_setup(count=2, criteria=(("Tự chấm", 10, SELF, CRIT),))
    a, b = s.units
    # A stored value above the maximum (an import, an older rule) never counts above it.
    AssessmentItem.objects.filter(assessment__unit=a).update(points=Decimal("12"))
    line = _by_unit(selectors.compute_ranking(s.period))[a.pk].lines[0]
    assert line.points == Decimal("10") and line.capped
    assert line.self_points == Decimal("12.00")


def test_missing_scores_count_zero_and_block_publishing():
    s = scoring_setup(count=2, criteria=(("Hội đồng", 20, X, CRIT),), panel=[])
    a, b = s.units
    ranking = selectors.compute_ranking(s.period)
    assert all(row.lines[0].source == LineSource.MISSING for row in ranking.rows)
    assert all(row.total == 0 for row in ranking.rows)
    blockers = selectors.publish_blockers(period=s.period)
    assert len(blockers) == 2 and "no score for criterion I.1" in blockers[0]
    _finals_for_all = [
        services.final_score_set(
            actor=None, period=s.period, unit=u, criterion=s.criteria[0], points=5, reason="Họp"
        )
        for u in (a, b)
    ]
    assert _finals_for_all and selectors.publish_blockers(period=s.period) == []


def test_no_pact_in_force_gives_an_empty_ranking():
    from apps.emulation.tests.factories import review_period
    from apps.organizations import services as org
    from apps.organizations.tests.factories import ClusterFactory

    units = [UnitFactory(), UnitFactory()]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    period = review_period(term)
    ranking = selectors.compute_ranking(period)
    assert ranking.rows == [] and ranking.pact is None
    assert selectors.publish_blockers(period=period) == ["The term has no signed pact in force."]


# --- ties --------------------------------------------------------------------------------------


def test_tie_broken_by_criteria_at_maximum():
    s = _tie_setup([TieBreakKey.CRITERIA_AT_MAXIMUM])
    a, b = s.units
    _finals(s, b, K1=10, K2=5)
    _finals(s, a, K1=7.5, K2=7.5)
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit, r.rank, r.total) for r in ranking.rows] == [
        (b, 1, Decimal("15.00")),
        (a, 2, Decimal("15.00")),
    ]
    assert ranking.rows[0].criteria_at_maximum == 1
    assert ranking.rows[0].ties == [
        {"other": a.short_name, "relation": "below", "key": "criteria_at_maximum"}
    ]
    assert ranking.rows[1].ties[0]["relation"] == "above"


def test_tie_broken_by_good_practices():
    s = _tie_setup([TieBreakKey.CRITERIA_AT_MAXIMUM, TieBreakKey.GOOD_PRACTICES])
    a, b = s.units
    submit_assessment(s.period, a, s.pact, good_practices=3)
    submit_assessment(s.period, b, s.pact, good_practices=5)
    _finals(s, a, K1=7.5, K2=7.5)
    _finals(s, b, K1=7.5, K2=7.5)
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit, r.rank) for r in ranking.rows] == [(b, 1), (a, 2)]
    assert ranking.rows[0].good_practices == Decimal("5")
    # The first key is equal (0 and 0): the second decided.
    assert ranking.rows[0].ties[0]["key"] == "good_practices"


def test_good_practices_count_zero_when_not_reported():
    s = _tie_setup([TieBreakKey.GOOD_PRACTICES])
    a, b = s.units
    submit_assessment(s.period, b, s.pact, good_practices=1)
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit, r.good_practices) for r in ranking.rows] == [(b, 1), (a, 0)]


def test_tie_broken_by_criteria_points_and_by_fewer_penalties():
    s = _tie_setup([TieBreakKey.CRITERIA_POINTS])
    a, b = s.units
    _finals(s, a, K1=10, K2=3, bonus=2)  # 13 + 2 = 15
    _finals(s, b, K1=10, K2=6, penalty=1)  # 16 − 1 = 15
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit, r.rank, r.total) for r in ranking.rows] == [
        (b, 1, Decimal("15.00")),
        (a, 2, Decimal("15.00")),
    ]
    s.pact.tie_break = [TieBreakKey.FEWER_PENALTIES]
    s.pact.save(update_fields=["tie_break"])
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit, r.rank) for r in ranking.rows] == [(a, 1), (b, 2)]
    assert ranking.rows[0].ties[0]["key"] == "fewer_penalties"


def test_full_tie_shares_the_rank_in_vietnamese_name_order():
    units = [
        UnitFactory(short_name="Cao Bằng", name="Ban Tổ chức Tỉnh ủy Cao Bằng"),
        UnitFactory(short_name="Lai Châu", name="Ban Tổ chức Tỉnh ủy Lai Châu"),
        UnitFactory(short_name="Điện Biên", name="Ban Tổ chức Tỉnh ủy Điện Biên"),
        UnitFactory(short_name="Bắc Kạn", name="Ban Tổ chức Tỉnh ủy Bắc Kạn"),
    ]
    cao_bang, lai_chau, dien_bien, bac_kan = units
    s = _tie_setup([TieBreakKey.CRITERIA_AT_MAXIMUM, TieBreakKey.GOOD_PRACTICES], units=units)
    for unit in (lai_chau, dien_bien):
        _finals(s, unit, K1=10, K2=8)
    _finals(s, cao_bang, K1=9, K2=8)
    _finals(s, bac_kan, K1=9, K2=8)
    ranking = selectors.compute_ranking(s.period)
    assert [(r.unit.short_name, r.rank) for r in ranking.rows] == [
        ("Điện Biên", 1),
        ("Lai Châu", 1),
        ("Bắc Kạn", 3),
        ("Cao Bằng", 3),
    ]
    assert ranking.rows[0].ties == [{"other": "Lai Châu", "relation": "below", "key": None}]
    # 17 against 18: different totals, no tie note between Lai Châu and Bắc Kạn.
    assert ranking.rows[1].ties == [{"other": "Điện Biên", "relation": "above", "key": None}]


def test_no_tie_break_keys_means_equal_totals_share_the_rank():
    s = _tie_setup([])
    a, b = s.units
    _finals(s, a, K1=10, K2=5)
    _finals(s, b, K1=5, K2=10)
    assert [r.rank for r in selectors.compute_ranking(s.period).rows] == [1, 1]


# --- publishing --------------------------------------------------------------------------------


def test_publish_is_refused_while_anything_is_missing_and_says_what():
    s = scoring_setup(count=3, criteria=(("Một", 10, P, CRIT),), assess=False)
    a, b, c = s.units
    submit_assessment(s.period, a, s.pact)
    submit_assessment(s.period, b, s.pact)
    fill_sheet(s.period, c, a)
    fill_sheet(s.period, c, b, submit=False)
    with pytest.raises(ValidationError) as caught:
        services.ranking_publish(actor=None, period=s.period)
    text = " ".join(caught.value.messages)
    assert "cannot be published yet" in text
    assert f"Self-assessments not submitted: {c.short_name}." in text
    assert f"{a.short_name} → {b.short_name}" in text  # not started
    assert f"still in draft: {c.short_name} → {b.short_name}." in text
    assert not RankingEntry.objects.exists()
    s.period.refresh_from_db()
    assert not s.period.ranking_published


def test_publish_freezes_the_ranking_and_everything_behind_it():
    s = scoring_setup(count=3, criteria=(("Một", 10, P, CRIT), ("Trừ", 5, P, PENALTY)))
    a, b, c = s.units
    fill_all(s, {"Một": 8, "Trừ": 0})
    from apps.accounts.choices import Role
    from apps.accounts.tests.factories import UserFactory

    secretary = UserFactory(role=Role.UNIT_OFFICER, unit=a)
    period = services.ranking_publish(actor=secretary, period=s.period)
    assert period.ranking_published and period.ranking_published_by == secretary
    entries = list(RankingEntry.objects.filter(period=period).order_by("rank", "unit__sort_key"))
    assert len(entries) == 3 and {e.rank for e in entries} == {1}
    assert entries[0].total == Decimal("8.00")
    assert entries[0].explanation["lines"][0]["scorers"]
    event = AuditEvent.objects.get(action="ranking.publish")
    assert event.actor == secretary and len(event.after["ranking"]) == 3

    frozen = selectors.ranking_for(period=period)
    assert frozen.published and [c.code for c in frozen.columns] == ["I.1", "I.2"]
    assert [r.total for r in frozen.rows] == [e.total for e in entries]

    # Everything is final now.
    with pytest.raises(ValidationError, match="already published"):
        services.ranking_publish(actor=secretary, period=period)
    with pytest.raises(ValidationError, match="published"):
        services.final_score_set(
            actor=None, period=period, unit=a, criterion=s.criteria[0], points=1, reason="x"
        )
    with pytest.raises(ValidationError, match="published"):
        services.score_sheet_start(actor=None, period=period, scorer=a, target=b)
    # Even a change behind the services' back leaves the published ranking as it was.
    Score.objects.filter(sheet__target=a, criterion__title="Một").update(points=Decimal("1"))
    assert selectors.ranking_for(period=period).rows[0].total == Decimal("8.00")
    assert _by_unit(selectors.compute_ranking(period))[a.pk].total == Decimal("1.00")
    assert not Score.objects.filter(sheet__state=SheetState.DRAFT).exists()


# --- speed -------------------------------------------------------------------------------------


def _cluster_with_scores(count):
    s = scoring_setup(count=count, criteria=TIE_CRITERIA + (("Hội đồng", 10, X, CRIT),))
    fill_all(s, None)
    s.period.refresh_from_db()
    return s


@pytest.mark.parametrize("count", [3, 7])
def test_compute_ranking_query_count_does_not_grow_with_units(count, django_assert_max_num_queries):
    s = _cluster_with_scores(count)
    from apps.emulation.models import ReviewPeriod

    period = ReviewPeriod.objects.get(pk=s.period.pk)
    with django_assert_max_num_queries(10):
        ranking = selectors.compute_ranking(period)
    assert len(ranking.rows) == count
    period = ReviewPeriod.objects.get(pk=s.period.pk)
    with django_assert_max_num_queries(11):
        selectors.compute_ranking(period, with_scorers=True)
    period = ReviewPeriod.objects.get(pk=s.period.pk)
    with django_assert_max_num_queries(4):
        selectors.published_ranking(period=period)
