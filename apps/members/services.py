"""Every write to the organisation tree and the member records; each an audited ``@service``."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event, service, snapshot
from apps.core.text import fold
from apps.members.cccd import check_cccd
from apps.members.choices import (
    ALLOWED_PARENTS,
    CELL_KINDS,
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
    person_sort_key,
    years_after,
)

__all__ = [
    "DuplicateMember",
    "badge_award",
    "classification_record",
    "member_cccd_view",
    "member_create",
    "member_import",
    "member_transfer",
    "org_create",
    "org_move",
    "org_succession_add",
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
def member_import(*, actor, upload, scope_paths: list[str] | None, original_name: str = ""):
    """Check a member workbook and, when every line is valid, add all its members in this one
    transaction (nothing is written otherwise). Returns the ``MemberImport`` record either way;
    a file with errors is kept as checked so the page can list every bad line."""
    from django.core.files.base import ContentFile

    from apps.members.imports import check_workbook
    from apps.members.models import MemberImport

    content = upload.read()
    checked = check_workbook(io.BytesIO(content), scope_paths=scope_paths, keep=True)
    record = MemberImport(
        original_name=(original_name or getattr(upload, "name", "") or "tep.xlsx")[:255],
        uploaded_by=actor,
        rows=checked.rows,
        errors=checked.errors[:1000],
        state=MemberImport.State.CHECKED_OK if checked.ok else MemberImport.State.CHECKED_BAD,
    )
    record.file.save("import.xlsx", ContentFile(content), save=False)
    record.save()
    if checked.ok:
        members = []
        for data in checked.members:
            data = dict(data)
            data.pop("org_code", None)
            member = Member(
                **data,
                status=MemberStatus.FULL
                if data.get("full_member_on")
                else MemberStatus.PROBATIONARY,
            )
            member.cccd = member.cccd or None
            member.card_number = member.card_number or None
            member.search_name = fold(member.full_name)
            member.sort_key = person_sort_key(member.full_name)[:600]
            member.org_path = member.organization.path
            members.append(member)
        Member.objects.bulk_create(members, batch_size=2_000)
        record.imported = len(members)
        record.state = MemberImport.State.IMPORTED
        record.save(update_fields=["imported", "state", "updated_at"])
    record_event(
        actor=actor,
        action="member.import",
        obj=record,
        after={"rows": checked.rows, "errors": len(checked.errors), "imported": record.imported},
    )
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
