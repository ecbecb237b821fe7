"""Reads of self-assessments: the sheet page, running totals, and numbers other steps build on.

For later steps (cross-scoring, reconciliation, ranking, reports):

``self_points(period, *, submitted_only=True) -> {unit_id: {criterion_id: Decimal | None}}``
    Every unit's own claim per criterion (criteria, bonus and penalty items alike).
``self_scored_points(period) -> {unit_id: {criterion_id: Decimal}}``
    Only the criteria the pact scores "by the unit itself" (``ScoringMethod.SELF``), of submitted
    assessments: these points count directly; every other criterion is cross-scored.
``indicator_totals(period_ids=…, term_ids=…) -> list[IndicatorTotal]``
    Indicator values added up across units: a sum for counts and money, a mean for percentages.
``indicator_values_by_unit(period, *, code=None) -> {code: {unit_id: Decimal}}``
    The raw values per unit (e.g. ``good_practices`` for the ranking's tie-break).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, QuerySet, Sum

from apps.emulation.choices import (
    CriterionKind,
    IndicatorMeasure,
    PeriodKind,
    ScoringMethod,
    SheetState,
)
from apps.emulation.models import (
    Assessment,
    AssessmentItem,
    ContentGroup,
    Evidence,
    Indicator,
    IndicatorValue,
    ReviewPeriod,
)
from apps.organizations.models import Unit

__all__ = [
    "AssessmentTotals",
    "IndicatorRow",
    "IndicatorTotal",
    "SheetGroup",
    "assessment_detail",
    "assessment_for",
    "assessment_indicator_rows",
    "assessment_item_detail",
    "assessment_list",
    "assessment_sheet",
    "assessment_totals",
    "evidence_used_bytes",
    "indicator_totals",
    "indicator_values_by_unit",
    "self_points",
    "self_scored_points",
]

ZERO = Decimal("0")


@dataclass
class SheetGroup:
    """A content group of the pact with the unit's lines for its criteria."""

    group: ContentGroup
    lines: list[AssessmentItem] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentTotals:
    """The unit's own claim: criteria + bonus − penalty, and how many criteria are filled."""

    criteria: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    filled: int = 0
    required: int = 0

    @property
    def total(self) -> Decimal:
        return self.criteria + self.bonus - self.penalty

    @property
    def missing(self) -> int:
        return self.required - self.filled

    @property
    def complete(self) -> bool:
        return self.filled == self.required


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None


@dataclass(frozen=True)
class IndicatorTotal:
    """An indicator added up across units: ``value`` is a sum (count, money) or a mean
    (percent, rounded to two decimals); ``units`` is how many units reported a value."""

    indicator: Indicator
    value: Decimal
    units: int

    @property
    def is_mean(self) -> bool:
        return self.indicator.measure == IndicatorMeasure.PERCENT


def assessment_for(*, period: ReviewPeriod, unit: Unit) -> Assessment | None:
    return Assessment.objects.filter(period=period, unit=unit).first()


def assessment_list(*, period: ReviewPeriod | None = None) -> QuerySet[Assessment]:
    """The base list; who may read which row is the permission layer's answer."""
    queryset = Assessment.objects.select_related("period__term__cluster", "unit", "submitted_by")
    if period is not None:
        queryset = queryset.filter(period=period)
    return queryset.order_by("period_id", "unit__sort_key", "id")


def _items() -> QuerySet[AssessmentItem]:
    return AssessmentItem.objects.select_related("criterion__group", "updated_by").order_by(
        "criterion__group__position",
        "criterion__group_id",
        "criterion__position",
        "criterion_id",
    )


def _evidence() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "id")


def assessment_detail(*, pk: int) -> Assessment:
    """An assessment with its lines (criterion, group, last editor) and their evidence loaded."""
    return (
        Assessment.objects.select_related("period__term__cluster", "unit", "pact", "submitted_by")
        .prefetch_related(
            Prefetch("items", queryset=_items().prefetch_related(Prefetch("evidence", _evidence())))
        )
        .get(pk=pk)
    )


def assessment_item_detail(*, pk: int) -> AssessmentItem:
    return (
        _items()
        .select_related("assessment__period__term", "assessment__unit")
        .prefetch_related(Prefetch("evidence", _evidence()))
        .get(pk=pk)
    )


def assessment_sheet(*, assessment: Assessment) -> list[SheetGroup]:
    """The lines grouped by content group, in the pact's order (uses the prefetched lines)."""
    groups: dict[int, SheetGroup] = {}
    for item in assessment.items.all():
        group = item.criterion.group
        groups.setdefault(group.pk, SheetGroup(group)).lines.append(item)
    return list(groups.values())


