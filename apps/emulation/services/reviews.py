"""Every write to movements and review periods, each an audited ``@service``.

Who may call which is the permission layer's question (``apps.accounts.permissions``: movements
follow ``can_launch_movement``/``can_edit_movement``, periods ``can_run_reviews``); the rules of
the data are here and are refused with a ``ValidationError`` naming the field where there is one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import jsonable, no_change, record_event, service, snapshot
from apps.core.formats import vn_date, vn_datetime
from apps.emulation.choices import PeriodKind
from apps.emulation.models import (
    Assessment,
    Criterion,
    FinalScore,
    Movement,
    PeriodReopening,
    RankingEntry,
    ReviewPeriod,
    ScoreSheet,
)
from apps.emulation.selectors.reviews import movement_criteria_choices
from apps.organizations.choices import TermRole
from apps.organizations.models import ClusterTerm, Unit

__all__ = [
    "MOVEMENT_FIELDS",
    "PERIOD_FIELDS",
    "movement_create",
    "movement_delete",
    "movement_update",
    "review_period_create",
    "review_period_delete",
    "review_period_reopen",
    "review_period_update",
]

MOVEMENT_FIELDS = ("name", "slogan", "starts_on", "ends_on", "description")
MOVEMENT_RELATIONS = ("participants", "criteria")
PERIOD_FIELDS = ("kind", "opens_on", "deadline", "flag_margin")
# What a published ranking freezes: the period's identity and its dates.
FROZEN_AFTER_PUBLICATION = ("kind", "opens_on", "deadline")


def _refs(objects) -> list:
    """Related objects as sorted JSON-safe references, for before/after snapshots."""
    return jsonable(sorted(objects, key=lambda o: o.pk))


def _unknown_fields(changes, allowed) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )


def _member_ids(term: ClusterTerm) -> set[int]:
    return set(term.memberships.values_list("unit_id", flat=True))


def _require_members(term: ClusterTerm, units, field: str) -> list[Unit]:
    units = list(dict.fromkeys(units or []))
    members = _member_ids(term)
    outsiders = [u for u in units if u.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                field: [
                    _("%(unit)s is not a member of %(term)s.") % {"unit": u, "term": term}
                    for u in outsiders
                ]
            }
        )
    return units


# --- movements -----------------------------------------------------------------------------------


def _clean_movement(movement: Movement) -> None:
    errors = {}
    if not movement.name:
        errors["name"] = _("Enter the movement's name.")
    if movement.starts_on and movement.ends_on and movement.ends_on < movement.starts_on:
        errors["ends_on"] = _("A movement cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    movement.full_clean(exclude=["term", "launched_by"])


def _require_criteria(term: ClusterTerm, criteria, movement: Movement | None) -> list[Criterion]:
    criteria = list(dict.fromkeys(criteria or []))
    allowed = set(
        movement_criteria_choices(term=term, movement=movement).values_list("pk", flat=True)
    )
    foreign = [c for c in criteria if c.pk not in allowed]
    if foreign:
        raise ValidationError(
            {
                "criteria": [
                    _("The criterion “%(criterion)s” is not in the pact in force for %(term)s.")
                    % {"criterion": c, "term": term}
                    for c in foreign
                ]
            }
        )
    return criteria


def _movement_snapshot(movement: Movement) -> dict:
    return {
        **snapshot(movement, ("launched_by", *MOVEMENT_FIELDS)),
        "participants": _refs(movement.participants.all()),
        "criteria": _refs(movement.criteria.all()),
    }


def _strip(value):
    return value.strip() if isinstance(value, str) else value


@service
def movement_create(
    *,
    actor,
    term: ClusterTerm,
    name: str,
    starts_on: dt.date,
    launched_by: Unit | None = None,
    slogan: str = "",
    ends_on: dt.date | None = None,
    description: str = "",
    participants=(),
    criteria=(),
) -> Movement:
    """Launch a movement of ``term`` in the name of a member unit, or of the cluster (``None``).

    Participants must be members of the term; linked criteria come from the term's pact in force.
    """
    if launched_by is not None:
        _require_members(term, [launched_by], "launched_by")
    movement = Movement(
        term=term,
        launched_by=launched_by,
        name=_strip(name) or "",
        slogan=_strip(slogan) or "",
        starts_on=starts_on,
        ends_on=ends_on,
        description=description or "",
    )
    _clean_movement(movement)
    participants = _require_members(term, participants, "participants")
    criteria = _require_criteria(term, criteria, None)
    movement.save()
    movement.participants.set(participants)
    movement.criteria.set(criteria)
    record_event(
        actor=actor, action="movement.create", obj=movement, after=_movement_snapshot(movement)
    )
    return movement


@service
def movement_update(*, actor, movement: Movement, **changes) -> Movement:
    """Change a movement's name, slogan, dates, description, participants or linked criteria.

    Who launched it does not change.
    """
    _unknown_fields(changes, MOVEMENT_FIELDS + MOVEMENT_RELATIONS)
    movement = Movement.objects.select_for_update().select_related("term").get(pk=movement.pk)
    before = _movement_snapshot(movement)
    for name in MOVEMENT_FIELDS:
        if name in changes:
            value = _strip(changes[name])
            setattr(movement, name, "" if value is None and name != "ends_on" else value)
    _clean_movement(movement)
    if "participants" in changes:
        participants = _require_members(movement.term, changes["participants"], "participants")
    if "criteria" in changes:
        criteria = _require_criteria(movement.term, changes["criteria"], movement)
    after = {
        **snapshot(movement, ("launched_by", *MOVEMENT_FIELDS)),
        "participants": (
            _refs(participants) if "participants" in changes else before["participants"]
        ),
        "criteria": _refs(criteria) if "criteria" in changes else before["criteria"],
    }
    if before == after:
        no_change()
        return movement
    movement.save()
    if "participants" in changes:
        movement.participants.set(participants)
    if "criteria" in changes:
        movement.criteria.set(criteria)
    changed = [key for key in after if before[key] != after[key]]
    record_event(
        actor=actor,
        action="movement.update",
        obj=movement,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return movement


@service
def movement_delete(*, actor, movement: Movement) -> ClusterTerm:
    """Delete a movement; the audit row keeps everything it said. Returns its term."""
    movement = Movement.objects.select_for_update().select_related("term").get(pk=movement.pk)
    term = movement.term
    record_event(
        actor=actor, action="movement.delete", obj=movement, before=_movement_snapshot(movement)
    )
    movement.delete()
    return term


# --- review periods ------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return str(PeriodKind(kind).label) if kind in PeriodKind.values else kind


def _clean_period(period: ReviewPeriod) -> None:
    errors: dict[str, str] = {}
    if period.kind not in PeriodKind.values:
        errors["kind"] = _("Choose the kind of review: mid-year or year-end.")
    elif (
        ReviewPeriod.objects.filter(term_id=period.term_id, kind=period.kind)
        .exclude(pk=period.pk)
        .exists()
    ):
        errors["kind"] = _("%(term)s already has the period “%(kind)s”.") % {
            "term": period.term,
            "kind": _kind_label(period.kind),
        }
    if period.opens_on and period.deadline and period.deadline < period.opens_on:
        errors["deadline"] = _(
            "The deadline (%(deadline)s) cannot be before the opening day (%(opens)s)."
        ) % {"deadline": vn_date(period.deadline), "opens": vn_date(period.opens_on)}
    try:
        margin = Decimal(period.flag_margin)
    except (InvalidOperation, TypeError, ValueError):
        margin = None
    if margin is None or not Decimal(0) <= margin <= Decimal(100):
        errors["flag_margin"] = _("The margin is a percentage from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    period.full_clean(exclude=["term"], validate_constraints=False)


def _margin(value):
    """The margin as stored (two decimals), so 20 and 20.00 are the same value; anything that is
    not a number is left for ``_clean_period`` to refuse."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return value


