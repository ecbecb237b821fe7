from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What an entry does to the balance: contributions add, disbursements take away, and a
    reversal undoes one earlier entry (the ledger is never edited)."""

    CONTRIBUTION = "contribution", _("Contribution")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REVERSAL = "reversal", _("Reversal")


class AttachmentKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt or transfer slip")
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Other document")
