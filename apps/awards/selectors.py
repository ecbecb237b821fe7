"""Reads of the award catalog: the numbers in force on a day and the prize money they give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.awards.models import AwardType, BaseSalary, PrizeCoefficient
from apps.core.formats import vn_date, vn_money, vn_number

__all__ = [
    "CatalogRow",
    "Prize",
    "award_catalog",
    "base_salary_on",
    "coefficient_on",
    "prize_money",
]

ROUNDING = 10_000  # prize money is rounded up to the next 10,000 đ


def _in_force(queryset, on: dt.date):
    return (
        queryset.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def base_salary_on(on: dt.date) -> BaseSalary | None:
    return _in_force(BaseSalary.objects.all(), on)


def coefficient_on(award_type: AwardType, on: dt.date) -> PrizeCoefficient | None:
    return _in_force(PrizeCoefficient.objects.filter(award_type=award_type), on)


@dataclass(frozen=True)
class Prize:
    award_type: AwardType
    on: dt.date
    coefficient: PrizeCoefficient
    base_salary: BaseSalary
    exact: Decimal  # coefficient × base salary
    amount: int  # rounded up to the next 10,000 đ

    @property
    def explanation(self) -> str:
        return _(
            "%(coefficient)s × %(salary)s (base salary from %(from)s, %(salary_source)s; "
            "coefficient: %(coefficient_source)s), rounded up to the next 10.000 đ"
        ) % {
            "coefficient": vn_number(self.coefficient.coefficient),
            "salary": vn_money(self.base_salary.amount),
            "from": vn_date(self.base_salary.valid_from),
            "salary_source": self.base_salary.source,
            "coefficient_source": self.coefficient.source,
        }


def prize_money(award_type: AwardType, on: dt.date) -> Prize:
    """The prize money of ``award_type`` for a decision dated ``on``, with the numbers used."""
    coefficient = coefficient_on(award_type, on)
    if coefficient is None:
        raise ValidationError(
            _("“%(award)s” has no prize coefficient in force on %(date)s.")
            % {"award": award_type.name, "date": vn_date(on)}
        )
    salary = base_salary_on(on)
    if salary is None:
        raise ValidationError(_("No base salary is in force on %(date)s.") % {"date": vn_date(on)})
    exact = coefficient.coefficient * salary.amount
    amount = int((exact / ROUNDING).to_integral_value(rounding=ROUND_CEILING)) * ROUNDING
    return Prize(award_type, on, coefficient, salary, exact, amount)


@dataclass(frozen=True)
class CatalogRow:
    award_type: AwardType
    coefficient: PrizeCoefficient | None
    prize: Prize | None


def award_catalog(*, on: dt.date) -> list[CatalogRow]:
    rows = []
    for award_type in AwardType.objects.all():
        coefficient = coefficient_on(award_type, on)
        try:
            prize = prize_money(award_type, on) if coefficient else None
        except ValidationError:
            prize = None
        rows.append(CatalogRow(award_type, coefficient, prize))
    return rows


# --- proposals and history ----------------------------------------------------------------------


def proposal_list(*, user, state: str = "", year: int | None = None):
    """Proposals ``user`` may see, newest first, optionally by state and year."""
    from apps.accounts.permissions import proposals_visible_to
    from apps.awards.models import Proposal

    queryset = proposals_visible_to(
        user,
        Proposal.objects.select_related("proposer", "receiver", "term__cluster").prefetch_related(
            "candidates__award_type", "candidates__unit"
        ),
    )
    if state:
        queryset = queryset.filter(state=state)
    if year:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "-updated_at", "-id")


def receivers():
    """Bodies a proposal can go to: the head bodies of sectors first, then every unit."""
    from apps.organizations.models import Unit

    return Unit.objects.filter(active_to__isnull=True)


def unit_award_history(*, unit):
    """Every award of ``unit`` and of the units it succeeded (mergers), newest first."""
    from apps.awards.models import AwardRecord
    from apps.organizations.selectors import unit_lineage_ids

    return (
        AwardRecord.objects.filter(unit_id__in=unit_lineage_ids(unit=unit))
        .select_related("award_type", "unit", "decision")
        .order_by("-year", "award_type__position", "id")
    )


def person_award_history(*, name: str, birth_date: dt.date | None = None):
    """Awards of a person found by name (without diacritics) and, when given, date of birth."""
    from apps.awards.models import AwardRecord
    from apps.awards.rules import person_key

    key = person_key(name, None).rstrip("|")
    records = AwardRecord.objects.filter(person_key__startswith=key + "|")
    if birth_date:
        records = records.filter(person_key=person_key(name, birth_date))
    return records.select_related("award_type", "person_unit", "decision").order_by(
        "-year", "award_type__position", "id"
    )
