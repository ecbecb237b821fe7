"""The pact (giao ước thi đua) of a cluster term: content groups, criteria and signatures."""

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import CheckedFile, TimeStampedModel
from apps.emulation.choices import (
    CriterionKind,
    IndicatorMeasure,
    PactState,
    PeriodKind,
    ScoringMethod,
    SheetState,
)
from apps.organizations.models import ClusterTerm, Unit


class Pact(TimeStampedModel):
    """One version of a term's emulation pact.

    Version 1 is the pact signed at the start of the year; an amendment is a new version (with its
    reason) that replaces the old one once every member has signed it. A signed pact is locked.
    """

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="pacts"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=PactState.choices, default=PactState.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    tie_break = models.JSONField(
        _("tie-break order"),
        default=list,
        blank=True,
        help_text=_("Keys the ranking compares, in order, when two totals are equal."),
    )
    opened_at = models.DateTimeField(_("opened for signing at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed by all at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        ordering = ["term_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "version"],
                name="pact_unique_term_version",
                violation_error_message=_("The term already has a pact with this version."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="pact_version_positive",
                violation_error_message=_("A pact version starts at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("emulation:pact_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == PactState.DRAFT


class ContentGroup(models.Model):
    """A section of a pact (nhóm nội dung or nhiệm vụ trọng tâm), e.g. "I. Công tác cán bộ"."""

    pact = models.ForeignKey(
        Pact, verbose_name=_("pact"), on_delete=models.CASCADE, related_name="groups"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("content group")
        verbose_name_plural = _("content groups")
        ordering = ["pact_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "code"],
                name="content_group_unique_code",
                violation_error_message=_("The pact already has a content group with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """A scored item of a content group; bonus and penalty items carry their cap in ``max_points``."""

    group = models.ForeignKey(
        ContentGroup,
        verbose_name=_("content group"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    evidence_required = models.TextField(_("evidence required"), blank=True)
    scoring_method = models.CharField(
        _("scored by"), max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.PEERS
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.CRITERION
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=Decimal("0")),
                name="criterion_max_points_positive",
                violation_error_message=_("The maximum points must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PactSignature(models.Model):
    """A member unit's signature of a pact version: who signed for it, and when.

    ``signed_by`` is empty only for signatures imported from paper records (the demo data).
    """

    pact = models.ForeignKey(
        Pact, verbose_name=_("pact"), on_delete=models.CASCADE, related_name="signatures"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pact_signatures"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact_signatures",
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("pact signature")
        verbose_name_plural = _("pact signatures")
        ordering = ["pact_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "unit"],
                name="pact_signature_once_per_unit",
                violation_error_message=_("This unit has already signed the pact."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.pact}"


# --- The year: movements, review periods, self-assessment, cross-scoring, ranking --------------


class Movement(TimeStampedModel):
    """An emulation movement (phong trào thi đua) launched by a member unit or by the cluster."""

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="movements"
    )
    launched_by = models.ForeignKey(
        Unit,
        verbose_name=_("launched by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="launched_movements",
        help_text=_("Empty when the cluster itself launched the movement."),
    )
    name = models.CharField(_("name"), max_length=300)
    slogan = models.CharField(_("slogan"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(
        Unit, verbose_name=_("participants"), blank=True, related_name="movements"
    )
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("linked criteria"), blank=True, related_name="movements"
    )

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["term_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="movement_ends_after_start",
                violation_error_message=_("A movement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewPeriod(TimeStampedModel):
    """Mid-year (sơ kết) or year-end (tổng kết) review of a term, with its opening and deadline.

    Both dates are inclusive days in Vietnam's time zone. After the deadline a unit can submit only
    while a ``PeriodReopening`` for it is in force. ``flag_margin`` is the percentage of a
    criterion's maximum beyond which the reconciliation view flags a deviation. The ranking is
    computed live for the secretariat and frozen into ``RankingEntry`` rows when published.
    """

    term = models.ForeignKey(
        ClusterTerm,
        verbose_name=_("term"),
        on_delete=models.PROTECT,
        related_name="review_periods",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    flag_margin = models.DecimalField(
        _("deviation margin (percent of the maximum)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
    )
    panel = models.ManyToManyField(
        Unit,
        verbose_name=_("scoring panel"),
        blank=True,
        related_name="panel_periods",
        help_text=_("Units that score the criteria scored by the leader's panel."),
    )
    ranking_published_at = models.DateTimeField(_("ranking published at"), null=True, blank=True)
    ranking_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ranking published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review period")
        verbose_name_plural = _("review periods")
        ordering = ["term_id", "opens_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind"],
                name="review_period_once_per_kind",
                violation_error_message=_("The term already has a review period of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")),
                name="review_period_deadline_after_opening",
                violation_error_message=_("The deadline cannot be before the opening day."),
            ),
            models.CheckConstraint(
                condition=Q(flag_margin__gte=0) & Q(flag_margin__lte=100),
                name="review_period_margin_percent",
                violation_error_message=_("The margin is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.term}"

    @property
    def ranking_published(self) -> bool:
        return self.ranking_published_at is not None

    def reopening_for(self, unit, on: dt.date | None = None):
        """The reopening in force for ``unit`` on ``on`` (today), or None."""
        on = on or timezone.localdate()
        return self.reopenings.filter(unit=unit, until__gte=on).order_by("-until", "-id").first()

    def accepts_from(self, unit, on: dt.date | None = None) -> bool:
        """Whether ``unit`` may change or submit its sheets on ``on`` (today)."""
        on = on or timezone.localdate()
        if on < self.opens_on:
            return False
        return on <= self.deadline or self.reopening_for(unit, on) is not None


class PeriodReopening(models.Model):
    """The leader reopens a closed period for one unit, until a day, with a reason (kept forever)."""

    period = models.ForeignKey(
        ReviewPeriod,
        verbose_name=_("review period"),
        on_delete=models.CASCADE,
        related_name="reopenings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="period_reopenings"
    )
    until = models.DateField(_("open until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reopened at"), default=timezone.now)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["period_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"


class Assessment(TimeStampedModel):
    """A unit's self-assessment (tự chấm) for a review period, against the pact version in force."""

    period = models.ForeignKey(
        ReviewPeriod,
        verbose_name=_("review period"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    pact = models.ForeignKey(
        Pact, verbose_name=_("pact version"), on_delete=models.PROTECT, related_name="assessments"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_late = models.BooleanField(_("submitted after the deadline"), default=False)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["period_id", "unit__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="assessment_once_per_unit",
                violation_error_message=_(
                    "The unit already has a self-assessment for this period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.state == SheetState.SUBMITTED


class AssessmentItem(models.Model):
    """A unit's own points for one criterion, with its explanation. ``version`` grows with each
    save so two officers editing the same line never overwrite each other silently."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="assessment_items",
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment line")
        verbose_name_plural = _("self-assessment lines")
        ordering = ["assessment_id", "criterion__group__position", "criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                name="assessment_item_once_per_criterion",
                violation_error_message=_("This criterion already has a line."),
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="assessment_item_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.criterion}"


def evidence_upload_to(instance, filename: str) -> str:
    # The stored name is random; the user's file name is kept in ``original_name``.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(CheckedFile):
    """A file attached to a self-assessment line, checked by content when uploaded."""

    item = models.ForeignKey(
        AssessmentItem,
        verbose_name=_("self-assessment line"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Indicator(models.Model):
    """A number the reports add up (đề án advised, good practices, cards renewed, …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(
        _("measure"),
        max_length=10,
        choices=IndicatorMeasure.choices,
        default=IndicatorMeasure.COUNT,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A unit's value of an indicator for a review period, entered with its self-assessment."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["assessment_id", "indicator__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="indicator_value_once",
                violation_error_message=_("This indicator already has a value."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("An indicator value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ScoreSheet(TimeStampedModel):
    """One unit's scores of another unit for a review period (chấm chéo). Never of itself."""

    period = models.ForeignKey(
        ReviewPeriod,
        verbose_name=_("review period"),
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    scorer = models.ForeignKey(
        Unit,
        verbose_name=_("scoring unit"),
        on_delete=models.PROTECT,
        related_name="score_sheets_given",
    )
    target = models.ForeignKey(
        Unit,
        verbose_name=_("scored unit"),
        on_delete=models.PROTECT,
        related_name="score_sheets_received",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["period_id", "scorer_id", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scorer", "target"],
                name="score_sheet_once_per_pair",
                violation_error_message=_("This unit already has a score sheet for that unit."),
            ),
            models.CheckConstraint(
                condition=~Q(scorer=models.F("target")),
                name="score_sheet_never_self",
                violation_error_message=_("A unit never scores itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.target} ({self.period})"

    @property
    def is_submitted(self) -> bool:
        return self.state == SheetState.SUBMITTED


class Score(models.Model):
    """One scorer's points for one criterion of the scored unit (optimistic ``version``)."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet_id", "criterion__group__position", "criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"],
                name="score_once_per_criterion",
                violation_error_message=_("This criterion already has a score on the sheet."),
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="score_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} – {self.criterion}"


class FinalScore(models.Model):
    """Reconciliation (thống nhất điểm): the score that counts for a unit and criterion, with the
    computed one beside it and the reason whenever they differ."""

    period = models.ForeignKey(
        ReviewPeriod,
        verbose_name=_("review period"),
        on_delete=models.PROTECT,
        related_name="final_scores",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="final_scores"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="final_scores",
    )
    computed = models.DecimalField(
        _("computed score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(_("final score"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("final score")
        verbose_name_plural = _("final scores")
        ordering = ["period_id", "unit_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "criterion"],
                name="final_score_once",
                violation_error_message=_("This criterion already has a final score for the unit."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="final_score_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.criterion}: {self.points}"


class RankingEntry(models.Model):
    """A line of the published ranking, frozen when the leader publishes it.

    ``explanation`` keeps the line-by-line reckoning (criteria, bonus, penalty, tie-break values)
    exactly as it was shown, so later edits cannot change what the members were told.
    """

    period = models.ForeignKey(
        ReviewPeriod,
        verbose_name=_("review period"),
        on_delete=models.CASCADE,
        related_name="ranking",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ranking_entries"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    criteria_points = models.DecimalField(_("criteria points"), max_digits=8, decimal_places=2)
    bonus_points = models.DecimalField(_("bonus points"), max_digits=8, decimal_places=2)
    penalty_points = models.DecimalField(_("penalty points"), max_digits=8, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    explanation = models.JSONField(_("explanation"), default=dict)

    class Meta:
        verbose_name = _("ranking line")
        verbose_name_plural = _("ranking lines")
        ordering = ["period_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="ranking_entry_once_per_unit",
                violation_error_message=_("The unit already has a line in this ranking."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit} – {self.total}"