def _default_panel(term: ClusterTerm) -> list[Unit]:
    return [
        m.unit
        for m in term.memberships.select_related("unit").order_by("unit__sort_key")
        if m.role in (TermRole.LEADER, TermRole.DEPUTY)
    ]


def _period_snapshot(period: ReviewPeriod, panel=None) -> dict:
    return {
        **snapshot(period, PERIOD_FIELDS),
        "panel": _refs(period.panel.all() if panel is None else panel),
    }


def _locked_period(period: ReviewPeriod) -> ReviewPeriod:
    return ReviewPeriod.objects.select_for_update().select_related("term").get(pk=period.pk)


@service
def review_period_create(
    *,
    actor,
    term: ClusterTerm,
    kind: str,
    opens_on: dt.date,
    deadline: dt.date,
    flag_margin: Decimal = Decimal("20"),
    panel=None,
) -> ReviewPeriod:
    """Add the term's mid-year or year-end review (one of each kind per term).

    ``panel`` left out: the term's leader and deputies. Panel units must be members of the term.
    """
    # Two secretaries adding the same kind at once: the second waits here, then is refused.
    term = ClusterTerm.objects.select_for_update().get(pk=term.pk)
    period = ReviewPeriod(
        term=term,
        kind=kind,
        opens_on=opens_on,
        deadline=deadline,
        flag_margin=Decimal("20") if flag_margin is None else _margin(flag_margin),
    )
    _clean_period(period)
    panel = _default_panel(term) if panel is None else _require_members(term, panel, "panel")
    period.save()
    period.panel.set(panel)
    record_event(
        actor=actor,
        action="review_period.create",
        obj=period,
        after=_period_snapshot(period, panel),
    )
    return period


