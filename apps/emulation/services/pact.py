"""Every write to pacts. Each function is an audited ``@service``; the state machine is
``apps.emulation.choices.PACT_TRANSITIONS`` and each transition has its own service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service, snapshot
from apps.emulation.choices import (
    DEFAULT_TIE_BREAK,
    PACT_TRANSITIONS,
    CriterionKind,
    PactState,
    ScoringMethod,
    TieBreakKey,
)
from apps.emulation.models import ContentGroup, Criterion, Pact, PactSignature
from apps.emulation.selectors import pact_to_copy, term_member_units
from apps.organizations.models import ClusterTerm, Unit

PACT_FIELDS = ("title", "description", "tie_break")
GROUP_FIELDS = ("position", "code", "title")
CRITERION_FIELDS = (
    "position",
    "title",
    "guidance",
    "max_points",
    "evidence_required",
    "scoring_method",
    "kind",
)


def _state_label(state: str) -> str:
    return str(PactState(state).label)


def _move(pact: Pact, target: str) -> None:
    """Refuse a transition the table does not have, naming both states."""
    if (pact.state, target) not in PACT_TRANSITIONS:
        raise ValidationError(
            _("A pact in state %(current)s cannot move to %(target)s.")
            % {"current": _state_label(pact.state), "target": _state_label(target)}
        )


def _require_draft(pact: Pact) -> None:
    if pact.state != PactState.DRAFT:
        raise ValidationError(
            _("Only a draft pact can be changed; this one is %(state)s.")
            % {"state": _state_label(pact.state)}
        )


def _locked(pact: Pact) -> Pact:
    return Pact.objects.select_for_update().select_related("term").get(pk=pact.pk)


def _clean_tie_break(tie_break) -> list[str]:
    keys = list(tie_break or [])
    unknown = [k for k in keys if k not in TieBreakKey.values]
    if unknown or len(set(keys)) != len(keys):
        raise ValidationError(
            {"tie_break": _("Unknown or repeated tie-break keys: %(keys)s") % {"keys": keys}}
        )
    return keys


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _copy_content(source: Pact, target: Pact) -> int:
    """Deep-copy groups and criteria from ``source`` into ``target``; returns the criteria count."""
    count = 0
    for group in source.groups.prefetch_related("criteria").order_by("position", "id"):
        new_group = ContentGroup.objects.create(
            pact=target, position=group.position, code=group.code, title=group.title
        )
        Criterion.objects.bulk_create(
            [
                Criterion(group=new_group, **{f: getattr(c, f) for f in CRITERION_FIELDS})
                for c in group.criteria.order_by("position", "id")
            ]
        )
        count += group.criteria.count()
    return count


# --- pacts ---------------------------------------------------------------------------------------


@service
def pact_create(
    *,
    actor,
    term: ClusterTerm,
    title: str,
    description: str = "",
    tie_break: list[str] | None = None,
) -> Pact:
    """Start a term's pact as a draft (version 1). A term has one pact; later versions are
    amendments."""
    if term.pacts.exists():
        raise ValidationError(_("This term already has a pact; amend the signed version instead."))
    pact = Pact(
        term=term,
        version=1,
        title=title.strip(),
        description=description,
        tie_break=_clean_tie_break(DEFAULT_TIE_BREAK if tie_break is None else tie_break),
    )
    pact.full_clean()
    pact.save()
    record_event(actor=actor, action="pact.create", obj=pact, after=snapshot(pact, PACT_FIELDS))
    return pact


@service
def pact_copy_from_previous(*, actor, term: ClusterTerm, title: str = "") -> Pact:
    """A draft for ``term`` copied from the same cluster's previous year (the version in force,
    else its latest). Groups and criteria are copied; signatures are not — this year's members
    sign again, so merged units need no mapping."""
    source = pact_to_copy(term=term)
    if source is None:
        raise ValidationError(_("The cluster has no pact from an earlier year to copy."))
    if term.pacts.exists():
        raise ValidationError(_("This term already has a pact; amend the signed version instead."))
    pact = Pact(
        term=term,
        version=1,
        title=title.strip() or source.title.replace(str(source.term.year), str(term.year)),
        description=source.description,
        tie_break=list(source.tie_break),
    )
    pact.full_clean()
    pact.save()
    copied = _copy_content(source, pact)
    record_event(
        actor=actor,
        action="pact.copy_from_previous",
        obj=pact,
        after={**snapshot(pact, PACT_FIELDS), "copied_from": source, "criteria": copied},
    )
    return pact


@service
def pact_update(*, actor, pact: Pact, **changes) -> Pact:
    """Change a draft pact's title, description or tie-break order."""
    unknown = set(changes) - set(PACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    pact = _locked(pact)
    _require_draft(pact)
    if "tie_break" in changes:
        changes["tie_break"] = _clean_tie_break(changes["tie_break"])
    before = snapshot(pact, changes.keys())
    for name, value in changes.items():
        setattr(pact, name, value.strip() if name == "title" else value)
    after = snapshot(pact, changes.keys())
    if before == after:
        no_change()
        return pact
    pact.full_clean()
    pact.save(update_fields=[*changes.keys(), "updated_at"])
    record_event(actor=actor, action="pact.update", obj=pact, before=before, after=after)
    return pact


def _import_time(actor, at: dt.datetime | None) -> dt.datetime:
    """Now, or a time from paper records: only an import (no signed-in actor) may backdate."""
    if at is None:
        return timezone.now()
    if getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Only records imported from paper may carry their own time."))
    return at


@service
def pact_open_for_signing(*, actor, pact: Pact, at: dt.datetime | None = None) -> Pact:
    """Draft → open for signing. ``at`` is for pacts imported from paper records only."""
    pact = _locked(pact)
    _move(pact, PactState.OPEN_FOR_SIGNING)
    if not Criterion.objects.filter(group__pact=pact, kind=CriterionKind.CRITERION).exists():
        raise ValidationError(_("A pact needs at least one criterion before it can be signed."))
    pact.state = PactState.OPEN_FOR_SIGNING
    pact.opened_at = _import_time(actor, at)
    pact.save(update_fields=["state", "opened_at", "updated_at"])
    record_event(
        actor=actor,
        action="pact.open_for_signing",
        obj=pact,
        before={"state": PactState.DRAFT},
        after={"state": pact.state},
    )
    return pact


@service
def pact_sign(
    *, actor, pact: Pact, unit: Unit, signed_at: dt.datetime | None = None
) -> PactSignature:
    """``unit`` signs ``pact``; the last member's signature locks it (state signed).

    When the pact is an amendment, the version it replaces is closed at that moment.
    ``actor`` is the unit's leader; ``None`` records a signature imported from paper records,
    which alone may give ``signed_at`` (the day it was signed on paper).
    """
    pact = _locked(pact)
    if pact.state != PactState.OPEN_FOR_SIGNING:
        raise ValidationError(
            _("A pact in state %(current)s cannot be signed.")
            % {"current": _state_label(pact.state)}
        )
    members = term_member_units(term=pact.term)
    if unit.pk not in {u.pk for u in members}:
        raise ValidationError(
            _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": pact.term}
        )
    if pact.signatures.filter(unit=unit).exists():
        raise ValidationError(_("%(unit)s has already signed this pact.") % {"unit": unit})
    signed_by = actor if getattr(actor, "is_authenticated", False) else None
    signature = PactSignature.objects.create(
        pact=pact, unit=unit, signed_by=signed_by, signed_at=_import_time(actor, signed_at)
    )
    record_event(
        actor=actor,
        action="pact.sign",
        obj=pact,
        after={"unit": unit, "signed_by": signed_by, "signed_at": signature.signed_at},
    )
    if pact.signatures.count() == len(members):
        _lock_signed(actor, pact)
    return signature


def _lock_signed(actor, pact: Pact) -> None:
    _move(pact, PactState.SIGNED)
    pact.state = PactState.SIGNED
    # The last signature's time: "now", or the paper date of an imported pact.
    pact.signed_at = max(pact.signatures.values_list("signed_at", flat=True))
    pact.save(update_fields=["state", "signed_at", "updated_at"])
    record_event(
        actor=actor,
        action="pact.signed_by_all",
        obj=pact,
        before={"state": PactState.OPEN_FOR_SIGNING},
        after={"state": pact.state, "signed_at": pact.signed_at},
    )
    old = pact.supersedes
    if old is not None and old.state == PactState.SIGNED:
        old = _locked(old)
        old.state = PactState.CLOSED
        old.closed_at = pact.signed_at
        old.save(update_fields=["state", "closed_at", "updated_at"])
        record_event(
            actor=actor,
            action="pact.superseded",
            obj=old,
            before={"state": PactState.SIGNED},
            after={"state": old.state, "superseded_by": pact},
        )


@service
def pact_close(*, actor, pact: Pact) -> Pact:
    pact = _locked(pact)
    _move(pact, PactState.CLOSED)
    pact.state = PactState.CLOSED
    pact.closed_at = timezone.now()
    pact.save(update_fields=["state", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        action="pact.close",
        obj=pact,
        before={"state": PactState.SIGNED},
        after={"state": pact.state},
    )
    return pact


@service
def pact_amend(*, actor, pact: Pact, reason: str) -> Pact:
    """A new draft version of a signed pact, copied in full, with the reason for the change.

    The signed version stays in force until every member has signed the amendment.
    """
    pact = _locked(pact)
    if pact.state != PactState.SIGNED:
        raise ValidationError(
            _("A pact in state %(current)s cannot be amended; only a signed pact can.")
            % {"current": _state_label(pact.state)}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("State the reason for the amendment.")})
    pending = pact.term.pacts.filter(version__gt=pact.version).first()
    if pending is not None:
        raise ValidationError(
            _("Version %(version)s of this pact is already being prepared.")
            % {"version": pending.version}
        )
    amendment = Pact(
        term=pact.term,
        version=pact.version + 1,
        title=pact.title,
        description=pact.description,
        tie_break=list(pact.tie_break),
        supersedes=pact,
        amendment_reason=reason.strip(),
    )
    amendment.full_clean()
    amendment.save()
    _copy_content(pact, amendment)
    record_event(
        actor=actor,
        action="pact.amend",
        obj=amendment,
        after={"supersedes": pact, "version": amendment.version, "reason": reason.strip()},
    )
    return amendment


# --- content groups ------------------------------------------------------------------------------


@service
def content_group_add(
    *, actor, pact: Pact, code: str, title: str, position: int | None = None
) -> ContentGroup:
    pact = _locked(pact)
    _require_draft(pact)
    group = ContentGroup(
        pact=pact,
        code=code.strip(),
        title=title.strip(),
        position=position or _next_position(pact.groups.all()),
    )
    group.full_clean()
    group.save()
    record_event(
        actor=actor, action="pact.group_add", obj=pact, after=snapshot(group, GROUP_FIELDS)
    )
    return group


@service
def content_group_update(*, actor, group: ContentGroup, **changes) -> ContentGroup:
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    _require_draft(_locked(group.pact))
    group = ContentGroup.objects.get(pk=group.pk)
    before = snapshot(group, changes.keys())
    for name, value in changes.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    after = snapshot(group, changes.keys())
    if before == after:
        no_change()
        return group
    group.full_clean()
    group.save(update_fields=list(changes.keys()))
    record_event(
        actor=actor,
        action="pact.group_update",
        obj=group.pact,
        before={"group": group.pk, **before},
        after={"group": group.pk, **after},
    )
    return group


@service
def content_group_delete(*, actor, group: ContentGroup) -> Pact:
    pact = _locked(group.pact)
    _require_draft(pact)
    before = {
        **snapshot(group, GROUP_FIELDS),
        "criteria": [snapshot(c, CRITERION_FIELDS) for c in group.criteria.all()],
    }
    group.delete()
    record_event(actor=actor, action="pact.group_delete", obj=pact, before=before)
    return pact


# --- criteria ------------------------------------------------------------------------------------


@service
def criterion_add(
    *,
    actor,
    group: ContentGroup,
    title: str,
    max_points: Decimal,
    kind: str = CriterionKind.CRITERION,
    scoring_method: str = ScoringMethod.PEERS,
    guidance: str = "",
    evidence_required: str = "",
    position: int | None = None,
) -> Criterion:
    _require_draft(_locked(group.pact))
    criterion = Criterion(
        group=group,
        title=title.strip(),
        max_points=max_points,
        kind=kind,
        scoring_method=scoring_method,
        guidance=guidance,
        evidence_required=evidence_required,
        position=position or _next_position(group.criteria.all()),
    )
    criterion.full_clean()
    criterion.save()
    record_event(
        actor=actor,
        action="pact.criterion_add",
        obj=group.pact,
        after={"group": group.code, **snapshot(criterion, CRITERION_FIELDS)},
    )
    return criterion


@service
def criterion_update(*, actor, criterion: Criterion, **changes) -> Criterion:
    unknown = set(changes) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    criterion = Criterion.objects.select_related("group__pact").get(pk=criterion.pk)
    _require_draft(_locked(criterion.group.pact))
    before = snapshot(criterion, changes.keys())
    for name, value in changes.items():
        setattr(criterion, name, value.strip() if name == "title" else value)
    criterion.full_clean()
    after = snapshot(criterion, changes.keys())
    if before == after:
        no_change()
        return criterion
    criterion.save(update_fields=list(changes.keys()))
    record_event(
        actor=actor,
        action="pact.criterion_update",
        obj=criterion.group.pact,
        before={"criterion": criterion.pk, **before},
        after={"criterion": criterion.pk, **after},
    )
    return criterion


@service
def criterion_delete(*, actor, criterion: Criterion) -> Pact:
    criterion = Criterion.objects.select_related("group__pact").get(pk=criterion.pk)
    pact = _locked(criterion.group.pact)
    _require_draft(pact)
    before = {"group": criterion.group.code, **snapshot(criterion, CRITERION_FIELDS)}
    criterion.delete()
    record_event(actor=actor, action="pact.criterion_delete", obj=pact, before=before)
    return pact
