import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.text import fold, vi_collation_key
from apps.organizations.choices import (
    ClusterKind,
    ProvinceKind,
    ProvinceScheme,
    TermRole,
    UnitKind,
)


class Province(models.Model):
    """A province or centrally-run city in one administrative scheme (63 before, 34 after 1/7/2025).

    Reference data owned by the project (``data/provinces.json``), loaded by ``load_reference``.
    """

    scheme = models.CharField(_("scheme"), max_length=2, choices=ProvinceScheme.choices)
    code = models.CharField(_("code"), max_length=2)
    cccd_code = models.CharField(
        _("citizen ID code"),
        max_length=3,
        null=True,
        blank=True,
        help_text=_("The 3-digit birth-registration code used in citizen IDs (old scheme)."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ProvinceKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    search_name = models.CharField(_("search name"), max_length=100, editable=False, db_index=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["-scheme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="province_unique_scheme_code",
                violation_error_message=_(
                    "A province with this code already exists in the scheme."
                ),
            ),
            models.UniqueConstraint(
                fields=["cccd_code"],
                condition=Q(cccd_code__isnull=False),
                name="province_unique_cccd_code",
                violation_error_message=_("This citizen ID code is already used."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}/{self.scheme})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ProvinceSuccession(models.Model):
    """An old province that became (part of) a new one on a date, with its legal basis."""

    predecessor = models.ForeignKey(
        Province,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        Province,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_as_successor",
    )
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)

    class Meta:
        verbose_name = _("province succession")
        verbose_name_plural = _("province successions")
        ordering = ["effective_date", "successor__code", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor"],
                name="province_succession_one_successor",
                violation_error_message=_("This province already has a successor."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name} ({self.effective_date:%d/%m/%Y})"


class Unit(TimeStampedModel):
    """An organisation that takes part in emulation, mostly a provincial Organization Board.

    A unit is never deleted: when it merges it gets ``active_to`` and a ``UnitSuccession`` row, so
    its history (cluster terms, awards) stays readable and is inherited by its successor.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    search_name = models.CharField(_("search name"), max_length=300, editable=False, db_index=True)
    sort_key = models.CharField(_("sort key"), max_length=1000, editable=False, db_index=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_range_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.short_name} {self.name}")
        # The Central Commission heads every list; then units in Vietnamese alphabetical order.
        rank = "0" if self.kind == UnitKind.CENTRAL_COMMISSION else "1"
        self.sort_key = rank + vi_collation_key(f"{self.short_name} {self.name}")[:999]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "short_name", "kind"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name", "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:unit_detail", args=[self.pk])

    def is_active_on(self, day: dt.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


class UnitSuccession(models.Model):
    """A unit merged into a successor on a date (one row per predecessor)."""

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_as_successor",
    )
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["effective_date", "successor__sort_key", "predecessor__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor"],
                name="unit_succession_one_successor",
                violation_error_message=_("This unit has already been merged into another unit."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class Sector(models.Model):
    """A sector that organises emulation clusters, e.g. the Party Organization sector."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    head_unit = models.ForeignKey(
        Unit,
        verbose_name=_("head unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_sectors",
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cluster(TimeStampedModel):
    """An emulation cluster (cụm) or block (khối) of a sector; its members change by year."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="clusters"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ClusterKind.choices, default=ClusterKind.CLUSTER
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    supervising_department = models.CharField(
        _("supervising department"), max_length=200, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    search_name = models.CharField(_("search name"), max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["sector_id", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "number"],
                name="cluster_unique_number",
                violation_error_message=_("The sector already has a cluster with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:cluster_detail", args=[self.pk])


class ClusterTerm(TimeStampedModel):
    """A cluster in one year: its member units, leader, deputies and the year-end host."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="terms"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    host = models.ForeignKey(
        Unit,
        verbose_name=_("host of the year-end conference"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_terms",
    )
    review_date = models.DateField(_("year-end review date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("cluster term")
        verbose_name_plural = _("cluster terms")
        ordering = ["cluster_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="term_unique_cluster_year",
                violation_error_message=_("The cluster already has a term for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("organizations:term_detail", args=[self.pk])

    def _units_with_role(self, role: str) -> list[Unit]:
        return [m.unit for m in self.memberships.all() if m.role == role]

    @property
    def leader(self) -> Unit | None:
        leaders = self._units_with_role(TermRole.LEADER)
        return leaders[0] if leaders else None

    @property
    def deputies(self) -> list[Unit]:
        return self._units_with_role(TermRole.DEPUTY)

    @property
    def member_units(self) -> list[Unit]:
        return [m.unit for m in self.memberships.all()]


class TermMembership(models.Model):
    """A unit's place in a cluster term: member, leader or deputy.

    ``sector`` and ``year`` repeat the term's so the database itself enforces that a unit is in at
    most one cluster of a sector in a year; a leader and deputies are members by construction.
    """

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=TermRole.choices, default=TermRole.MEMBER
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("term membership")
        verbose_name_plural = _("term memberships")
        ordering = ["term_id", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "unit"],
                name="membership_unique_term_unit",
                violation_error_message=_("The unit is already a member of this term."),
            ),
            models.UniqueConstraint(
                fields=["sector", "year", "unit"],
                name="membership_one_cluster_per_year",
                violation_error_message=_(
                    "The unit already belongs to another cluster of the sector in this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(role="leader"),
                name="membership_one_leader",
                violation_error_message=_("A term has only one leader."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.term} ({self.get_role_display()})"
