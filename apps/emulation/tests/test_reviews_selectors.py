"""period_status and submission_overview at the day boundaries: the opening day, the deadline day,
the day after, a reopening that ran out yesterday, and the latest reopening winning."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.emulation.models import Assessment, PeriodReopening, ReviewPeriod
from apps.emulation.selectors import (
    PeriodState,
    Punctuality,
    overview_counts,
    period_status,
    review_period_detail,
    submission_overview,
)
from apps.emulation.tests.factories import review_period, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

OPENS, DEADLINE = dt.date(2025, 11, 1), dt.date(2025, 11, 20)
DAY = dt.timedelta(days=1)
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def units():
    # sort keys follow the short names: A… first
    return [UnitFactory(short_name=name) for name in ("An Giang", "Bắc Ninh", "Cà Mau", "Đà Nẵng")]


@pytest.fixture
def term(units):
    return org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=2025,
        members=units,
        leader=units[0],
        deputies=[units[1]],
    )


@pytest.fixture
def period(term):
    return review_period(term, opens_on=OPENS, deadline=DEADLINE)


def _reopen(period, unit, until, reason="Lý do"):
    return PeriodReopening.objects.create(period=period, unit=unit, until=until, reason=reason)


def _assessment(period, unit, **fields):
    pact = period.term.pacts.first() or signed_pact(period.term)
    return Assessment.objects.create(period=period, unit=unit, pact=pact, **fields)


# --- period_status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (OPENS - DAY, PeriodState.NOT_OPEN),  # the day before the opening
        (OPENS, PeriodState.OPEN),  # the opening day itself
        (DEADLINE, PeriodState.OPEN),  # the deadline day itself, to its last minute
        (DEADLINE + DAY, PeriodState.CLOSED),  # the day after
    ],
)
def test_status_at_the_day_boundaries(period, units, on, state):
    status = period_status(period, units[2], on)
    assert status.state == state
    assert status.reopening is None
    assert status.accepts == (state == PeriodState.OPEN)
    assert status.accepts == period.accepts_from(units[2], on)


def test_reopening_in_force_through_its_last_day_only(period, units):
    reopening = _reopen(period, units[2], until=DEADLINE + 3 * DAY)
    on_last_day = period_status(period, units[2], DEADLINE + 3 * DAY)
    assert on_last_day.state == PeriodState.REOPENED
    assert on_last_day.reopening == reopening
    assert on_last_day.accepts
    day_after = period_status(period, units[2], DEADLINE + 4 * DAY)
    assert day_after == (PeriodState.CLOSED, None)
    assert not day_after.accepts


def test_reopening_that_expired_yesterday_leaves_it_closed_today(period, units):
    today = timezone.localdate()
    period.opens_on, period.deadline = today - 30 * DAY, today - 10 * DAY
    period.save()
    _reopen(period, units[2], until=today - DAY)
    assert period_status(period, units[2]).state == PeriodState.CLOSED  # ``on`` left out: today
    assert period_status(period, units[2], today - DAY).state == PeriodState.REOPENED
    assert not period.accepts_from(units[2])


def test_reopening_is_for_its_unit_only(period, units):
    _reopen(period, units[2], until=DEADLINE + 5 * DAY)
    on = DEADLINE + DAY
    assert period_status(period, units[2], on).state == PeriodState.REOPENED
    assert period_status(period, units[3], on).state == PeriodState.CLOSED
    # The period's own state ignores reopenings: they are per unit.
    assert period_status(period, None, on).state == PeriodState.CLOSED


def test_latest_until_wins_whatever_the_order_of_reopening(period, units):
    long = _reopen(period, units[2], until=DEADLINE + 9 * DAY, reason="Dài")
    _reopen(period, units[2], until=DEADLINE + 2 * DAY, reason="Ngắn, ghi sau")
    status = period_status(period, units[2], DEADLINE + DAY)
    assert status.reopening == long
    assert period_status(period, units[2], DEADLINE + 5 * DAY).reopening == long


def test_reopening_does_not_matter_while_the_period_is_open_or_not_open(period, units):
    _reopen(period, units[2], until=DEADLINE + 5 * DAY)
    assert period_status(period, units[2], DEADLINE) == (PeriodState.OPEN, None)
    assert period_status(period, units[2], OPENS - DAY) == (PeriodState.NOT_OPEN, None)
    assert not period.accepts_from(units[2], OPENS - DAY)


def test_prefetched_and_queried_answers_agree_with_accepts_from(period, units):
    """The overview reads prefetched reopenings; the answer must be the model's, day by day."""
    _reopen(period, units[2], until=DEADLINE + 2 * DAY)
    _reopen(period, units[3], until=DEADLINE)  # given while open (dates changed since): no effect
    prefetched = review_period_detail(pk=period.pk)
    plain = ReviewPeriod.objects.get(pk=period.pk)
    day = OPENS - 2 * DAY
    while day <= DEADLINE + 4 * DAY:
        for unit in units:
            a, b = period_status(prefetched, unit, day), period_status(plain, unit, day)
            assert a == b, (day, unit)
            assert a.accepts == plain.accepts_from(unit, day), (day, unit)
        day += DAY


