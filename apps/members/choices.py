from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Party organisation types (QĐ 294-QĐ/TW, 2025; no district level any more)."""

    PROVINCE = "province", _("Provincial party committee (đảng bộ tỉnh)")
    ABOVE_GRASSROOTS = "above_grassroots", _("Committee directly above grassroots")
    GRASSROOTS = "grassroots", _("Grassroots party committee (đảng bộ cơ sở)")
    SECTION = "section", _("Section party committee (đảng bộ bộ phận)")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell (chi bộ cơ sở)")
    CELL = "cell", _("Party cell under a committee (chi bộ trực thuộc)")


# Where members meet: a member's current organisation is one of these.
CELL_KINDS = {OrgKind.GRASSROOTS_CELL, OrgKind.CELL}
# Which kinds may sit under which (None: the top of the tree).
ALLOWED_PARENTS = {
    OrgKind.PROVINCE: {None},
    OrgKind.ABOVE_GRASSROOTS: {OrgKind.PROVINCE},
    OrgKind.GRASSROOTS: {OrgKind.PROVINCE, OrgKind.ABOVE_GRASSROOTS},
    OrgKind.SECTION: {OrgKind.GRASSROOTS},
    OrgKind.GRASSROOTS_CELL: {OrgKind.PROVINCE, OrgKind.ABOVE_GRASSROOTS},
    OrgKind.CELL: {OrgKind.GRASSROOTS, OrgKind.SECTION},
}


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed to")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    FULL = "full", _("Full member")
    EXEMPT = "exempt", _("Exempt from activity")
    SUSPENDED = "suspended", _("Activity suspended")
    LEFT = "left", _("No longer a member")


class GapReason(models.TextChoices):
    EXPELLED = "expelled", _("Expelled")
    REMOVED = "removed", _("Removed from the rolls")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    TRANSFER = "transfer", _("Gap in transferring activity")


class Level(models.TextChoices):
    """Quality classification, QĐ 366-QĐ/TW (30/8/2025), 100-point scale."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETE = "complete", _("Completed tasks")
    INCOMPLETE = "incomplete", _("Did not complete tasks")


# --- inspections and supervisions (kiểm tra, giám sát) and training courses (bồi dưỡng) ---------


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (kiểm tra)")
    SUPERVISION = "supervision", _("Supervision (giám sát)")


class InspectionBasis(models.TextChoices):
    """Why it is held: the yearly programme, a chosen theme, or signs of a violation."""

    REGULAR = "regular", _("Regular, under the yearly programme")
    THEMATIC = "thematic", _("Thematic")
    SIGNS = "signs", _("On signs of a violation")


class InspectionOutcome(models.TextChoices):
    NO_VIOLATION = "no_violation", _("No violation found")
    VIOLATION = "violation", _("Violation found")


class CourseKind(models.TextChoices):
    AWARENESS = "awareness", _("Party awareness, for non-members (nhận thức về Đảng)")
    NEW_MEMBER = "new_member", _("Political theory for new members (đảng viên mới)")
    OTHER = "other", _("Other training")


class CourseResult(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


# --- classification of party organisations (QĐ 366-QĐ/TW, HD 43-HD/BTCTW) ------------------------

# Classified here: grassroots organisations (đảng bộ cơ sở, chi bộ cơ sở) and the organisations under
# a grassroots committee (đảng bộ bộ phận, chi bộ trực thuộc). Provincial committees and committees
# directly above grassroots are rated by the level above them under a separate procedure.
CLASSIFIED_KINDS = {OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL, OrgKind.SECTION, OrgKind.CELL}
# The grassroots organisations the reports' target counts ("≥ 90 % of grassroots organisations").
GRASSROOTS_KINDS = {OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL}
# The competent level that decides is the nearest committee above of one of these kinds: the
# grassroots committee for its sections and cells, the committee above grassroots (or the province)
# for a grassroots organisation. The direct parent appraises.
DECIDING_KINDS = {OrgKind.PROVINCE, OrgKind.ABOVE_GRASSROOTS, OrgKind.GRASSROOTS}


class OrgClassificationState(models.TextChoices):
    """self-assessed → appraised → decided; ``ORG_TRANSITIONS`` says which step moves which way."""

    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    APPRAISED = "appraised", _("Appraised by the superior")
    DECIDED = "decided", _("Decided")


# step → (states it starts from — None: no record for the year yet —, the state it leads to,
# whose staff take it: the organisation itself, its direct parent, or the deciding committee)
ORG_TRANSITIONS: dict[str, tuple[set, str, str]] = {
    "self_assess": (
        {None, OrgClassificationState.SELF_ASSESSED},
        OrgClassificationState.SELF_ASSESSED,
        "organisation",
    ),
    "appraise": (
        {OrgClassificationState.SELF_ASSESSED},
        OrgClassificationState.APPRAISED,
        "superior",
    ),
    "decide": ({OrgClassificationState.APPRAISED}, OrgClassificationState.DECIDED, "decider"),
}
ORG_STEP_LABELS = {
    "self_assess": _("self-assessed"),
    "appraise": _("appraised"),
    "decide": _("decided"),
}
