"""Cross-scoring, reconciliation and ranking: test arrangement (``scoring_setup``), one audit
scenario per service (``apps/core/tests/test_audit.py``) and the permission-matrix rows
(``apps/accounts/tests/test_permission_matrix.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from apps.emulation import services
from apps.emulation.choices import CriterionKind, ScoringMethod, SheetState
from apps.emulation.models import (
    Assessment,
    AssessmentItem,
    Criterion,
    Indicator,
    IndicatorValue,
    ReviewPeriod,
    ScoreSheet,
)
from apps.emulation.tests.factories import review_period
from apps.organizations import services as org
from apps.organizations.models import ClusterTerm, Unit
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

S = "apps.emulation.services.scoring."
P, X, SELF = ScoringMethod.PEERS, ScoringMethod.PANEL, ScoringMethod.SELF
CRIT, BONUS, PENALTY = CriterionKind.CRITERION, CriterionKind.BONUS, CriterionKind.PENALTY

# (title, maximum, scored by, kind)
DEFAULT_CRITERIA = (
    ("Công tác cán bộ", 60, P, CRIT),
    ("Sắp xếp tổ chức bộ máy", 30, X, CRIT),
    ("Cập nhật dữ liệu đảng viên", 10, SELF, CRIT),
    ("Điểm thưởng", 5, P, BONUS),
    ("Điểm trừ", 5, P, PENALTY),
)


@dataclass
class ScoringSetup:
    term: ClusterTerm
    units: list[Unit]
    period: ReviewPeriod
    pact: object
    criteria: list[Criterion]

    def criterion(self, title: str) -> Criterion:
        return next(c for c in self.criteria if c.title == title)


def scoring_pact(term, criteria=DEFAULT_CRITERIA, *, tie_break=None):
    """A pact signed by every member (imported signatures), with the given criteria."""
    pact = services.pact_create(
        actor=None, term=term, title="Giao ước chấm chéo", tie_break=tie_break
    )
    group = services.content_group_add(actor=None, pact=pact, code="I", title="Nhóm một")
    for title, points, method, kind in criteria:
        services.criterion_add(
            actor=None,
            group=group,
            title=title,
            max_points=Decimal(points),
            scoring_method=method,
            kind=kind,
        )
    services.pact_open_for_signing(actor=None, pact=pact)
    for membership in term.memberships.all():
        services.pact_sign(actor=None, pact=pact, unit=membership.unit)
    pact.refresh_from_db()
    return pact


def submit_assessment(period, unit, pact, *, points=None, good_practices=None) -> Assessment:
    """A submitted self-assessment made through the ORM (the self-assessment step has its own
    services and tests). ``points``: {criterion title: points}; the rest get their maximum."""
    points = points or {}
    assessment, _created = Assessment.objects.update_or_create(
        period=period,
        unit=unit,
        defaults={
            "pact": pact,
            "state": SheetState.SUBMITTED,
            "submitted_at": timezone.now(),
        },
    )
    for criterion in Criterion.objects.filter(group__pact=pact):
        AssessmentItem.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"points": Decimal(str(points.get(criterion.title, criterion.max_points)))},
        )
    if good_practices is not None:
        IndicatorValue.objects.update_or_create(
            assessment=assessment,
            indicator=Indicator.objects.get(code="good_practices"),
            defaults={"value": Decimal(good_practices)},
        )
    return assessment


def scoring_setup(
    *,
    units: list[Unit] | None = None,
    count: int = 3,
    criteria=DEFAULT_CRITERIA,
    tie_break=None,
    panel: list[Unit] | None = None,
    deputies: int = 1,
    assess: bool = True,
    year: int = 2025,
    **period_fields,
) -> ScoringSetup:
    """A term (first unit leads, the next ``deputies`` deputise), a signed pact, a year-end period
    open today (panel: the leader and deputies unless given) and, with ``assess``, every member's
    submitted self-assessment at maximum points."""
    units = units or [UnitFactory(short_name=f"Đơn vị {chr(65 + i)}") for i in range(count)]
    term = org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=year,
        members=units,
        leader=units[0],
        deputies=units[1 : 1 + deputies],
    )
    pact = scoring_pact(term, criteria, tie_break=tie_break)
    period = review_period(term, panel=panel, **period_fields)
    if assess:
        for unit in units:
            submit_assessment(period, unit, pact)
    ordered = list(
        Criterion.objects.filter(group__pact=pact).order_by("group__position", "position", "id")
    )
    return ScoringSetup(term, units, period, pact, ordered)


def fill_sheet(period, scorer, target, points=None, *, submit=True, actor=None) -> ScoreSheet:
    """Start, fill and (by default) submit ``scorer``'s sheet for ``target`` through the
    services. ``points``: {criterion title: points} or one number for every line; the rest get
    their maximum."""
    sheet = services.score_sheet_start(actor=actor, period=period, scorer=scorer, target=target)
    if sheet.state == SheetState.SUBMITTED:
        return sheet
    for score in sheet.scores.select_related("criterion"):
        if isinstance(points, dict):
            value = points.get(score.criterion.title, score.criterion.max_points)
        elif points is not None:
            value = points
        else:
            value = score.criterion.max_points
        services.score_update(
            actor=actor, score=score, version=score.version, points=Decimal(str(value))
        )
    if submit:
        services.score_sheet_submit(actor=actor, sheet=sheet)
    return sheet


def fill_all(setup: ScoringSetup, points=None) -> None:
    """Every expected sheet of the period, filled with ``points`` and submitted."""
    from apps.emulation.selectors import scoring_plan

    plan = scoring_plan(period=setup.period)
    units = {u.pk: u for u in plan.scorers}
    for scorer_id, target_id in plan.expected_pairs():
        fill_sheet(setup.period, units[scorer_id], units[target_id], points)


def quick_fill(period, points, *, submit=True, skip=()) -> int:
    """Every expected sheet of ``period`` started through the service, then filled (and marked
    submitted) straight in the database: arrangement for pages and benchmarks where hundreds of
    audited line saves would only cost time. ``points(scorer, target, criterion) -> Decimal``;
    ``skip``: (scorer, target) unit pairs left unstarted. Returns the number of sheets."""
    from apps.emulation.models import Score
    from apps.emulation.selectors import scoring_plan

    plan = scoring_plan(period=period)
    units = {u.pk: u for u in plan.scorers}
    skipped = {(a.pk, b.pk) for a, b in skip}
    count = 0
    for scorer_id, target_id in plan.expected_pairs():
        if (scorer_id, target_id) in skipped:
            continue
        sheet = services.score_sheet_start(
            actor=None, period=period, scorer=units[scorer_id], target=units[target_id]
        )
        scores = list(sheet.scores.select_related("criterion"))
        for score in scores:
            score.points = Decimal(str(points(units[scorer_id], units[target_id], score.criterion)))
            score.version = 1
        Score.objects.bulk_update(scores, ["points", "version"])
        if submit:
            ScoreSheet.objects.filter(pk=sheet.pk).update(
                state=SheetState.SUBMITTED, submitted_at=timezone.now()
            )
        count += 1
    return count


# --- audit scenarios ---------------------------------------------------------------------------


def _start(actor):
    s = scoring_setup()
    return services.score_sheet_start(
        actor=actor, period=s.period, scorer=s.units[1], target=s.units[2]
    )


def _update(actor):
    s = scoring_setup()
    sheet = services.score_sheet_start(
        actor=None, period=s.period, scorer=s.units[1], target=s.units[2]
    )
    score = sheet.scores.first()
    return services.score_update(actor=actor, score=score, version=0, points=Decimal("3"))


def _submit(actor):
    s = scoring_setup()
    sheet = fill_sheet(s.period, s.units[1], s.units[2], submit=False)
    return services.score_sheet_submit(actor=actor, sheet=sheet)


def _final(actor):
    s = scoring_setup()
    return services.final_score_set(
        actor=actor,
        period=s.period,
        unit=s.units[0],
        criterion=s.criteria[0],
        points=Decimal("50"),
        reason="Thống nhất tại hội nghị",
    )


def _publish(actor):
    s = scoring_setup()
    fill_all(s)
    return services.ranking_publish(actor=actor, period=s.period)


def audit_scenarios() -> dict:
    return {
        S + "score_sheet_start": _start,
        S + "score_update": _update,
        S + "score_sheet_submit": _submit,
        S + "final_score_set": _final,
        S + "ranking_publish": _publish,
    }


# --- permission matrix -------------------------------------------------------------------------
# The matrix's world: a 2025 term led by "own", deputy "third", member "other". Here: its pact
# (peers' criteria 60 and 40, bonus 5, penalty 5), a year-end period open today whose panel is own
# and third, and every member's self-assessment submitted. Objects are made on first use and kept
# on the world.


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _period(w):
    def make():
        from apps.emulation.tests.factories import signed_pact

        pact = signed_pact(w.term, title="Giao ước 2025")
        period = review_period(w.term)
        for unit in (w.own, w.other, w.third):
            submit_assessment(period, unit, pact)
        return period

    return _cached(w, "scoring_period", make)


def _sheet(w):
    """Other's draft sheet for own."""
    return _cached(
        w,
        "scoring_sheet",
        lambda: services.score_sheet_start(
            actor=None, period=_period(w), scorer=w.other, target=w.own
        ),
    )


