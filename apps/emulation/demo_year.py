"""The 2025 year-end of cluster 1, recorded after the fact (illustrative, like the demo pact).

What the seed articles say happened: the year-end review conference on 05/12/2025, hosted by Phú
Thọ, the cluster leader; Phú Thọ was the cluster's leading unit (the Commission's emulation flag).
What they do not say — every unit's points, every scorer's sheet, the vote count — is made up,
deterministically, so the demo shows a whole year: nine submitted self-assessments with
indicators, the cross-scoring sheets of every other member (panel: Phú Thọ and Hà Nội), the
ranking published at the conference with Phú Thọ first, and the acclamation vote held there
(Phú Thọ 8 of 9).

Everything is written as records imported from paper: the rows carry the dates of the events
(submissions in November 2025, the ranking and the vote on 05/12/2025), no signed-in user, and one
audit event that says what was imported. The period, the ranking and the ballot go through the
same services as live ones. Idempotent: a term that already has a year-end period is left alone.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from apps.core.audit import no_change, record_event, service
from apps.emulation import services
from apps.emulation.choices import CriterionKind, PeriodKind, SheetState
from apps.emulation.models import (
    Assessment,
    AssessmentItem,
    Criterion,
    Indicator,
    IndicatorValue,
    ReviewPeriod,
    Score,
    ScoreSheet,
)
from apps.emulation.selectors import pact_in_force, scoring_plan, term_member_units
from apps.organizations.models import ClusterTerm

VN = dt.timezone(dt.timedelta(hours=7))
OPENS_ON = dt.date(2025, 11, 10)
DEADLINE = dt.date(2025, 11, 25)
CONFERENCE = dt.datetime(2025, 12, 5, 8, 0, tzinfo=VN)
QUESTION = "Đơn vị dẫn đầu Cụm thi đua số 1 năm 2025 đề nghị tặng Cờ thi đua"

# How strong each unit's year was (share of the maximum its scorers give), best first.
STRENGTH = {
    "Phú Thọ": Decimal("0.97"),
    "Hà Nội": Decimal("0.94"),
    "Thái Nguyên": Decimal("0.92"),
    "Tuyên Quang": Decimal("0.91"),
    "Lào Cai": Decimal("0.90"),
    "Cao Bằng": Decimal("0.89"),
    "Sơn La": Decimal("0.88"),
    "Điện Biên": Decimal("0.87"),
    "Lai Châu": Decimal("0.86"),
}
# Bonus (mô hình được Trung ương ghi nhận) and penalty (late reports) items, as the panel scored.
BONUS = {"Phú Thọ": 4, "Hà Nội": 3, "Thái Nguyên": 2, "Tuyên Quang": 2, "Lào Cai": 1}
PENALTY = {"Điện Biên": 1, "Lai Châu": 1}
GOOD_PRACTICES = {
    "Phú Thọ": 9,
    "Hà Nội": 8,
    "Thái Nguyên": 6,
    "Tuyên Quang": 6,
    "Lào Cai": 5,
    "Cao Bằng": 5,
    "Sơn La": 4,
    "Điện Biên": 3,
    "Lai Châu": 3,
}
# The acclamation vote at the conference: who each unit's leader chose.
VOTES = dict.fromkeys(STRENGTH, "Phú Thọ") | {"Phú Thọ": "Hà Nội"}
EXPLANATION = "Hoàn thành theo giao ước; báo cáo và văn bản minh chứng gửi kèm (hồ sơ giấy)."


@dataclass
class YearRecords:
    period: ReviewPeriod
    assessments: int
    sheets: int
    scores: int
    ballot: object


def _half(value: Decimal) -> Decimal:
    """Points to the nearest half point, as the sheets are filled."""
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _wobble(*keys: int) -> Decimal:
    """A small deterministic variation (−0.04 … +0.04) so scorers do not all agree."""
    return Decimal((sum(k * p for k, p in zip(keys, (7, 13, 29), strict=False)) % 9) - 4) / 100


def _points(criterion, strength: Decimal, *keys: int) -> Decimal:
    share = min(Decimal(1), max(Decimal("0.5"), strength + _wobble(*keys)))
    return _half(criterion.max_points * share)


def _line_points(criterion, unit, strength: Decimal, *keys: int) -> Decimal:
    """A line's points: bonus and penalty items from the tables above, criteria by strength."""
    if criterion.kind == CriterionKind.BONUS:
        return Decimal(BONUS.get(unit.short_name, 0))
    if criterion.kind == CriterionKind.PENALTY:
        return Decimal(PENALTY.get(unit.short_name, 0))
    return _points(criterion, strength, *keys)


