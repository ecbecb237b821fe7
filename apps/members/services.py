"""Every write to the organisation tree and the member records; each an audited ``@service``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service, snapshot
from apps.core.text import fold
from apps.members.cccd import check_cccd
from apps.members.choices import (
    ALLOWED_PARENTS,
    CELL_KINDS,
    GapReason,
    MemberStatus,
    OrgKind,
    Sex,
    SuccessionKind,
)
from apps.members.models import (
    Member,
    MemberTransfer,
    OrgSuccession,
    PartyOrganization,
    path_step,
    years_after,
)

__all__ = [
    "DuplicateMember",
    "badge_award",
    "classification_record",
    "member_cccd_view",
    "member_create",
    "member_import_apply",
    "member_import_cancel",
    "member_import_confirm",
    "member_import_upload",
    "member_merge",
    "member_status_change",
    "member_transfer",
    "member_update",
    "org_create",
    "org_move",
    "org_succession_add",
    # inspections and training (the section at the end)
    "course_create",
    "course_participant_add",
    "course_participant_remove",
    "course_result_record",
    "course_update",
    "inspection_conclude",
    "inspection_create",
    "inspection_delete",
    "inspection_reopen",
    "inspection_update",
]

MEMBER_FIELDS = [
    "full_name",
    "sex",
    "birth_date",
    "cccd",
    "ethnicity",
    "religion",
    "home_province",
    "education",
    "theory_level",
    "admitted_on",
    "full_member_on",
    "status",
    "status_reason",
    "card_number",
    "card_issued_on",
    "organization",
]


def _check_parent(kind: str, parent: PartyOrganization | None) -> None:
    allowed = ALLOWED_PARENTS[OrgKind(kind)]
    if (parent.kind if parent else None) not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit under %(parent)s.")
                % {
                    "kind": OrgKind(kind).label,
                    "parent": OrgKind(parent.kind).label if parent else _("the top of the tree"),
                }
            }
        )


@service
def org_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: PartyOrganization | None = None,
    province=None,
    valid_from: dt.date | None = None,
    managed_by=None,
) -> PartyOrganization:
    code = "".join((code or "").split()).upper()
    name = " ".join((name or "").split())
    if not code or not name:
        raise ValidationError(_("Give the organisation's code and name."))
    if kind not in OrgKind.values:
        raise ValidationError({"kind": _("Choose the kind of organisation.")})
    _check_parent(kind, parent)
    if PartyOrganization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The code %(code)s is already used.") % {"code": code}})
    org = PartyOrganization.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        province=province or (parent.province if parent else None),
        valid_from=valid_from,
        managed_by=managed_by,
        path="",
        depth=(parent.depth + 1) if parent else 0,
    )
    org.path = (parent.path if parent else "") + path_step(org.pk)
    org.save(update_fields=["path"])
    record_event(
        actor=actor,
        action="member.org_create",
        obj=org,
        after=snapshot(org, ["code", "name", "kind", "parent", "province", "valid_from"]),
    )
    return org


@service
def org_move(*, actor, org: PartyOrganization, new_parent: PartyOrganization) -> int:
    """Move ``org`` and everything under it below ``new_parent``: one UPDATE of the paths that
    start with the old prefix (organisations) and one of the members' copies. Returns how many
    organisations moved."""
    org = PartyOrganization.objects.select_for_update().get(pk=org.pk)
    new_parent = PartyOrganization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot move under itself or its own subtree.")}
        )
    _check_parent(org.kind, new_parent)
    old_prefix, old_parent = org.path, org.parent
    new_prefix = new_parent.path + path_step(org.pk)
    shift = new_parent.depth + 1 - org.depth
    rest = Substr("path", len(old_prefix) + 1)
    moved = PartyOrganization.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), rest), depth=F("depth") + shift
    )
    PartyOrganization.objects.filter(pk=org.pk).update(parent=new_parent)
    Member.objects.filter(org_path__startswith=old_prefix).update(
        org_path=Concat(Value(new_prefix), Substr("org_path", len(old_prefix) + 1))
    )
    record_event(
        actor=actor,
        action="member.org_move",
        obj=org,
        before={"parent": old_parent.pk if old_parent else None, "path": old_prefix},
        after={"parent": new_parent.pk, "path": new_prefix, "organisations": moved},
    )
    return moved


@service
def org_succession_add(
    *,
    actor,
    predecessor: PartyOrganization,
    successor: PartyOrganization,
    kind: str,
    effective_date: dt.date,
    legal_basis: str,
) -> OrgSuccession:
    """Record a merge, split or rename; the predecessor ends the day before."""
    if predecessor.pk == successor.pk:
        raise ValidationError(_("An organisation does not succeed itself."))
    if kind not in SuccessionKind.values:
        raise ValidationError({"kind": _("Choose merge, split or rename.")})
    legal_basis = " ".join((legal_basis or "").split())
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Give the decision this rests on.")})
    row = OrgSuccession.objects.create(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_date=effective_date,
        legal_basis=legal_basis,
    )
    end = effective_date - dt.timedelta(days=1)
    if predecessor.valid_to is None or predecessor.valid_to > end:
        PartyOrganization.objects.filter(pk=predecessor.pk).update(valid_to=end)
    record_event(
        actor=actor,
        action="member.org_succession_add",
        obj=predecessor,
        after={
            "successor": successor.pk,
            "kind": kind,
            "effective_date": effective_date,
            "legal_basis": legal_basis,
        },
    )
    return row


class DuplicateMember(ValidationError):
    """The new record looks like an existing member (same name and date of birth)."""

    def __init__(self, existing: list[Member]):
        self.existing = existing
        names = "; ".join(
            f"{m.full_name}, {m.birth_date:%d/%m/%Y}, {m.organization.name}" for m in existing
        )
        super().__init__(
            _(
                "A member with the same name and date of birth exists: %(names)s. Check it is not "
                "the same person, then confirm."
            )
            % {"names": names},
            code="duplicate",
        )


def _clean_member(data: dict, *, exclude_pk=None) -> dict:
    clean = {k: data.get(k) for k in MEMBER_FIELDS if k in data}
    clean["full_name"] = " ".join((clean.get("full_name") or "").split())
    if not clean["full_name"]:
        raise ValidationError({"full_name": _("Give the member's full name.")})
    if clean.get("sex") not in Sex.values:
        raise ValidationError({"sex": _("Choose male or female.")})
    born, admitted = clean.get("birth_date"), clean.get("admitted_on")
    today = timezone.localdate()
    if born is None or born >= today:
        raise ValidationError({"birth_date": _("Give a date of birth in the past.")})
    if admitted is None or admitted > today:
        raise ValidationError({"admitted_on": _("Give the date of the admission decision.")})
    if admitted < years_after(born, 18):
        raise ValidationError({"admitted_on": _("A member is admitted at 18 or older.")})
    full = clean.get("full_member_on")
    if full is not None and full < admitted:
        raise ValidationError(
            {"full_member_on": _("A member becomes full member after the admission decision.")}
        )
    if clean.get("cccd"):
        try:
            clean["cccd"] = check_cccd(clean["cccd"], sex=clean["sex"], birth_date=born)
        except ValidationError as error:
            raise ValidationError({"cccd": error.messages}) from None
        clash = Member.objects.filter(cccd=clean["cccd"]).exclude(pk=exclude_pk).first()
        if clash is not None:
            raise ValidationError(
                {
                    "cccd": _("This citizen ID belongs to %(name)s (%(org)s).")
                    % {"name": clash.full_name, "org": clash.organization.name}
                }
            )
    else:
        clean["cccd"] = None
    clean["card_number"] = (clean.get("card_number") or "").strip() or None
    if (
        clean["card_number"]
        and Member.objects.filter(card_number=clean["card_number"]).exclude(pk=exclude_pk).exists()
    ):
        raise ValidationError({"card_number": _("This party card number is already recorded.")})
    status = clean.get("status") or MemberStatus.PROBATIONARY
    if status not in MemberStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if (
        status in {MemberStatus.LEFT, MemberStatus.SUSPENDED, MemberStatus.EXEMPT}
        and not (clean.get("status_reason") or "").strip()
    ):
        raise ValidationError({"status_reason": _("Give the reason for this status.")})
    clean["status"] = status
    org = clean.get("organization")
    if org is None or org.kind not in CELL_KINDS:
        raise ValidationError({"organization": _("A member belongs to a party cell.")})
    for key in ("ethnicity", "religion", "education", "theory_level", "status_reason"):
        clean[key] = " ".join((clean.get(key) or "").split())
    return clean


@service
def member_create(*, actor, confirm_duplicate: bool = False, **fields) -> Member:
    """Add a member after checking the CCCD (format, province, sex, birth year, uniqueness) and
    looking for the same name and date of birth (confirm to add anyway)."""
    data = _clean_member(fields)
    if not confirm_duplicate:
        same = list(
            Member.objects.filter(
                search_name=fold(data["full_name"]), birth_date=data["birth_date"]
            ).select_related("organization")[:5]
        )
        if same:
            raise DuplicateMember(same)
    member = Member.objects.create(**data)
    record_event(
        actor=actor, action="member.create", obj=member, after=snapshot(member, MEMBER_FIELDS)
    )
    return member


EDITABLE_FIELDS = [
    "full_name",
    "sex",
    "birth_date",
    "cccd",
    "ethnicity",
    "religion",
    "home_province",
    "education",
    "theory_level",
    "admitted_on",
    "full_member_on",
    "card_number",
    "card_issued_on",
]


class StaleRecord(ValidationError):
    """Someone saved the record after this form was opened."""


@service
def member_update(*, actor, member: Member, expected_updated_at=None, **fields) -> Member:
    """Correct a member's record (not the status, which has its own dated history, nor the
    cell, which changes by transfer). ``expected_updated_at`` is the version the form was opened
    at: a record saved since is refused, naming who saved it, so nobody overwrites unseen work."""
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    if expected_updated_at is not None and member.updated_at != expected_updated_at:
        from apps.core.models import AuditEvent

        last = (
            AuditEvent.objects.filter(object_id=str(member.pk), action__startswith="member.")
            .order_by("-id")
            .first()
        )
        raise StaleRecord(
            _(
                "%(who)s saved this record at %(when)s, after you opened it. Reload the page to "
                "see their changes, then make yours again."
            )
            % {
                "who": last.actor_repr if last else _("someone"),
                "when": timezone.localtime(member.updated_at).strftime("%H:%M:%S %d/%m/%Y"),
            },
            code="stale",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields are not changed here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    data = {name: getattr(member, name) for name in MEMBER_FIELDS}
    data.update(fields)
    clean = _clean_member(data, exclude_pk=member.pk)
    changed = [name for name in EDITABLE_FIELDS if clean.get(name) != getattr(member, name)]
    if not changed:
        no_change()
        return member
    before = snapshot(member, changed)
    for name in changed:
        setattr(member, name, clean[name])
    member.save()
    record_event(
        actor=actor,
        action="member.update",
        obj=member,
        before=before,
        after=snapshot(member, changed),
    )
    return member


REASON_REQUIRED = {MemberStatus.EXEMPT, MemberStatus.SUSPENDED, MemberStatus.LEFT}


@service
def member_status_change(
    *, actor, member: Member, status: str, on: dt.date, reason: str = "", gap_reason: str = ""
):
    """Change a member's status from ``on``, keeping the dated history. Leaving the Party opens a
    gap in membership (party age stops); coming back (re-admission) closes it."""
    from apps.members.models import MemberGap, MemberStatusChange

    member = Member.objects.select_for_update().get(pk=member.pk)
    reason = " ".join((reason or "").split())
    if status not in MemberStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == member.status:
        raise ValidationError(
            {
                "status": _("The member is already “%(status)s”.")
                % {"status": member.get_status_display()}
            }
        )
    since = member.status_since or member.admitted_on
    if on is None or on > timezone.localdate() or on < since:
        raise ValidationError(
            {
                "on": _(
                    "The date must not be in the future nor before %(since)s, when the current "
                    "status began."
                )
                % {"since": since.strftime("%d/%m/%Y")}
            }
        )
    if status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give the reason for this status.")})
    if status == MemberStatus.LEFT and gap_reason not in {
        GapReason.EXPELLED,
        GapReason.REMOVED,
        GapReason.LOST_CONTACT,
    }:
        raise ValidationError({"gap_reason": _("Say how the member left the Party.")})
    change = MemberStatusChange.objects.create(
        member=member,
        on=on,
        from_status=member.status,
        to_status=status,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = {"status": member.status, "since": member.status_since}
    if status == MemberStatus.LEFT:
        MemberGap.objects.create(member=member, start=on, reason=gap_reason, note=reason[:300])
    elif member.status == MemberStatus.LEFT:
        member.gaps.filter(end__isnull=True).update(end=on)
    if (
        status == MemberStatus.FULL
        and member.status == MemberStatus.PROBATIONARY
        and not member.full_member_on
    ):
        member.full_member_on = on
    member.status = status
    member.status_reason = reason if status in REASON_REQUIRED else ""
    member.status_since = on
    member.save()
    record_event(
        actor=actor,
        action="member.status",
        obj=member,
        before=before,
        after={"status": status, "since": on, "reason": reason, "change": change.pk},
    )
    return change


@service
def member_merge(*, actor, keep: Member, remove: Member, reason: str):
    """Make two records of the same person one: every history row of ``remove`` (transfers,
    gaps, status changes, badges, classifications, and any other record that points at a
    member) moves to ``keep``; empty fields of ``keep`` take ``remove``'s values; ``remove`` is
    deleted and kept, as it was, in a ``MemberMerge`` row. Refused when both records hold a
    row that may exist once per member (e.g. a classification of the same year)."""
    from apps.members.models import MemberMerge

    reason = " ".join((reason or "").split())
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different records."))
    if not reason:
        raise ValidationError({"reason": _("Say why these are the same person.")})
    pair = {m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])}
    keep, remove = pair[keep.pk], pair[remove.pk]
    if fold(keep.full_name) != fold(remove.full_name) or keep.birth_date != remove.birth_date:
        raise ValidationError(_("Only records with the same name and date of birth can be merged."))
    if keep.cccd and remove.cccd and keep.cccd != remove.cccd:
        raise ValidationError(
            _("The two records have different citizen IDs: they are not the same person.")
        )
    relations = [rel for rel in Member._meta.related_objects if rel.one_to_many]
    conflicts = []
    for rel in relations:
        model, fk = rel.related_model, rel.field.name
        for fields in _unique_sets(model, fk):
            others = [f for f in fields if f != fk]
            mine = set(model.objects.filter(**{fk: keep}).values_list(*others))
            theirs = set(model.objects.filter(**{fk: remove}).values_list(*others))
            for clash in sorted(mine & theirs, key=str):
                conflicts.append(f"{model._meta.verbose_name}: {', '.join(str(v) for v in clash)}")
    if conflicts:
        raise ValidationError(
            _("Both records hold %(rows)s. Correct one of them first, then merge.")
            % {"rows": "; ".join(conflicts)}
        )
    removed = snapshot(remove, [*MEMBER_FIELDS, "status_since"])
    moved = {}
    for rel in relations:
        count = rel.related_model.objects.filter(**{rel.field.name: remove}).update(
            **{rel.field.name: keep}
        )
        if count:
            moved[f"{rel.related_model._meta.label}.{rel.field.name}"] = count
    filled = []
    for name in (
        "cccd",
        "card_number",
        "card_issued_on",
        "ethnicity",
        "religion",
        "home_province",
        "education",
        "theory_level",
        "full_member_on",
    ):
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
            filled.append(name)
    removed_pk = remove.pk
    remove.delete()  # first, so a citizen ID or card number it held can move to ``keep``
    keep.save()
    merge = MemberMerge.objects.create(
        kept=keep,
        removed_id=removed_pk,
        removed=removed,
        moved=moved,
        reason=reason,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="member.merge",
        obj=keep,
        before={"removed": removed_pk, "record": removed},
        after={"moved": moved, "filled": filled, "reason": reason},
    )
    return merge


def _unique_sets(model, fk: str) -> list[tuple[str, ...]]:
    """The field sets of ``model`` that are unique and include the foreign key ``fk``."""
    sets = [tuple(f) for f in model._meta.unique_together if fk in f]
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fields and fk in fields and getattr(constraint, "condition", None) is None:
            sets.append(tuple(fields))
    field = model._meta.get_field(fk)
    if field.unique:
        sets.append((fk,))
    return sets


@service
def member_transfer(*, actor, member: Member, to_org: PartyOrganization, on: dt.date, note=""):
    """Chuyển sinh hoạt đảng: the member's cell changes from ``on``; the history keeps both."""
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    if to_org.kind not in CELL_KINDS:
        raise ValidationError({"to_org": _("A member belongs to a party cell.")})
    if to_org.pk == member.organization_id:
        raise ValidationError({"to_org": _("The member already belongs to this cell.")})
    last = member.transfers.order_by("-transferred_on").first()
    if on is None or on > timezone.localdate() or (last and on < last.transferred_on):
        raise ValidationError(
            {"on": _("The transfer date must not be in the future or before the last transfer.")}
        )
    transfer = MemberTransfer.objects.create(
        member=member, from_org=member.organization, to_org=to_org, transferred_on=on, note=note
    )
    before = member.organization
    member.organization = to_org
    member.save()
    record_event(
        actor=actor,
        action="member.transfer",
        obj=member,
        before={"organization": before.pk},
        after={"organization": to_org.pk, "on": on, "transfer": transfer.pk},
    )
    return transfer


