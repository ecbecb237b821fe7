"""Choices of the emulation year, and the pact's state machine as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PactState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("pact state", "Draft")
    OPEN_FOR_SIGNING = "open_for_signing", pgettext_lazy("pact state", "Open for signing")
    SIGNED = "signed", pgettext_lazy("pact state", "Signed")
    CLOSED = "closed", pgettext_lazy("pact state", "Closed")


class ScoringMethod(models.TextChoices):
    SELF = "self", _("By the unit itself")
    PEERS = "peers", _("By the other members")
    PANEL = "panel", _("By the leader's panel")


class CriterionKind(models.TextChoices):
    CRITERION = "criterion", _("Criterion")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class TieBreakKey(models.TextChoices):
    """Keys the ranking compares, in the pact's order, when two totals are equal."""

    CRITERIA_AT_MAXIMUM = "criteria_at_maximum", _("More criteria at their maximum")
    GOOD_PRACTICES = "good_practices", _("More good practices")
    CRITERIA_POINTS = "criteria_points", _("More points from criteria (before bonus and penalty)")
    FEWER_PENALTIES = "fewer_penalties", _("Fewer penalty points")


DEFAULT_TIE_BREAK = [TieBreakKey.CRITERIA_AT_MAXIMUM.value, TieBreakKey.GOOD_PRACTICES.value]


class PactActor(models.TextChoices):
    """Who may move a pact along one transition."""

    SECRETARIAT = "secretariat", _("The term's secretariat or a central officer")
    MEMBERS = "members", _("Every member unit's leader, by signing")
    SYSTEM = "system", _("The system, when an amendment is signed")


# (from, to) -> who. One service per transition: pact_open_for_signing, pact_sign (the last
# signature moves the pact to signed), pact_close; an amendment's signing closes the old version.
PACT_TRANSITIONS: dict[tuple[str, str], str] = {
    (PactState.DRAFT, PactState.OPEN_FOR_SIGNING): PactActor.SECRETARIAT,
    (PactState.OPEN_FOR_SIGNING, PactState.SIGNED): PactActor.MEMBERS,
    (PactState.SIGNED, PactState.CLOSED): PactActor.SECRETARIAT,
}
SUPERSEDE_TRANSITION = (PactState.SIGNED, PactState.CLOSED)


class PeriodKind(models.TextChoices):
    MID_YEAR = "mid_year", _("Mid-year review (sơ kết)")
    YEAR_END = "year_end", _("Year-end review (tổng kết)")


class SheetState(models.TextChoices):
    """State of a self-assessment or a score sheet: the officer drafts, the unit leader submits."""

    DRAFT = "draft", pgettext_lazy("sheet state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("sheet state", "Submitted")


# (from, to): a draft is submitted by the unit's leader; a submitted sheet is read-only. Reopening a
# submitted sheet is not a transition: the leader reopens the period for the unit instead.
SHEET_TRANSITIONS: dict[tuple[str, str], str] = {
    (SheetState.DRAFT, SheetState.SUBMITTED): "unit_leader",
}


class IndicatorMeasure(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percentage")
    MONEY = "money", _("Amount of money (đồng)")
