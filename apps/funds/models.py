"""The support fund of a cluster (kinh phí hỗ trợ xây nhà tình nghĩa): an append-only ledger.

Each cluster term keeps one ledger. Member units contribute; the cluster disburses to recipient
localities to build houses for colleagues in hardship. Amounts are whole đồng. An entry is never
edited or deleted: a mistake is undone by a reversal entry that names the entry it reverses, so
the history of the money is the ledger itself. The balance never goes below zero (the services
lock the term while they check it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import CheckedFile, RandomUploadTo, TimeStampedModel
from apps.funds.choices import AttachmentKind, EntryKind
from apps.organizations.models import ClusterTerm, Unit


class FundEntry(TimeStampedModel):
    """One line of a term's fund ledger."""

    term = models.ForeignKey(
        ClusterTerm,
        verbose_name=_("cluster term"),
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    number = models.PositiveIntegerField(
        _("entry number"), help_text=_("Numbered from 1 in each ledger, in the order recorded.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="fund_entries",
        help_text=_("The contributing unit, or the locality receiving a disbursement."),
    )
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    occurred_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    beneficiary = models.CharField(
        _("beneficiary"),
        max_length=300,
        blank=True,
        help_text=_("Who the house is for (a disbursement)."),
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_on = models.DateField(
        _("house handed over on"),
        null=True,
        blank=True,
        help_text=_("Recorded once, when the house built with a disbursement is handed over."),
    )
    handover_note = models.CharField(_("handover note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["term_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "number"],
                name="fund_entry_number_once",
                violation_error_message=_("This entry number is already used in the ledger."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fund_entry_amount_positive",
                violation_error_message=_("An amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="fund_entry_reversal_names_its_entry",
                violation_error_message=_("A reversal names the entry it reverses, and only it."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_kind_display()} {self.unit.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("funds:ledger", args=[self.term_id]) + f"#entry-{self.number}"

    @property
    def effect(self) -> int:
        """The signed change to the balance: + for money in, − for money out."""
        if self.kind == EntryKind.CONTRIBUTION:
            return self.amount
        if self.kind == EntryKind.DISBURSEMENT:
            return -self.amount
        return -self.reverses.effect


class FundAttachment(CheckedFile):
    """A receipt, transfer slip or photo of a ledger entry, checked by content when uploaded."""

    entry = models.ForeignKey(
        FundEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.RECEIPT
    )
    file = models.FileField(_("file"), upload_to=RandomUploadTo("funds"), max_length=200)

    class Meta:
        verbose_name = _("fund attachment")
        verbose_name_plural = _("fund attachments")
        ordering = ["entry_id", "uploaded_at", "id"]