@service
def member_cccd_view(*, actor, member: Member) -> str:
    """The full citizen ID, for the detail page of a permitted role; every view is audited."""
    record_event(actor=actor, action="member.cccd_view", obj=member, after={"cccd": "viewed"})
    return member.cccd or ""


@service
def member_import_upload(
    *,
    actor,
    upload,
    scope_paths: list[str] | None,
    original_name: str = "",
    kind: str = "members",
):
    """Keep an uploaded workbook of members (or, ``kind="orgs"``, of organisations) and queue
    its check (``tasks.check_member_import``). A file that is not the template is refused here,
    before anything is kept."""
    from django.core.files import File

    from apps.members import tasks
    from apps.members.imports import COLUMNS, check_header
    from apps.members.models import MemberImport
    from apps.members.org_imports import ORG_COLUMNS

    if kind not in MemberImport.Kind.values:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    member_imports_discard_stale(actor=actor)
    # Read in place (the reader seeks in the zip; only the header line is parsed) and kept as a
    # stream: never whole in memory.
    declared = check_header(upload, ORG_COLUMNS if kind == MemberImport.Kind.ORGS else COLUMNS)
    upload.seek(0)
    record = MemberImport(
        kind=kind,
        original_name=(original_name or getattr(upload, "name", "") or "tep.xlsx")[:255],
        uploaded_by=actor,
        scope_paths=scope_paths,
        state=MemberImport.State.QUEUED,
        total=declared,
    )
    record.file.save("import.xlsx", File(upload), save=False)
    record.save()
    record_event(
        actor=actor,
        action="member.import.upload",
        obj=record,
        after={"file": record.original_name, "lines": declared},
    )
    # Enqueued in this transaction: a database queue sees the task when the record is committed.
    tasks.check_member_import.enqueue(record.pk)
    return record


