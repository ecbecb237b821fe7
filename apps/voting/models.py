"""The secret acclamation vote (suy tôn): ballots, their candidates, who voted, and the papers.

Secrecy is a property of the schema. ``VoterRecord`` says which unit voted and when; a
``BallotPaper`` says what was chosen, under a random receipt code. Nothing joins the two: a paper has
no foreign key to a unit or user, no timestamp and a random UUID key, and closing the ballot rewrites
the papers in random order so the storage order no longer follows the order of voting.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organizations.models import ClusterTerm, Unit
from apps.voting.choices import BallotState, ElectorateKind


class Ballot(TimeStampedModel):
    """A question put to the cluster's electorate, e.g. which unit leads the cluster this year.

    Quorum and threshold are fractions of the electorate kept as data: ``quorum_strict`` means
    "more than" (turnout > numerator/denominator × electorate), otherwise "at least". The defaults
    are DOMAIN.md's: more than half of the members for both.
    """

    term = models.ForeignKey(
        ClusterTerm,
        verbose_name=_("cluster term"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    question = models.CharField(_("question"), max_length=500)
    max_choices = models.PositiveSmallIntegerField(_("number of choices allowed"), default=1)
    electorate_kind = models.CharField(
        _("electorate"),
        max_length=10,
        choices=ElectorateKind.choices,
        default=ElectorateKind.UNIT,
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=2)
    quorum_strict = models.BooleanField(
        _("quorum: more than (not at least)"),
        default=True,
        help_text=_("On: turnout must exceed the fraction; off: it must at least reach it."),
    )
    threshold_numerator = models.PositiveSmallIntegerField(_("threshold numerator"), default=1)
    threshold_denominator = models.PositiveSmallIntegerField(_("threshold denominator"), default=2)
    threshold_strict = models.BooleanField(
        _("threshold: more than (not at least)"),
        default=True,
        help_text=_(
            "On: a candidate's votes must exceed the fraction of the electorate; "
            "off: they must at least reach it."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BallotState.choices, default=BallotState.DRAFT
    )
    electorate_size = models.PositiveSmallIntegerField(
        _("electorate size"),
        null=True,
        blank=True,
        help_text=_("The number of voters, fixed when the ballot opens."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["term_id", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__gte=1),
                name="ballot_max_choices_positive",
                violation_error_message=_("A voter must be allowed at least one choice."),
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="ballot_quorum_fraction",
                violation_error_message=_("The quorum must be a fraction between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(threshold_denominator__gte=1)
                & Q(threshold_numerator__lte=F("threshold_denominator")),
                name="ballot_threshold_fraction",
                violation_error_message=_("The threshold must be a fraction between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("voting:ballot_detail", args=[self.pk])


class BallotCandidate(models.Model):
    """A unit on a ballot, in the order the ballot lists it."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="candidates"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ballot_candidacies"
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["ballot_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "unit"],
                name="ballot_candidate_unique_unit",
                violation_error_message=_("The unit is already a candidate on this ballot."),
            ),
            models.UniqueConstraint(
                fields=["ballot", "position"],
                name="ballot_candidate_unique_position",
                violation_error_message=_("Two candidates cannot share a position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.unit}"


class BallotDelegate(models.Model):
    """A conference delegate entitled to one vote on a ballot whose electorate is per delegate.

    The list is fixed when the ballot opens; ``unit`` is the member unit the delegate represents
    (the user's unit when listed), kept so turnout per unit survives later changes of the account.
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="delegates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="ballot_delegations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["ballot_id", "unit__sort_key", "user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "user"],
                name="ballot_delegate_once",
                violation_error_message=_("This person is already a delegate on this ballot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} ({self.unit.short_name})"

    @property
    def user_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class VoterRecord(models.Model):
    """That a unit (or, on a per-delegate ballot, a delegate) has voted, and when. Never what it
    chose.

    The unique constraints make "one vote per unit" and "one vote per delegate" hold under
    concurrent attempts: per unit where no delegate is named, per delegate otherwise.
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="voter_records"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="voter_records"
    )
    voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voted_at = models.DateTimeField(_("voted at"))
    delegate = models.OneToOneField(
        BallotDelegate,
        verbose_name=_("delegate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voter_record",
    )

    class Meta:
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        ordering = ["ballot_id", "unit__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "unit"],
                condition=Q(delegate__isnull=True),
                name="voter_record_one_vote_per_unit",
                violation_error_message=_("This unit has already voted on this ballot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.ballot}"


class BallotPaper(models.Model):
    """One cast vote: a receipt code and the chosen candidates, and nothing that names the voter.

    Deliberately without a unit, a user, a timestamp or a sequential key: see the module docstring.
    ``choices`` holds the chosen ``BallotCandidate`` ids, sorted (an empty list is a blank paper).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="papers"
    )
    receipt = models.CharField(_("receipt code"), max_length=32)
    choices = models.JSONField(_("choices"), default=list)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        ordering = ["ballot_id", "receipt"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "receipt"],
                name="ballot_paper_unique_receipt",
                violation_error_message=_("This receipt code is already used on this ballot."),
            ),
        ]

    def __str__(self) -> str:
        return self.receipt
