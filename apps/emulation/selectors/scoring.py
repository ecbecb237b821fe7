"""Reads of cross-scoring (chấm chéo), reconciliation and the ranking (xếp hạng).

Entry points for other steps (the dashboard, the benchmark, the awards):

``scoring_plan(*, period) -> ScoringPlan``
    Who scores what, computed from the pact in force, the term's members and the period's panel
    (four queries; no sheet needs to exist): ``plan.criteria_for(scorer_id)``,
    ``plan.expected_pairs()``.
``scoring_progress(*, period) -> list[ScorerProgress]``
    Per scoring unit: sheets expected, started, submitted (two queries after the plan).
``scorer_sheets(*, period, scorer) -> list[SheetRow]``
    A scoring unit's to-do list: one row per unit it must score, with its sheet if started.
``reconciliation(*, period, unit_id=None) -> Reconciliation``
    Per unit and criterion: self points, every submitted score, mean, spread, flags, final score.
``compute_ranking(period, *, with_scorers=False) -> Ranking``
    The live ranking, aggregated in SQL with a fixed number of queries (nine, ten with
    ``with_scorers``), whatever the number of units, criteria and scorers.
``published_ranking(*, period) -> Ranking``
    The frozen ranking (``RankingEntry`` rows and their explanation), two queries.
``ranking_for(*, period) -> Ranking``
    The frozen ranking once published, else the live one with every scorer's points.
``publish_blockers(*, period, ranking=None) -> list[str]``
    What still stands in the way of publishing (translated sentences); empty when it may be.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.utils.translation import gettext as _

from apps.emulation.choices import CriterionKind, ScoringMethod, SheetState, TieBreakKey
from apps.emulation.models import (
    Assessment,
    AssessmentItem,
    Criterion,
    FinalScore,
    IndicatorValue,
    Pact,
    RankingEntry,
    ReviewPeriod,
    Score,
    ScoreSheet,
)
from apps.emulation.selectors.pact import pact_in_force
from apps.organizations.models import Unit

__all__ = [
    "GOOD_PRACTICES_CODE",
    "Column",
    "LineSource",
    "Ranking",
    "RankingLine",
    "RankingRow",
    "ReconLine",
    "ReconScore",
    "ReconUnit",
    "Reconciliation",
    "ScorerProgress",
    "ScoringPlan",
    "SheetRow",
    "compute_ranking",
    "computed_score",
    "mean_of",
    "points_margin",
    "publish_blockers",
    "published_ranking",
    "ranking_for",
    "reconciliation",
    "scorer_sheets",
    "scoring_plan",
    "scoring_progress",
    "tie_break_label",
]

GOOD_PRACTICES_CODE = "good_practices"
CENT = Decimal("0.01")
ZERO = Decimal("0")
WIDE = DecimalField(max_digits=14, decimal_places=2)


def mean_of(total: Decimal, count: int) -> Decimal | None:
    """The mean shown and counted everywhere: two decimals, halves rounded up."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(CENT, rounding=ROUND_HALF_UP)


def points_margin(period: ReviewPeriod, max_points: Decimal) -> Decimal:
    """``flag_margin`` percent of a criterion's maximum, in points."""
    return (Decimal(period.flag_margin) * Decimal(max_points) / 100).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def tie_break_label(key: str) -> str:
    return str(TieBreakKey(key).label) if key in TieBreakKey.values else key


# --- who scores what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A criterion as the ranking shows it (also rebuilt from a frozen ranking's explanation)."""

    id: int
    code: str
    title: str
    kind: str
    method: str
    max_points: Decimal

    @classmethod
    def of(cls, criterion: Criterion, number: int) -> Column:
        return cls(
            id=criterion.pk,
            code=f"{criterion.group.code}.{number}",
            title=criterion.title,
            kind=criterion.kind,
            method=criterion.scoring_method,
            max_points=criterion.max_points,
        )

    @property
    def kind_label(self) -> str:
        return str(CriterionKind(self.kind).label)


