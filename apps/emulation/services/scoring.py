"""Every write of cross-scoring, reconciliation and the ranking, each an audited ``@service``.

Who may call which is the permission layer's question (``apps.accounts.permissions``:
``access_period_scoring``, ``access_score_sheet``, ``access_score``); the rules of the data are
here. A score line is saved with optimistic locking: ``UPDATE … WHERE version = n``; a save that
read an older version is refused with ``ScoreConflict`` (the API's 409), naming the value that is
now saved and who saved it, so two officers on the same sheet never overwrite each other silently.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service
from apps.core.formats import vn_date, vn_datetime, vn_number
from apps.emulation.choices import SheetState
from apps.emulation.models import (
    Assessment,
    Criterion,
    FinalScore,
    RankingEntry,
    ReviewPeriod,
    Score,
    ScoreSheet,
)
from apps.emulation.selectors.scoring import (
    compute_ranking,
    computed_score,
    publish_blockers,
    scoring_plan,
)
from apps.emulation.services.pact import _import_time
from apps.organizations.models import Unit

__all__ = [
    "ScoreConflict",
    "clean_points",
    "final_score_set",
    "ranking_publish",
    "score_sheet_start",
    "score_sheet_submit",
    "score_update",
]

CENT = Decimal("0.01")
_KEEP = object()


class ScoreConflict(ValidationError):  # noqa: N818 - a ValidationError the API turns into 409
    """A save that started from an older version of the line than the one now stored."""

    def __init__(self, current: Score):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by else _("another user")
        points = vn_number(current.points) if current.points is not None else _("(empty)")
        super().__init__(
            _(
                "%(who)s saved this line at %(at)s while you were editing it; the saved score is "
                "now %(points)s. Your input was not saved and is kept in the box: save again to "
                "replace the saved score, or take the saved one."
            )
            % {"who": who, "at": vn_datetime(current.updated_at), "points": points},
            code="conflict",
        )


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def clean_points(value, criterion: Criterion, *, field: str = "points") -> Decimal | None:
    """Points for ``criterion``: empty, or a number from 0 to its maximum with at most two
    decimals."""
    if value is None or value == "":
        return None
    try:
        points = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not points.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if points < 0:
        raise ValidationError({field: _("Points cannot be negative.")})
    if points > criterion.max_points:
        raise ValidationError(
            {
                field: _("At most %(max)s points for this criterion.")
                % {"max": vn_number(criterion.max_points)}
            }
        )
    if points != points.quantize(CENT):
        raise ValidationError({field: _("Points have at most two decimal places.")})
    return points.quantize(CENT)


def _require_open(period: ReviewPeriod, unit: Unit) -> None:
    if period.ranking_published:
        raise ValidationError(_("The ranking of this period is published; scores are final."))
    if not period.accepts_from(unit):
        raise ValidationError(
            _(
                "The period does not accept scores from %(unit)s today (open from %(opens)s to "
                "%(deadline)s); the cluster secretariat can reopen it for the unit."
            )
            % {
                "unit": unit.short_name,
                "opens": vn_date(period.opens_on),
                "deadline": vn_date(period.deadline),
            }
        )


def _require_draft(sheet: ScoreSheet) -> None:
    if sheet.state != SheetState.DRAFT:
        raise ValidationError(
            _("This score sheet is %(state)s and can no longer be changed.")
            % {"state": SheetState(sheet.state).label}
        )


def _locked_sheet(pk: int) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update()
        .select_related("period", "scorer", "target")
        .get(pk=pk)
    )


# --- score sheets ------------------------------------------------------------------------------


@service
def score_sheet_start(*, actor, period: ReviewPeriod, scorer: Unit, target: Unit) -> ScoreSheet:
    """Open ``scorer``'s sheet for ``target``, with one empty line per criterion ``scorer`` must
    score (peers' criteria for a member, the panel's for a panel unit). Starting a sheet that
    exists returns it unchanged. Refused for oneself, for a unit with nothing to score, and
    until ``target`` has submitted its self-assessment: scorers read it (and its evidence) first.
    """
    if scorer.pk == target.pk:
        raise ValidationError(_("A unit never scores itself."))
    _require_open(period, scorer)
    plan = scoring_plan(period=period)
    if plan.pact is None:
        raise ValidationError(_("The term has no signed pact in force; there is nothing to score."))
    if target.pk not in plan.member_ids:
        raise ValidationError(
            _("%(unit)s is not a member of %(term)s.") % {"unit": target, "term": period.term}
        )
    criteria = plan.criteria_for(scorer.pk)
    if not criteria:
        raise ValidationError(
            _("%(unit)s has no criteria to score in this period.") % {"unit": scorer.short_name}
        )
    assessment = Assessment.objects.filter(period=period, unit=target).first()
    if assessment is None or assessment.state != SheetState.SUBMITTED:
        raise ValidationError(
            _(
                "%(unit)s has not submitted its self-assessment yet; it can be scored once it "
                "has, so that scorers see its explanations and evidence."
            )
            % {"unit": target.short_name}
        )
    if assessment.pact_id != plan.pact.pk:
        raise ValidationError(
            _(
                "%(unit)s assessed itself against version %(old)s of the pact, but version "
                "%(new)s is in force; its self-assessment must be redone first."
            )
            % {"unit": target.short_name, "old": assessment.pact.version, "new": plan.pact.version}
        )
    existing = ScoreSheet.objects.filter(period=period, scorer=scorer, target=target).first()
    if existing is not None:
        no_change()
        return existing
    try:
        with transaction.atomic():
            sheet = ScoreSheet.objects.create(period=period, scorer=scorer, target=target)
    except IntegrityError:
        # Someone of the same unit started it a moment ago: theirs is the sheet.
        no_change()
        return ScoreSheet.objects.get(period=period, scorer=scorer, target=target)
    Score.objects.bulk_create([Score(sheet=sheet, criterion=c) for c in criteria])
    record_event(
        actor=actor,
        action="score_sheet.start",
        obj=sheet,
        after={"scorer": scorer, "target": target, "criteria": [c.pk for c in criteria]},
    )
    return sheet


@service
def score_update(
    *, actor, score: Score, version: int, points=_KEEP, comment: str | None = None
) -> Score:
    """Save one line of a draft sheet if nobody saved it since ``version`` was read.

    ``points`` left out keeps the points; ``None`` or "" empties the line. ``comment`` ``None``
    keeps the comment. Raises ``ScoreConflict`` when the line moved on since ``version``.
    """
    sheet = _locked_sheet(score.sheet_id)
    current = Score.objects.select_related("criterion", "updated_by").get(pk=score.pk)
    _require_draft(sheet)
    _require_open(sheet.period, sheet.scorer)
    new_points = current.points if points is _KEEP else clean_points(points, current.criterion)
    new_comment = current.comment if comment is None else comment.strip()
    if int(version) != current.version:
        raise ScoreConflict(current)
    if new_points == current.points and new_comment == current.comment:
        no_change()
        return current
    updated = Score.objects.filter(pk=current.pk, version=current.version).update(
        points=new_points,
        comment=new_comment,
        version=F("version") + 1,
        updated_by=_actor_user(actor),
        updated_at=timezone.now(),
    )
    if not updated:  # another transaction won between our read and our write
        raise ScoreConflict(Score.objects.select_related("updated_by").get(pk=current.pk))
    record_event(
        actor=actor,
        action="score.update",
        obj=sheet,
        before={
            "criterion": current.criterion,
            "points": current.points,
            "comment": current.comment,
            "version": current.version,
        },
        after={
            "criterion": current.criterion,
            "points": new_points,
            "comment": new_comment,
            "version": current.version + 1,
        },
    )
    return Score.objects.select_related("criterion__group", "updated_by").get(pk=current.pk)


@service
def score_sheet_submit(*, actor, sheet: ScoreSheet) -> ScoreSheet:
    """Draft → submitted (the scoring unit's leader). Every line needs its points; a submitted
    sheet is read-only."""
    sheet = _locked_sheet(sheet.pk)
    _require_draft(sheet)
    _require_open(sheet.period, sheet.scorer)
    empty = list(
        sheet.scores.filter(points__isnull=True)
        .select_related("criterion")
        .order_by("criterion__group__position", "criterion__position", "criterion_id")
    )
    if empty:
        raise ValidationError(
            _("Every line needs its points before the sheet is submitted; empty: %(criteria)s.")
            % {"criteria": "; ".join(s.criterion.title for s in empty)}
        )
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.submitted_by = _actor_user(actor)
    sheet.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    record_event(
        actor=actor,
        action="score_sheet.submit",
        obj=sheet,
        before={"state": SheetState.DRAFT},
        after={"state": sheet.state, "submitted_at": sheet.submitted_at},
    )
    return sheet


# --- reconciliation ----------------------------------------------------------------------------


@service
def final_score_set(
    *,
    actor,
    period: ReviewPeriod,
    unit: Unit,
    criterion: Criterion,
    points,
    reason: str = "",
) -> FinalScore:
    """Record the score that counts for ``unit`` and ``criterion`` (thống nhất điểm). A reason is
    required whenever it differs from the computed score (or there is none)."""
    period = ReviewPeriod.objects.select_for_update().get(pk=period.pk)
    if period.ranking_published:
        raise ValidationError(_("The ranking of this period is published; scores are final."))
    plan = scoring_plan(period=period)
    if criterion.pk not in {c.pk for c in plan.criteria}:
        raise ValidationError(
            {"criterion": _("This criterion is not in the pact in force for this period.")}
        )
    if unit.pk not in plan.member_ids:
        raise ValidationError(
            {
                "unit": _("%(unit)s is not a member of %(term)s.")
                % {"unit": unit, "term": period.term}
            }
        )
    value = clean_points(points, criterion)
    if value is None:
        raise ValidationError({"points": _("Enter the final score.")})
    computed = computed_score(period=period, unit=unit, criterion=criterion)
    reason = (reason or "").strip()
    if value != computed and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The final score differs from the computed one (%(computed)s): state the "
                    "reason."
                )
                % {"computed": vn_number(computed) if computed is not None else _("none")}
            }
        )
    final = FinalScore.objects.filter(period=period, unit=unit, criterion=criterion).first()
    before = None
    if final is not None:
        before = {"points": final.points, "computed": final.computed, "reason": final.reason}
        if (final.points, final.computed, final.reason) == (value, computed, reason):
            no_change()
            return final
    else:
        final = FinalScore(period=period, unit=unit, criterion=criterion)
    final.points, final.computed, final.reason = value, computed, reason
    final.decided_by = _actor_user(actor)
    final.decided_at = timezone.now()
    final.save()
    record_event(
        actor=actor,
        action="final_score.set",
        obj=period,
        before=before and {"unit": unit, "criterion": criterion, **before},
        after={
            "unit": unit,
            "criterion": criterion,
            "points": value,
            "computed": computed,
            "reason": reason,
        },
    )
    return final


# --- publishing --------------------------------------------------------------------------------


@service
def ranking_publish(*, actor, period: ReviewPeriod, at: dt.datetime | None = None) -> ReviewPeriod:
    """Freeze the ranking (one ``RankingEntry`` per member, with its explanation) and open it to
    every reader. Refused until every member's self-assessment and every expected score sheet is
    submitted and every criterion of every unit has a score. There is no unpublishing. ``at`` is
    for rankings imported from paper records only (no signed-in actor)."""
    published_at = _import_time(actor, at)
    period = ReviewPeriod.objects.select_for_update().select_related("term").get(pk=period.pk)
    if period.ranking_published:
        raise ValidationError(
            _("The ranking was already published on %(at)s.")
            % {"at": vn_datetime(period.ranking_published_at)}
        )
    ranking = compute_ranking(period, with_scorers=True)
    blockers = publish_blockers(period=period, ranking=ranking)
    if blockers:
        raise ValidationError([_("The ranking cannot be published yet."), *blockers])
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                period=period,
                unit=row.unit,
                rank=row.rank,
                criteria_points=row.criteria_points,
                bonus_points=row.bonus_points,
                penalty_points=row.penalty_points,
                total=row.total,
                explanation=row.explanation(ranking.tie_break),
            )
            for row in ranking.rows
        ]
    )
    period.ranking_published_at = published_at
    period.ranking_published_by = _actor_user(actor)
    period.save(update_fields=["ranking_published_at", "ranking_published_by", "updated_at"])
    record_event(
        actor=actor,
        action="ranking.publish",
        obj=period,
        after={
            "published_at": period.ranking_published_at,
            "pact": ranking.pact,
            "ranking": [
                {"rank": row.rank, "unit": row.unit.short_name, "total": row.total}
                for row in ranking.rows
            ],
        },
    )
    return period
