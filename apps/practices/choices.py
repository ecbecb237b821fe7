from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeStatus(models.TextChoices):
    """proposed → recognised → replicated; ``TRANSITIONS`` says which service moves which way."""

    PROPOSED = "proposed", _("Proposed")
    RECOGNISED = "recognised", _("Recognised")
    REPLICATED = "replicated", _("Replicated")


class WorkField(models.TextChoices):
    """Fields of the Organization sector's work, as the seeds' reports group them."""

    APPARATUS = "apparatus", _("Organisation of the apparatus")
    CADRES = "cadres", _("Cadre work")
    MEMBERS = "members", _("Party organisations and members")
    PROTECTION = "protection", _("Internal political protection")
    DIGITAL = "digital", _("Digital transformation")
    OTHER = "other", _("Other")


# One transition per service: action → (states it may start from, new state).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "recognise": ((PracticeStatus.PROPOSED,), PracticeStatus.RECOGNISED),
    "adopt": ((PracticeStatus.RECOGNISED, PracticeStatus.REPLICATED), PracticeStatus.REPLICATED),
}
