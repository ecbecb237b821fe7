from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotState(models.TextChoices):
    """draft → open → closed → published; ``TRANSITIONS`` says which service moves which way."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Voting closed")
    PUBLISHED = "published", _("Results published")


class ElectorateKind(models.TextChoices):
    UNIT = "unit", _("One vote per member unit, cast by its leader")
    DELEGATE = "delegate", _("One vote per delegate")


# One transition per service: action name → (required state, new state).
TRANSITIONS: dict[str, tuple[str, str]] = {
    "open": (BallotState.DRAFT, BallotState.OPEN),
    "close": (BallotState.OPEN, BallotState.CLOSED),
    "publish": (BallotState.CLOSED, BallotState.PUBLISHED),
}
