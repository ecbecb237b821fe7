"""Reads of the organisation tree and the members: subtrees by path prefix, counts per level."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from apps.core.text import fold
from apps.members.choices import MemberStatus, Sex
from apps.members.models import STEP, Member, MemberStatusChange, PartyOrganization
from apps.members.party_age import Gap, badges_due, party_age_months

__all__ = [
    "BadgeDue",
    "ClassificationSummary",
    "classification_summary",
    "duplicates_under",
    "on_the_rolls",
    "sum_groups",
    "MemberStatistics",
    "badges_due_under",
    "member_counts_by_child",
    "member_counts_by_depth",
    "member_statistics",
    "members_in_order",
    "members_under",
    "MemberSearch",
    "name_matches",
    "orgs_under",
    "search_members",
    # inspections and training (the section at the end)
    "InspectionCounts",
    "TrainingCounts",
    "courses_under",
    "inspection_counts",
    "inspections_of_member",
    "inspections_under",
    "member_by_reference",
    "training_counts",
]


def orgs_under(org: PartyOrganization, *, include_self: bool = True) -> QuerySet:
    rows = PartyOrganization.objects.filter(path__startswith=org.path)
    return rows if include_self else rows.exclude(pk=org.pk)


def members_under(org: PartyOrganization) -> QuerySet:
    """Every member in ``org``'s subtree: one indexed prefix condition on the member table."""
    return Member.objects.filter(org_path__startswith=org.path)


SEARCH_CAP = 1000  # matches a search lists; beyond it the page asks for more of the name


def name_matches(rows: QuerySet, query: str) -> QuerySet:
    """The members of ``rows`` a search for ``query`` finds (decision 0007): a citizen ID or card
    number given in full, or a name in which the query's words, without diacritics, start a run of
    words — "van an" finds Nguyễn Văn An and Lê Văn Anh, "an" finds An and Anh but not Toàn.
    Each condition is a prefix range of one index (``member_*_search``)."""
    digits = query.replace(" ", "")
    if digits.isdigit():
        return rows.filter(Q(cccd=digits) | Q(card_number=digits))
    if not query.strip():
        return rows
    words = fold(query)
    if not words:  # only punctuation: no name has it
        return rows.none()
    return rows.filter(
        Q(search_name__startswith=words)
        | Q(search_last3__startswith=words)
        | Q(search_last2__startswith=words)
        | Q(search_given__startswith=words)
    )


@dataclass(frozen=True)
class MemberSearch:
    ids: list[int]  # the matches to list, in list order
    capped: bool  # more than SEARCH_CAP matched: ``ids`` are the first SEARCH_CAP found


def search_members(
    rows: QuerySet, query: str, *, cap: int | None = None, subtree: bool = True
) -> MemberSearch:
    """A search as the pages run it: one query takes at most ``cap`` + 1 matches' ids and sort
    keys, in no order (a broad query stops early instead of sorting a million rows); they are
    put in list order here (``sort_key`` is digits: Python and every database collation order
    it alike). A query matching more than ``cap`` (``SEARCH_CAP``) is ``capped``. ``subtree``:
    ``rows`` are one subtree's (``members_under``), read without a sequential scan; over the
    whole table (``subtree=False``) a broad name is found fastest by one."""
    cap = SEARCH_CAP if cap is None else cap
    matches = name_matches(rows, query).order_by().values_list("sort_key", "pk")[: cap + 1]
    with _no_seq_scan() if subtree else nullcontext():
        found = list(matches)
    return MemberSearch(ids=[pk for _key, pk in sorted(found[:cap])], capped=len(found) > cap)


@contextmanager
def _no_seq_scan():
    """On PostgreSQL, no sequential scan for the statements inside (then the setting as it was).

    A broad name in a subtree ("văn" in one province) makes the planner expect its first 1 001
    matches after a short sequential scan, as if the province's members were spread evenly
    through the table; they are stored together (imported province by province), so the scan
    read 4.6 million rows first (0.4–0.9 s). Without it the planner walks the subtree's index
    range or the name indexes, whose cost is bounded (decision 0007)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (before,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


def members_in_order(rows: QuerySet, ids: list[int]) -> list[Member]:
    """The members of ``rows`` with these ids, in the ids' order (a page of a search)."""
    by_id = rows.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def member_counts_by_child(org: PartyOrganization) -> dict[str, int]:
    """Members under ``org`` by the path of the child whose subtree holds them (``org.path``
    itself for members of ``org``): one grouped pass over the subtree's index range, instead of
    a count per child."""
    step = Substr("org_path", 1, len(org.path) + STEP)
    rows = members_under(org).order_by().values(step=step).annotate(n=Count("id"))
    return {r["step"]: r["n"] for r in rows}


