"""The pact (giao ước thi đua) of a cluster term: content groups, criteria and signatures."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.emulation.choices import CriterionKind, PactState, ScoringMethod
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