@dataclass
class ScoringPlan:
    period: ReviewPeriod
    pact: Pact | None
    criteria: list[Criterion]
    columns: list[Column]
    members: list[Unit]
    panel: list[Unit]

    @property
    def member_ids(self) -> set[int]:
        return {u.pk for u in self.members}

    @property
    def panel_ids(self) -> set[int]:
        return {u.pk for u in self.panel}

    @property
    def scorers(self) -> list[Unit]:
        """Members, then panel units from outside the term."""
        members = self.member_ids
        return self.members + [u for u in self.panel if u.pk not in members]

    def unit(self, pk: int) -> Unit | None:
        return next((u for u in self.scorers if u.pk == pk), None)

    def criteria_for(self, scorer_id: int) -> list[Criterion]:
        """What ``scorer_id`` scores on every other member: the peers' criteria when it is a
        member, the panel's when it sits on the panel. Self-scored criteria never."""
        peer, panel = scorer_id in self.member_ids, scorer_id in self.panel_ids
        return [
            c
            for c in self.criteria
            if (c.scoring_method == ScoringMethod.PEERS and peer)
            or (c.scoring_method == ScoringMethod.PANEL and panel)
        ]

    def scorer_ids_for(self, target_id: int, criterion: Criterion | Column) -> set[int]:
        method = getattr(criterion, "scoring_method", None) or criterion.method
        if method == ScoringMethod.PEERS:
            return self.member_ids - {target_id}
        if method == ScoringMethod.PANEL:
            return self.panel_ids - {target_id}
        return set()

    def targets_of(self, scorer_id: int) -> list[Unit]:
        if not self.criteria_for(scorer_id):
            return []
        return [u for u in self.members if u.pk != scorer_id]

    def expected_pairs(self) -> list[tuple[int, int]]:
        """(scorer id, target id) of every sheet the period needs."""
        return [(s.pk, t.pk) for s in self.scorers for t in self.targets_of(s.pk)]


def scoring_plan(*, period: ReviewPeriod) -> ScoringPlan:
    pact = pact_in_force(term=period.term)
    criteria: list[Criterion] = []
    columns: list[Column] = []
    if pact is not None:
        criteria = list(
            Criterion.objects.filter(group__pact=pact)
            .select_related("group")
            .order_by("group__position", "group_id", "position", "id")
        )
        numbers: dict[int, int] = defaultdict(int)
        for criterion in criteria:
            numbers[criterion.group_id] += 1
            columns.append(Column.of(criterion, numbers[criterion.group_id]))
    members = [
        m.unit
        for m in period.term.memberships.select_related("unit").order_by(
            "unit__sort_key", "unit_id"
        )
    ]
    panel = list(period.panel.order_by("sort_key", "id"))
    return ScoringPlan(period, pact, criteria, columns, members, panel)


# --- progress and a scorer's to-do list -----------------------------------------------------------


@dataclass
class ScorerProgress:
    unit: Unit
    expected: int
    started: int
    submitted: int

    @property
    def done(self) -> bool:
        return self.submitted >= self.expected


def scoring_progress(
    *, period: ReviewPeriod, plan: ScoringPlan | None = None
) -> list[ScorerProgress]:
    plan = plan or scoring_plan(period=period)
    expected = set(plan.expected_pairs())
    started: dict[int, int] = defaultdict(int)
    submitted: dict[int, int] = defaultdict(int)
    for scorer_id, target_id, state in ScoreSheet.objects.filter(period=period).values_list(
        "scorer_id", "target_id", "state"
    ):
        if (scorer_id, target_id) in expected:
            started[scorer_id] += 1
            submitted[scorer_id] += state == SheetState.SUBMITTED
    counts: dict[int, int] = defaultdict(int)
    for scorer_id, _target in expected:
        counts[scorer_id] += 1
    return [
        ScorerProgress(unit, counts[unit.pk], started[unit.pk], submitted[unit.pk])
        for unit in plan.scorers
        if counts[unit.pk]
    ]


@dataclass
class SheetRow:
    target: Unit
    sheet: ScoreSheet | None
    lines: int
    filled: int
    target_submitted: bool

    @property
    def state(self) -> str:
        return self.sheet.state if self.sheet else "none"