def test_unit_may_be_given_by_id(period, units):
    _reopen(period, units[2], until=DEADLINE + DAY)
    assert period_status(period, units[2].pk, DEADLINE + DAY).state == PeriodState.REOPENED


# --- submission_overview -----------------------------------------------------------------------


def test_overview_rows_states_and_punctuality(period, units):
    on_time = _assessment(
        period,
        units[0],
        state="submitted",
        submitted_at=dt.datetime(2025, 11, 20, 23, 50, tzinfo=VN),
    )
    _assessment(
        period,
        units[1],
        state="submitted",
        submitted_at=dt.datetime(2025, 11, 22, 9, 0, tzinfo=VN),
        submitted_late=True,
    )
    _assessment(period, units[2])  # a draft
    # units[3] has nothing
    rows = submission_overview(period, on=DEADLINE + DAY)
    assert [r.unit for r in rows] == units  # the term's order
    assert [r.role for r in rows] == ["leader", "deputy", "member", "member"]
    assert [r.state for r in rows] == ["submitted", "submitted", "draft", "none"]
    assert [r.punctuality for r in rows] == [
        Punctuality.ON_TIME,
        Punctuality.LATE,
        Punctuality.MISSING,
        Punctuality.MISSING,
    ]
    assert rows[0].assessment == on_time and rows[0].submitted_at == on_time.submitted_at
    assert rows[3].assessment is None and rows[3].submitted_at is None
    assert all(r.status.state == PeriodState.CLOSED for r in rows)
    counts = overview_counts(rows)
    assert counts == {
        "members": 4,
        "on_time": 1,
        "late": 1,
        "missing": 2,
        "pending": 0,
        "none": 1,
        "draft": 1,
        "submitted": 2,
    }


def test_nobody_is_missing_on_the_deadline_day(period, units):
    _assessment(period, units[2])
    rows = submission_overview(period, on=DEADLINE)
    assert {r.punctuality for r in rows} == {Punctuality.PENDING}
    assert {r.status.state for r in rows} == {PeriodState.OPEN}


def test_nobody_is_missing_before_the_opening(period, units):
    rows = submission_overview(period, on=OPENS - DAY)
    assert {r.punctuality for r in rows} == {Punctuality.PENDING}
    assert {r.status.state for r in rows} == {PeriodState.NOT_OPEN}


def test_reopened_unit_is_not_missing_until_its_reopening_runs_out(period, units):
    reopening = _reopen(period, units[3], until=DEADLINE + 2 * DAY)
    row = submission_overview(period, on=DEADLINE + 2 * DAY)[3]
    assert row.punctuality == Punctuality.PENDING
    assert row.status == (PeriodState.REOPENED, reopening)
    row = submission_overview(period, on=DEADLINE + 3 * DAY)[3]
    assert row.punctuality == Punctuality.MISSING
    assert row.status == (PeriodState.CLOSED, None)


def test_submission_counts_whatever_the_day_asked(period, units):
    """Late is what the submission recorded, not a comparison of dates made afterwards."""
    _assessment(
        period,
        units[0],
        state="submitted",
        submitted_at=dt.datetime(2025, 11, 5, 9, 0, tzinfo=VN),
    )
    for on in (OPENS, DEADLINE, DEADLINE + 30 * DAY):
        assert submission_overview(period, on=on)[0].punctuality == Punctuality.ON_TIME


def test_assessment_of_a_unit_outside_the_term_is_left_out(period, units):
    stranger = UnitFactory(short_name="Ngoài cụm")
    _assessment(period, stranger, state="submitted", submitted_at=timezone.now())
    rows = submission_overview(period, on=DEADLINE)
    assert stranger not in [r.unit for r in rows] and len(rows) == 4


def test_other_periods_do_not_leak_into_the_overview(term, period, units):
    other = review_period(
        term, kind="mid_year", opens_on=dt.date(2025, 6, 1), deadline=dt.date(2025, 6, 30)
    )
    _assessment(other, units[0], state="submitted", submitted_at=timezone.now())
    _reopen(other, units[1], until=DEADLINE + 10 * DAY)
    rows = submission_overview(period, on=DEADLINE + DAY)
    assert rows[0].state == "none"
    assert rows[1].status.state == PeriodState.CLOSED


def test_overview_default_day_is_today_in_vietnam(period, units):
    today = timezone.localdate()
    period.opens_on, period.deadline = today - 5 * DAY, today
    period.save()
    assert {r.status.state for r in submission_overview(period)} == {PeriodState.OPEN}


def test_overview_takes_a_fixed_number_of_queries(period, units):
    for unit in units[:2]:
        _assessment(period, unit)
    _reopen(period, units[3], until=DEADLINE + DAY)
    fresh = ReviewPeriod.objects.select_related("term").get(pk=period.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = submission_overview(fresh, on=DEADLINE + DAY)
        [r.status for r in rows]
    assert len(queries) == 3  # reopenings, assessments, memberships with units
