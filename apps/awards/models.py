"""The catalog of emulation titles and commendation forms, and the numbers that price them.

Every number from law is a versioned row with the day it starts, the day it ends (open while in
force) and the document it comes from: the prize coefficient of each award and the base salary
(lương cơ sở). Prize money = coefficient × base salary in force on the decision date, rounded up
to the next 10,000 đ (DOMAIN.md §4). A new version closes the one before it; nothing is edited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.awards.choices import AwardCategory, Recipient
from apps.core.models import TimeStampedModel


class AwardType(models.Model):
    """An emulation title or commendation form of the catalog (Lao động tiên tiến, Cờ thi đua…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=AwardCategory.choices)
    recipient = models.CharField(_("awarded to"), max_length=12, choices=Recipient.choices)
    decided_by = models.CharField(_("decided by"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class _Versioned(TimeStampedModel):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source document"), max_length=300)

    class Meta:
        abstract = True

    @property
    def in_force_label(self) -> str:
        from apps.core.formats import vn_date

        end = vn_date(self.valid_to) if self.valid_to else "…"
        return f"{vn_date(self.valid_from)} – {end}"


class PrizeCoefficient(_Versioned):
    """The multiple of the base salary an award carries, for a span of days."""

    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        related_name="coefficients",
    )
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("prize coefficient")
        verbose_name_plural = _("prize coefficients")
        ordering = ["award_type_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "valid_from"],
                name="coefficient_once_per_start",
                violation_error_message=_("A version already starts on this day."),
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gt=0),
                name="coefficient_positive",
                violation_error_message=_("A coefficient is more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="coefficient_span_ordered",
                violation_error_message=_("A version cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type}: {self.coefficient} ({self.in_force_label})"


class BaseSalary(_Versioned):
    """The base salary (lương cơ sở) in đồng per month, for a span of days."""

    amount = models.PositiveIntegerField(_("amount (đồng)"))

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from"],
                name="base_salary_once_per_start",
                violation_error_message=_("A version already starts on this day."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="base_salary_positive",
                violation_error_message=_("An amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="base_salary_span_ordered",
                violation_error_message=_("A version cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.in_force_label})"