STALE_IMPORT_DAYS = 7  # a checked file not confirmed within this is discarded


@service
def member_imports_discard_stale(*, actor=None, now=None) -> int:
    """Discard checked imports nobody confirmed within ``STALE_IMPORT_DAYS``: their staged lines
    (up to millions of rows) go, the record says why. Runs at every upload and from
    ``manage.py discard_stale_imports``; returns how many."""
    from django.utils import timezone

    from apps.members.imports import discard
    from apps.members.models import MemberImport

    limit = (now or timezone.now()) - dt.timedelta(days=STALE_IMPORT_DAYS)
    stale = MemberImport.objects.select_for_update(skip_locked=True).filter(
        state=MemberImport.State.CHECKED_OK, updated_at__lt=limit
    )
    count = 0
    for record in stale:
        discard(
            record,
            state=MemberImport.State.CANCELLED,
            message=_(
                "Not confirmed within %(days)s days: the checked lines were discarded. Upload "
                "the file again to import it."
            )
            % {"days": STALE_IMPORT_DAYS},
        )
        record_event(
            actor=actor,
            action="member.import.expire",
            obj=record,
            before={"state": record.state},
            after={"state": MemberImport.State.CANCELLED},
        )
        count += 1
    if not count:
        no_change()
    return count


def _import_state_error(record, wanted) -> ValidationError:
    return ValidationError(
        _("This import is “%(state)s”; it must be “%(wanted)s”.")
        % {"state": record.get_state_display(), "wanted": wanted.label}
    )


