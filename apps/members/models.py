"""The party organisation tree and its members, designed for the whole Party (≈ 50 thousand
grassroots organisations, ≈ 5.6 million members).

The tree is a materialised path: each organisation stores ``path``, its ancestors' ids and its own
in fixed-width base-36 steps ("00000a.00002f."), so "everything under X" is one indexed prefix
query and moving a subtree is one UPDATE of the paths that start with the old prefix. An
organisation is never deleted: merges, splits and renames are ``OrgSuccession`` rows, like units.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import RandomUploadTo, TimeStampedModel
from apps.core.text import fold, vi_collation_key
from apps.members.choices import (
    CourseKind,
    CourseResult,
    GapReason,
    InspectionBasis,
    InspectionKind,
    InspectionOutcome,
    Level,
    MemberStatus,
    OrgClassificationState,
    OrgKind,
    Sex,
    SuccessionKind,
)
from apps.organizations.models import Province

STEP = 7  # six base-36 digits and a dot per level


def path_step(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(6, "0") + "."


class PartyOrganization(TimeStampedModel):
    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("The standardised catalog code.")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    managed_by = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("records kept by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_organizations",
        help_text=_("The Organization Board whose staff keep this subtree's member records."),
    )
    search_name = models.CharField(_("search name"), max_length=350, editable=False)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["path"]
        indexes = [
            # "Under X" is path LIKE 'X%': a btree with pattern ops serves it on PostgreSQL.
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="org_valid_range_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:org_detail", args=[self.pk])


class OrgSuccession(models.Model):
    """A merge, split or rename: ``predecessor`` continues as ``successor`` from a date."""

    predecessor = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_as_successor",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("organisation succession")
        verbose_name_plural = _("organisation successions")
        ordering = ["effective_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="org_succession_once",
                violation_error_message=_("This succession is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


def years_after(day, years: int):
    """The same day ``years`` later; for 29 February in a common year, 1 March (the first day
    the person is that old)."""
    import datetime as dt

    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def person_sort_key(full_name: str) -> str:
    """Vietnamese list order: given name, then middle name(s), then family name."""
    words = (full_name or "").split()
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    return vi_collation_key(" ".join(words))


def name_tails(search_name: str) -> tuple[str, str, str]:
    """The folded name's last three, last two and last word, each only where it is not the whole
    name (else ""): with ``search_name`` these are the word starts a name search matches from
    (decision 0007). "nguyen thi thu ha" -> ("thi thu ha", "thu ha", "ha")."""
    words = search_name.split()
    n = len(words)
    return (
        " ".join(words[-3:]) if n >= 4 else "",
        " ".join(words[-2:]) if n >= 3 else "",
        words[-1] if n >= 2 else "",
    )


def _name_index(field: str, name: str) -> models.Index:
    # Word-prefix name search: ``field LIKE 'q%'`` within a subtree (``org_path LIKE 'p%'``),
    # both answered inside the index.
    return models.Index(
        fields=[field, "org_path"],
        name=name,
        opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
    )


class Member(TimeStampedModel):
    full_name = models.CharField(_("full name"), max_length=200)
    # Folded name: compared with the birth date for duplicates (index ``member_person``) and, with
    # its last words (``name_tails``), searched by word prefix (``selectors.search_members``).
    search_name = models.CharField(_("search name"), max_length=200, editable=False)
    search_last3 = models.CharField(max_length=200, editable=False, default="")
    search_last2 = models.CharField(max_length=200, editable=False, default="")
    search_given = models.CharField(max_length=60, editable=False, default="")
    sort_key = models.CharField(_("sort key"), max_length=600, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    cccd = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, unique=True, null=True, blank=True
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    home_province = models.ForeignKey(
        Province,
        verbose_name=_("home province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    education = models.CharField(_("education"), max_length=100, blank=True)
    theory_level = models.CharField(_("political theory level"), max_length=100, blank=True)
    admitted_on = models.DateField(_("admission decision date"))
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.PROBATIONARY
    )
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True)
    # The day the current status took effect (empty: since admission); earlier statuses are in
    # ``status_changes``, so statistics can be read on any past day.
    status_since = models.DateField(_("status since"), null=True, blank=True)
    card_number = models.CharField(
        _("party card number"), max_length=20, unique=True, null=True, blank=True
    )
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party cell"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    org_path = models.CharField(_("tree path"), max_length=255, editable=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["sort_key", "id"]
        indexes = [
            # Members under an organisation, in list order, without touching the org table.
            models.Index(
                fields=["org_path", "sort_key"],
                name="member_under_org",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # The same person: folded name + birth date (duplicate checks on add, import, merge).
            models.Index(fields=["search_name", "birth_date"], name="member_person"),
            _name_index("search_name", "member_name_search"),
            _name_index("search_last3", "member_last3_search"),
            _name_index("search_last2", "member_last2_search"),
            _name_index("search_given", "member_given_search"),
            # Members whose status changed after a day (statistics of that day read their
            # history); imported members have none, so they cost this index nothing.
            models.Index(
                fields=["status_since"],
                name="member_status_since",
                condition=Q(status_since__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(full_member_on__gte=F("admitted_on")),
                name="member_full_after_admission",
                violation_error_message=_(
                    "A member becomes full member after the admission decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def cccd_masked(self) -> str:
        from apps.members.cccd import mask_cccd

        return mask_cccd(self.cccd) if self.cccd else ""

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        self.search_last3, self.search_last2, self.search_given = name_tails(self.search_name)
        self.sort_key = person_sort_key(self.full_name)[:600]
        self.org_path = self.organization.path
        super().save(*args, **kwargs)


class MemberStatusChange(models.Model):
    """A dated change of a member's status: the history statistics read a past day from."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="status_changes"
    )
    on = models.DateField(_("effective from"))
    from_status = models.CharField(_("from"), max_length=12, choices=MemberStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=MemberStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["member_id", "on", "id"]
        indexes = [models.Index(fields=["member", "on"], name="member_status_on")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_status} → {self.to_status} ({self.on})"

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.member_id])


