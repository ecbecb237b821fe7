"""Adding a version of an award rule and setting a receiving body's quota. A rule version is
added, never edited: it closes the version before it on the day before it starts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.awards.choices import RuleKind
from apps.awards.models import AwardQuota, AwardRule, AwardType
from apps.awards.services.catalog import clean_source, close_latest
from apps.core.audit import no_change, record_event, service

__all__ = ["award_quota_set", "award_rule_add"]

MAX_YEARS = 10
MAX_QUOTA = 10_000


def _clean_params(kind, years, required_award, percent) -> dict:
    """The numbers each kind needs, and nothing else."""
    if kind not in RuleKind.values:
        raise ValidationError({"kind": _("Choose a condition from the list.")})
    params = {"years": None, "required_award": None, "percent": None}
    if kind == RuleKind.CONSECUTIVE:
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
            raise ValidationError({"years": _("Give the number of years, from 1 to 10.")})
        if required_award is None:
            raise ValidationError({"required_award": _("Choose the award held in those years.")})
        params.update(years=years, required_award=required_award)
    if kind in {RuleKind.SHARE_LDTT, RuleKind.SHARE_OF_LEADERS}:
        try:
            value = Decimal(str(percent)) if percent not in (None, "") else None
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or not Decimal(0) < value <= Decimal(100):
            raise ValidationError({"percent": _("Give a percentage above 0 and at most 100.")})
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError({"percent": _("At most two decimals, e.g. 70 or 20,5.")})
        params["percent"] = value
    return params


@service
def award_rule_add(
    *,
    actor,
    award_type: AwardType,
    kind: str,
    valid_from: dt.date,
    source: str,
    applies: bool = True,
    years: int | None = None,
    required_award: AwardType | None = None,
    percent=None,
    note: str = "",
) -> AwardRule:
    """A new version of the rule ``kind`` for ``award_type`` from ``valid_from``; ``applies``
    off records that the condition no longer applies from that day."""
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the date.")})
    params = _clean_params(kind, years, required_award, percent) if applies else {}
    if params.get("required_award") is not None and params["required_award"].pk == award_type.pk:
        raise ValidationError({"required_award": _("An award cannot require itself.")})
    source = clean_source(source)
    previous = close_latest(AwardRule.objects.filter(award_type=award_type, kind=kind), valid_from)
    if previous is None and not applies:
        raise ValidationError({"applies": _("There is no earlier version to end.")})
    rule = AwardRule.objects.create(
        award_type=award_type,
        kind=kind,
        valid_from=valid_from,
        source=source,
        applies=applies,
        note=" ".join((note or "").split())[:500],
        **params,
    )
    record_event(
        actor=actor,
        action="award.rule_add",
        obj=award_type,
        before={"rule": previous.pk, "valid_to": previous.valid_to} if previous else None,
        after={
            "rule": rule.pk,
            "kind": kind,
            "applies": applies,
            "valid_from": valid_from,
            "source": source,
            "years": rule.years,
            "required_award": rule.required_award_id,
            "percent": rule.percent,
        },
    )
    return rule


@service
def award_quota_set(
    *, actor, receiver, year: int, award_type: AwardType, count: int, source: str
) -> AwardQuota:
    """Set (or change, audited) how many of ``award_type`` ``receiver`` gives for ``year``."""
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_QUOTA:
        raise ValidationError({"count": _("Give a whole number from 0 to 10.000.")})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    source = clean_source(source)
    quota = (
        AwardQuota.objects.select_for_update()
        .filter(receiver=receiver, year=year, award_type=award_type)
        .first()
    )
    before = {"count": quota.count, "source": quota.source} if quota else None
    if quota and quota.count == count and quota.source == source:
        no_change()
        return quota
    if quota is None:
        quota = AwardQuota(receiver=receiver, year=year, award_type=award_type)
    quota.count, quota.source = count, source
    quota.save()
    record_event(
        actor=actor,
        action="award.quota_set",
        obj=quota,
        before=before,
        after={"count": count, "source": source, "year": year, "award": award_type.code},
    )
    return quota
