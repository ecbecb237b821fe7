"""Reads of movements and review periods, and the two selectors later steps build on.

``period_status(period, unit, on=None) -> PeriodStatus``
    Where ``unit`` stands with ``period`` on the day ``on`` (today in Vietnam when left out). The
    dates are inclusive days:

    ============  =====================================================================
    ``not_open``  ``on`` is before ``opens_on``
    ``open``      ``opens_on <= on <= deadline``
    ``reopened``  ``on`` is after the deadline and a ``PeriodReopening`` of the unit has
                  ``until >= on`` (the latest ``until`` wins; it is ``status.reopening``)
    ``closed``    after the deadline, no reopening in force for the unit
    ============  =====================================================================

    ``status.accepts`` (open or reopened) is exactly ``period.accepts_from(unit, on)``: the rule a
    submission must pass. ``status.reopening`` is set only when the state is ``reopened``. With
    ``unit=None`` the answer is the period's own state (reopenings are per unit, never "reopened").

``submission_overview(period, *, on=None) -> list[SubmissionRow]``
    One row per member unit of the period's term (term order), three queries in all. Each row has
    the unit, its self-assessment (or ``None``), ``state`` (``none``/``draft``/``submitted``),
    ``submitted_at``, ``status`` (``period_status`` of the unit on ``on``) and ``punctuality``:
    ``on_time`` (submitted, ``submitted_late`` false), ``late`` (``Assessment.submitted_late``),
    ``missing`` (not submitted and the period is closed for the unit) or ``pending`` (not submitted,
    the period not open yet or still accepting the unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.emulation.choices import SheetState
from apps.emulation.models import Assessment, Criterion, Movement, PeriodReopening, ReviewPeriod
from apps.organizations.models import ClusterTerm, Unit

__all__ = [
    "AssessmentStatus",
    "PeriodState",
    "PeriodStatus",
    "Punctuality",
    "SubmissionRow",
    "movement_criteria_choices",
    "movement_detail",
    "movement_list",
    "overview_counts",
    "period_status",
    "review_period_detail",
    "review_period_list",
    "submission_overview",
    "term_review_periods",
]


class PeriodState(models.TextChoices):
    NOT_OPEN = "not_open", pgettext_lazy("period state", "Not open yet")
    OPEN = "open", pgettext_lazy("period state", "Open")
    REOPENED = "reopened", pgettext_lazy("period state", "Reopened")
    CLOSED = "closed", pgettext_lazy("period state", "Closed")


class AssessmentStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("assessment", "Not started")
    DRAFT = SheetState.DRAFT.value, pgettext_lazy("assessment", "Draft")
    SUBMITTED = SheetState.SUBMITTED.value, pgettext_lazy("assessment", "Submitted")


class Punctuality(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Still open")


class PeriodStatus(NamedTuple):
    """``state`` is a ``PeriodState`` value; ``reopening`` the one in force when reopened."""

    state: str
    reopening: PeriodReopening | None = None

    @property
    def accepts(self) -> bool:
        """Whether the unit may change or submit its sheets (open, or reopened for it)."""
        return self.state in (PeriodState.OPEN, PeriodState.REOPENED)

    @property
    def label(self) -> str:
        return str(PeriodState(self.state).label)


def _reopening_in_force(period: ReviewPeriod, unit_id: int, on: dt.date):
    """``ReviewPeriod.reopening_for`` without a query when the reopenings are prefetched."""
    cache = getattr(period, "_prefetched_objects_cache", {})
    if "reopenings" not in cache:
        return period.reopening_for(unit_id, on)
    candidates = [r for r in cache["reopenings"] if r.unit_id == unit_id and r.until >= on]
    return max(candidates, key=lambda r: (r.until, r.pk), default=None)


def period_status(
    period: ReviewPeriod, unit: Unit | int | None, on: dt.date | None = None
) -> PeriodStatus:
    """Where ``unit`` stands with ``period`` on ``on`` (today); see the module's docstring."""
    on = on or timezone.localdate()
    if on < period.opens_on:
        return PeriodStatus(PeriodState.NOT_OPEN)
    if on <= period.deadline:
        return PeriodStatus(PeriodState.OPEN)
    if unit is not None:
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        reopening = _reopening_in_force(period, unit_id, on)
        if reopening is not None:
            return PeriodStatus(PeriodState.REOPENED, reopening)
    return PeriodStatus(PeriodState.CLOSED)


