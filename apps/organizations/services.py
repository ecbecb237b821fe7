"""Every write to units, provinces and clusters. Each function is an audited ``@service``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service, snapshot
from apps.core.formats import vn_date
from apps.organizations.choices import TermRole
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    ProvinceSuccession,
    Sector,
    TermMembership,
    Unit,
    UnitSuccession,
)
from apps.organizations.selectors import unit_standing_for

UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "province",
    "active_from",
    "active_to",
    "address",
    "phone",
    "email",
)
UNIT_CONTACT_FIELDS = ("address", "phone", "email")
CLUSTER_FIELDS = ("sector", "kind", "number", "name", "supervising_department", "description")
SECTOR_FIELDS = ("code", "name", "head_unit")


def _check_dates(start: dt.date | None, end: dt.date | None, field: str = "active_to") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


# --- units ---------------------------------------------------------------------------------------


@service
def unit_create(
    *,
    actor,
    name: str,
    short_name: str,
    kind: str,
    province: Province | None = None,
    active_from: dt.date | None = None,
    active_to: dt.date | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Unit:
    _check_dates(active_from, active_to)
    unit = Unit(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        province=province,
        active_from=active_from,
        active_to=active_to,
        address=address,
        phone=phone,
        email=email,
    )
    unit.full_clean()
    unit.save()
    record_event(actor=actor, action="unit.create", obj=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@service
def unit_update(*, actor, unit: Unit, contact_only: bool = False, **changes) -> Unit:
    """Change a unit's fields. ``contact_only`` limits the change to address, phone and email."""
    allowed = UNIT_CONTACT_FIELDS if contact_only else UNIT_FIELDS
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, changes.keys())
    for field, value in changes.items():
        setattr(unit, field, value)
    _check_dates(unit.active_from, unit.active_to)
    after = snapshot(unit, changes.keys())
    if before == after:
        no_change()
        return unit
    unit.full_clean()
    unit.save(update_fields=[*changes.keys(), "updated_at"])
    record_event(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@service
def unit_merge(
    *,
    actor,
    predecessors: Sequence[Unit],
    successor: Unit,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> list[UnitSuccession]:
    """Merge ``predecessors`` into ``successor`` on ``effective_date``.

    The predecessors end the day before; their history is read through the successor from then on.
    """
    if not predecessors:
        raise ValidationError({"predecessors": _("Choose at least one unit to merge.")})
    if not legal_basis.strip():
        raise ValidationError({"legal_basis": _("State the legal basis of the merger.")})
    last_day = effective_date - dt.timedelta(days=1)
    rows: list[UnitSuccession] = []
    for predecessor in predecessors:
        predecessor = Unit.objects.select_for_update().get(pk=predecessor.pk)
        if predecessor.pk == successor.pk:
            raise ValidationError({"predecessors": _("A unit cannot be merged into itself.")})
        if UnitSuccession.objects.filter(predecessor=predecessor).exists():
            raise ValidationError(
                {
                    "predecessors": _("%(unit)s has already been merged into another unit.")
                    % {"unit": predecessor}
                }
            )
        if predecessor.active_to and predecessor.active_to < last_day:
            raise ValidationError(
                {
                    "predecessors": _("%(unit)s had already ceased on %(date)s.")
                    % {"unit": predecessor, "date": vn_date(predecessor.active_to)}
                }
            )
        if predecessor.active_from and predecessor.active_from > last_day:
            raise ValidationError(
                {
                    "predecessors": _("%(unit)s did not exist before %(date)s.")
                    % {"unit": predecessor, "date": vn_date(effective_date)}
                }
            )
        before = snapshot(predecessor, ["active_to"])
        predecessor.active_to = last_day
        predecessor.save(update_fields=["active_to", "updated_at"])
        row = UnitSuccession.objects.create(
            predecessor=predecessor,
            successor=successor,
            effective_date=effective_date,
            legal_basis=legal_basis.strip(),
            note=note,
        )
        rows.append(row)
        record_event(
            actor=actor,
            action="unit.merge",
            obj=predecessor,
            before=before,
            after={"active_to": last_day, "successor": successor, "legal_basis": legal_basis},
        )
    if successor.active_from is None or successor.active_from > effective_date:
        successor_before = snapshot(successor, ["active_from"])
        successor.active_from = effective_date
        successor.save(update_fields=["active_from", "updated_at"])
    else:
        successor_before = None
    record_event(
        actor=actor,
        action="unit.merge_into",
        obj=successor,
        before=successor_before,
        after={
            "predecessors": list(predecessors),
            "effective_date": effective_date,
            "legal_basis": legal_basis,
        },
    )
    return rows


# --- clusters ------------------------------------------------------------------------------------


@service
def sector_create(*, actor, code: str, name: str, head_unit: Unit | None = None) -> Sector:
    sector = Sector(code=code.strip(), name=name.strip(), head_unit=head_unit)
    sector.full_clean()
    sector.save()
    record_event(
        actor=actor, action="sector.create", obj=sector, after=snapshot(sector, SECTOR_FIELDS)
    )
    return sector


@service
def cluster_create(
    *,
    actor,
    sector: Sector,
    number: int,
    name: str,
    kind: str = "cluster",
    supervising_department: str = "",
    description: str = "",
) -> Cluster:
    cluster = Cluster(
        sector=sector,
        number=number,
        name=name.strip(),
        kind=kind,
        supervising_department=supervising_department,
        description=description,
    )
    cluster.full_clean()
    cluster.save()
    record_event(
        actor=actor, action="cluster.create", obj=cluster, after=snapshot(cluster, CLUSTER_FIELDS)
    )
    return cluster


@service
def cluster_update(*, actor, cluster: Cluster, **changes) -> Cluster:
    unknown = set(changes) - set(CLUSTER_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before = snapshot(cluster, changes.keys())
    for field, value in changes.items():
        setattr(cluster, field, value)
    after = snapshot(cluster, changes.keys())
    if before == after:
        no_change()
        return cluster
    cluster.full_clean()
    cluster.save(update_fields=[*changes.keys(), "updated_at"])
    record_event(actor=actor, action="cluster.update", obj=cluster, before=before, after=after)
    return cluster


# --- cluster terms -------------------------------------------------------------------------------


def term_snapshot(term: ClusterTerm) -> dict:
    memberships = list(term.memberships.select_related("unit").order_by("unit__sort_key"))
    return {
        "year": term.year,
        "members": [m.unit.short_name for m in memberships],
        "leader": next((m.unit.short_name for m in memberships if m.role == TermRole.LEADER), None),
        "deputies": [m.unit.short_name for m in memberships if m.role == TermRole.DEPUTY],
        "host": term.host.short_name if term.host else None,
        "review_date": term.review_date,
        "notes": term.notes,
    }


def _validate_membership(
    *,
    cluster: Cluster,
    year: int,
    members: Sequence[Unit],
    leader: Unit | None,
    deputies: Sequence[Unit],
    host: Unit | None,
    term: ClusterTerm | None = None,
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    member_ids = {u.pk for u in members}
    if not members:
        add("members", _("A term needs at least one member unit."))
    if len(member_ids) != len(members):
        add("members", _("A unit is listed twice."))
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for unit in members:
        if unit.active_to and unit.active_to < first_day:
            add(
                "members",
                _("%(unit)s no longer existed on 1 January %(year)s (it ceased on %(date)s).")
                % {"unit": unit, "year": year, "date": vn_date(unit.active_to)},
            )
        if unit.active_from and unit.active_from > last_day:
            add(
                "members",
                _("%(unit)s only exists from %(date)s.")
                % {"unit": unit, "date": vn_date(unit.active_from)},
            )
    if leader is not None and leader.pk not in member_ids:
        add("leader", _("The cluster leader must be a member of the term."))
    for deputy in deputies:
        if deputy.pk not in member_ids:
            add("deputies", _("%(unit)s is a deputy but not a member.") % {"unit": deputy})
        if leader is not None and deputy.pk == leader.pk:
            add("deputies", _("The leader cannot also be a deputy."))
    if host is not None and host.pk not in member_ids:
        add("host", _("The host of the year-end conference must be a member."))
    taken = (
        TermMembership.objects.filter(sector=cluster.sector, year=year, unit_id__in=member_ids)
        .exclude(term=term)
        .select_related("unit", "term__cluster")
    )
    for row in taken:
        add(
            "members",
            _("%(unit)s already belongs to %(cluster)s in %(year)s.")
            % {"unit": row.unit, "cluster": row.term.cluster, "year": year},
        )
    if errors:
        raise ValidationError(errors)


def _write_memberships(
    term: ClusterTerm, members: Sequence[Unit], leader: Unit | None, deputies: Iterable[Unit]
) -> None:
    deputy_ids = {d.pk for d in deputies}
    term.memberships.all().delete()
    rows = []
    for unit in members:
        role = TermRole.MEMBER
        if leader is not None and unit.pk == leader.pk:
            role = TermRole.LEADER
        elif unit.pk in deputy_ids:
            role = TermRole.DEPUTY
        rows.append(
            TermMembership(
                term=term, unit=unit, role=role, sector_id=term.cluster.sector_id, year=term.year
            )
        )
    try:
        TermMembership.objects.bulk_create(rows)
    except IntegrityError as exc:  # a concurrent write took one of these units for the year
        raise ValidationError(
            {
                "members": _(
                    "A unit was just added to another cluster for this year. Reload and try again."
                )
            }
        ) from exc


@service
def term_create(
    *,
    actor,
    cluster: Cluster,
    year: int,
    members: Sequence[Unit],
    leader: Unit | None = None,
    deputies: Sequence[Unit] = (),
    host: Unit | None = None,
    review_date: dt.date | None = None,
    notes: str = "",
) -> ClusterTerm:
    if ClusterTerm.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(cluster)s already has a term for %(year)s.")
                % {"cluster": cluster, "year": year}
            }
        )
    _validate_membership(
        cluster=cluster, year=year, members=members, leader=leader, deputies=deputies, host=host
    )
    term = ClusterTerm.objects.create(
        cluster=cluster, year=year, host=host, review_date=review_date, notes=notes
    )
    _write_memberships(term, members, leader, deputies)
    record_event(actor=actor, action="term.create", obj=term, after=term_snapshot(term))
    return term


@service
def term_update(
    *,
    actor,
    term: ClusterTerm,
    members: Sequence[Unit],
    leader: Unit | None,
    deputies: Sequence[Unit] = (),
    host: Unit | None = None,
    review_date: dt.date | None = None,
    notes: str = "",
) -> ClusterTerm:
    term = ClusterTerm.objects.select_for_update().select_related("cluster").get(pk=term.pk)
    before = term_snapshot(term)
    _validate_membership(
        cluster=term.cluster,
        year=term.year,
        members=members,
        leader=leader,
        deputies=deputies,
        host=host,
        term=term,
    )
    term.host, term.review_date, term.notes = host, review_date, notes
    term.save(update_fields=["host", "review_date", "notes", "updated_at"])
    _write_memberships(term, members, leader, deputies)
    after = term_snapshot(term)
    if before == after:
        no_change()
    else:
        record_event(actor=actor, action="term.update", obj=term, before=before, after=after)
    return term


@service
def term_update_notes(
    *,
    actor,
    term: ClusterTerm,
    notes: str,
    host: Unit | None = None,
    review_date: dt.date | None = None,
) -> ClusterTerm:
    """What the cluster secretariat keeps up to date: notes, the host and date of the review."""
    term = ClusterTerm.objects.select_for_update().get(pk=term.pk)
    if host is not None and not term.memberships.filter(unit=host).exists():
        raise ValidationError({"host": _("The host of the year-end conference must be a member.")})
    before = term_snapshot(term)
    term.notes, term.host, term.review_date = notes, host, review_date
    term.save(update_fields=["notes", "host", "review_date", "updated_at"])
    after = term_snapshot(term)
    if before == after:
        no_change()
    else:
        record_event(actor=actor, action="term.update_notes", obj=term, before=before, after=after)
    return term


def next_year_members(*, term: ClusterTerm) -> list[Unit]:
    """This term's members as they stand at the end of next year: merged units become their
    successors, duplicates removed, order kept."""
    day = dt.date(term.year + 1, 12, 31)
    result: list[Unit] = []
    seen: set[int] = set()
    for unit in term.member_units:
        standing = unit_standing_for(unit=unit, on=day)
        if standing is not None and standing.pk not in seen:
            seen.add(standing.pk)
            result.append(standing)
    return result


@service
def term_open_next(
    *,
    actor,
    term: ClusterTerm,
    leader: Unit | None,
    deputies: Sequence[Unit] = (),
    host: Unit | None = None,
) -> ClusterTerm:
    """Open next year's term of the same cluster from this one (members carried forward)."""
    members = next_year_members(term=term)
    new_term = term_create(
        actor=actor,
        cluster=term.cluster,
        year=term.year + 1,
        members=members,
        leader=leader,
        deputies=deputies,
        host=host,
    )
    record_event(
        actor=actor,
        action="term.open_next",
        obj=term,
        after={"next_term": new_term, "members": [u.short_name for u in members]},
    )
    return new_term


# --- reference data ------------------------------------------------------------------------------


@service
def reference_provinces_load(*, actor, data: dict) -> dict[str, int]:
    """Load the province reference file. Idempotent: a second run changes and records nothing."""
    created = updated = 0
    by_key: dict[tuple[str, str], Province] = {}
    for item in data["provinces"]:
        defaults = {
            "name": item["name"],
            "kind": item["kind"],
            "cccd_code": item.get("cccd_code"),
            "valid_from": _parse_date(item.get("valid_from")),
            "valid_to": _parse_date(item.get("valid_to")),
        }
        province = Province.objects.filter(scheme=item["scheme"], code=item["code"]).first()
        if province is None:
            province = Province.objects.create(scheme=item["scheme"], code=item["code"], **defaults)
            created += 1
        elif any(getattr(province, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(province, k, v)
            province.save()
            updated += 1
        by_key[(item["scheme"], item["code"])] = province
    successions = 0
    for item in data["successions"]:
        successor = by_key[(item["successor"]["scheme"], item["successor"]["code"])]
        basis = data["legal_basis"][item["legal_basis"]]
        effective = _parse_date(item["effective_date"])
        for pred in item["predecessors"]:
            predecessor = by_key[(pred["scheme"], pred["code"])]
            row = ProvinceSuccession.objects.filter(predecessor=predecessor).first()
            values = {"successor": successor, "effective_date": effective, "legal_basis": basis}
            if row is None:
                ProvinceSuccession.objects.create(predecessor=predecessor, **values)
                successions += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
                successions += 1
    result = {"created": created, "updated": updated, "successions": successions}
    if created or updated or successions:
        record_event(actor=actor, action="reference.provinces_load", after=result)
    else:
        no_change()
    return result


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