@service
def year_end_records_import(*, actor, term: ClusterTerm) -> YearRecords | None:
    """Import the illustrative 2025 year-end of cluster 1 (see the module docstring)."""
    if term.review_periods.filter(kind=PeriodKind.YEAR_END).exists():
        no_change()
        return None
    units = {u.short_name: u for u in term_member_units(term=term)}
    period = services.review_period_create(
        actor=None,
        term=term,
        kind=PeriodKind.YEAR_END,
        opens_on=OPENS_ON,
        deadline=DEADLINE,
        panel=[units["Phú Thọ"], units["Hà Nội"]],
    )
    pact = pact_in_force(term=term, on=DEADLINE)
    criteria = list(
        Criterion.objects.filter(group__pact=pact).order_by("group__position", "position", "id")
    )
    good_practices = Indicator.objects.filter(code="good_practices").first()
    cccd = Indicator.objects.filter(code="members_with_cccd_pct").first()

    # Self-assessments: submitted on different days of the window, all on time.
    assessments = 0
    for index, (name, unit) in enumerate(sorted(units.items(), key=lambda kv: kv[1].sort_key)):
        strength = STRENGTH[name] + Decimal("0.02")  # units rate themselves a little higher
        assessment = Assessment.objects.create(
            period=period,
            unit=unit,
            pact=pact,
            state=SheetState.SUBMITTED,
            submitted_at=dt.datetime(2025, 11, 17 + index % 7, 15, 30, tzinfo=VN),
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                criterion=c,
                points=_line_points(c, unit, strength, unit.pk, c.pk),
                explanation=EXPLANATION,
                version=1,
            )
            for c in criteria
        )
        values = []
        if good_practices is not None:
            values.append(
                IndicatorValue(
                    assessment=assessment,
                    indicator=good_practices,
                    value=Decimal(GOOD_PRACTICES[name]),
                )
            )
        if cccd is not None:  # "9/9 đơn vị hoàn thành … cập nhật căn cước công dân"
            values.append(IndicatorValue(assessment=assessment, indicator=cccd, value=100))
        IndicatorValue.objects.bulk_create(values)
        assessments += 1

    # Cross-scoring: every expected sheet, submitted before the conference.
    plan = scoring_plan(period=period)
    by_id = {u.pk: u for u in units.values()}
    sheets = scores = 0
    for scorer_id, target_id in plan.expected_pairs():
        target = by_id[target_id]
        sheet = ScoreSheet.objects.create(
            period=period,
            scorer=by_id[scorer_id],
            target=target,
            state=SheetState.SUBMITTED,
            submitted_at=dt.datetime(2025, 11, 28, 10, 0, tzinfo=VN),
        )
        rows = []
        for c in plan.criteria_for(scorer_id):
            value = _line_points(c, target, STRENGTH[target.short_name], scorer_id, target_id, c.pk)
            rows.append(Score(sheet=sheet, criterion=c, points=value, version=1))
        Score.objects.bulk_create(rows)
        sheets += 1
        scores += len(rows)

    # The steps inside are imports (no signed-in actor, so they may carry the paper's dates);
    # the event below names who imported them.
    period = services.ranking_publish(
        actor=None, period=period, at=CONFERENCE + dt.timedelta(hours=2)
    )
    ballot = _acclamation_vote(term, units)
    record_event(
        actor=actor,
        action="demo.year_end_import",
        obj=period,
        after={
            "source": "illustrative records of the 2025 year-end (demo)",
            "assessments": assessments,
            "score_sheets": sheets,
            "scores": scores,
            "ballot": ballot,
        },
    )
    return YearRecords(period, assessments, sheets, scores, ballot)


def _acclamation_vote(term, units):
    """The paper ballot of the conference, entered afterwards: a voter record per unit (no
    account: paper) and the papers in random order, then closed and published."""
    from apps.voting import services as voting
    from apps.voting.models import Ballot, BallotPaper, VoterRecord
    from apps.voting.selectors import published_ranking_units

    top = [unit for unit, rank in published_ranking_units(term=term) if rank <= 3]
    ballot = voting.ballot_create(actor=None, term=term, question=QUESTION, candidates=top)
    ballot = voting.ballot_open(actor=None, ballot=ballot)
    candidates = {c.unit.short_name: c.pk for c in ballot.candidates.select_related("unit")}
    voted_at = CONFERENCE + dt.timedelta(hours=3)
    VoterRecord.objects.bulk_create(
        VoterRecord(ballot=ballot, unit=unit, voted_by=None, voted_at=voted_at)
        for unit in units.values()
    )
    papers = [
        BallotPaper(ballot=ballot, receipt=voting.new_receipt(), choices=[candidates[choice]])
        for choice in VOTES.values()
    ]
    secrets.SystemRandom().shuffle(papers)
    BallotPaper.objects.bulk_create(papers)
    voting.ballot_close(actor=None, ballot=ballot)
    voting.ballot_publish(actor=None, ballot=ballot)
    Ballot.objects.filter(pk=ballot.pk).update(
        opened_at=CONFERENCE + dt.timedelta(hours=2, minutes=30),
        closed_at=CONFERENCE + dt.timedelta(hours=3, minutes=15),
        published_at=CONFERENCE + dt.timedelta(hours=3, minutes=30),
    )
    ballot.refresh_from_db()
    return ballot
