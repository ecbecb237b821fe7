"""Party age by month with gaps and re-admission; badges around each milestone, the early-award
windows and the award rounds."""

import datetime as dt

import pytest

from apps.members.party_age import (
    EARLY_ILL,
    EARLY_POSTHUMOUS,
    Gap,
    award_rounds,
    badges_due,
    months_between,
    next_round,
    party_age_months,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2000, 3, 15), D(2000, 4, 14), 0),
        (D(2000, 3, 15), D(2000, 4, 15), 1),
        (D(2000, 1, 31), D(2000, 2, 29), 0),
        (D(2000, 1, 31), D(2000, 3, 1), 1),
        (D(2000, 5, 1), D(2000, 4, 1), 0),
    ],
)
def test_whole_months(start, end, months):
    assert months_between(start, end) == months


def test_party_age_without_gaps():
    assert party_age_months(D(1995, 2, 3), D(2025, 2, 3)) == 360
    assert party_age_months(D(1995, 2, 3), D(2025, 2, 2)) == 359
    assert party_age_months(D(1995, 2, 3), D(1990, 1, 1)) == 0


def test_gaps_are_subtracted_and_overlaps_counted_once():
    gaps = [Gap(D(2000, 1, 1), D(2001, 1, 1)), Gap(D(2000, 7, 1), D(2001, 7, 1))]
    # 30 years minus 18 months out (Jan 2000 – Jul 2001, the overlap counted once).
    assert party_age_months(D(1995, 1, 1), D(2025, 1, 1), gaps) == 360 - 18


def test_readmission_counts_from_the_first_admission_minus_the_time_out():
    first = D(1990, 5, 19)
    out = Gap(D(2000, 5, 19), D(2004, 5, 19))  # removed from the rolls, re-admitted 4 years later
    assert party_age_months(first, D(2025, 5, 19), [out]) == (35 - 4) * 12


def test_an_open_gap_stops_the_count():
    assert party_age_months(D(1990, 1, 1), D(2025, 1, 1), [Gap(D(2020, 1, 1))]) == 30 * 12


def test_gap_before_admission_is_ignored():
    assert (
        party_age_months(D(1995, 1, 1), D(2025, 1, 1), [Gap(D(1990, 1, 1), D(1994, 1, 1))]) == 360
    )


def test_award_rounds_and_next_round():
    assert award_rounds(2026) == [D(2026, 2, 3), D(2026, 5, 19), D(2026, 9, 2), D(2026, 11, 7)]
    assert next_round(D(2026, 5, 19)) == D(2026, 5, 19)
    assert next_round(D(2026, 5, 20)) == D(2026, 9, 2)
    assert next_round(D(2026, 11, 8)) == D(2027, 2, 3)


@pytest.mark.parametrize(
    ("round_on", "due"),
    [(D(2026, 2, 2), []), (D(2026, 2, 3), [30])],
)
def test_thirty_years_on_the_day(round_on, due):
    assert badges_due(admitted_on=D(1996, 2, 3), round_on=round_on) == due


def test_already_awarded_is_not_due_again():
    assert badges_due(admitted_on=D(1976, 2, 3), round_on=D(2026, 2, 3), awarded={30, 40, 45}) == [
        50
    ]


@pytest.mark.parametrize(
    ("admitted", "early", "due"),
    [
        (D(1997, 2, 3), None, []),  # 29 years: not yet
        (D(1997, 2, 3), EARLY_ILL, [30]),  # 12 months early for 30–65 years
        (D(1997, 2, 4), EARLY_ILL, []),  # one day short of the window
        (D(1997, 2, 3), EARLY_POSTHUMOUS, [30]),
        (
            D(1958, 2, 3),
            EARLY_ILL,
            [30, 40, 45, 50, 55, 60, 65, 70],
        ),  # 68 years: 70 within 24 months
        (D(1958, 2, 3), EARLY_POSTHUMOUS, [30, 40, 45, 50, 55, 60, 65]),  # posthumous: 12 only
        (D(1957, 2, 3), EARLY_ILL, [30, 40, 45, 50, 55, 60, 65, 70]),
        (D(1957, 2, 3), EARLY_POSTHUMOUS, [30, 40, 45, 50, 55, 60, 65, 70]),
    ],
)
def test_early_award_windows(admitted, early, due):
    assert badges_due(admitted_on=admitted, round_on=D(2026, 2, 3), early=early) == due