@service
def member_import_confirm(*, actor, record):
    """The user confirms a checked file: queue the copy into the member table."""
    from apps.members import tasks
    from apps.members.models import MemberImport

    record = MemberImport.objects.select_for_update().get(pk=record.pk)
    if record.state != MemberImport.State.CHECKED_OK:
        raise _import_state_error(record, MemberImport.State.CHECKED_OK)
    record.state = MemberImport.State.IMPORTING
    record.confirmed_by = actor
    record.save(update_fields=["state", "confirmed_by", "updated_at"])
    record_event(
        actor=actor, action="member.import.confirm", obj=record, after={"rows": record.rows}
    )
    tasks.apply_member_import.enqueue(record.pk)
    return record


@service
def member_import_apply(*, record):
    """Copy a confirmed import's staged lines into the member table in this one transaction,
    after checking again that nobody recorded the same people since the check. Run by the task;
    the audit names the user who confirmed."""
    from apps.members import org_imports
    from apps.members.imports import copy_staged, duplicates
    from apps.members.models import MemberImport, MemberImportRow

    record = MemberImport.objects.select_for_update().get(pk=record.pk)
    actor = record.confirmed_by
    if record.state != MemberImport.State.IMPORTING or record.cancel_requested:
        no_change()
        return record
    if record.kind == MemberImport.Kind.ORGS:
        try:
            with transaction.atomic():  # a refusal undoes every organisation of the file
                record.imported = org_imports.create(record)
        except ValidationError as error:
            record.state = MemberImport.State.CHECKED_BAD
            record.message = " ".join(error.messages)[:500]
            record.finished_at = timezone.now()
            record.save()
            record_event(
                actor=actor, action="member.import.refused", obj=record, after={"errors": 1}
            )
            return record
        record.state = MemberImport.State.IMPORTED
        record.finished_at = timezone.now()
        record.save(update_fields=["imported", "state", "finished_at", "updated_at"])
        record_event(
            actor=actor,
            action="member.import_orgs",
            obj=record,
            after={"rows": record.rows, "imported": record.imported},
        )
        return record
    problems, count = duplicates(record, in_file=False)
    if count:
        record.errors, record.error_count = problems, count
        record.state = MemberImport.State.CHECKED_BAD
        record.message = _("Since the check, some of these people were recorded by someone else.")
        record.finished_at = timezone.now()
        record.save()
        MemberImportRow.objects.filter(member_import=record).delete()
        record_event(
            actor=actor, action="member.import.refused", obj=record, after={"errors": count}
        )
        return record
    record.imported = copy_staged(record)
    record.state = MemberImport.State.IMPORTED
    record.finished_at = timezone.now()
    record.save(update_fields=["imported", "state", "finished_at", "updated_at"])
    MemberImportRow.objects.filter(member_import=record).delete()
    record_event(
        actor=actor,
        action="member.import",
        obj=record,
        after={"rows": record.rows, "imported": record.imported},
    )
    return record