def member_counts_by_depth(org: PartyOrganization) -> dict[int, int]:
    """How many members sit in cells at each depth under ``org``."""
    rows = (
        members_under(org)
        .values("organization__depth")
        .annotate(n=Count("id"))
        .order_by("organization__depth")
    )
    return {r["organization__depth"]: r["n"] for r in rows}


# --- statistics ---------------------------------------------------------------------------------

CARD_RENEWAL_FROM = dt.date(2025, 1, 1)  # every card was replaced in 2025 (DOMAIN.md glossary)
AGE_BANDS = [(None, 30), (30, 40), (40, 50), (50, 60), (60, None)]


@dataclass(frozen=True)
class MemberStatistics:
    org: PartyOrganization
    on: dt.date
    total: int
    by_status: dict[str, int]
    by_sex: dict[str, int]
    by_age: list[tuple[str, int]]
    by_ethnicity: list[tuple[str, int]]
    with_cccd: int
    renewed_cards: int

    def share(self, part: int) -> Decimal:
        if not self.total:
            return Decimal("0.00")
        return (Decimal(100) * part / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def cccd_percent(self) -> Decimal:
        return self.share(self.with_cccd)

    @property
    def card_percent(self) -> Decimal:
        return self.share(self.renewed_cards)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _status_before_next_change(day: dt.date) -> Subquery:
    return Subquery(
        MemberStatusChange.objects.filter(member=OuterRef("pk"), on__gt=day)
        .order_by("on", "id")
        .values("from_status")[:1]
    )


def on_the_rolls(rows: QuerySet, on: dt.date) -> tuple[QuerySet, QuerySet]:
    """The members of ``rows`` on the rolls on ``on`` (admitted by then, not left that day),
    annotated with ``status_then``, as two querysets to aggregate separately and add up: those
    whose current status began by then (nearly everyone: a plain column, so the aggregate can
    run in parallel and hash its groups) and those whose status changed since (a few: their
    status then comes from the history, one subquery per member, found through the partial
    index ``member_status_since``). Two queries rather than one CASE with the subquery: a
    per-row subquery anywhere in a query keeps PostgreSQL from a parallel plan and from hashing
    the groups (docs/benchmarks.md, statistics)."""
    admitted = rows.filter(admitted_on__lte=on)
    settled = (
        admitted.filter(Q(status_since__isnull=True) | Q(status_since__lte=on))
        .exclude(status=MemberStatus.LEFT)
        .annotate(status_then=F("status"))
    )
    changed = (
        admitted.filter(status_since__gt=on)
        .annotate(status_then=_status_before_next_change(on))
        .exclude(status_then=MemberStatus.LEFT)
    )
    return settled, changed


def sum_groups(parts: list[list[dict]], key: str) -> list[dict]:
    """Rows of grouped aggregates (``key`` plus counts) from several querysets, added up by key,
    in the first part's order, then new keys in order of appearance."""
    out: dict = {}
    for part in parts:
        for row in part:
            got = out.get(row[key])
            if got is None:
                out[row[key]] = dict(row)
            else:
                for name, value in row.items():
                    if name != key:
                        got[name] += value
    return list(out.values())


def member_statistics(org: PartyOrganization, *, on: dt.date) -> MemberStatistics:
    """Members on the rolls of ``org``'s subtree on ``on`` (admitted by then, not left): by status,
    sex, age band and ethnicity, CCCD coverage and cards renewed since 2025 — one aggregate query
    over the member table alone (the subtree is a path prefix), grouped by ethnicity and summed
    here, so a large subtree is read once (docs/benchmarks.md, party members). The status is the
    one of that day (``on_the_rolls``)."""
    age_counts = {}
    for low, high in AGE_BANDS:
        band = Q()
        if low is not None:  # at least ``low`` years old: born on or before on - low years
            band &= Q(birth_date__lte=_years_before(on, low))
        if high is not None:  # younger than ``high``: born after on - high years
            band &= Q(birth_date__gt=_years_before(on, high))
        age_counts[(low, high)] = Count("id", filter=band)
    figures = {
        "total": Count("id"),
        "with_cccd": Count("id", filter=Q(cccd__isnull=False)),
        "renewed": Count(
            "id", filter=Q(card_number__isnull=False, card_issued_on__gte=CARD_RENEWAL_FROM)
        ),
        **{f"status_{s}": Count("id", filter=Q(status_then=s)) for s in MemberStatus.values},
        **{f"sex_{s}": Count("id", filter=Q(sex=s)) for s in Sex.values},
        **{f"age_{i}": c for i, c in enumerate(age_counts.values())},
    }
    groups = sum_groups(
        [
            list(part.values("ethnicity").annotate(**figures).order_by())
            for part in on_the_rolls(members_under(org), on)
        ],
        "ethnicity",
    )
    groups.sort(key=lambda g: (-g["total"], g["ethnicity"]))

    def figure(key: str) -> int:
        return sum(g[key] for g in groups)

    return MemberStatistics(
        org=org,
        on=on,
        total=figure("total"),
        by_status={s: figure(f"status_{s}") for s in MemberStatus.values if s != MemberStatus.LEFT},
        by_sex={s: figure(f"sex_{s}") for s in Sex.values},
        by_age=[
            (_band_label(low, high), figure(f"age_{i}")) for i, (low, high) in enumerate(AGE_BANDS)
        ],
        by_ethnicity=[(g["ethnicity"] or "—", g["total"]) for g in groups],
        with_cccd=figure("with_cccd"),
        renewed_cards=figure("renewed"),
    )


def duplicates_under(org: PartyOrganization) -> list[list[Member]]:
    """Groups of records in ``org``'s subtree with the same name (without diacritics) and date of
    birth: likely the same person entered twice (the citizen ID is unique, so a pair has at most
    one of them, or none)."""
    rows = members_under(org)
    same = (
        rows.values("search_name", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("search_name", "birth_date")[:200]
    )
    groups = []
    for key in same:
        groups.append(
            list(
                rows.filter(
                    search_name=key["search_name"], birth_date=key["birth_date"]
                ).select_related("organization")
            )
        )
    return groups


def _band_label(low, high) -> str:
    if low is None:
        return _("under %(n)s") % {"n": high}
    if high is None:
        return _("%(n)s and over") % {"n": low}
    return f"{low}–{high - 1}"


# --- badges -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeDue:
    member: Member
    years: int  # the highest milestone due
    party_age_months: int


def badges_due_under(org: PartyOrganization, *, round_on: dt.date, early: str | None = None):
    """Members of ``org``'s subtree due a badge in the round of ``round_on``: the highest
    milestone reached (or within the early window) and not yet awarded. Members admitted too
    recently to reach 30 years even with the widest window are left out in SQL."""
    latest_admission = dt.date(round_on.year - 30 + 2, round_on.month, min(round_on.day, 28))
    candidates = (
        members_under(org)
        .filter(admitted_on__lte=latest_admission)
        .exclude(status=MemberStatus.LEFT)
        .select_related("organization")
        .prefetch_related("gaps", "badges")
    )
    due = []
    for member in candidates:
        gaps = [Gap(g.start, g.end) for g in member.gaps.all()]
        awarded = {b.years for b in member.badges.all()}
        milestones = badges_due(
            admitted_on=member.admitted_on,
            round_on=round_on,
            gaps=gaps,
            awarded=awarded,
            early=early,
        )
        if milestones:
            due.append(
                BadgeDue(
                    member, milestones[-1], party_age_months(member.admitted_on, round_on, gaps)
                )
            )
    return sorted(due, key=lambda d: (-d.years, d.member.sort_key))


# --- classification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassificationSummary:
    org: PartyOrganization
    year: int
    by_level: dict[str, int]
    classified: int
    target: Decimal

    @property
    def good_or_better(self) -> int:
        return self.by_level.get("excellent", 0) + self.by_level.get("good", 0)

    @property
    def good_or_better_percent(self) -> Decimal:
        if not self.classified:
            return Decimal("0.00")
        return (Decimal(100) * self.good_or_better / self.classified).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    @property
    def meets_target(self) -> bool:
        return self.good_or_better_percent >= self.target


def classification_summary(
    org: PartyOrganization, *, year: int, target: Decimal = Decimal(90)
) -> ClassificationSummary:
    """Levels of the members classified in ``org``'s subtree for ``year`` and the share rated
    tốt or better against ``target`` (reports: "≥ 90 %")."""
    from apps.members.models import MemberClassification

    rows = (
        MemberClassification.objects.filter(year=year, organization__path__startswith=org.path)
        .values("level")
        .annotate(n=Count("id"))
    )
    by_level = {r["level"]: r["n"] for r in rows}
    return ClassificationSummary(org, year, by_level, sum(by_level.values()), Decimal(target))


# --- inspections and training -------------------------------------------------------------------


def inspections_under(org: PartyOrganization) -> QuerySet:
    """Inspections whose subject is in ``org``'s subtree: an organisation there, or a member of a
    cell there (inspections are few, so the two joins stay cheap)."""
    from apps.members.models import Inspection

    return Inspection.objects.filter(
        Q(subject_org__path__startswith=org.path) | Q(subject_member__org_path__startswith=org.path)
    )


def inspections_of_member(member: Member) -> QuerySet:
    return member.inspections.select_related("conducted_by").order_by("-started_on", "-id")


def courses_under(org: PartyOrganization) -> QuerySet:
    """Training courses organised in ``org``'s subtree."""
    from apps.members.models import TrainingCourse

    return TrainingCourse.objects.filter(organizer__path__startswith=org.path)


@dataclass(frozen=True)
class InspectionCounts:
    year: int
    by_kind: dict[str, int]  # started that year, by kind
    by_kind_basis: dict[tuple[str, str], int]
    concluded: int  # of those started that year
    violations: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def inspection_counts(org: PartyOrganization, *, year: int) -> InspectionCounts:
    """Inspections and supervisions of ``org``'s subtree started in ``year``: by kind and basis,
    how many are concluded and how many found a violation (one grouped query)."""
    from apps.members.choices import InspectionBasis, InspectionKind, InspectionOutcome

    rows = (
        inspections_under(org)
        .filter(started_on__year=year)
        .values("kind", "basis")
        .annotate(
            n=Count("id"),
            concluded=Count("id", filter=Q(concluded_on__isnull=False)),
            violations=Count(
                "id",
                filter=Q(concluded_on__isnull=False, outcome=InspectionOutcome.VIOLATION),
            ),
        )
        .order_by()
    )
    by_kind = dict.fromkeys(InspectionKind.values, 0)
    by_kind_basis = {(k, b): 0 for k in InspectionKind.values for b in InspectionBasis.values}
    concluded = violations = 0
    for r in rows:
        by_kind[r["kind"]] += r["n"]
        by_kind_basis[(r["kind"], r["basis"])] += r["n"]
        concluded += r["concluded"]
        violations += r["violations"]
    return InspectionCounts(year, by_kind, by_kind_basis, concluded, violations)


@dataclass(frozen=True)
class TrainingCounts:
    year: int
    courses: dict[str, int]  # courses started that year, by kind
    participants: dict[str, int]
    completed: dict[str, int]

    @property
    def total_courses(self) -> int:
        return sum(self.courses.values())

    @property
    def total_participants(self) -> int:
        return sum(self.participants.values())

    @property
    def total_completed(self) -> int:
        return sum(self.completed.values())


def training_counts(org: PartyOrganization, *, year: int) -> TrainingCounts:
    """Courses organised in ``org``'s subtree that started in ``year``, by kind, with their
    participants and how many completed ("trained 45 non-members and 35 new members")."""
    from apps.members.choices import CourseKind, CourseResult

    rows = (
        courses_under(org)
        .filter(started_on__year=year)
        .values("kind")
        .annotate(
            n=Count("id", distinct=True),
            people=Count("participants"),
            done=Count("participants", filter=Q(participants__result=CourseResult.COMPLETED)),
        )
        .order_by()
    )
    courses = dict.fromkeys(CourseKind.values, 0)
    participants = dict.fromkeys(CourseKind.values, 0)
    completed = dict.fromkeys(CourseKind.values, 0)
    for r in rows:
        courses[r["kind"]] = r["n"]
        participants[r["kind"]] = r["people"]
        completed[r["kind"]] = r["done"]
    return TrainingCounts(year, courses, participants, completed)


def member_by_reference(org: PartyOrganization, reference: str) -> Member | None:
    """The member of ``org``'s subtree with this citizen ID or party card number."""
    value = "".join((reference or "").split())
    if not value:
        return None
    return (
        members_under(org)
        .filter(Q(cccd=value) | Q(card_number=value))
        .select_related("organization")
        .first()
    )