def scorer_sheets(
    *, period: ReviewPeriod, scorer: Unit, plan: ScoringPlan | None = None
) -> list[SheetRow]:
    plan = plan or scoring_plan(period=period)
    sheets = {
        s.target_id: s
        for s in ScoreSheet.objects.filter(period=period, scorer=scorer).annotate(
            line_count=Count("scores"),
            filled_count=Count("scores", filter=Q(scores__points__isnull=False)),
        )
    }
    submitted = set(
        Assessment.objects.filter(period=period, state=SheetState.SUBMITTED).values_list(
            "unit_id", flat=True
        )
    )
    expected_lines = len(plan.criteria_for(scorer.pk))
    rows = []
    for target in plan.targets_of(scorer.pk):
        sheet = sheets.get(target.pk)
        rows.append(
            SheetRow(
                target=target,
                sheet=sheet,
                lines=sheet.line_count if sheet else expected_lines,
                filled=sheet.filled_count if sheet else 0,
                target_submitted=target.pk in submitted,
            )
        )
    return rows


# --- reconciliation ----------------------------------------------------------------------------


@dataclass
class ReconScore:
    unit_id: int
    unit_name: str
    points: Decimal
    deviation: Decimal = ZERO
    flagged: bool = False


@dataclass
class ReconLine:
    column: Column
    self_points: Decimal | None
    scores: list[ReconScore]
    mean: Decimal | None
    spread: Decimal | None
    computed: Decimal | None
    margin: Decimal
    self_flag: bool
    expected_scorers: int
    final: FinalScore | None

    @property
    def flags(self) -> int:
        return sum(s.flagged for s in self.scores) + self.self_flag

    @property
    def final_is_stale(self) -> bool:
        """The scores changed after the secretariat decided."""
        return self.final is not None and self.final.computed != self.computed

    @property
    def counted(self) -> Decimal | None:
        return self.final.points if self.final is not None else self.computed


@dataclass
class ReconUnit:
    unit: Unit
    assessment_submitted: bool
    sheets_expected: int
    sheets_submitted: int
    lines: list[ReconLine] = field(default_factory=list)
    flags: int = 0
    finals: int = 0


@dataclass
class Reconciliation:
    period: ReviewPeriod
    plan: ScoringPlan
    units: list[ReconUnit]
    selected: ReconUnit | None


def _self_points(period: ReviewPeriod, criterion_ids, unit_id=None) -> dict:
    items = AssessmentItem.objects.filter(
        assessment__period=period,
        assessment__state=SheetState.SUBMITTED,
        criterion_id__in=criterion_ids,
    )
    if unit_id is not None:
        items = items.filter(assessment__unit_id=unit_id)
    return {
        (unit, criterion): points
        for unit, criterion, points in items.values_list(
            "assessment__unit_id", "criterion_id", "points"
        )
    }


def _counted_scores(period: ReviewPeriod, plan: ScoringPlan):
    """Submitted, filled scores from units entitled to give them (a unit that left the panel or
    the term no longer counts)."""
    return Score.objects.filter(
        Q(criterion__scoring_method=ScoringMethod.PEERS, sheet__scorer_id__in=plan.member_ids)
        | Q(criterion__scoring_method=ScoringMethod.PANEL, sheet__scorer_id__in=plan.panel_ids),
        sheet__period=period,
        sheet__state=SheetState.SUBMITTED,
        sheet__target_id__in=plan.member_ids,
        criterion_id__in=[c.pk for c in plan.criteria],
        points__isnull=False,
    )


def reconciliation(*, period: ReviewPeriod, unit_id: int | None = None) -> Reconciliation:
    """Every member unit with its lines (self points, scores, mean, spread, flags, final score)
    and flag count; ``selected`` is the unit ``unit_id`` (the page shows one unit at a time)."""
    plan = scoring_plan(period=period)
    return _reconcile(period, plan, unit_id)