@service
def member_import_cancel(*, actor, record):
    """Stop an import that has not been copied: a queued or ready one ends now, a running check
    stops at its next chunk, a confirmed copy not yet started never starts. The member table is
    untouched in every case."""
    from apps.members.imports import discard
    from apps.members.models import MemberImport

    record = MemberImport.objects.select_for_update().get(pk=record.pk)
    if record.state not in {
        MemberImport.State.QUEUED,
        MemberImport.State.CHECKING,
        MemberImport.State.CHECKED_OK,
        MemberImport.State.IMPORTING,
    }:
        raise ValidationError(
            _("This import is “%(state)s”; it can no longer be cancelled.")
            % {"state": record.get_state_display()}
        )
    before = record.state
    MemberImport.objects.filter(pk=record.pk).update(cancel_requested=True)
    if record.state != MemberImport.State.CHECKING:
        discard(record, state=MemberImport.State.CANCELLED)
    record_event(actor=actor, action="member.import.cancel", obj=record, before={"state": before})
    record.refresh_from_db()
    return record


@service
def badge_award(
    *, actor, member: Member, years: int, awarded_on: dt.date, number: str, early_reason: str = ""
):
    """Record a badge: the milestone must be due on that round (early only with a reason)."""
    from apps.members.models import MemberBadge
    from apps.members.party_age import (
        BADGE_YEARS,
        EARLY_ILL,
        EARLY_POSTHUMOUS,
        Gap,
        award_rounds,
        badges_due,
    )

    number = "".join((number or "").split())
    if years not in BADGE_YEARS:
        raise ValidationError({"years": _("Badges are for 30, 40, 45 … 90 years.")})
    if awarded_on not in award_rounds(awarded_on.year):
        raise ValidationError({"awarded_on": _("Badges are awarded on 3/2, 19/5, 2/9 and 7/11.")})
    if early_reason not in {"", EARLY_ILL, EARLY_POSTHUMOUS}:
        raise ValidationError({"early_reason": _("Choose seriously ill or posthumous.")})
    if not number:
        raise ValidationError({"number": _("Give the badge number.")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    gaps = [Gap(g.start, g.end) for g in member.gaps.all()]
    awarded = set(member.badges.values_list("years", flat=True))
    due = badges_due(
        admitted_on=member.admitted_on,
        round_on=awarded_on,
        gaps=gaps,
        awarded=awarded,
        early=early_reason or None,
    )
    if years not in due:
        raise ValidationError(
            {
                "years": _("%(name)s is not due the %(years)s-year badge on %(date)s.")
                % {
                    "name": member.full_name,
                    "years": years,
                    "date": awarded_on.strftime("%d/%m/%Y"),
                }
            }
        )
    if MemberBadge.objects.filter(number=number).exists():
        raise ValidationError({"number": _("This badge number is already recorded.")})
    badge = MemberBadge.objects.create(
        member=member,
        years=years,
        awarded_on=awarded_on,
        number=number,
        early_reason=early_reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="member.badge_award",
        obj=member,
        after={"years": years, "awarded_on": awarded_on, "number": number, "early": early_reason},
    )
    return badge


@service
def classification_record(
    *, actor, member: Member, year: int, score, disqualified: str = "", approved: bool = False
):
    """Record a member's level for ``year`` from the score, refusing members who are not
    classified and keeping the cell within its "xuất sắc" quota (20 %, 25 % with approval)."""
    from decimal import Decimal, InvalidOperation

    from apps.members.choices import Level
    from apps.members.classification import exclusion_reason, level_for, quota_check
    from apps.members.models import MemberClassification

    try:
        value = Decimal(str(score))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"score": _("Give a score from 0 to 100.")})
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    reason = exclusion_reason(member, year)
    if reason:
        raise ValidationError(
            _("%(name)s is not classified for %(year)s: %(reason)s.")
            % {"name": member.full_name, "year": year, "reason": reason}
        )
    disqualified = " ".join((disqualified or "").split())[:300]
    level = level_for(value, disqualified=bool(disqualified))
    cell = PartyOrganization.objects.select_for_update().get(pk=member.organization_id)
    others = MemberClassification.objects.filter(organization=cell, year=year).exclude(
        member=member
    )
    if level == Level.EXCELLENT:
        excellent = others.filter(level=Level.EXCELLENT).count() + 1
        good = others.filter(level=Level.GOOD).count()
        check = quota_check(excellent=excellent, good=good, approved=approved)
        if not check.ok:
            raise ValidationError(
                {
                    "score": _("The cell's quota of “excellent” is full: %(why)s.")
                    % {"why": check.explanation}
                }
            )
    row, created = MemberClassification.objects.update_or_create(
        member=member,
        year=year,
        defaults={
            "organization": cell,
            "score": value,
            "level": level,
            "disqualified": disqualified,
        },
    )
    record_event(
        actor=actor,
        action="member.classification_record",
        obj=member,
        after={
            "year": year,
            "score": value,
            "level": level,
            "disqualified": disqualified,
            "approved": approved,
            "created": created,
        },
    )
    return row


