"""Pages of inspections and supervisions (kiểm tra, giám sát): those of a subtree, recording one
of an organisation or of a member, its conclusion, and the central officers' reopening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_inspection,
    access_member,
    access_party_org,
    can_edit_members,
    can_manage_sector,
)
from apps.core.history import history_url
from apps.core.views_helpers import form_page, paginate
from apps.members import selectors, services
from apps.members.choices import InspectionKind
from apps.members.forms_inspections import ConclusionForm, InspectionForm, ReopenForm
from apps.members.models import PartyOrganization
from apps.members.views import _crumbs, _steps


def _conductors(path: str):
    """The organisation at ``path`` and those above it: who may conduct an inspection there."""
    ids = [int(step[:-1], 36) for step in _steps(path)]
    return PartyOrganization.objects.filter(pk__in=ids).order_by("depth")


def _year(request) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
def org_inspections(request, pk: int):
    """Inspections and supervisions of the subtree (of its organisations and members)."""
    org = access_party_org(request.user, pk)
    rows = selectors.inspections_under(org).select_related(
        "conducted_by", "subject_org", "subject_member"
    )
    kind = request.GET.get("kind", "")
    if kind in InspectionKind.values:
        rows = rows.filter(kind=kind)
    state = request.GET.get("state", "")
    if state in {"open", "concluded"}:
        rows = rows.filter(concluded_on__isnull=state == "open")
    year = _year(request)
    if year:
        rows = rows.filter(started_on__year=year)
    title = _("Inspections and supervisions")
    return render(
        request,
        "members/inspections.html",
        {
            "org": org,
            "page": paginate(request, rows.order_by("-started_on", "-id")),
            "kinds": InspectionKind.choices,
            "kind": kind,
            "state": state,
            "year": year or "",
            "can_edit": can_edit_members(request.user, org.path),
            "title": title,
            "breadcrumbs": _crumbs(org, (title, None)),
        },
    )


def _create(request, *, subject_org=None, subject_member=None, path: str, back: str, crumbs):
    conductors = _conductors(path)
    initial = {"conducted_by": conductors.first(), "basis": "regular"}
    form = InspectionForm(request.POST or None, conductors=conductors, initial=initial)
    subject = subject_org or subject_member
    title = _("New inspection or supervision of %(subject)s") % {"subject": subject}
    return form_page(
        request,
        form,
        save=lambda data: services.inspection_create(
            actor=request.user, subject_org=subject_org, subject_member=subject_member, **data
        ),
        message=_("The inspection was recorded."),
        title=title,
        cancel_url=back,
        breadcrumbs=crumbs + [(title, None)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, pk: int):
    """Record an inspection or supervision of this organisation."""
    org = access_party_org(request.user, pk, action="edit")
    return _create(
        request,
        subject_org=org,
        path=org.path,
        back=reverse("members:org_inspections", args=[org.pk]),
        crumbs=_crumbs(org),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_inspection_create(request, pk: int):
    """Record an inspection or supervision of this member."""
    member = access_member(request.user, pk, action="edit")
    return _create(
        request,
        subject_member=member,
        path=member.org_path,
        back=member.get_absolute_url(),
        crumbs=_crumbs(member.organization, (member.full_name, member.get_absolute_url())),
    )


def _subject_crumbs(inspection, *tail):
    if inspection.subject_org_id:
        return _crumbs(inspection.subject_org, *tail)
    person = inspection.subject_member
    return _crumbs(person.organization, (person.full_name, person.get_absolute_url()), *tail)


@login_required
def inspection_detail(request, pk: int):
    inspection = access_inspection(request.user, pk)
    can_edit = can_edit_members(request.user, inspection.subject_path)
    return render(
        request,
        "members/inspection_detail.html",
        {
            "inspection": inspection,
            "can_edit": can_edit and not inspection.is_concluded,
            "can_reopen": inspection.is_concluded and can_manage_sector(request.user),
            "reopen_form": ReopenForm(),
            "history_url": history_url(inspection),
            "breadcrumbs": _subject_crumbs(inspection, (str(inspection), None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    inspection = access_inspection(request.user, pk, action="edit")
    fields = ["kind", "basis", "conducted_by", "body_name", "topic", "decision_number"]
    initial = {name: getattr(inspection, name) for name in fields}
    initial |= {"started_on": inspection.started_on, "ended_on": inspection.ended_on}
    form = InspectionForm(
        request.POST or None, conductors=_conductors(inspection.subject_path), initial=initial
    )
    title = _("Edit: %(inspection)s") % {"inspection": inspection}
    return form_page(
        request,
        form,
        save=lambda data: services.inspection_update(
            actor=request.user, inspection=inspection, **data
        ),
        message=_("The inspection was saved."),
        title=title,
        cancel_url=inspection.get_absolute_url(),
        breadcrumbs=_subject_crumbs(
            inspection, (str(inspection), inspection.get_absolute_url()), (title, None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_conclude(request, pk: int):
    """Record the conclusion; the inspection is read-only afterwards."""
    inspection = access_inspection(request.user, pk, action="edit")
    title = _("Conclusion: %(inspection)s") % {"inspection": inspection}
    return form_page(
        request,
        ConclusionForm(request.POST or None, initial={"outcome": "no_violation"}),
        save=lambda data: services.inspection_conclude(
            actor=request.user, inspection=inspection, **data
        ),
        message=_("The conclusion was recorded."),
        title=title,
        cancel_url=inspection.get_absolute_url(),
        breadcrumbs=_subject_crumbs(
            inspection, (str(inspection), inspection.get_absolute_url()), (title, None)
        ),
    )


@login_required
@require_POST
def inspection_reopen(request, pk: int):
    """A central officer opens a concluded inspection again, with a reason."""
    inspection = access_inspection(request.user, pk, action="reopen")
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for reopening."))
        services.inspection_reopen(
            actor=request.user, inspection=inspection, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The inspection is open again."))
    return redirect(inspection)


@login_required
@require_POST
def inspection_delete(request, pk: int):
    """Delete an open inspection recorded by mistake."""
    inspection = access_inspection(request.user, pk, action="edit")
    if inspection.subject_org_id:
        back = reverse("members:org_inspections", args=[inspection.subject_org_id])
    else:
        back = inspection.subject_member.get_absolute_url()
    try:
        services.inspection_delete(actor=request.user, inspection=inspection)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(inspection)
    messages.success(request, _("The inspection was deleted."))
    return redirect(back)