def _reconcile(period: ReviewPeriod, plan: ScoringPlan, unit_id: int | None) -> Reconciliation:
    names = {u.pk: u.short_name for u in plan.scorers}
    scores: dict[tuple[int, int], list[ReconScore]] = defaultdict(list)
    for target_id, criterion_id, scorer_id, points in (
        _counted_scores(period, plan)
        .order_by("sheet__scorer__sort_key", "sheet__scorer_id")
        .values_list("sheet__target_id", "criterion_id", "sheet__scorer_id", "points")
    ):
        scores[target_id, criterion_id].append(
            ReconScore(scorer_id, names.get(scorer_id, str(scorer_id)), points)
        )
    self_points = _self_points(period, [c.pk for c in plan.criteria])
    finals = {
        (f.unit_id, f.criterion_id): f
        for f in FinalScore.objects.filter(period=period).select_related("decided_by")
    }
    submitted_assessments = set(
        Assessment.objects.filter(period=period, state=SheetState.SUBMITTED).values_list(
            "unit_id", flat=True
        )
    )
    submitted_sheets: dict[int, int] = defaultdict(int)
    expected = set(plan.expected_pairs())
    for scorer_id, target_id in ScoreSheet.objects.filter(
        period=period, state=SheetState.SUBMITTED
    ).values_list("scorer_id", "target_id"):
        if (scorer_id, target_id) in expected:
            submitted_sheets[target_id] += 1
    expected_per_target: dict[int, int] = defaultdict(int)
    for _scorer, target_id in expected:
        expected_per_target[target_id] += 1

    units = []
    selected = None
    for unit in plan.members:
        entry = ReconUnit(
            unit=unit,
            assessment_submitted=unit.pk in submitted_assessments,
            sheets_expected=expected_per_target[unit.pk],
            sheets_submitted=submitted_sheets[unit.pk],
        )
        for criterion, column in zip(plan.criteria, plan.columns, strict=True):
            line = _recon_line(
                period,
                plan,
                unit.pk,
                criterion,
                column,
                self_points.get((unit.pk, criterion.pk)),
                scores.get((unit.pk, criterion.pk), []),
                finals.get((unit.pk, criterion.pk)),
            )
            entry.lines.append(line)
            entry.flags += line.flags
            entry.finals += line.final is not None
        units.append(entry)
        if unit.pk == unit_id:
            selected = entry
    return Reconciliation(period, plan, units, selected)


def _recon_line(period, plan, unit_id, criterion, column, own, scores, final) -> ReconLine:
    margin = points_margin(period, criterion.max_points)
    if criterion.scoring_method == ScoringMethod.SELF:
        mean = spread = None
        computed = own
        self_flag = False
    else:
        mean = mean_of(sum((s.points for s in scores), ZERO), len(scores))
        spread = max(s.points for s in scores) - min(s.points for s in scores) if scores else None
        computed = mean
        for score in scores:
            score.deviation = score.points - mean
            score.flagged = abs(score.deviation) > margin
        self_flag = own is not None and mean is not None and abs(own - mean) > margin
    return ReconLine(
        column=column,
        self_points=own,
        scores=scores,
        mean=mean,
        spread=spread,
        computed=computed,
        margin=margin,
        self_flag=self_flag,
        expected_scorers=len(plan.scorer_ids_for(unit_id, criterion)),
        final=final,
    )


def computed_score(*, period: ReviewPeriod, unit: Unit, criterion: Criterion) -> Decimal | None:
    """The computed score of one unit and criterion (self points, or the mean of the submitted
    scores), as the reconciliation shows it. ``None`` when there is none yet."""
    if criterion.scoring_method == ScoringMethod.SELF:
        return _self_points(period, [criterion.pk], unit.pk).get((unit.pk, criterion.pk))
    plan = scoring_plan(period=period)
    totals = (
        _counted_scores(period, plan)
        .filter(sheet__target=unit, criterion=criterion)
        .aggregate(total=Sum("points", output_field=WIDE), n=Count("id"))
    )
    return mean_of(totals["total"] or ZERO, totals["n"])


# --- the ranking -------------------------------------------------------------------------------


class LineSource:
    SELF = "self"
    MEAN = "mean"
    FINAL = "final"
    MISSING = "missing"