# --- inspections and supervisions (kiểm tra, giám sát) ------------------------------------------
#
# An inspection is open until its conclusion is recorded (``inspection_conclude``). A concluded
# one is read-only for everyone: it cannot be edited or deleted. If a conclusion must be
# corrected, a central officer reopens it with a reason (``inspection_reopen``, audited), the
# keeping unit corrects it and concludes again.

INSPECTION_EDITABLE = [
    "kind",
    "basis",
    "conducted_by",
    "body_name",
    "topic",
    "decision_number",
    "started_on",
    "ended_on",
]
INSPECTION_FIELDS = [*INSPECTION_EDITABLE, "subject_org", "subject_member"]
INSPECTION_CONCLUSION = ["concluded_on", "conclusion", "outcome", "measure"]


def _one_line(value, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _refuse_concluded(inspection) -> None:
    if inspection.concluded_on is not None:
        raise ValidationError(
            _(
                "This inspection was concluded on %(date)s and can no longer be changed; a "
                "central officer may reopen it."
            )
            % {"date": inspection.concluded_on.strftime("%d/%m/%Y")},
            code="concluded",
        )


def _clean_inspection(data: dict, *, subject_path: str) -> dict:
    from apps.members.choices import InspectionBasis, InspectionKind

    if data.get("kind") not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose inspection or supervision.")})
    data["basis"] = data.get("basis") or InspectionBasis.REGULAR
    if data["basis"] not in InspectionBasis.values:
        raise ValidationError({"basis": _("Choose the basis from the list.")})
    data["topic"] = _one_line(data.get("topic"), 500)
    if not data["topic"]:
        raise ValidationError({"topic": _("Give the topic.")})
    started, ended = data.get("started_on"), data.get("ended_on")
    if started is None:
        raise ValidationError({"started_on": _("Give the start date.")})
    if ended is not None and ended < started:
        raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
    conductor = data.get("conducted_by")
    if conductor is None or not subject_path.startswith(conductor.path):
        raise ValidationError(
            {
                "conducted_by": _(
                    "The conducting organisation is the subject's own organisation or one above it."
                )
            }
        )
    data["body_name"] = _one_line(data.get("body_name"), 200)
    data["decision_number"] = _one_line(data.get("decision_number"), 50)
    return data


@service
def inspection_create(
    *,
    actor,
    kind: str,
    conducted_by: PartyOrganization,
    topic: str,
    started_on: dt.date,
    subject_org: PartyOrganization | None = None,
    subject_member: Member | None = None,
    basis: str = "",
    body_name: str = "",
    decision_number: str = "",
    ended_on: dt.date | None = None,
):
    """Record an inspection or supervision of one organisation or one member."""
    from apps.members.models import Inspection

    if (subject_org is None) == (subject_member is None):
        raise ValidationError(_("An inspection is of one organisation or of one member, not both."))
    subject_path = subject_org.path if subject_org is not None else subject_member.org_path
    data = _clean_inspection(
        {
            "kind": kind,
            "basis": basis,
            "conducted_by": conducted_by,
            "body_name": body_name,
            "topic": topic,
            "decision_number": decision_number,
            "started_on": started_on,
            "ended_on": ended_on,
        },
        subject_path=subject_path,
    )
    inspection = Inspection.objects.create(
        **data,
        subject_org=subject_org,
        subject_member=subject_member,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="member.inspection_create",
        obj=inspection,
        after=snapshot(inspection, INSPECTION_FIELDS),
    )
    return inspection


@service
def inspection_update(*, actor, inspection, **changes):
    """Change an open inspection (not its subject)."""
    from apps.members.models import Inspection

    unknown = set(changes) - set(INSPECTION_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s.") % {"f": sorted(unknown)})
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("subject_org", "subject_member")
        .get(pk=inspection.pk)
    )
    _refuse_concluded(inspection)
    before = snapshot(inspection, INSPECTION_EDITABLE)
    data = {name: getattr(inspection, name) for name in INSPECTION_EDITABLE}
    data.update(changes)
    data = _clean_inspection(data, subject_path=inspection.subject_path)
    for name, value in data.items():
        setattr(inspection, name, value)
    inspection.save(update_fields=[*INSPECTION_EDITABLE, "updated_at"])
    record_event(
        actor=actor,
        action="member.inspection_update",
        obj=inspection,
        before=before,
        after=snapshot(inspection, INSPECTION_EDITABLE),
    )
    return inspection


@service
def inspection_conclude(
    *,
    actor,
    inspection,
    concluded_on: dt.date,
    conclusion: str,
    outcome: str,
    measure: str = "",
):
    """Record the conclusion: from then on the inspection is read-only."""
    from apps.members.choices import InspectionOutcome
    from apps.members.models import Inspection

    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _refuse_concluded(inspection)
    if concluded_on is None or concluded_on > timezone.localdate():
        raise ValidationError(
            {"concluded_on": _("Give the date of the conclusion, not later than today.")}
        )
    if concluded_on < inspection.started_on:
        raise ValidationError(
            {
                "concluded_on": _("The conclusion cannot precede the start (%(date)s).")
                % {"date": inspection.started_on.strftime("%d/%m/%Y")}
            }
        )
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("Write the conclusion.")})
    if outcome not in InspectionOutcome.values:
        raise ValidationError({"outcome": _("Choose whether a violation was found.")})
    inspection.concluded_on = concluded_on
    inspection.conclusion = conclusion
    inspection.outcome = outcome
    inspection.measure = _one_line(measure, 300)
    inspection.save(update_fields=[*INSPECTION_CONCLUSION, "updated_at"])
    record_event(
        actor=actor,
        action="member.inspection_conclude",
        obj=inspection,
        after=snapshot(inspection, INSPECTION_CONCLUSION),
    )
    return inspection


