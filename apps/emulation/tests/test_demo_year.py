"""The demo's illustrative 2025 year-end of cluster 1 (``make demo`` loads it)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.emulation import services
from apps.emulation.choices import PeriodKind, SheetState
from apps.emulation.demo_year import CONFERENCE, year_end_records_import
from apps.emulation.models import Assessment, RankingEntry, ScoreSheet
from apps.emulation.selectors import publish_blockers, scoring_plan
from apps.emulation.tests.factories import review_period
from apps.organizations.demo import load_demo
from apps.voting.choices import BallotState
from apps.voting.models import BallotPaper, VoterRecord
from apps.voting.selectors import ballot_tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(demo):
    return year_end_records_import(actor=None, term=demo.terms[2025])


def test_the_whole_year_is_recorded_and_consistent(demo, year):
    period = year.period
    assert period.kind == PeriodKind.YEAR_END and period.deadline == dt.date(2025, 11, 25)
    submitted = Assessment.objects.filter(period=period, state=SheetState.SUBMITTED)
    assert submitted.count() == 9 and not submitted.filter(submitted_late=True).exists()
    assert all(a.submitted_at.date() <= period.deadline for a in submitted)
    expected = len(scoring_plan(period=period).expected_pairs())
    assert ScoreSheet.objects.filter(period=period, state=SheetState.SUBMITTED).count() == expected
    assert year.sheets == expected == 72  # 9 × 8 peers; the panel sits among them
    assert publish_blockers(period=period) == []


def test_phu_tho_leads_the_published_ranking_and_wins_the_vote_eight_of_nine(demo, year):
    period = year.period
    assert period.ranking_published_at == CONFERENCE + dt.timedelta(hours=2)
    first = RankingEntry.objects.get(period=period, rank=1)
    assert first.unit == demo.units["Phú Thọ"]
    assert RankingEntry.objects.filter(period=period).count() == 9
    ballot = year.ballot
    assert ballot.state == BallotState.PUBLISHED
    assert ballot.published_at.date() == dt.date(2025, 12, 5)
    tally = ballot_tally(ballot=ballot)
    rows = {row.unit.short_name: row for row in tally.candidates}
    assert (rows["Phú Thọ"].votes, tally.electorate_size) == (8, 9)
    assert rows["Phú Thọ"].elected and not rows["Hà Nội"].passed
    assert rows["Phú Thọ"].fraction == "8/9"
    # Paper votes: one record per unit with no account, distinct receipts.
    assert VoterRecord.objects.filter(ballot=ballot, voted_by__isnull=True).count() == 9
    receipts = BallotPaper.objects.filter(ballot=ballot).values_list("receipt", flat=True)
    assert len(set(receipts)) == 9


def test_importing_again_changes_nothing(demo, year):
    events = AuditEvent.objects.count()
    assert year_end_records_import(actor=None, term=demo.terms[2025]) is None
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="demo.year_end_import").count() == 1


def test_the_demo_command_loads_it_and_the_fixture_does_not(db):
    plain = load_demo()
    assert not plain.terms[2025].review_periods.exists()
    full = load_demo(year_records=True)
    assert full.year_records is not None
    assert full.terms[2025].review_periods.get().ranking_published


def test_only_an_import_may_backdate_a_ranking(demo):
    term = demo.terms[2025]
    period = review_period(term, panel=[demo.units["Phú Thọ"], demo.units["Hà Nội"]])
    with pytest.raises(ValidationError) as info:
        services.ranking_publish(
            actor=demo.users["phutho.chuyenvien"], period=period, at=CONFERENCE
        )
    assert "Chỉ dữ liệu nhập từ văn bản giấy mới được ghi thời điểm riêng." in info.value.messages
    period.refresh_from_db()
    assert period.ranking_published_at is None