@dataclass
class RankingLine:
    """One criterion of one unit's total: the points that count and where they came from."""

    column: Column
    points: Decimal
    source: str
    scorer_count: int = 0
    computed: Decimal | None = None
    self_points: Decimal | None = None
    reason: str = ""
    capped: bool = False
    scorers: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def at_maximum(self) -> bool:
        return self.points == self.column.max_points

    @property
    def source_text(self) -> str:
        """Where the points came from, in a sentence for the page and the workbook."""
        if self.source == LineSource.SELF:
            return _("self-assessed")
        if self.source == LineSource.MEAN:
            return _("mean of %(count)s scorers") % {"count": self.scorer_count}
        if self.source == LineSource.FINAL:
            return _("reconciled: %(reason)s") % {"reason": self.reason or _("as computed")}
        return _("no score")

    def as_json(self) -> dict:
        c = self.column
        return {
            "criterion": c.id,
            "code": c.code,
            "title": c.title,
            "kind": c.kind,
            "method": c.method,
            "max_points": str(c.max_points),
            "points": str(self.points),
            "source": self.source,
            "scorer_count": self.scorer_count,
            "computed": None if self.computed is None else str(self.computed),
            "self_points": None if self.self_points is None else str(self.self_points),
            "reason": self.reason,
            "capped": self.capped,
            "scorers": [[name, str(points)] for name, points in self.scorers],
        }

    @classmethod
    def from_json(cls, data: dict) -> RankingLine:
        def dec(value):
            return None if value is None else Decimal(value)

        column = Column(
            id=data["criterion"],
            code=data["code"],
            title=data["title"],
            kind=data["kind"],
            method=data["method"],
            max_points=Decimal(data["max_points"]),
        )
        return cls(
            column=column,
            points=Decimal(data["points"]),
            source=data["source"],
            scorer_count=data.get("scorer_count", 0),
            computed=dec(data.get("computed")),
            self_points=dec(data.get("self_points")),
            reason=data.get("reason", ""),
            capped=data.get("capped", False),
            scorers=[(name, Decimal(points)) for name, points in data.get("scorers", [])],
        )


@dataclass
class RankingRow:
    unit: Unit
    lines: list[RankingLine]
    criteria_points: Decimal
    bonus_points: Decimal
    penalty_points: Decimal
    total: Decimal
    criteria_at_maximum: int
    good_practices: Decimal
    rank: int = 0
    # [{"other": unit name, "relation": "above"|"below", "key": deciding key or None}]
    ties: list[dict] = field(default_factory=list)

    def key_value(self, key: str):
        return {
            TieBreakKey.CRITERIA_AT_MAXIMUM: self.criteria_at_maximum,
            TieBreakKey.GOOD_PRACTICES: self.good_practices,
            TieBreakKey.CRITERIA_POINTS: self.criteria_points,
            TieBreakKey.FEWER_PENALTIES: self.penalty_points,
        }[key]

    @property
    def tie_notes(self) -> list[dict]:
        """``ties`` with the deciding key's label, for the page."""
        return [
            {**tie, "key_label": tie_break_label(tie["key"]) if tie["key"] else ""}
            for tie in self.ties
        ]

    def line(self, criterion_id: int) -> RankingLine | None:
        return next((line for line in self.lines if line.column.id == criterion_id), None)

    def explanation(self, tie_break: list[str]) -> dict:
        return {
            "lines": [line.as_json() for line in self.lines],
            "criteria_at_maximum": self.criteria_at_maximum,
            "good_practices": str(self.good_practices),
            "tie_break": list(tie_break),
            "ties": self.ties,
        }


@dataclass
class Ranking:
    period: ReviewPeriod
    pact: Pact | None
    columns: list[Column]
    tie_break: list[str]
    rows: list[RankingRow]
    published: bool = False

    @property
    def tie_break_labels(self) -> list[str]:
        return [tie_break_label(k) for k in self.tie_break]

    @property
    def missing_lines(self) -> list[tuple[Unit, Column]]:
        return [
            (row.unit, line.column)
            for row in self.rows
            for line in row.lines
            if line.source == LineSource.MISSING
        ]


def _sort_value(row: RankingRow, key: str):
    value = row.key_value(key)
    return value if key == TieBreakKey.FEWER_PENALTIES else -value


def _order_key(row: RankingRow, tie_break: list[str]) -> tuple:
    return (-row.total, *(_sort_value(row, k) for k in tie_break))


