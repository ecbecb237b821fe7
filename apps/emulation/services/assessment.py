"""Every write to a unit's self-assessment (tự chấm điểm): open it, fill its lines, attach and
remove evidence, enter indicators, submit it. Each function is an audited ``@service``.

Rules that hold for every write here (who may call them is ``apps.accounts.permissions``' job):
- the assessment must be a draft: a submitted one is read-only for everyone;
- the period must accept the unit today (``ReviewPeriod.accepts_from``: before the deadline, or
  while a reopening for the unit is in force);
- a line's points are a Decimal from 0 to the criterion's maximum with at most two decimals;
- a line is saved only over the version the caller read (``UPDATE … WHERE version = n``); a stale
  version raises ``AssessmentItemConflict`` carrying the line as it is now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service
from apps.core.formats import vn_date, vn_datetime, vn_number
from apps.emulation.choices import (
    SHEET_TRANSITIONS,
    CriterionKind,
    IndicatorMeasure,
    SheetState,
)
from apps.emulation.evidence import (
    check_evidence_file,
    max_total_bytes,
    save_checked_file,
    size_label,
)
from apps.emulation.models import (
    Assessment,
    AssessmentItem,
    Criterion,
    Evidence,
    Indicator,
    IndicatorValue,
    ReviewPeriod,
)
from apps.emulation.selectors.pact import pact_in_force
from apps.organizations.models import Unit

__all__ = [
    "UNSET",
    "AssessmentItemConflict",
    "assessment_item_update",
    "assessment_open",
    "assessment_submit",
    "evidence_add",
    "evidence_delete",
    "indicator_values_set",
]

MAX_EXPLANATION = 10_000
MAX_NOTE = 500
HUNDREDTH = Decimal("0.01")
# IndicatorValue.value is max_digits=16, decimal_places=2.
MAX_INDICATOR_VALUE = Decimal("99999999999999.99")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class AssessmentItemConflict(ValidationError):
    """Someone saved the line after the caller read it. ``current`` is the line as stored now."""

    def __init__(self, current: AssessmentItem):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by else _("someone")
        super().__init__(
            _(
                "%(user)s saved this line at %(time)s, after you opened it: %(points)s points. "
                "Nothing was saved from you; your text is kept."
            )
            % {
                "user": who,
                "time": vn_datetime(current.updated_at),
                "points": "—" if current.points is None else vn_number(current.points),
            },
            code="conflict",
        )


def _state_label(state: str) -> str:
    return str(SheetState(state).label)


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("period__term", "unit")
        .get(pk=assessment.pk)
    )


def _require_accepting(period: ReviewPeriod, unit: Unit, today: dt.date) -> None:
    if period.accepts_from(unit, today):
        return
    if today < period.opens_on:
        raise ValidationError(
            _("The %(period)s opens on %(day)s; nothing can be entered before then.")
            % {"period": period.get_kind_display(), "day": vn_date(period.opens_on)}
        )
    raise ValidationError(
        _(
            "The deadline of the %(period)s was %(day)s and the period is not reopened for "
            "%(unit)s; ask the cluster leader to reopen it."
        )
        % {"period": period.get_kind_display(), "day": vn_date(period.deadline), "unit": unit}
    )


def _require_editable(assessment: Assessment, today: dt.date | None = None) -> None:
    """A draft, and a period that still accepts the unit."""
    if assessment.state != SheetState.DRAFT:
        raise ValidationError(
            _("This self-assessment is %(state)s and can no longer be changed.")
            % {"state": _state_label(assessment.state)}
        )
    _require_accepting(assessment.period, assessment.unit, today or timezone.localdate())


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- opening -----------------------------------------------------------------------------------


@service
def assessment_open(*, actor, period: ReviewPeriod, unit: Unit) -> Assessment:
    """The unit's assessment for ``period``; made on first open, one line per criterion, bonus
    and penalty item of the pact version in force. Opening an existing one changes nothing."""
    period = ReviewPeriod.objects.select_for_update().select_related("term").get(pk=period.pk)
    existing = Assessment.objects.filter(period=period, unit=unit).first()
    if existing is not None:
        no_change()
        return existing
    if not period.term.memberships.filter(unit=unit).exists():
        raise ValidationError(
            _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": period.term}
        )
    today = timezone.localdate()
    _require_accepting(period, unit, today)
    pact = pact_in_force(term=period.term, on=today)
    if pact is None:
        raise ValidationError(
            _("%(term)s has no signed pact yet; a self-assessment is made against the pact.")
            % {"term": period.term}
        )
    criteria = list(
        Criterion.objects.filter(group__pact=pact).order_by("group__position", "position", "id")
    )
    if not criteria:
        raise ValidationError(_("The pact in force has no criteria."))
    assessment = Assessment.objects.create(period=period, unit=unit, pact=pact)
    AssessmentItem.objects.bulk_create(
        [AssessmentItem(assessment=assessment, criterion=c) for c in criteria]
    )
    record_event(
        actor=actor,
        action="assessment.create",
        obj=assessment,
        after={"period": period, "unit": unit, "pact": pact, "lines": len(criteria)},
    )
    return assessment


# --- lines -------------------------------------------------------------------------------------


def clean_points(points, criterion: Criterion) -> Decimal | None:
    """None (not filled yet), or a Decimal within the criterion's range with two decimals."""
    if points is None or points == "":
        return None
    try:
        value = points if isinstance(points, Decimal) else Decimal(str(points).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("Enter a number.")}) from None
    if not value.is_finite():
        raise ValidationError({"points": _("Enter a number.")})
    if value < 0:
        raise ValidationError({"points": _("Points cannot be negative.")})
    if value != value.quantize(HUNDREDTH):
        raise ValidationError({"points": _("Points have at most two decimal places.")})
    if value > criterion.max_points:
        raise ValidationError(
            {
                "points": _("At most %(max)s points for this item.")
                % {"max": vn_number(criterion.max_points)}
            }
        )
    return value.quantize(HUNDREDTH)