@dataclass(frozen=True)
class SubmissionRow:
    """A member unit's self-assessment for a period, as the overview shows it."""

    unit: Unit
    role: str  # the unit's TermRole in the term (leader, deputy, member)
    assessment: Assessment | None
    state: str  # AssessmentStatus value
    submitted_at: dt.datetime | None
    status: PeriodStatus
    punctuality: str  # Punctuality value

    @property
    def state_label(self) -> str:
        return str(AssessmentStatus(self.state).label)

    @property
    def punctuality_label(self) -> str:
        return str(Punctuality(self.punctuality).label)


def _punctuality(assessment: Assessment | None, status: PeriodStatus) -> str:
    if assessment is not None and assessment.state == SheetState.SUBMITTED:
        return Punctuality.LATE if assessment.submitted_late else Punctuality.ON_TIME
    if status.state == PeriodState.CLOSED:
        return Punctuality.MISSING
    return Punctuality.PENDING


def _with_reopenings(period: ReviewPeriod) -> ReviewPeriod:
    if "reopenings" not in getattr(period, "_prefetched_objects_cache", {}):
        models.prefetch_related_objects([period], "reopenings")
    return period


def submission_overview(period: ReviewPeriod, *, on: dt.date | None = None) -> list[SubmissionRow]:
    """One row per member unit of the term; see the module's docstring for the meanings."""
    on = on or timezone.localdate()
    period = _with_reopenings(period)
    assessments = {a.unit_id: a for a in Assessment.objects.filter(period=period)}
    rows = []
    for membership in period.term.memberships.select_related("unit").order_by("unit__sort_key"):
        unit = membership.unit
        assessment = assessments.get(unit.pk)
        status = period_status(period, unit, on)
        rows.append(
            SubmissionRow(
                unit=unit,
                role=membership.role,
                assessment=assessment,
                state=assessment.state if assessment else AssessmentStatus.NONE,
                submitted_at=assessment.submitted_at if assessment else None,
                status=status,
                punctuality=_punctuality(assessment, status),
            )
        )
    return rows


def overview_counts(rows: list[SubmissionRow]) -> dict[str, int]:
    """Counts of the overview's rows: ``members`` plus one key per punctuality and state."""
    counts = {"members": len(rows)}
    for key in (*Punctuality.values, *AssessmentStatus.values):
        counts[key] = 0
    for row in rows:
        counts[row.punctuality] += 1
        counts[row.state] += 1
    return counts


def _period_queryset() -> QuerySet[ReviewPeriod]:
    return ReviewPeriod.objects.select_related(
        "term__cluster", "ranking_published_by"
    ).prefetch_related(
        Prefetch("panel", queryset=Unit.objects.order_by("sort_key")),
        Prefetch(
            "reopenings",
            queryset=PeriodReopening.objects.select_related("unit", "created_by").order_by(
                "created_at", "id"
            ),
        ),
    )


def term_review_periods(*, term: ClusterTerm) -> list[ReviewPeriod]:
    """The term's periods, mid-year first, with panel and reopenings loaded."""
    return list(_period_queryset().filter(term=term).order_by("opens_on", "id"))


def review_period_list() -> QuerySet[ReviewPeriod]:
    """Every period (signed-in users may read them all); the API filters by term."""
    return _period_queryset().order_by("term__cluster_id", "-term__year", "opens_on", "id")


def review_period_detail(*, pk: int) -> ReviewPeriod:
    return _period_queryset().get(pk=pk)


# --- movements -----------------------------------------------------------------------------------


def movement_list(*, term: ClusterTerm) -> QuerySet[Movement]:
    """The term's movements, the newest first; ``MovementFilter`` narrows them."""
    return (
        Movement.objects.filter(term=term)
        .select_related("launched_by", "term__cluster")
        .prefetch_related(
            Prefetch("participants", queryset=Unit.objects.order_by("sort_key")),
        )
        .order_by("-starts_on", "-id")
    )


def movement_detail(*, pk: int) -> Movement:
    return (
        Movement.objects.select_related("launched_by", "term__cluster")
        .prefetch_related(
            Prefetch("participants", queryset=Unit.objects.order_by("sort_key")),
            Prefetch(
                "criteria",
                queryset=Criterion.objects.select_related("group__pact").order_by(
                    "group__position", "position", "id"
                ),
            ),
        )
        .get(pk=pk)
    )


def movement_criteria_choices(*, term: ClusterTerm, movement: Movement | None = None):
    """Criteria a movement may link: those of the term's pact in force, plus any it links already
    (an amendment may have replaced their version since)."""
    from apps.emulation.selectors.pact import pact_in_force

    pact = pact_in_force(term=term)
    query = models.Q(group__pact=pact) if pact is not None else models.Q(pk__in=[])
    if movement is not None and movement.pk:
        query |= models.Q(movements=movement)
    return (
        Criterion.objects.filter(query)
        .select_related("group")
        .distinct()
        .order_by("group__pact__version", "group__position", "position", "id")
    )