def _deciding_key(a: RankingRow, b: RankingRow, tie_break: list[str]) -> str | None:
    return next((k for k in tie_break if a.key_value(k) != b.key_value(k)), None)


def rank_rows(rows: list[RankingRow], tie_break: list[str]) -> list[RankingRow]:
    """Order by total, then the pact's tie-break keys; units still equal share a rank (1, 1, 3)
    and stand in Vietnamese name order. Each row notes which key set it apart from the units
    with the same total next to it."""
    rows = sorted(rows, key=lambda r: (_order_key(r, tie_break), r.unit.sort_key, r.unit.pk))
    for index, row in enumerate(rows):
        if index and _order_key(rows[index - 1], tie_break) == _order_key(row, tie_break):
            row.rank = rows[index - 1].rank
        else:
            row.rank = index + 1
        row.ties = []
    for above, below in zip(rows, rows[1:], strict=False):
        if above.total != below.total:
            continue
        key = _deciding_key(above, below, tie_break)
        above.ties.append({"other": below.unit.short_name, "relation": "below", "key": key})
        below.ties.append({"other": above.unit.short_name, "relation": "above", "key": key})
    return rows


def compute_ranking(period: ReviewPeriod, *, with_scorers: bool = False) -> Ranking:
    """The live ranking of ``period``.

    Per unit and criterion the points that count are the secretariat's final score when one was
    recorded, else the computed one (the mean of the submitted scores, or the unit's own submitted
    points for self-scored criteria), capped at the criterion's maximum; missing counts 0 and is
    reported by ``publish_blockers``. Criteria points + bonus − penalty = total. Aggregation is in
    SQL; the query count does not grow with units, criteria or scorers.
    """
    plan = scoring_plan(period=period)
    pact = plan.pact
    tie_break = [k for k in (pact.tie_break if pact else []) if k in TieBreakKey.values]
    if pact is None:
        return Ranking(period, None, [], tie_break, [])

    sums = {
        (target, criterion): (total, n)
        for target, criterion, total, n in _counted_scores(period, plan)
        .values("sheet__target_id", "criterion_id")
        .annotate(total=Sum("points", output_field=WIDE), n=Count("id"))
        .values_list("sheet__target_id", "criterion_id", "total", "n")
        .order_by()
    }
    scorers: dict[tuple[int, int], list[tuple[str, Decimal]]] = defaultdict(list)
    if with_scorers:
        for target, criterion, name, points in (
            _counted_scores(period, plan)
            .order_by("sheet__scorer__sort_key", "sheet__scorer_id")
            .values_list("sheet__target_id", "criterion_id", "sheet__scorer__short_name", "points")
        ):
            scorers[target, criterion].append((name, points))
    self_points = _self_points(period, [c.pk for c in plan.criteria])
    finals = {
        (unit, criterion): (points, computed, reason)
        for unit, criterion, points, computed, reason in FinalScore.objects.filter(
            period=period, criterion_id__in=[c.pk for c in plan.criteria]
        ).values_list("unit_id", "criterion_id", "points", "computed", "reason")
    }
    good_practices = dict(
        IndicatorValue.objects.filter(
            assessment__period=period,
            assessment__state=SheetState.SUBMITTED,
            indicator__code=GOOD_PRACTICES_CODE,
        ).values_list("assessment__unit_id", "value")
    )

    rows = []
    for unit in plan.members:
        lines = []
        totals = dict.fromkeys(CriterionKind.values, ZERO)
        at_max = 0
        for criterion, column in zip(plan.criteria, plan.columns, strict=True):
            key = (unit.pk, criterion.pk)
            own = self_points.get(key)
            if criterion.scoring_method == ScoringMethod.SELF:
                computed, count = own, 0
                source = LineSource.SELF
            else:
                total, count = sums.get(key, (ZERO, 0))
                computed = mean_of(total, count)
                source = LineSource.MEAN
            reason = ""
            points = computed
            if key in finals:
                points, _computed_then, reason = finals[key]
                source = LineSource.FINAL
            if points is None:
                points, source = ZERO, LineSource.MISSING
            capped = points > criterion.max_points
            points = min(points, criterion.max_points)
            line = RankingLine(
                column=column,
                points=points,
                source=source,
                scorer_count=count,
                computed=computed,
                self_points=own,
                reason=reason,
                capped=capped,
                scorers=scorers.get(key, []),
            )
            lines.append(line)
            totals[criterion.kind] += points
            at_max += criterion.kind == CriterionKind.CRITERION and line.at_maximum
        criteria_points = totals[CriterionKind.CRITERION]
        rows.append(
            RankingRow(
                unit=unit,
                lines=lines,
                criteria_points=criteria_points,
                bonus_points=totals[CriterionKind.BONUS],
                penalty_points=totals[CriterionKind.PENALTY],
                total=criteria_points + totals[CriterionKind.BONUS] - totals[CriterionKind.PENALTY],
                criteria_at_maximum=at_max,
                good_practices=good_practices.get(unit.pk, ZERO),
            )
        )
    return Ranking(period, pact, plan.columns, tie_break, rank_rows(rows, tie_break))