def _clean_explanation(text) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_EXPLANATION:
        raise ValidationError(
            {
                "explanation": _("An explanation may be at most %(limit)s characters long.")
                % {"limit": vn_number(MAX_EXPLANATION)}
            }
        )
    return text


@service
def assessment_item_update(
    *,
    actor,
    item: AssessmentItem,
    version: int,
    points=UNSET,
    explanation=UNSET,
) -> AssessmentItem:
    """Save a line's points and/or explanation over ``version``, the version the caller read.

    The write is ``UPDATE … WHERE id = … AND version = …``: when another save came first, no row
    matches and ``AssessmentItemConflict`` is raised with the stored line. Sending what is already
    stored is no conflict and no change (two people typed the same thing).
    """
    assessment = _locked(item.assessment)
    _require_editable(assessment)
    current = AssessmentItem.objects.select_related("criterion", "updated_by").get(pk=item.pk)
    changes = {}
    if points is not UNSET:
        changes["points"] = clean_points(points, current.criterion)
    if explanation is not UNSET:
        changes["explanation"] = _clean_explanation(explanation)
    changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not changed:
        no_change()
        return current
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("The line's version is missing.")}) from None
    written = AssessmentItem.objects.filter(pk=current.pk, version=version).update(
        **changed,
        version=F("version") + 1,
        updated_by=_user(actor),
        updated_at=timezone.now(),
    )
    if written != 1:
        raise AssessmentItemConflict(
            AssessmentItem.objects.select_related("criterion", "updated_by").get(pk=current.pk)
        )
    record_event(
        actor=actor,
        action="assessment.item_update",
        obj=assessment,
        before={"criterion": current.criterion_id, **{k: getattr(current, k) for k in changed}},
        after={"criterion": current.criterion_id, **changed, "version": version + 1},
    )
    return AssessmentItem.objects.select_related("criterion", "updated_by").get(pk=current.pk)


# --- evidence ----------------------------------------------------------------------------------