@service
def review_period_update(*, actor, period: ReviewPeriod, **changes) -> ReviewPeriod:
    """Change a period's kind, dates, margin or panel. Once the ranking is published its kind and
    dates are frozen (what members were told stays true); margin and panel may still change."""
    _unknown_fields(changes, PERIOD_FIELDS + ("panel",))
    period = _locked_period(period)
    before = _period_snapshot(period)
    for name in PERIOD_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(period, name, _margin(value) if name == "flag_margin" else value)
    if period.ranking_published:
        frozen = [
            name
            for name in FROZEN_AFTER_PUBLICATION
            if name in changes and before[name] != jsonable(getattr(period, name))
        ]
        if frozen:
            raise ValidationError(
                _(
                    "The ranking of this period was published on %(date)s; its kind and dates "
                    "can no longer change."
                )
                % {"date": vn_datetime(period.ranking_published_at)}
            )
    _clean_period(period)
    panel = (
        _require_members(period.term, changes["panel"], "panel")
        if "panel" in changes
        else list(period.panel.all())
    )
    after = _period_snapshot(period, panel)
    if before == after:
        no_change()
        return period
    period.save()
    if "panel" in changes:
        period.panel.set(panel)
    changed = [key for key in after if before[key] != after[key]]
    record_event(
        actor=actor,
        action="review_period.update",
        obj=period,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return period


@service
def review_period_delete(*, actor, period: ReviewPeriod) -> ClusterTerm:
    """Delete a period nothing depends on yet (no self-assessment, score, reopening or ranking).
    Returns its term."""
    period = _locked_period(period)
    used = (
        period.ranking_published
        or Assessment.objects.filter(period=period).exists()
        or ScoreSheet.objects.filter(period=period).exists()
        or FinalScore.objects.filter(period=period).exists()
        or RankingEntry.objects.filter(period=period).exists()
        or period.reopenings.exists()
    )
    if used:
        raise ValidationError(
            _(
                "The period “%(period)s” already has self-assessments, scores, reopenings or a "
                "ranking; it cannot be deleted."
            )
            % {"period": period}
        )
    term = period.term
    record_event(
        actor=actor, action="review_period.delete", obj=period, before=_period_snapshot(period)
    )
    period.delete()
    return term


@service
def review_period_reopen(
    *, actor, period: ReviewPeriod, unit: Unit, until: dt.date, reason: str
) -> PeriodReopening:
    """Reopen a period whose deadline has passed for one member unit, until a day (today or
    later), with a reason. Kept forever; the latest ``until`` in force counts."""
    period = _locked_period(period)
    today = timezone.localdate()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if unit is None or unit.pk not in _member_ids(period.term):
        errors["unit"] = [
            _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": period.term}
        ]
    if until is None or until < today:
        errors["until"] = [
            _("A reopening lasts until today (%(today)s) or a later day.")
            % {"today": vn_date(today)}
        ]
    if not reason:
        errors["reason"] = [_("State the reason for reopening the period.")]
    if errors:
        raise ValidationError(errors)
    if period.ranking_published:
        raise ValidationError(
            _("The ranking of this period was published on %(date)s; it cannot be reopened.")
            % {"date": vn_datetime(period.ranking_published_at)}
        )
    if today < period.opens_on:
        raise ValidationError(
            _("The period opens on %(date)s; there is nothing to reopen yet.")
            % {"date": vn_date(period.opens_on)}
        )
    if today <= period.deadline:
        raise ValidationError(
            _(
                "The period is still open until %(deadline)s; %(unit)s can submit without a "
                "reopening."
            )
            % {"deadline": vn_date(period.deadline), "unit": unit}
        )
    reopening = PeriodReopening.objects.create(
        period=period,
        unit=unit,
        until=until,
        reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="review_period.reopen",
        obj=period,
        after={"unit": unit, "until": until, "reason": reason, "reopening": reopening.pk},
    )
    return reopening
