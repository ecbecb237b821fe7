"""Every write to the good-practice registry. Each function is an audited ``@service``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import no_change, record_event, service, snapshot
from apps.core.formats import vn_date
from apps.emulation.evidence import check_evidence_file, save_checked_file
from apps.organizations.models import Unit
from apps.practices.choices import TRANSITIONS, PracticeStatus, WorkField
from apps.practices.models import GoodPractice, PracticeAdoption, PracticeAttachment

FIELDS = ("unit", "year", "field", "title", "description", "results")
EDITABLE = ("year", "field", "title", "description", "results")
MAX_TITLE = 300
MAX_TEXT = 5000


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(practice: GoodPractice) -> GoodPractice:
    return GoodPractice.objects.select_for_update().select_related("unit").get(pk=practice.pk)


def _clean(practice: GoodPractice) -> None:
    errors: dict[str, str] = {}
    practice.title = " ".join((practice.title or "").split())
    practice.description = (practice.description or "").strip()
    practice.results = (practice.results or "").strip()
    if not practice.title:
        errors["title"] = _("Give the practice a title.")
    elif len(practice.title) > MAX_TITLE:
        errors["title"] = _("At most %(n)s characters, please.") % {"n": MAX_TITLE}
    if not practice.description:
        errors["description"] = _("Describe the practice: what is done, by whom, how.")
    for name in ("description", "results"):
        if len(getattr(practice, name)) > MAX_TEXT:
            errors[name] = _("At most %(n)s characters, please.") % {"n": MAX_TEXT}
    if practice.field not in WorkField.values:
        errors["field"] = _("Choose the field of work.")
    this_year = timezone.localdate().year
    if not isinstance(practice.year, int) or not 2000 <= practice.year <= this_year:
        errors["year"] = _("Give a year from 2000 to %(year)s.") % {"year": this_year}
    if errors:
        raise ValidationError(errors)


def _require(practice: GoodPractice, action: str) -> str:
    allowed, new = TRANSITIONS[action]
    if practice.status not in allowed:
        raise ValidationError(
            _("The practice is “%(state)s”; this can only be done while it is %(allowed)s.")
            % {
                "state": PracticeStatus(practice.status).label,
                "allowed": _(" or ").join(f"“{PracticeStatus(s).label}”" for s in allowed),
            }
        )
    return new


@service
def practice_create(
    *,
    actor,
    unit: Unit,
    year: int,
    field: str,
    title: str,
    description: str,
    results: str = "",
) -> GoodPractice:
    """A unit's practice, proposed for recognition."""
    practice = GoodPractice(
        unit=unit,
        year=year,
        field=field,
        title=title,
        description=description,
        results=results,
        created_by=_user(actor),
    )
    _clean(practice)
    practice.save()
    record_event(
        actor=actor, action="practice.create", obj=practice, after=snapshot(practice, FIELDS)
    )
    return practice


@service
def practice_update(*, actor, practice: GoodPractice, **changes) -> GoodPractice:
    """Change a proposed practice (recognised ones are kept as they were recognised)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    practice = _locked(practice)
    if practice.status != PracticeStatus.PROPOSED:
        raise ValidationError(
            _("A recognised practice is not edited; add its later results as an attachment.")
        )
    before = snapshot(practice, FIELDS)
    for name, value in changes.items():
        setattr(practice, name, value)
    _clean(practice)
    after = snapshot(practice, FIELDS)
    if after == before:
        no_change()
        return practice
    practice.save(update_fields=[*changes, "updated_at"])
    record_event(actor=actor, action="practice.update", obj=practice, before=before, after=after)
    return practice


@service
def practice_recognise(
    *, actor, practice: GoodPractice, recognised_on: dt.date, recognised_by: str
) -> GoodPractice:
    """Proposed → recognised, with the date and the recognising body (and its document)."""
    practice = _locked(practice)
    new = _require(practice, "recognise")
    recognised_by = " ".join((recognised_by or "").split())
    if not recognised_by:
        raise ValidationError({"recognised_by": _("Name the body that recognised it.")})
    if recognised_on is None or recognised_on > timezone.localdate():
        raise ValidationError({"recognised_on": _("Give a date that is not in the future.")})
    if recognised_on.year < practice.year:
        raise ValidationError(
            {
                "recognised_on": _("A practice of %(year)s is recognised in %(year)s or later.")
                % {"year": practice.year}
            }
        )
    old = practice.status
    practice.status, practice.recognised_on, practice.recognised_by = (
        new,
        recognised_on,
        recognised_by,
    )
    practice.save(update_fields=["status", "recognised_on", "recognised_by", "updated_at"])
    record_event(
        actor=actor,
        action="practice.recognise",
        obj=practice,
        before={"status": old},
        after={"status": new, "recognised_on": recognised_on, "recognised_by": recognised_by},
    )
    return practice


@service
def practice_adopt(
    *, actor, practice: GoodPractice, unit: Unit, adopted_on: dt.date, note: str = ""
) -> PracticeAdoption:
    """Record that ``unit`` took the practice up; the practice becomes replicated."""
    practice = _locked(practice)
    new = _require(practice, "adopt")
    if unit.pk == practice.unit_id:
        raise ValidationError({"unit": _("A unit does not adopt its own practice.")})
    if adopted_on is None or adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("Give a date that is not in the future.")})
    if adopted_on < practice.recognised_on:
        raise ValidationError(
            {
                "adopted_on": _("It was recognised on %(date)s; adoption comes after.")
                % {"date": vn_date(practice.recognised_on)}
            }
        )
    try:
        with transaction.atomic():
            adoption = PracticeAdoption.objects.create(
                practice=practice,
                unit=unit,
                adopted_on=adopted_on,
                note=" ".join((note or "").split())[:500],
                recorded_by=_user(actor),
            )
    except IntegrityError:
        raise ValidationError(
            {"unit": _("%(unit)s has already adopted this practice.") % {"unit": unit.short_name}}
        ) from None
    old = practice.status
    if old != new:
        practice.status = new
        practice.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action="practice.adopt",
        obj=practice,
        before={"status": old},
        after={"status": new, "unit": unit.short_name, "adopted_on": adopted_on},
    )
    return adoption


@service
def practice_attachment_add(*, actor, practice: GoodPractice, upload) -> PracticeAttachment:
    """Attach a document or photo, checked by content like evidence files."""
    practice = _locked(practice)
    checked = check_evidence_file(upload)
    attachment = PracticeAttachment(
        practice=practice,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(actor),
    )
    save_checked_file(
        attachment,
        checked,
        lambda: record_event(
            actor=actor,
            action="practice.attachment_add",
            obj=practice,
            after={
                "attachment": attachment.pk,
                "name": checked.name,
                "type": checked.kind.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        ),
    )
    return attachment