def published_ranking(*, period: ReviewPeriod) -> Ranking:
    """The ranking as it was frozen at publication (later edits change nothing here)."""
    entries = list(
        RankingEntry.objects.filter(period=period)
        .select_related("unit")
        .order_by("rank", "unit__sort_key", "unit_id")
    )
    rows = []
    tie_break: list[str] = []
    for entry in entries:
        data = entry.explanation or {}
        tie_break = data.get("tie_break", tie_break)
        rows.append(
            RankingRow(
                unit=entry.unit,
                lines=[RankingLine.from_json(line) for line in data.get("lines", [])],
                criteria_points=entry.criteria_points,
                bonus_points=entry.bonus_points,
                penalty_points=entry.penalty_points,
                total=entry.total,
                criteria_at_maximum=data.get("criteria_at_maximum", 0),
                good_practices=Decimal(data.get("good_practices", "0")),
                rank=entry.rank,
                ties=data.get("ties", []),
            )
        )
    columns = [line.column for line in rows[0].lines] if rows else []
    return Ranking(period, None, columns, tie_break, rows, published=True)


def ranking_for(*, period: ReviewPeriod) -> Ranking:
    if period.ranking_published:
        return published_ranking(period=period)
    return compute_ranking(period, with_scorers=True)


def publish_blockers(*, period: ReviewPeriod, ranking: Ranking | None = None) -> list[str]:
    """Why the ranking cannot be published yet, one sentence per cause."""
    plan = scoring_plan(period=period)
    if plan.pact is None:
        return [_("The term has no signed pact in force.")]
    blockers = []
    submitted = set(
        Assessment.objects.filter(period=period, state=SheetState.SUBMITTED).values_list(
            "unit_id", flat=True
        )
    )
    missing = [u.short_name for u in plan.members if u.pk not in submitted]
    if missing:
        blockers.append(
            _("Self-assessments not submitted: %(units)s.") % {"units": ", ".join(missing)}
        )
    states = {
        (s, t): state
        for s, t, state in ScoreSheet.objects.filter(period=period).values_list(
            "scorer_id", "target_id", "state"
        )
    }
    names = {u.pk: u.short_name for u in plan.scorers}
    not_started, drafts = [], []
    for pair in plan.expected_pairs():
        state = states.get(pair)
        label = f"{names[pair[0]]} → {names[pair[1]]}"
        if state is None:
            not_started.append(label)
        elif state != SheetState.SUBMITTED:
            drafts.append(label)
    if not_started:
        blockers.append(
            _("Score sheets not started: %(sheets)s.") % {"sheets": "; ".join(not_started)}
        )
    if drafts:
        blockers.append(
            _("Score sheets still in draft: %(sheets)s.") % {"sheets": "; ".join(drafts)}
        )
    if not blockers:
        ranking = ranking or compute_ranking(period)
        for unit, column in ranking.missing_lines:
            blockers.append(
                _(
                    "%(unit)s has no score for criterion %(code)s (nobody scores it): record a "
                    "final score in the reconciliation."
                )
                % {"unit": unit.short_name, "code": column.code}
            )
    return blockers
