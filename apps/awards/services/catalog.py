"""Every write to the award catalog's numbers. Each function is an audited ``@service``.

A version is added, never edited: it must start after the latest one, which it closes on the day
before. Adding a version in the middle of history (or on the same day) is refused, so a decision
made on a past date keeps the numbers it was made with.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.awards.models import AwardType, BaseSalary, PrizeCoefficient
from apps.core.audit import record_event, service
from apps.core.formats import vn_date

__all__ = ["MAX_BASE_SALARY", "MAX_COEFFICIENT", "base_salary_add", "prize_coefficient_add"]

MAX_COEFFICIENT = Decimal("100")
MAX_BASE_SALARY = 100_000_000


def clean_source(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"source": _("Name the document this number comes from.")})
    return text[:300]


def close_latest(queryset, valid_from: dt.date):
    latest = queryset.order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "The latest version starts on %(date)s; a new one must start after it "
                    "(history is not rewritten)."
                )
                % {"date": vn_date(latest.valid_from)}
            }
        )
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        latest.valid_to = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_to", "updated_at"])
    return latest


@service
def prize_coefficient_add(
    *, actor, award_type: AwardType, coefficient, valid_from: dt.date, source: str
) -> PrizeCoefficient:
    try:
        value = Decimal(str(coefficient))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not Decimal(0) < value <= MAX_COEFFICIENT:
        raise ValidationError({"coefficient": _("Give a coefficient above 0 and at most 100.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"coefficient": _("At most two decimals, e.g. 1,5 or 0,30.")})
    source = clean_source(source)
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the date.")})
    previous = close_latest(PrizeCoefficient.objects.filter(award_type=award_type), valid_from)
    row = PrizeCoefficient.objects.create(
        award_type=award_type, coefficient=value, valid_from=valid_from, source=source
    )
    record_event(
        actor=actor,
        action="award.coefficient_add",
        obj=award_type,
        before={"coefficient": previous.coefficient, "valid_to": previous.valid_to}
        if previous
        else None,
        after={"coefficient": value, "valid_from": valid_from, "source": source},
    )
    return row


@service
def base_salary_add(*, actor, amount: int, valid_from: dt.date, source: str) -> BaseSalary:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_BASE_SALARY:
        raise ValidationError({"amount": _("Give the base salary in whole đồng, e.g. 2.340.000.")})
    source = clean_source(source)
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the date.")})
    previous = close_latest(BaseSalary.objects.all(), valid_from)
    row = BaseSalary.objects.create(amount=amount, valid_from=valid_from, source=source)
    record_event(
        actor=actor,
        action="award.base_salary_add",
        obj=row,
        before={"amount": previous.amount, "valid_to": previous.valid_to} if previous else None,
        after={"amount": amount, "valid_from": valid_from, "source": source},
    )
    return row