@service
def inspection_reopen(*, actor, inspection, reason: str):
    """Open a concluded inspection again to correct it (central officers; the reason is kept in
    the audit trail with the conclusion as it was)."""
    from apps.members.models import Inspection

    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.concluded_on is None:
        raise ValidationError(_("This inspection is still open."), code="open")
    reason = _one_line(reason, 300)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    before = snapshot(inspection, INSPECTION_CONCLUSION)
    inspection.concluded_on = None
    inspection.save(update_fields=["concluded_on", "updated_at"])
    record_event(
        actor=actor,
        action="member.inspection_reopen",
        obj=inspection,
        before=before,
        after={"reason": reason},
    )
    return inspection


@service
def inspection_delete(*, actor, inspection) -> None:
    """Delete an inspection recorded by mistake; a concluded one is kept."""
    from apps.members.models import Inspection

    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _refuse_concluded(inspection)
    record_event(
        actor=actor,
        action="member.inspection_delete",
        obj=inspection,
        before=snapshot(inspection, INSPECTION_FIELDS),
    )
    inspection.delete()


# --- training courses (bồi dưỡng) ---------------------------------------------------------------
#
# A party-awareness course takes non-members (a person who matches a current member by citizen ID,
# or by name without diacritics and date of birth, is refused); a course for new members takes
# members of the organiser's subtree who have not left; other courses take either. A non-member
# entry that matches a current member is always refused: record the member instead.

COURSE_FIELDS = ["kind", "name", "started_on", "ended_on", "place"]
RESULT_FIELDS = ["result", "completed_on", "certificate_number"]


def _clean_course(data: dict) -> dict:
    from apps.members.choices import CourseKind

    if data.get("kind") not in CourseKind.values:
        raise ValidationError({"kind": _("Choose the kind of course.")})
    data["name"] = _one_line(data.get("name"), 300)
    if not data["name"]:
        raise ValidationError({"name": _("Give the course's name.")})
    started, ended = data.get("started_on"), data.get("ended_on")
    if started is None:
        raise ValidationError({"started_on": _("Give the start date.")})
    if ended is not None and ended < started:
        raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
    data["place"] = _one_line(data.get("place"), 300)
    return data


@service
def course_create(
    *,
    actor,
    organizer: PartyOrganization,
    kind: str,
    name: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    place: str = "",
):
    from apps.members.models import TrainingCourse

    data = _clean_course(
        {"kind": kind, "name": name, "started_on": started_on, "ended_on": ended_on, "place": place}
    )
    course = TrainingCourse.objects.create(
        **data,
        organizer=organizer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="member.course_create",
        obj=course,
        after=snapshot(course, ["organizer", *COURSE_FIELDS]),
    )
    return course


@service
def course_update(*, actor, course, **changes):
    """Change a course; its kind only while it has no participants, its start not after a
    recorded completion."""
    from apps.members.models import TrainingCourse

    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s.") % {"f": sorted(unknown)})
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    before = snapshot(course, COURSE_FIELDS)
    data = {name: getattr(course, name) for name in COURSE_FIELDS}
    data.update(changes)
    data = _clean_course(data)
    if data["kind"] != course.kind and course.participants.exists():
        raise ValidationError(
            {"kind": _("The course has participants: its kind can no longer change.")}
        )
    first = (
        course.participants.filter(completed_on__isnull=False)
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )
    if first is not None and data["started_on"] > first:
        raise ValidationError(
            {
                "started_on": _(
                    "A participant completed the course on %(date)s, before this start."
                )
                % {"date": first.strftime("%d/%m/%Y")}
            }
        )
    for name, value in data.items():
        setattr(course, name, value)
    course.save(update_fields=[*COURSE_FIELDS, "updated_at"])
    record_event(
        actor=actor,
        action="member.course_update",
        obj=course,
        before=before,
        after=snapshot(course, COURSE_FIELDS),
    )
    return course


def _member_matching(*, full_name: str, birth_date: dt.date, cccd: str | None):
    """A current member who is this person: same citizen ID, or same name without diacritics
    and same date of birth (as the duplicate check of ``member_create``)."""
    match = Member.objects.exclude(status=MemberStatus.LEFT).select_related("organization")
    if cccd:
        found = match.filter(cccd=cccd).first()
        if found is not None:
            return found
    return match.filter(search_name=fold(full_name), birth_date=birth_date).first()


