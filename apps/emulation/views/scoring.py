"""Cross-scoring pages ("Chấm chéo"), the secretariat's reconciliation and the ranking.

A score line saves as the officer types (htmx posts the line with the version it was read at);
the answer is the line's status and, out of band, the new version, so the boxes being typed in
are never replaced. A stale version answers with the saved value and who saved it; the typed
value stays in the box. Without JavaScript every form still works: a POST redirects back, or
shows the page again with what was typed when a rule refused it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    access_period_scoring,
    access_score,
    access_score_sheet,
    can_run_scoring,
    is_scorer_staff,
)
from apps.core.history import history_url
from apps.emulation import selectors, services
from apps.emulation.choices import SheetState
from apps.emulation.exports import ranking_filename, ranking_workbook
from apps.emulation.forms_scoring import FinalScoreForm, ScoreForm, SheetStartForm, plain_points
from apps.emulation.models import AssessmentItem, Score
from apps.emulation.services.scoring import ScoreConflict

__all__ = [
    "final_score_set",
    "history_access_score_sheet",
    "ranking",
    "ranking_export",
    "ranking_publish",
    "reconciliation",
    "score_line",
    "score_sheet_detail",
    "score_sheet_start",
    "score_sheet_submit",
    "scoring_home",
    "sheet_url",
]

SHEET_PAGE = "emulation/scoring/sheet.html"
RECON_PAGE = "emulation/scoring/reconciliation.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_url(sheet) -> str:
    return reverse("emulation:score_sheet_detail", args=[sheet.pk])


def history_access_score_sheet(user, pk):
    """The history page's check: the sheet's own, with a way back to the sheet."""
    sheet = access_score_sheet(user, pk)
    sheet.get_absolute_url = lambda: sheet_url(sheet)
    return sheet


def _period_link(period) -> str | None:
    try:
        return reverse("emulation:review_period_detail", args=[period.pk])
    except NoReverseMatch:  # the review-period pages are another step's
        return None


def _crumbs(period, *tail):
    term = period.term
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        (period.get_kind_display(), _period_link(period)),
        *tail,
    ]


def _scoring_crumb(period):
    return (_("Cross-scoring"), reverse("emulation:scoring_home", args=[period.pk]))


def _messages_from(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# --- the cross-scoring page ----------------------------------------------------------------------


@login_required
@require_GET
def scoring_home(request, period_pk: int):
    """A scoring unit's list of sheets with their progress; the secretariat's overall progress."""
    period = access_period_scoring(request.user, period_pk)
    plan = selectors.scoring_plan(period=period)
    user = request.user
    runs = can_run_scoring(user, period.term)
    scorer = user.unit if is_scorer_staff(user, period) else None
    today = timezone.localdate()
    context = {
        "period": period,
        "plan": plan,
        "scorer": scorer,
        "rows": selectors.scorer_sheets(period=period, scorer=scorer, plan=plan) if scorer else [],
        "criteria_count": len(plan.criteria_for(scorer.pk)) if scorer else 0,
        "accepts": bool(scorer) and period.accepts_from(scorer, today),
        "runs": runs,
        "progress": selectors.scoring_progress(period=period, plan=plan) if runs else [],
        "breadcrumbs": _crumbs(period, (_("Cross-scoring"), None)),
    }
    return render(request, "emulation/scoring/home.html", context)


@login_required
@require_POST
def score_sheet_start(request, period_pk: int):
    period = access_period_scoring(request.user, period_pk, action="score")
    form = SheetStartForm(request.POST)
    back = reverse("emulation:scoring_home", args=[period.pk])
    if not form.is_valid():
        messages.error(request, _("Choose the unit to score."))
        return redirect(back)
    try:
        sheet = services.score_sheet_start(
            actor=request.user,
            period=period,
            scorer=request.user.unit,
            target=form.cleaned_data["target"],
        )
    except ValidationError as error:
        _messages_from(request, error)
        return redirect(back)
    return redirect(sheet_url(sheet))


# --- a score sheet -----------------------------------------------------------------------------


@dataclass
class LineView:
    """What a line shows: the stored score, and (after a refused save) what was typed."""

    score: Score
    points: str
    comment: str
    version: int
    self_points: object = None
    status: str = ""  # "", "saved", "error", "conflict"
    message: str = ""
    conflict: Score | None = None

    @classmethod
    def stored(cls, score, **extra):
        return cls(
            score=score,
            points=plain_points(score.points),
            comment=score.comment,
            version=score.version,
            **extra,
        )


def _editing(user, sheet, today=None) -> bool:
    return bool(
        sheet.state == SheetState.DRAFT
        and user.role in {Role.UNIT_LEADER, Role.UNIT_OFFICER}
        and user.unit_id == sheet.scorer_id
        and not sheet.period.ranking_published
        and sheet.period.accepts_from(sheet.scorer, today)
    )


def _self_points(sheet) -> dict:
    return dict(
        AssessmentItem.objects.filter(
            assessment__period_id=sheet.period_id,
            assessment__unit_id=sheet.target_id,
            assessment__state=SheetState.SUBMITTED,
        ).values_list("criterion_id", "points")
    )


def _lines(sheet, overrides=()) -> list[LineView]:
    own = _self_points(sheet)
    typed = {line.score.pk: line for line in overrides}
    lines = []
    for score in sheet.scores.select_related("criterion__group", "updated_by").order_by(
        "criterion__group__position", "criterion__position", "criterion_id"
    ):
        line = typed.get(score.pk) or LineView.stored(score)
        line.self_points = own.get(score.criterion_id)
        lines.append(line)
    return lines


def _sheet_context(request, sheet, *, lines=None):
    user = request.user
    today = timezone.localdate()
    editing = _editing(user, sheet, today)
    lines = lines if lines is not None else _lines(sheet)
    try:
        assessment_link = reverse("emulation:assessment", args=[sheet.period_id, sheet.target_id])
    except NoReverseMatch:  # the self-assessment pages are another step's
        assessment_link = None
    return {
        "sheet": sheet,
        "period": sheet.period,
        "lines": lines,
        "filled": sum(line.score.points is not None for line in lines),
        "editing": editing,
        "can_submit": editing and user.role == Role.UNIT_LEADER,
        "accepts": sheet.period.accepts_from(sheet.scorer, today),
        "assessment_link": assessment_link,
        "history_url": history_url(sheet),
        "breadcrumbs": _crumbs(
            sheet.period,
            _scoring_crumb(sheet.period),
            (
                _("%(scorer)s scores %(target)s")
                % {"scorer": sheet.scorer.short_name, "target": sheet.target.short_name},
                None,
            ),
        ),
    }


@login_required
@require_GET
def score_sheet_detail(request, pk: int):
    sheet = access_score_sheet(request.user, pk)
    return render(request, SHEET_PAGE, _sheet_context(request, sheet))


@login_required
@require_http_methods(["GET", "POST"])
def score_line(request, pk: int):
    """GET: the line as stored (htmx: e.g. to take the other person's value). POST: save the
    line over the version it was read at."""
    if request.method == "GET":
        score = access_score(request.user, pk, action="view")
        if not request.htmx:
            return redirect(f"{sheet_url(score.sheet)}#line-{score.pk}")
        line = _lines(score.sheet, [LineView.stored(score)])
        line = next(item for item in line if item.score.pk == score.pk)
        return render(
            request,
            "emulation/scoring/_line.html",
            {"line": line, "editing": _editing(request.user, score.sheet), "sheet": score.sheet},
        )
    score = access_score(request.user, pk, action="edit")
    form = ScoreForm(request.POST)
    typed = LineView(
        score=score,
        points=request.POST.get("points", ""),
        comment=request.POST.get("comment", ""),
        version=score.version,
    )
    try:
        if "version" in form.errors:
            raise ValidationError(_("This page is out of date; reload it and type again."))
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        typed.version = form.cleaned_data["version"]
        saved = services.score_update(
            actor=request.user,
            score=score,
            version=form.cleaned_data["version"],
            points=form.cleaned_data["points"],
            comment=form.cleaned_data["comment"] if "comment" in request.POST else None,
        )
    except ScoreConflict as conflict:
        typed.status, typed.message, typed.conflict = (
            "conflict",
            conflict.messages[0],
            conflict.current,
        )
        status = 409
    except ValidationError as error:
        typed.status, typed.message = "error", " ".join(error.messages)
        status = 400
    else:
        if not request.htmx:
            messages.success(request, _("The line was saved."))
            return redirect(f"{sheet_url(score.sheet)}#line-{score.pk}")
        line = LineView.stored(saved, status="saved")
        return render(
            request,
            "emulation/scoring/_autosave.html",
            {"line": line, "sheet": score.sheet, "progress": _progress(score.sheet)},
        )
    if request.htmx:
        # htmx swaps only 2xx answers by default: the refusal is content, not a failure.
        return render(
            request,
            "emulation/scoring/_autosave.html",
            {"line": typed, "sheet": score.sheet, "progress": _progress(score.sheet)},
        )
    sheet = score.sheet
    context = _sheet_context(request, sheet, lines=_lines(sheet, [typed]))
    return render(request, SHEET_PAGE, context, status=status)


def _progress(sheet) -> dict:
    scores = sheet.scores.all()
    return {"filled": scores.filter(points__isnull=False).count(), "total": scores.count()}


@login_required
@require_POST
def score_sheet_submit(request, pk: int):
    sheet = access_score_sheet(request.user, pk, action="submit")
    try:
        services.score_sheet_submit(actor=request.user, sheet=sheet)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("The score sheet for %(unit)s was submitted.") % {"unit": sheet.target.short_name},
        )
    return redirect(sheet_url(sheet))


# --- reconciliation ----------------------------------------------------------------------------


@dataclass
class FinalView:
    """The final-score form of a line: as stored, or as typed when a save was refused."""

    points: str = ""
    reason: str = ""
    error: str = ""


def _recon_context(request, period, unit_id, *, typed=None):
    recon = selectors.reconciliation(period=period, unit_id=unit_id)
    if recon.selected is None and recon.units:
        recon.selected = recon.units[0]
    typed = typed or {}
    rows = []
    if recon.selected is not None:
        for line in recon.selected.lines:
            final = line.final
            rows.append(
                (
                    line,
                    typed.get(line.column.id)
                    or FinalView(
                        points=plain_points(final.points if final else line.computed),
                        reason=final.reason if final else "",
                    ),
                )
            )
    return {
        "period": period,
        "recon": recon,
        "rows": rows,
        "editable": not period.ranking_published,
        "breadcrumbs": _crumbs(period, _scoring_crumb(period), (_("Reconciliation"), None)),
    }


def _unit_param(request) -> int | None:
    value = request.GET.get("unit") or request.POST.get("unit")
    return int(value) if value and str(value).isdigit() else None


@login_required
@require_GET
def reconciliation(request, period_pk: int):
    """Per unit and criterion: self points, every scorer's points, mean, spread and flags; the
    secretariat records the final score there."""
    period = access_period_scoring(request.user, period_pk, action="run")
    return render(request, RECON_PAGE, _recon_context(request, period, _unit_param(request)))


@login_required
@require_POST
def final_score_set(request, period_pk: int):
    period = access_period_scoring(request.user, period_pk, action="run")
    form = FinalScoreForm(request.POST)
    unit_id = _unit_param(request)
    criterion_id = request.POST.get("criterion")
    typed = FinalView(points=request.POST.get("points", ""), reason=request.POST.get("reason", ""))
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.final_score_set(
            actor=request.user,
            period=period,
            unit=form.cleaned_data["unit"],
            criterion=form.cleaned_data["criterion"],
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        typed.error = " ".join(error.messages)
    else:
        typed = None
        if not request.htmx:
            messages.success(request, _("The final score was recorded."))
            back = reverse("emulation:reconciliation", args=[period.pk])
            return redirect(f"{back}?unit={unit_id}#c-{criterion_id}")
    overrides = {}
    if typed is not None and str(criterion_id).isdigit():
        overrides[int(criterion_id)] = typed
    context = _recon_context(request, period, unit_id, typed=overrides)
    if request.htmx:
        row = next(
            ((line, view) for line, view in context["rows"] if str(line.column.id) == criterion_id),
            None,
        )
        if row is None:
            return HttpResponse(status=400)
        return render(
            request,
            "emulation/scoring/_recon_line.html",
            {**context, "line": row[0], "final_view": row[1], "saved": typed is None},
        )
    return render(request, RECON_PAGE, context, status=400)


# --- the ranking -------------------------------------------------------------------------------


@login_required
@require_GET
def ranking(request, period_pk: int):
    """The ranking with each unit's total explained line by line: live for the secretariat
    before publication, frozen for every reader after."""
    period = access_period_scoring(request.user, period_pk, action="ranking")
    runs = can_run_scoring(request.user, period.term)
    result = selectors.ranking_for(period=period)
    blockers = [] if period.ranking_published else selectors.publish_blockers(period=period)
    context = {
        "period": period,
        "ranking": result,
        "runs": runs,
        "blockers": blockers,
        "can_publish": runs and not period.ranking_published and not blockers,
        "breadcrumbs": _crumbs(period, (_("Ranking"), None)),
    }
    return render(request, "emulation/scoring/ranking.html", context)


@login_required
@require_GET
def ranking_export(request, period_pk: int):
    period = access_period_scoring(request.user, period_pk, action="ranking")
    result = selectors.ranking_for(period=period)
    response = HttpResponse(ranking_workbook(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{ranking_filename(period)}"'
    return response


@login_required
@require_POST
def ranking_publish(request, period_pk: int):
    period = access_period_scoring(request.user, period_pk, action="run")
    try:
        services.ranking_publish(actor=request.user, period=period)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request, _("The ranking was published; every member of the cluster can now see it.")
        )
    return redirect(reverse("emulation:ranking", args=[period.pk]))
