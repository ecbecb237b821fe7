from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AwardCategory(models.TextChoices):
    TITLE = "title", _("Emulation title")
    FORM = "form", _("Commendation form")


class Recipient(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class RuleKind(models.TextChoices):
    """What a rule checks. Its numbers (years, percent, award) are the rule row's parameters."""

    LEADS_CLUSTER = "leads_cluster", _("Leads its cluster (ranking and acclamation vote)")
    CONSECUTIVE = "consecutive", _("Held an award in consecutive years")
    SHARE_LDTT = "share_ldtt", _("Share of members who are Lao động tiên tiến")
    SHARE_OF_LEADERS = "share_of_leaders", _("Proposals capped at a share of the voted leaders")
    QUOTA = "quota", _("Within the quota set by the receiving body")
    BALLOT_REQUIRED = "ballot_required", _("Minutes and secret-ballot result in the file")
    NO_PENDING_CASE = "no_pending_case", _("No discipline, inspection or complaint pending")
    NOT_YET_AWARDED = "not_yet_awarded", _("Not already given this award for the year")


class Outcome(models.TextChoices):
    PASS = "pass", _("Meets")
    FAIL = "fail", _("Does not meet")
    UNKNOWN = "unknown", _("Not enough data")


class ProposalState(models.TextChoices):
    """draft → submitted → received → under review → (returned → submitted …) passed → decided →
    certificates issued. ``TRANSITIONS`` says which action moves which way and who may take it."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", pgettext_lazy("proposal state", "Received")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    PASSED = "passed", _("Passed review")
    DECIDED = "decided", _("Decided")
    ISSUED = "issued", _("Certificates issued")


class CandidateOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


# action → (states it starts from, the state it leads to, who takes it: "proposer" or "receiver")
TRANSITIONS: dict[str, tuple[set[str], str, str]] = {
    "submit": ({ProposalState.DRAFT, ProposalState.RETURNED}, ProposalState.SUBMITTED, "proposer"),
    "receive": ({ProposalState.SUBMITTED}, ProposalState.RECEIVED, "receiver"),
    "review": ({ProposalState.RECEIVED}, ProposalState.UNDER_REVIEW, "receiver"),
    "return": ({ProposalState.UNDER_REVIEW}, ProposalState.RETURNED, "receiver"),
    "pass": ({ProposalState.UNDER_REVIEW}, ProposalState.PASSED, "receiver"),
    "decide": ({ProposalState.PASSED}, ProposalState.DECIDED, "receiver"),
    "issue": ({ProposalState.DECIDED}, ProposalState.ISSUED, "receiver"),
}
EDITABLE_STATES = {ProposalState.DRAFT, ProposalState.RETURNED}