class MemberMerge(models.Model):
    """Two records of the same person made one: the removed record's fields as they were, and
    which record kept its history."""

    kept = models.ForeignKey(
        Member, verbose_name=_("kept record"), on_delete=models.CASCADE, related_name="merges"
    )
    removed_id = models.PositiveBigIntegerField(_("removed record's number"))
    removed = models.JSONField(_("removed record"))
    moved = models.JSONField(_("history moved"), default=dict)
    reason = models.CharField(_("reason"), max_length=300)
    merged_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge of duplicate records")
        verbose_name_plural = _("merges of duplicate records")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.removed_id} → {self.kept_id}"

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.kept_id])


class MemberGap(models.Model):
    """Time outside the Party, subtracted from party age; ``end`` empty while it lasts."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="gaps"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=15, choices=GapReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("gap in membership")
        verbose_name_plural = _("gaps in membership")
        ordering = ["member_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="member_gap_ordered",
                violation_error_message=_("A gap ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.start} – {self.end or '…'}"


class MemberTransfer(models.Model):
    """Chuyển sinh hoạt đảng: from one organisation to another on a date."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_org = models.ForeignKey(
        PartyOrganization, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        PartyOrganization, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer of activity")
        verbose_name_plural = _("transfers of activity")
        ordering = ["member_id", "transferred_on", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_org} → {self.to_org}"