@service
def course_participant_add(
    *,
    actor,
    course,
    member: Member | None = None,
    full_name: str = "",
    birth_date: dt.date | None = None,
    sex: str = "",
    cccd: str = "",
):
    """Put a member, or a non-member (name, date of birth, sex, optional citizen ID), on a course."""
    from apps.members.choices import CourseKind
    from apps.members.models import CourseParticipant, TrainingCourse

    course = (
        TrainingCourse.objects.select_for_update().select_related("organizer").get(pk=course.pk)
    )
    full_name = _one_line(full_name, 200)
    if (member is None) == (not full_name):
        raise ValidationError(
            _("A participant is a member, or a person with a name and a date of birth.")
        )
    if member is not None:
        if course.kind == CourseKind.AWARENESS:
            raise ValidationError(
                _(
                    "%(name)s is already a party member: the party-awareness course is for "
                    "non-members."
                )
                % {"name": member.full_name}
            )
        if member.status == MemberStatus.LEFT:
            raise ValidationError(
                _("%(name)s is no longer a party member.") % {"name": member.full_name}
            )
        if not member.org_path.startswith(course.organizer.path):
            raise ValidationError(
                _("%(name)s is not a member under %(org)s.")
                % {"name": member.full_name, "org": course.organizer.name}
            )
        if course.participants.filter(member=member).exists():
            raise ValidationError(_("This member is already on the course."))
        row = CourseParticipant.objects.create(course=course, member=member)
    else:
        if course.kind == CourseKind.NEW_MEMBER:
            raise ValidationError(
                _("The course for new members takes party members: choose the member.")
            )
        today = timezone.localdate()
        if birth_date is None or birth_date >= today:
            raise ValidationError({"birth_date": _("Give a date of birth in the past.")})
        if sex not in Sex.values:
            raise ValidationError({"sex": _("Choose male or female.")})
        cccd = "".join((cccd or "").split()) or None
        if cccd:
            try:
                cccd = check_cccd(cccd, sex=sex, birth_date=birth_date)
            except ValidationError as error:
                raise ValidationError({"cccd": error.messages}) from None
        same = _member_matching(full_name=full_name, birth_date=birth_date, cccd=cccd)
        if same is not None:
            raise ValidationError(
                _(
                    "%(name)s (%(org)s) is already a party member, with the same citizen ID or "
                    "the same name and date of birth."
                )
                % {"name": same.full_name, "org": same.organization.name}
            )
        on_course = course.participants.filter(member__isnull=True)
        if (cccd and on_course.filter(cccd=cccd).exists()) or on_course.filter(
            search_name=fold(full_name), birth_date=birth_date
        ).exists():
            raise ValidationError(_("This person is already on the course."))
        row = CourseParticipant.objects.create(
            course=course, full_name=full_name, birth_date=birth_date, sex=sex, cccd=cccd
        )
    record_event(
        actor=actor,
        action="member.course_participant_add",
        obj=course,
        after={
            "participant": row.pk,
            "member": member.pk if member is not None else None,
            "full_name": row.name,
            "birth_date": birth_date,
        },
    )
    return row


@service
def course_participant_remove(*, actor, participant) -> None:
    """Take a participant off a course; one with a certificate is kept."""
    from apps.members.models import CourseParticipant

    participant = (
        CourseParticipant.objects.select_for_update(of=("self",))
        .select_related("course", "member")
        .get(pk=participant.pk)
    )
    if participant.certificate_number:
        raise ValidationError(
            _("%(name)s holds certificate %(number)s and stays on the course.")
            % {"name": participant.name, "number": participant.certificate_number}
        )
    record_event(
        actor=actor,
        action="member.course_participant_remove",
        obj=participant.course,
        before={
            "participant": participant.pk,
            "member": participant.member_id,
            "full_name": participant.name,
            "result": participant.result,
        },
    )
    participant.delete()


@service
def course_result_record(
    *,
    actor,
    participant,
    result: str,
    completed_on: dt.date | None = None,
    certificate_number: str = "",
):
    """Record whether a participant completed the course, with the date and the certificate
    number (unique on the course); "not completed" clears both."""
    from apps.members.choices import CourseResult
    from apps.members.models import CourseParticipant

    participant = (
        CourseParticipant.objects.select_for_update(of=("self",))
        .select_related("course", "member")
        .get(pk=participant.pk)
    )
    if result not in CourseResult.values:
        raise ValidationError({"result": _("Choose completed or not completed.")})
    certificate_number = "".join((certificate_number or "").split())[:50] or None
    if result == CourseResult.COMPLETED:
        course = participant.course
        if completed_on is None or completed_on > timezone.localdate():
            raise ValidationError(
                {"completed_on": _("Give the completion date, not later than today.")}
            )
        if completed_on < course.started_on:
            raise ValidationError(
                {
                    "completed_on": _(
                        "The course started on %(date)s: completion cannot precede it."
                    )
                    % {"date": course.started_on.strftime("%d/%m/%Y")}
                }
            )
        if (
            certificate_number
            and course.participants.filter(certificate_number=certificate_number)
            .exclude(pk=participant.pk)
            .exists()
        ):
            raise ValidationError(
                {"certificate_number": _("This certificate number is already used on the course.")}
            )
    else:
        completed_on, certificate_number = None, None
    before = snapshot(participant, RESULT_FIELDS)
    participant.result = result
    participant.completed_on = completed_on
    participant.certificate_number = certificate_number
    participant.save(update_fields=RESULT_FIELDS)
    record_event(
        actor=actor,
        action="member.course_result_record",
        obj=participant.course,
        before={"participant": participant.pk, **before},
        after={"participant": participant.pk, **snapshot(participant, RESULT_FIELDS)},
    )
    return participant


# Organisation management and the organisations' classification steps: one registry, two modules.
from apps.members.services_orgs import (  # noqa: E402
    org_classification_appraise,
    org_classification_decide,
    org_classification_self_assess,
    org_update,
)

__all__ += [
    "org_classification_appraise",
    "org_classification_decide",
    "org_classification_self_assess",
    "org_update",
]
