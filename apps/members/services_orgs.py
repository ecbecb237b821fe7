"""Writes for organisation management and the classification of party organisations; each an
audited ``@service``. (Re-exported by ``apps.members.services`` so every service sits in one
registry.) Creating, moving and succeeding organisations are in ``services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event, service, snapshot
from apps.members.choices import (
    CLASSIFIED_KINDS,
    ORG_STEP_LABELS,
    ORG_TRANSITIONS,
    Level,
    OrgClassificationState,
    OrgKind,
)
from apps.members.classification import quota_check
from apps.members.models import OrgClassification, PartyOrganization
from apps.members.org_classification import above, deciding_org, highest_level

__all__ = [
    "org_classification_appraise",
    "org_classification_decide",
    "org_classification_self_assess",
    "org_update",
]

ORG_FIELDS = ["code", "name", "valid_from", "valid_to"]
CLASSIFICATION_FIELDS = [
    "state",
    "self_score",
    "self_level",
    "self_comment",
    "disqualified",
    "appraised_level",
    "appraisal_comment",
    "level",
    "decided_by",
    "decision_number",
    "decision_date",
    "quota_approved",
]


@service
def org_update(
    *,
    actor,
    org: PartyOrganization,
    code: str,
    name: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> PartyOrganization:
    """Change an organisation's catalog code, name or dates (its place in the tree moves with
    ``org_move``; a rename that makes a new organisation is a succession)."""
    org = PartyOrganization.objects.select_for_update().get(pk=org.pk)
    code = "".join((code or "").split()).upper()
    name = " ".join((name or "").split())
    if not code or not name:
        raise ValidationError(_("Give the organisation's code and name."))
    if PartyOrganization.objects.filter(code=code).exclude(pk=org.pk).exists():
        raise ValidationError({"code": _("The code %(code)s is already used.") % {"code": code}})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
    before = snapshot(org, ORG_FIELDS)
    org.code, org.name, org.valid_from, org.valid_to = code, name, valid_from, valid_to
    org.save(update_fields=[*ORG_FIELDS, "search_name", "updated_at"])
    record_event(
        actor=actor,
        action="member.org_update",
        obj=org,
        before=before,
        after=snapshot(org, ORG_FIELDS),
    )
    return org


# --- classification of organisations ------------------------------------------------------------


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(
            {"score": ValidationError(_("Give a score from 0 to 100."), code="score")}
        )
    return score


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": ValidationError(_("Give a year from 2000 to this year."), code="year")}
        )


def _check_level(field: str, level: str, record_or_score, disqualified: str) -> None:
    """``level`` must be a level, and not above what the score and a disqualifying fact allow."""
    if level not in Level.values:
        raise ValidationError({field: ValidationError(_("Choose a level."), code="level")})
    score = getattr(record_or_score, "self_score", record_or_score)
    cap = highest_level(score, disqualified)
    if above(level, cap):
        text = _("A score of %(score)s%(why)s allows at most “%(level)s”.") % {
            "score": f"{score.normalize():f}",
            "why": (_(" with a disqualifying fact") if disqualified else ""),
            "level": Level(cap).label,
        }
        raise ValidationError(
            {field: ValidationError(text, code="disqualified" if disqualified else "level_cap")}
        )


def _state_label(state) -> str:
    return OrgClassificationState(state).label if state else _("Not started")


def _transition(org: PartyOrganization, year: int, step: str) -> OrgClassification | None:
    """Lock and return the year's record (None before the self-assessment), refusing a step its
    state does not allow with both states named."""
    sources, _target, _who = ORG_TRANSITIONS[step]
    record = (
        OrgClassification.objects.select_for_update().filter(organization=org, year=year).first()
    )
    state = record.state if record else None
    if state not in sources:
        allowed = " / ".join(f"“{_state_label(s)}”" for s in sorted(sources, key=str))
        raise ValidationError(
            _(
                "The classification of %(org)s for %(year)s is “%(state)s”: it cannot be "
                "%(step)s now (only from %(allowed)s)."
            )
            % {
                "org": org.name,
                "year": year,
                "state": _state_label(state),
                "step": ORG_STEP_LABELS[step],
                "allowed": allowed,
            },
            code="wrong_state",
        )
    return record


def _classified(org: PartyOrganization) -> PartyOrganization:
    org = PartyOrganization.objects.get(pk=org.pk)
    if org.kind not in CLASSIFIED_KINDS:
        raise ValidationError(
            _(
                "A %(kind)s is not classified here (only grassroots organisations and those under them)."
            )
            % {"kind": OrgKind(org.kind).label},
            code="not_classified",
        )
    return org


@service
def org_classification_self_assess(
    *,
    actor,
    org: PartyOrganization,
    year: int,
    score,
    level: str = "",
    comment: str = "",
    disqualified: str = "",
) -> OrgClassification:
    """Step 1: the organisation's own score, proposed level (the score's level when not given)
    and comment. It may be revised until the superior appraises it."""
    org = _classified(org)
    _check_year(year)
    value = _score(score)
    disqualified = " ".join((disqualified or "").split())[:300]
    level = level or highest_level(value, disqualified)
    _check_level("level", level, value, disqualified)
    record = _transition(org, year, "self_assess")
    before = snapshot(record, CLASSIFICATION_FIELDS) if record else None
    if record is None:
        record = OrgClassification(organization=org, year=year)
    record.state = OrgClassificationState.SELF_ASSESSED
    record.self_score = value
    record.self_level = level
    record.self_comment = (comment or "").strip()
    record.disqualified = disqualified
    record.save()
    record_event(
        actor=actor,
        action="member.org_classification_self_assess",
        obj=org,
        before=before,
        after={"year": year, **snapshot(record, CLASSIFICATION_FIELDS)},
    )
    return record


@service
def org_classification_appraise(
    *, actor, org: PartyOrganization, year: int, level: str, comment: str = ""
) -> OrgClassification:
    """Step 2: the superior (the direct parent) appraises and proposes a level."""
    org = _classified(org)
    record = _transition(org, year, "appraise")
    _check_level("level", level, record, record.disqualified)
    before = snapshot(record, CLASSIFICATION_FIELDS)
    record.state = OrgClassificationState.APPRAISED
    record.appraised_level = level
    record.appraisal_comment = (comment or "").strip()
    record.appraised_at = timezone.now()
    record.save(
        update_fields=[
            "state",
            "appraised_level",
            "appraisal_comment",
            "appraised_at",
            "updated_at",
        ]
    )
    record_event(
        actor=actor,
        action="member.org_classification_appraise",
        obj=org,
        before=before,
        after={"year": year, **snapshot(record, CLASSIFICATION_FIELDS)},
    )
    return record


@service
def org_classification_decide(
    *,
    actor,
    org: PartyOrganization,
    year: int,
    level: str,
    decision_number: str,
    decision_date: dt.date | None,
    approved: bool = False,
) -> OrgClassification:
    """Step 3: the competent level decides the level, keeping its organisations rated "xuất
    sắc" within 20 % of those rated "tốt" (25 % with ``approved``)."""
    org = _classified(org)
    decision_number = " ".join((decision_number or "").split())
    if not decision_number:
        raise ValidationError(
            {"decision_number": ValidationError(_("Give the decision number."), code="required")}
        )
    if decision_date is None or decision_date > timezone.localdate():
        raise ValidationError(
            {
                "decision_date": ValidationError(
                    _("Give the decision date, not in the future."), code="date"
                )
            }
        )
    if decision_date.year < year:
        text = _("A decision on %(year)s is dated in or after it.") % {"year": year}
        raise ValidationError({"decision_date": ValidationError(text, code="date")})
    record = _transition(org, year, "decide")
    _check_level("level", level, record, record.disqualified)
    decider = deciding_org(org)
    if decider is None:
        raise ValidationError(_("No committee above this organisation can decide."))
    # Decisions of one committee count against one quota: take them one at a time.
    decider = PartyOrganization.objects.select_for_update().get(pk=decider.pk)
    if level == Level.EXCELLENT:
        theirs = OrgClassification.objects.filter(
            decided_by=decider, year=year, state=OrgClassificationState.DECIDED
        ).exclude(pk=record.pk)
        check = quota_check(
            excellent=theirs.filter(level=Level.EXCELLENT).count() + 1,
            good=theirs.filter(level=Level.GOOD).count(),
            approved=approved,
        )
        if not check.ok:
            text = _("The quota of “excellent” of %(org)s is full: %(why)s.") % {
                "org": decider.name,
                "why": check.explanation,
            }
            raise ValidationError({"level": ValidationError(text, code="quota")})
    before = snapshot(record, CLASSIFICATION_FIELDS)
    record.state = OrgClassificationState.DECIDED
    record.level = level
    record.decided_by = decider
    record.decision_number = decision_number
    record.decision_date = decision_date
    record.quota_approved = bool(approved)
    record.save(
        update_fields=[
            "state",
            "level",
            "decided_by",
            "decision_number",
            "decision_date",
            "quota_approved",
            "updated_at",
        ]
    )
    record_event(
        actor=actor,
        action="member.org_classification_decide",
        obj=org,
        before=before,
        after={"year": year, **snapshot(record, CLASSIFICATION_FIELDS)},
    )
    return record