@service
def evidence_add(*, actor, item: AssessmentItem, upload) -> Evidence:
    """Attach a file to a line after checking it by content, size and the assessment's total."""
    assessment = _locked(item.assessment)
    _require_editable(assessment)
    checked = check_evidence_file(upload)
    used = (
        Evidence.objects.filter(item__assessment=assessment).aggregate(total=Sum("size"))["total"]
        or 0
    )
    limit = max_total_bytes()
    if used + checked.size > limit:
        raise ValidationError(
            _(
                "“%(name)s” (%(size)s) does not fit: the files of a self-assessment may take at "
                "most %(limit)s together and %(used)s are used."
            )
            % {
                "name": checked.name,
                "size": size_label(checked.size),
                "limit": size_label(limit),
                "used": size_label(used),
            },
            code="evidence_total",
        )
    evidence = Evidence(
        item_id=item.pk,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(actor),
    )
    save_checked_file(
        evidence,
        checked,
        lambda: record_event(
            actor=actor,
            action="assessment.evidence_add",
            obj=assessment,
            after={
                "criterion": item.criterion_id,
                "evidence": evidence.pk,
                "name": checked.name,
                "type": checked.kind.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        ),
    )
    return evidence


@service
def evidence_delete(*, actor, evidence: Evidence) -> AssessmentItem:
    """Remove a file from a draft line; the stored file is deleted once the removal commits."""
    evidence = Evidence.objects.select_related("item").get(pk=evidence.pk)
    item = evidence.item
    assessment = _locked(item.assessment)
    _require_editable(assessment)
    storage, name = evidence.file.storage, evidence.file.name
    before = {
        "criterion": item.criterion_id,
        "evidence": evidence.pk,
        "name": evidence.original_name,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
    record_event(actor=actor, action="assessment.evidence_delete", obj=assessment, before=before)
    return item


# --- indicators --------------------------------------------------------------------------------


def clean_indicator_value(value, indicator: Indicator) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    if number < 0:
        raise ValidationError(_("An indicator value cannot be negative."))
    if number != number.quantize(HUNDREDTH):
        raise ValidationError(_("At most two decimal places."))
    if indicator.measure == IndicatorMeasure.PERCENT and number > 100:
        raise ValidationError(_("A percentage cannot be above 100."))
    if indicator.measure in (IndicatorMeasure.COUNT, IndicatorMeasure.MONEY) and number != int(
        number
    ):
        raise ValidationError(_("Enter a whole number."))
    if number > MAX_INDICATOR_VALUE:
        raise ValidationError(_("The number is too large."))
    return number.quantize(HUNDREDTH)


@service
def indicator_values_set(
    *, actor, assessment: Assessment, values: Mapping[str, tuple[object, str]]
) -> Assessment:
    """Set the unit's indicator values, keyed by indicator code: ``{code: (value, note)}``.

    An empty value removes the indicator's value. Only indicators in use may be set. All values
    are checked before any is written; errors come back keyed by code.
    """
    assessment = _locked(assessment)
    _require_editable(assessment)
    indicators = {i.code: i for i in Indicator.objects.filter(active=True)}
    unknown = sorted(set(values) - set(indicators))
    if unknown:
        raise ValidationError(
            _("Unknown or retired indicators: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    cleaned, errors = {}, {}
    for code, (value, note) in values.items():
        try:
            note = (note or "").strip()
            if len(note) > MAX_NOTE:
                raise ValidationError(
                    _("A note may be at most %(limit)s characters long.") % {"limit": MAX_NOTE}
                )
            cleaned[code] = (clean_indicator_value(value, indicators[code]), note)
        except ValidationError as error:
            errors[code] = error.messages
    if errors:
        raise ValidationError(errors)
    stored = {v.indicator.code: v for v in assessment.indicator_values.select_related("indicator")}
    before, after = {}, {}
    for code, (value, note) in cleaned.items():
        old = stored.get(code)
        old_pair = (old.value, old.note) if old else (None, "")
        if old_pair == (value, note if value is not None else ""):
            continue
        if value is None:
            if old is None:
                continue
            old.delete()
        elif old is None:
            IndicatorValue.objects.create(
                assessment=assessment, indicator=indicators[code], value=value, note=note
            )
        else:
            old.value, old.note = value, note
            old.save(update_fields=["value", "note"])
        before[code] = {"value": old_pair[0], "note": old_pair[1]} if old else None
        after[code] = {"value": value, "note": note} if value is not None else None
    if not after:
        no_change()
        return assessment
    assessment.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="assessment.indicators_set",
        obj=assessment,
        before=before,
        after=after,
    )
    return assessment


# --- submission --------------------------------------------------------------------------------


@service
def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    """Draft → submitted, by the unit's leader, while the period accepts the unit.

    Every criterion line needs points (bonus and penalty lines may stay empty: no claim). A
    submission after the deadline, during a reopening, is marked late.
    """
    assessment = _locked(assessment)
    if (assessment.state, SheetState.SUBMITTED) not in SHEET_TRANSITIONS:
        raise ValidationError(
            _("This self-assessment is %(state)s; only a draft can be submitted.")
            % {"state": _state_label(assessment.state)}
        )
    today = timezone.localdate()
    _require_accepting(assessment.period, assessment.unit, today)
    missing = list(
        assessment.items.filter(criterion__kind=CriterionKind.CRITERION, points__isnull=True)
        .select_related("criterion__group")
        .order_by("criterion__group__position", "criterion__position", "criterion_id")
    )
    if missing:
        raise ValidationError(
            _("These criteria have no points yet: %(criteria)s")
            % {
                "criteria": "; ".join(
                    f"{m.criterion.group.code}. {m.criterion.title}" for m in missing
                )
            },
            code="incomplete",
        )
    assessment.state = SheetState.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = _user(actor)
    assessment.submitted_late = today > assessment.period.deadline
    assessment.save(
        update_fields=["state", "submitted_at", "submitted_by", "submitted_late", "updated_at"]
    )
    reopening = assessment.period.reopening_for(assessment.unit, today)
    record_event(
        actor=actor,
        action="assessment.submit",
        obj=assessment,
        before={"state": SheetState.DRAFT},
        after={
            "state": assessment.state,
            "submitted_at": assessment.submitted_at,
            "late": assessment.submitted_late,
            "reopening": reopening.pk if assessment.submitted_late and reopening else None,
        },
    )
    return assessment