def assessment_totals(*, assessment: Assessment | None = None, items=None) -> AssessmentTotals:
    """The running total of the unit's claim, from ``items`` or the assessment's lines."""
    if items is None:
        items = assessment.items.select_related("criterion") if assessment is not None else []
    sums = dict.fromkeys(CriterionKind.values, ZERO)
    filled = required = 0
    for item in items:
        kind = item.criterion.kind
        if item.points is not None:
            sums[kind] += item.points
        if kind == CriterionKind.CRITERION:
            required += 1
            filled += item.points is not None
    return AssessmentTotals(
        criteria=sums[CriterionKind.CRITERION],
        bonus=sums[CriterionKind.BONUS],
        penalty=sums[CriterionKind.PENALTY],
        filled=filled,
        required=required,
    )


def evidence_used_bytes(*, assessment: Assessment) -> int:
    return (
        Evidence.objects.filter(item__assessment=assessment).aggregate(total=Sum("size"))["total"]
        or 0
    )


def assessment_indicator_rows(*, assessment: Assessment | None) -> list[IndicatorRow]:
    """Every indicator in use, with the unit's value when it has one; retired indicators appear
    only where the unit entered a value while they were in use."""
    values = {}
    if assessment is not None:
        values = {v.indicator_id: v for v in assessment.indicator_values.all()}
    indicators = Indicator.objects.order_by("position", "code")
    return [
        IndicatorRow(indicator, values.get(indicator.pk))
        for indicator in indicators
        if indicator.active or indicator.pk in values
    ]


# --- for other steps -----------------------------------------------------------------------------


def _submitted(period: ReviewPeriod, submitted_only: bool) -> QuerySet[AssessmentItem]:
    items = AssessmentItem.objects.filter(assessment__period=period)
    if submitted_only:
        items = items.filter(assessment__state=SheetState.SUBMITTED)
    return items


def self_points(
    *, period: ReviewPeriod, submitted_only: bool = True
) -> dict[int, dict[int, Decimal | None]]:
    """``{unit_id: {criterion_id: points}}``: each unit's own claim per line (None: left empty)."""
    result: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    rows = _submitted(period, submitted_only).values_list(
        "assessment__unit_id", "criterion_id", "points"
    )
    for unit_id, criterion_id, points in rows:
        result[unit_id][criterion_id] = points
    return dict(result)


def self_scored_points(*, period: ReviewPeriod) -> dict[int, dict[int, Decimal]]:
    """Points that count as they are: submitted lines of criteria scored by the unit itself.
    An empty bonus or penalty line counts as 0."""
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        _submitted(period, True)
        .filter(criterion__scoring_method=ScoringMethod.SELF)
        .values_list("assessment__unit_id", "criterion_id", "points")
    )
    for unit_id, criterion_id, points in rows:
        result[unit_id][criterion_id] = points if points is not None else ZERO
    return dict(result)


def indicator_values_by_unit(
    *, period: ReviewPeriod, code: str | None = None, submitted_only: bool = True
) -> dict[str, dict[int, Decimal]]:
    """``{indicator code: {unit_id: value}}`` for ``period``."""
    values = IndicatorValue.objects.filter(assessment__period=period)
    if submitted_only:
        values = values.filter(assessment__state=SheetState.SUBMITTED)
    if code is not None:
        values = values.filter(indicator__code=code)
    result: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for indicator_code, unit_id, value in values.values_list(
        "indicator__code", "assessment__unit_id", "value"
    ):
        result[indicator_code][unit_id] = value
    return dict(result)


def indicator_totals(
    *,
    period_ids: Iterable[int] = (),
    term_ids: Iterable[int] = (),
    period_kind: str = PeriodKind.YEAR_END,
    submitted_only: bool = True,
) -> list[IndicatorTotal]:
    """Indicator values added up across units, for reports.

    ``period_ids`` picks periods directly; ``term_ids`` picks each term's period of
    ``period_kind`` (the year-end review by default: the mid-year figures are part of it, adding
    both would count twice). Counts and money are summed; a percentage is the mean of the units'
    percentages (each unit weighs the same). Only submitted assessments count unless
    ``submitted_only`` is False. Indicators without any value are left out.
    """
    periods = set(period_ids)
    term_ids = list(term_ids)
    if term_ids:
        periods |= set(
            ReviewPeriod.objects.filter(term_id__in=term_ids, kind=period_kind).values_list(
                "pk", flat=True
            )
        )
    if not periods:
        return []
    values = IndicatorValue.objects.filter(assessment__period_id__in=periods)
    if submitted_only:
        values = values.filter(assessment__state=SheetState.SUBMITTED)
    rows = values.values("indicator_id").annotate(
        total=Sum("value"), mean=Avg("value"), units=Count("assessment__unit_id", distinct=True)
    )
    by_indicator = {row["indicator_id"]: row for row in rows}
    result = []
    for indicator in Indicator.objects.filter(pk__in=by_indicator).order_by("position", "code"):
        row = by_indicator[indicator.pk]
        if indicator.measure == IndicatorMeasure.PERCENT:
            value = Decimal(str(row["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            value = Decimal(str(row["total"]))
        result.append(IndicatorTotal(indicator, value, row["units"]))
    return result
