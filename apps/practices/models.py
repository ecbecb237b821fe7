"""Good practices (mô hình hay, cách làm mới): a registry per unit and year.

A unit proposes a practice; the Central Organization Commission (or a province) recognises it;
other units adopt it, which makes it replicated. Counts per unit, cluster and year are what the
year-end reports quote (124 in cluster 1 in 2023, 49 in 2024).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import CheckedFile, RandomUploadTo, TimeStampedModel
from apps.core.text import fold
from apps.organizations.models import Unit
from apps.practices.choices import PracticeStatus, WorkField


class GoodPractice(TimeStampedModel):
    """A documented new way of working, by the unit that devised it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="good_practices"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    field = models.CharField(_("field of work"), max_length=12, choices=WorkField.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    results = models.TextField(_("results"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PracticeStatus.choices, default=PracticeStatus.PROPOSED
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognised_by = models.CharField(
        _("recognised by"),
        max_length=300,
        blank=True,
        help_text=_("The body that recognised it, and its document."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), editable=False, blank=True)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-year", "unit__sort_key", "title", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="practice_year_unit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="practice_year_plausible",
                violation_error_message=_("Give a year between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(recognised_on__isnull=False),
                name="practice_recognised_has_date",
                violation_error_message=_("A recognised practice has the date it was recognised."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title} {self.description} {self.results}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.pk])


class PracticeAdoption(models.Model):
    """Another unit took the practice up, on a date."""

    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("good practice"),
        on_delete=models.CASCADE,
        related_name="adoptions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="adopted_practices"
    )
    adopted_on = models.DateField(_("adopted on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["practice_id", "adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "unit"],
                name="practice_adopted_once_per_unit",
                violation_error_message=_("This unit has already adopted the practice."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.short_name} – {self.practice}"


class PracticeAttachment(CheckedFile):
    """A document or photo of a practice, checked by content when uploaded."""

    practice = models.ForeignKey(
        GoodPractice,
        verbose_name=_("good practice"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=RandomUploadTo("practices"), max_length=200)

    class Meta:
        verbose_name = _("practice attachment")
        verbose_name_plural = _("practice attachments")
        ordering = ["practice_id", "uploaded_at", "id"]