def _filled(w):
    return _cached(
        w, "scoring_filled", lambda: fill_sheet(_period(w), w.other, w.own, submit=False)
    )


def _complete(w):
    def make():
        period = _period(w)
        from apps.emulation.selectors import scoring_plan

        plan = scoring_plan(period=period)
        units = {u.pk: u for u in plan.scorers}
        for scorer_id, target_id in plan.expected_pairs():
            fill_sheet(period, units[scorer_id], units[target_id])
        return period

    return _cached(w, "scoring_complete", make)


def _first_score(w):
    return _sheet(w).scores.order_by("id").first()


def _final_data(w):
    criterion = Criterion.objects.filter(group__pact__term=w.term).order_by("id").first()
    return {
        "unit": w.own.pk,
        "criterion": criterion.pk,
        "points": "50",
        "reason": "Thống nhất tại hội nghị",
    }


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    """(UI rows, API rows) for cross-scoring, reconciliation and the ranking."""
    staff = {"officer_own", "leader_own", "officer_other", "leader_other"}
    runs = managers | {
        "officer_own",
        "leader_own",
    }  # own leads the term: its staff are the secretariat
    sheet_view = runs | {"officer_other", "leader_other"}
    sheet_edit = {"officer_other", "leader_other"}
    sheet_submit = {"leader_other"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def period_url(w, tail):
        return f"/review-periods/{_period(w).pk}/{tail}"

    ui = [
        row("emulation:scoring_home", "GET", lambda w: period_url(w, "scoring/"), managers | staff),
        row(
            "emulation:score_sheet_start",
            "POST",
            lambda w: period_url(w, "scoring/start/"),
            staff,
            data=lambda w: {"target": w.third.pk},
            ok=302,
        ),
        row(
            "emulation:score_sheet_detail",
            "GET",
            lambda w: f"/score-sheets/{_sheet(w).pk}/",
            sheet_view,
        ),
        row(
            "emulation:score_line",
            "GET",
            lambda w: f"/score-lines/{_first_score(w).pk}/",
            sheet_view,
            ok=302,  # without htmx: back to the sheet, at the line
        ),
        row(
            "emulation:score_line",
            "POST",
            lambda w: f"/score-lines/{_first_score(w).pk}/",
            sheet_edit,
            data=lambda w: {"points": "5", "comment": "", "version": "0"},
            ok=302,
        ),
        row(
            "emulation:score_sheet_submit",
            "POST",
            lambda w: f"/score-sheets/{_filled(w).pk}/submit/",
            sheet_submit,
            data=lambda w: {},
            ok=302,
        ),
        row("emulation:reconciliation", "GET", lambda w: period_url(w, "reconciliation/"), runs),
        row(
            "emulation:final_score_set",
            "POST",
            lambda w: period_url(w, "reconciliation/final/"),
            runs,
            data=_final_data,
            ok=302,
        ),
        row("emulation:ranking", "GET", lambda w: period_url(w, "ranking/"), runs),
        row("emulation:ranking_export", "GET", lambda w: period_url(w, "ranking/export/"), runs),
        row(
            "emulation:ranking_publish",
            "POST",
            lambda w: (_complete(w), period_url(w, "ranking/publish/"))[1],
            runs,
            data=lambda w: {},
            ok=302,
        ),
    ]

    def api_period(w, tail):
        return f"/api/scoring/{_period(w).pk}/{tail}"

    api = [
        row(
            "score-sheet-list",
            "GET",
            lambda w: f"/api/score-sheets/?period={_period(w).pk}",
            managers | staff,
        ),
        row(
            "score-sheet-list",
            "POST",
            lambda w: (_period(w), "/api/score-sheets/")[1],
            staff,
            data=lambda w: {"period": _period(w).pk, "target": w.third.pk},
            ok=201,
        ),
        row(
            "score-sheet-detail", "GET", lambda w: f"/api/score-sheets/{_sheet(w).pk}/", sheet_view
        ),
        row(
            "score-sheet-submit",
            "POST",
            lambda w: f"/api/score-sheets/{_filled(w).pk}/submit/",
            sheet_submit,
            data=lambda w: {},
        ),
        row(
            "score-detail",
            "PATCH",
            lambda w: f"/api/scores/{_first_score(w).pk}/",
            sheet_edit,
            data=lambda w: {"points": "5", "version": 0},
        ),
        row("scoring-reconciliation", "GET", lambda w: api_period(w, "reconciliation/"), runs),
        row(
            "scoring-final-score",
            "POST",
            lambda w: api_period(w, "final-scores/"),
            runs,
            data=_final_data,
        ),
        row("scoring-ranking", "GET", lambda w: api_period(w, "ranking/"), runs),
        row("scoring-ranking-export", "GET", lambda w: api_period(w, "ranking/export/"), runs),
        row(
            "scoring-publish",
            "POST",
            lambda w: (_complete(w), api_period(w, "publish/"))[1],
            runs,
            data=lambda w: {},
        ),
    ]
    return ui, api
