"""The catalog of emulation titles and commendation forms, and the numbers that price them.

Every number from law is a versioned row with the day it starts, the day it ends (open while in
force) and the document it comes from: the prize coefficient of each award and the base salary
(lương cơ sở). Prize money = coefficient × base salary in force on the decision date, rounded up
to the next 10,000 đ (DOMAIN.md §4). A new version closes the one before it; nothing is edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.awards.choices import (
    AwardCategory,
    CandidateOutcome,
    ProposalState,
    Recipient,
    RuleKind,
)
from apps.core.models import CheckedFile, RandomUploadTo, TimeStampedModel
from apps.organizations.models import ClusterTerm, Unit


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

    def name_for(self, body) -> str:
        """The award as given by ``body`` (a unit or its name): "Cờ thi đua của Ban Tổ chức
        Trung ương" for the catalog's "Cờ thi đua của bộ, ban, ngành, tỉnh"."""
        generic = "của bộ, ban, ngành, tỉnh"
        name = getattr(body, "name", body)
        if name and generic in self.name:
            return self.name.replace(generic, f"của {name}")
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


# --- rules and quotas ---------------------------------------------------------------------------


class AwardRule(_Versioned):
    """A condition an award's candidates must meet, for a span of days, with its source document.

    One rule per award and kind is in force on a day; a new version closes the one before it.
    ``applies`` off means: from ``valid_from`` the condition no longer applies (a rule repealed
    by a new decree). The numbers the kind needs are columns, checked by the service:
    ``years`` and ``required_award`` (consecutive years), ``percent`` (shares).
    """

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="rules"
    )
    kind = models.CharField(_("condition"), max_length=20, choices=RuleKind.choices)
    applies = models.BooleanField(_("applies"), default=True)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    required_award = models.ForeignKey(
        AwardType,
        verbose_name=_("required award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["award_type__position", "kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "kind", "valid_from"],
                name="award_rule_once_per_start",
                violation_error_message=_("A version of this rule already starts on this day."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="award_rule_span_ordered",
                violation_error_message=_("A version cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type}: {self.get_kind_display()} ({self.in_force_label})"


class AwardQuota(TimeStampedModel):
    """How many of an award a receiving body will give in a year (e.g. 5 flags for the sector)."""

    receiver = models.ForeignKey(
        Unit, verbose_name=_("receiving body"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="quotas"
    )
    count = models.PositiveSmallIntegerField(_("quota"))
    source = models.CharField(_("source document"), max_length=300)

    class Meta:
        verbose_name = _("award quota")
        verbose_name_plural = _("award quotas")
        ordering = ["-year", "award_type__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "year", "award_type"],
                name="award_quota_once",
                violation_error_message=_("This body already has a quota for this award and year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year}: {self.count}"


# --- proposals ----------------------------------------------------------------------------------


class Proposal(TimeStampedModel):
    """A file proposing awards (hồ sơ đề nghị khen thưởng), from a unit or a cluster to the body
    that decides. Its state moves only through the services (``TRANSITIONS``)."""

    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(
        _("letter number"), max_length=60, blank=True, help_text=_("e.g. 45-TTr/CTĐ1")
    )
    proposer = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        ClusterTerm,
        verbose_name=_("on behalf of the cluster term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_proposals",
    )
    receiver = models.ForeignKey(
        Unit, verbose_name=_("receiving body"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    achievements = models.TextField(_("achievement report"), blank=True)
    ballot = models.OneToOneField(
        "voting.Ballot",
        verbose_name=_("acclamation vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_proposal",
    )
    deliberated_on = models.DateField(_("deliberation date"), null=True, blank=True)
    deliberation_place = models.CharField(_("deliberation place"), max_length=300, blank=True)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    secretary = models.CharField(_("minutes taken by"), max_length=200, blank=True)
    signer = models.CharField(
        _("signed by"), max_length=200, blank=True, help_text=_("Who signs the letter.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["-year", "-created_at", "-id"]
        indexes = [models.Index(fields=["receiver", "state"], name="proposal_inbox")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:proposal_detail", args=[self.pk])


class ProposalCandidate(models.Model):
    """A collective (a unit) or a person proposed for one award, with the numbers its rules need
    and the reviewer's outcome and comment."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="candidates"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award proposed"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("collective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("full name"), max_length=200, blank=True)
    person_title = models.CharField(_("position and workplace"), max_length=300, blank=True)
    person_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    votes = models.PositiveSmallIntegerField(_("votes received"), null=True, blank=True)
    electorate = models.PositiveSmallIntegerField(_("of voters"), null=True, blank=True)
    members_total = models.PositiveIntegerField(_("members"), null=True, blank=True)
    members_ldtt = models.PositiveIntegerField(
        _("members who are Lao động tiên tiến"), null=True, blank=True
    )
    pending_case = models.BooleanField(
        _("discipline, inspection or complaint pending"), default=False
    )
    outcome = models.CharField(
        _("review outcome"),
        max_length=10,
        choices=CandidateOutcome.choices,
        default=CandidateOutcome.PENDING,
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["proposal_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"],
                name="proposal_candidate_position",
                violation_error_message=_("Two candidates cannot share a position."),
            ),
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(person_name=""))
                | (Q(unit__isnull=True) & ~Q(person_name="")),
                name="proposal_candidate_unit_or_person",
                violation_error_message=_("A candidate is either a collective or a person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.award_type}"

    @property
    def name(self) -> str:
        return self.unit.name if self.unit_id else self.person_name

    @property
    def is_collective(self) -> bool:
        return self.unit_id is not None

    @property
    def award_name(self) -> str:
        return self.award_type.name_for(self.proposal.receiver)


class ProposalEvent(models.Model):
    """One step of a proposal's workflow: who moved it from which state to which, and why."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=12, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=ProposalState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("time"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        ordering = ["proposal_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_state} → {self.to_state}"


class ProposalAttachment(CheckedFile):
    """The achievement report, minutes, ballot record or other paper of a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=RandomUploadTo("proposals"), max_length=200)

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["proposal_id", "uploaded_at", "id"]


# --- decisions and history ----------------------------------------------------------------------


class Decision(TimeStampedModel):
    """A commendation decision (quyết định khen thưởng): number, date, signer, issuing body."""

    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )
    number = models.CharField(_("number"), max_length=60, help_text=_("e.g. 1234-QĐ/BTCTW"))
    signed_on = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(
        _("signer's position"), max_length=200, blank=True, help_text=_("e.g. Trưởng ban")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number"],
                name="decision_number_once",
                violation_error_message=_("This body already has a decision with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class DecisionAttachment(CheckedFile):
    """The signed decision as scanned, or its annex."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=RandomUploadTo("decisions"), max_length=200)

    class Meta:
        verbose_name = _("decision attachment")
        verbose_name_plural = _("decision attachments")
        ordering = ["decision_id", "uploaded_at", "id"]


class AwardRecord(TimeStampedModel):
    """One award a unit or a person received: from a decision recorded here, or entered from
    paper for the years before the system. History is read through mergers: a unit's history
    includes its predecessors' records."""

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("collective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    person_name = models.CharField(_("full name"), max_length=200, blank=True)
    person_key = models.CharField(_("person key"), max_length=250, blank=True, db_index=True)
    person_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    person_unit = models.ForeignKey(
        Unit,
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    candidate = models.OneToOneField(
        ProposalCandidate,
        verbose_name=_("candidate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    prize_amount = models.PositiveBigIntegerField(_("prize money (đồng)"), null=True, blank=True)
    prize_explanation = models.CharField(
        _("how the prize was computed"), max_length=500, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_issued_at = models.DateTimeField(_("certificate issued at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("award record")
        verbose_name_plural = _("award records")
        ordering = ["-year", "award_type__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(person_name=""))
                | (Q(unit__isnull=True) & ~Q(person_name="")),
                name="award_record_unit_or_person",
                violation_error_message=_("An award goes to a collective or to a person."),
            ),
        ]

    def __str__(self) -> str:
        who = self.unit.name if self.unit_id else self.person_name
        return f"{who}: {self.award_type} {self.year}"

    @property
    def name(self) -> str:
        return self.unit.name if self.unit_id else self.person_name

    @property
    def award_name(self) -> str:
        return self.award_type.name_for(self.issuing_body)


class CertificateTemplate(TimeStampedModel):
    """How a certificate is printed: page orientation, an optional background image (the printed
    form, scanned), and where each field goes. ``layout`` is a list of
    ``{"field", "x", "y", "size", "style", "align", "width"}`` in millimetres from the top left."""

    name = models.CharField(_("name"), max_length=200)
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("for award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate_templates",
        help_text=_("Empty: the template for every award without its own."),
    )
    landscape = models.BooleanField(_("landscape"), default=True)
    background = models.FileField(
        _("background image"),
        upload_to=RandomUploadTo("certificate-templates"),
        max_length=200,
        blank=True,
    )
    draw_border = models.BooleanField(_("draw a border"), default=True)
    layout = models.JSONField(_("layout"))

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["award_type_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type"],
                name="certificate_template_per_award",
                violation_error_message=_("This award already has a template."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