class MemberImport(TimeStampedModel):
    """An uploaded member workbook and its run as background tasks.

    Uploaded → checked line by line into the staging table ``MemberImportRow`` (progress
    ``done``/``total``, cancellable between chunks) → either "has errors" (every bad line listed,
    staging emptied) or "ready" → the user confirms → one INSERT … SELECT copies the staged rows
    into ``Member`` in a single transaction. Nothing reaches the member table before that
    statement, so a cancel or a failure at any point leaves no partial rows.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        CHECKED_BAD = "bad", _("Has errors")
        CHECKED_OK = "ok", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Party members")
        ORGS = "orgs", _("Party organisations")

    RUNNING = {State.QUEUED, State.CHECKING, State.IMPORTING}

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MEMBERS)
    file = models.FileField(_("file"), upload_to=RandomUploadTo("member-imports"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The subtrees the uploader may import into, fixed at upload (null: anywhere).
    scope_paths = models.JSONField(_("scope"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    total = models.PositiveIntegerField(_("lines in the file"), default=0)
    done = models.PositiveIntegerField(_("lines checked"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    imported = models.PositiveIntegerField(_("members imported"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    message = models.CharField(_("message"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int:
        if self.state in {self.State.CHECKED_OK, self.State.IMPORTED}:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class MemberImportRow(models.Model):
    """A checked line of an import waiting for confirmation: the member's columns exactly as they
    will be inserted. Rows are removed once imported, cancelled or found bad."""

    member_import = models.ForeignKey(
        MemberImport, on_delete=models.CASCADE, related_name="staged", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("line"))
    full_name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200)
    search_last3 = models.CharField(max_length=200, default="")
    search_last2 = models.CharField(max_length=200, default="")
    search_given = models.CharField(max_length=60, default="")
    sort_key = models.CharField(max_length=600)
    sex = models.CharField(max_length=6)
    birth_date = models.DateField()
    cccd = models.CharField(max_length=12, null=True)
    ethnicity = models.CharField(max_length=50, blank=True)
    religion = models.CharField(max_length=50, blank=True)
    admitted_on = models.DateField()
    full_member_on = models.DateField(null=True)
    status = models.CharField(max_length=12)
    card_number = models.CharField(max_length=20, null=True)
    card_issued_on = models.DateField(null=True)
    organization = models.ForeignKey(
        PartyOrganization, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    org_path = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("staged import line")
        verbose_name_plural = _("staged import lines")
        indexes = [
            models.Index(fields=["member_import", "line"], name="import_row_line"),
            models.Index(fields=["member_import", "cccd"], name="import_row_cccd"),
            models.Index(fields=["member_import", "card_number"], name="import_row_card"),
            models.Index(
                fields=["member_import", "search_name", "birth_date"], name="import_row_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_import_id}:{self.line}"


class MemberBadge(models.Model):
    """A party badge awarded (Huy hiệu Đảng): the milestone, the round and the badge number."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="badges"
    )
    years = models.PositiveSmallIntegerField(_("years of party age"))
    awarded_on = models.DateField(_("award round"))
    number = models.CharField(_("badge number"), max_length=30)
    early_reason = models.CharField(_("early award"), max_length=12, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party badge")
        verbose_name_plural = _("party badges")
        ordering = ["member_id", "years"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "years"],
                name="member_badge_once",
                violation_error_message=_("This member already has this badge."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                name="member_badge_number_once",
                violation_error_message=_("This badge number is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.years}"


class MemberClassification(TimeStampedModel):
    """A member's yearly quality classification: the score and the level decided."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="classifications"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party cell"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The cell that classified the member that year."),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    disqualified = models.CharField(
        _("disqualifying fact"),
        max_length=300,
        blank=True,
        help_text=_("e.g. disciplined at khiển trách or above: the level is “did not complete”."),
    )

    class Meta:
        verbose_name = _("member classification")
        verbose_name_plural = _("member classifications")
        ordering = ["-year", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="member_classified_once_a_year",
                violation_error_message=_("This member is already classified for this year."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="member_classification_score_range",
                violation_error_message=_("A score is between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.get_level_display()}"


# --- inspections and supervisions (kiểm tra, giám sát) ------------------------------------------


class Inspection(TimeStampedModel):
    """An inspection or supervision of one organisation or one member by a party committee or its
    inspection commission (UBKT). Open until its conclusion is recorded; it belongs to the subtree
    of its subject (a member's follows the member when they transfer)."""

    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    basis = models.CharField(
        _("basis"), max_length=10, choices=InspectionBasis.choices, default=InspectionBasis.REGULAR
    )
    conducted_by = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        related_name="inspections_conducted",
    )
    body_name = models.CharField(
        _("conducting body"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Ủy ban Kiểm tra Tỉnh ủy, Ban Thường vụ Đảng ủy."),
    )
    subject_org = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organisation inspected"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    subject_member = models.ForeignKey(
        Member,
        verbose_name=_("member inspected"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    topic = models.CharField(_("topic"), max_length=500)
    decision_number = models.CharField(
        _("decision number"),
        max_length=50,
        blank=True,
        help_text=_("The decision that launched it, e.g. 25-QĐ/UBKTTU."),
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InspectionOutcome.choices, blank=True
    )
    measure = models.CharField(
        _("measure"),
        max_length=300,
        blank=True,
        help_text=_("What was decided or proposed, e.g. discipline at khiển trách."),
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["started_on"], name="inspection_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_org__isnull=False, subject_member__isnull=True)
                | Q(subject_org__isnull=True, subject_member__isnull=False),
                name="inspection_one_subject",
                violation_error_message=_(
                    "An inspection is of one organisation or of one member, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="inspection_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | (Q(concluded_on__gte=F("started_on")) & ~Q(outcome="") & ~Q(conclusion="")),
                name="inspection_conclusion_complete",
                violation_error_message=_(
                    "A conclusion has a date on or after the start, a text and an outcome."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("members:inspection_detail", args=[self.pk])

    @property
    def subject(self):
        return self.subject_org or self.subject_member

    @property
    def subject_path(self) -> str:
        """The tree path the inspection belongs under (its subject's)."""
        if self.subject_org_id:
            return self.subject_org.path
        return self.subject_member.org_path

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None


# --- training courses (bồi dưỡng) ---------------------------------------------------------------


class TrainingCourse(TimeStampedModel):
    """A course an organisation runs: party awareness for non-members, political theory for new
    members, or other training; its participants are ``CourseParticipant`` rows."""

    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    organizer = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="training_courses",
    )
    name = models.CharField(_("name"), max_length=300)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["started_on"], name="course_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="course_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:course_detail", args=[self.pk])


class CourseParticipant(models.Model):
    """One person on a course: a member (``member``) or a non-member (name, birth date, sex,
    optional CCCD), with the result and the certificate."""

    course = models.ForeignKey(
        TrainingCourse,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_participations",
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    search_name = models.CharField(_("search name"), max_length=200, editable=False, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, null=True, blank=True)
    result = models.CharField(_("result"), max_length=14, choices=CourseResult.choices, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=50, null=True, blank=True
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        ordering = ["course_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(full_name=""))
                | (Q(member__isnull=True) & ~Q(full_name="") & Q(birth_date__isnull=False)),
                name="participant_member_or_person",
                violation_error_message=_(
                    "A participant is a member, or a person with a name and a date of birth."
                ),
            ),
            models.UniqueConstraint(
                fields=["course", "member"],
                name="participant_member_once",
                violation_error_message=_("This member is already on the course."),
            ),
            models.UniqueConstraint(
                fields=["course", "cccd"],
                name="participant_cccd_once",
                violation_error_message=_("This citizen ID is already on the course."),
            ),
            models.UniqueConstraint(
                fields=["course", "certificate_number"],
                name="participant_certificate_once",
                violation_error_message=_("This certificate number is already used on the course."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, certificate_number__isnull=True)
                | Q(result=CourseResult.COMPLETED),
                name="participant_certificate_if_completed",
                violation_error_message=_(
                    "Only a participant who completed the course has a certificate and a date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.course}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.member.full_name if self.member_id else self.full_name

    @property
    def cccd_masked(self) -> str:
        from apps.members.cccd import mask_cccd

        value = self.member.cccd if self.member_id else self.cccd
        return mask_cccd(value) if value else ""


class OrgClassification(TimeStampedModel):
    """A party organisation's yearly quality classification (QĐ 366-QĐ/TW) through its three
    steps: the organisation's self-assessment (score, proposed level, comment), the superior's
    appraisal (proposed level, comment) and the competent level's decision (level, decision
    number and date). ``decided_by`` is the deciding committee, whose quota of "xuất sắc" the
    decision counts against."""

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organisation"),
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("step"), max_length=15, choices=OrgClassificationState.choices)
    self_score = models.DecimalField(_("self-assessed score"), max_digits=5, decimal_places=2)
    self_level = models.CharField(_("self-assessed level"), max_length=12, choices=Level.choices)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    disqualified = models.CharField(
        _("disqualifying fact"),
        max_length=300,
        blank=True,
        help_text=_("Any disqualifying fact makes the level “did not complete”."),
    )
    appraised_level = models.CharField(
        _("level proposed by the superior"), max_length=12, choices=Level.choices, blank=True
    )
    appraisal_comment = models.TextField(_("appraisal"), blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    level = models.CharField(_("level decided"), max_length=12, choices=Level.choices, blank=True)
    decided_by = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classifications_decided",
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    quota_approved = models.BooleanField(
        _("25 % quota approved"),
        default=False,
        help_text=_("The competent level approved up to 25 % “excellent” instead of 20 %."),
    )

    class Meta:
        verbose_name = _("organisation classification")
        verbose_name_plural = _("organisation classifications")
        ordering = ["-year", "organization_id"]
        indexes = [
            models.Index(fields=["decided_by", "year", "level"], name="org_class_quota"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="org_classified_once_a_year",
                violation_error_message=_("This organisation is already classified for this year."),
            ),
            models.CheckConstraint(
                condition=Q(self_score__gte=0) & Q(self_score__lte=100),
                name="org_classification_score_range",
                violation_error_message=_("A score is between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.get_state_display()}"
