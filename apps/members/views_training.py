"""Pages of training courses (bồi dưỡng): those organised in a subtree, a course with its
participants (members or non-members), adding and removing them, recording results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import access_course, access_party_org, can_edit_members
from apps.core.history import history_url
from apps.core.views_helpers import form_page, paginate, run_service
from apps.members import selectors, services
from apps.members.choices import CourseKind
from apps.members.forms_inspections import (
    CourseForm,
    MemberParticipantForm,
    PersonParticipantForm,
    ResultForm,
)
from apps.members.views import _crumbs
from apps.members.views_inspections import _year


@login_required
def org_training(request, pk: int):
    """Training courses organised in the subtree."""
    from django.db.models import Count, Q

    org = access_party_org(request.user, pk)
    rows = (
        selectors.courses_under(org)
        .select_related("organizer")
        .annotate(
            people=Count("participants"),
            done=Count("participants", filter=Q(participants__result="completed")),
        )
    )
    kind = request.GET.get("kind", "")
    if kind in CourseKind.values:
        rows = rows.filter(kind=kind)
    year = _year(request)
    if year:
        rows = rows.filter(started_on__year=year)
    title = _("Training courses")
    return render(
        request,
        "members/courses.html",
        {
            "org": org,
            "page": paginate(request, rows.order_by("-started_on", "-id")),
            "kinds": CourseKind.choices,
            "kind": kind,
            "year": year or "",
            "can_edit": can_edit_members(request.user, org.path),
            "title": title,
            "breadcrumbs": _crumbs(org, (title, None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request, pk: int):
    """A course organised by this organisation."""
    org = access_party_org(request.user, pk, action="edit")
    title = _("New training course of %(org)s") % {"org": org.name}
    back = reverse("members:org_training", args=[org.pk])
    return form_page(
        request,
        CourseForm(request.POST or None),
        save=lambda data: services.course_create(actor=request.user, organizer=org, **data),
        message=_("The course was created; add its participants."),
        title=title,
        cancel_url=back,
        breadcrumbs=_crumbs(org, (_("Training courses"), back), (title, None)),
    )


def _course_crumbs(course, *tail):
    return _crumbs(
        course.organizer,
        (_("Training courses"), reverse("members:org_training", args=[course.organizer_id])),
        *tail,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    course = access_course(request.user, pk, action="edit")
    initial = {n: getattr(course, n) for n in ["kind", "name", "started_on", "ended_on", "place"]}
    title = _("Edit: %(course)s") % {"course": course.name}
    return form_page(
        request,
        CourseForm(request.POST or None, initial=initial),
        save=lambda data: services.course_update(actor=request.user, course=course, **data),
        message=_("The course was saved."),
        title=title,
        cancel_url=course.get_absolute_url(),
        breadcrumbs=_course_crumbs(course, (course.name, course.get_absolute_url()), (title, None)),
    )


def _detail(request, course, *, member_form=None, person_form=None, result_form=None, status=200):
    """The course page; a refused form comes back bound, keeping what was typed."""
    can_edit = can_edit_members(request.user, course.organizer.path)
    participants = course.participants.select_related("member__organization").order_by(
        "member__sort_key", "full_name", "id"
    )
    rows = []
    for p in participants:
        if result_form is not None and result_form[0] == p.pk:
            form = result_form[1]
        else:
            form = ResultForm(
                initial={
                    "result": p.result or "completed",
                    "completed_on": p.completed_on or course.ended_on,
                    "certificate_number": p.certificate_number or "",
                },
                prefix=f"p{p.pk}",
            )
        rows.append((p, form if can_edit else None))
    return render(
        request,
        "members/course_detail.html",
        {
            "course": course,
            "rows": rows,
            "completed": sum(1 for p, _f in rows if p.result == "completed"),
            "can_edit": can_edit,
            "takes_members": course.kind != CourseKind.AWARENESS,
            "takes_persons": course.kind != CourseKind.NEW_MEMBER,
            "member_form": member_form or MemberParticipantForm(prefix="m"),
            "person_form": person_form or PersonParticipantForm(prefix="n"),
            "history_url": history_url(course),
            "breadcrumbs": _course_crumbs(course, (course.name, None)),
        },
        status=status,
    )


@login_required
def course_detail(request, pk: int):
    return _detail(request, access_course(request.user, pk))


@login_required
@require_POST
def course_add_member(request, pk: int):
    """Put a member of the organiser's subtree on the course, found by citizen ID or card number."""
    course = access_course(request.user, pk, action="edit")
    form = MemberParticipantForm(request.POST, prefix="m")
    if form.is_valid():
        member = selectors.member_by_reference(course.organizer, form.cleaned_data["reference"])
        if member is None:
            form.add_error(
                "reference",
                _("No member of %(org)s has this citizen ID or party card number.")
                % {"org": course.organizer.name},
            )
        elif run_service(
            form,
            lambda: services.course_participant_add(
                actor=request.user, course=course, member=member
            ),
        ):
            messages.success(request, _("%(name)s was added.") % {"name": member.full_name})
            return redirect(course)
    return _detail(request, course, member_form=form)


@login_required
@require_POST
def course_add_person(request, pk: int):
    """Put a non-member on the course (refused if they are already a party member)."""
    course = access_course(request.user, pk, action="edit")
    form = PersonParticipantForm(request.POST, prefix="n")
    if form.is_valid() and run_service(
        form,
        lambda: services.course_participant_add(
            actor=request.user, course=course, **form.cleaned_data
        ),
    ):
        messages.success(
            request, _("%(name)s was added.") % {"name": form.cleaned_data["full_name"]}
        )
        return redirect(course)
    return _detail(request, course, person_form=form)


@login_required
@require_POST
def course_participant_result(request, pk: int, participant_pk: int):
    course = access_course(request.user, pk, action="edit")
    participant = get_object_or_404(course.participants, pk=participant_pk)
    form = ResultForm(request.POST, prefix=f"p{participant.pk}")
    if form.is_valid() and run_service(
        form,
        lambda: services.course_result_record(
            actor=request.user, participant=participant, **form.cleaned_data
        ),
    ):
        messages.success(
            request, _("The result of %(name)s was saved.") % {"name": participant.name}
        )
        return redirect(course)
    return _detail(request, course, result_form=(participant.pk, form))


@login_required
@require_POST
def course_participant_remove(request, pk: int, participant_pk: int):
    course = access_course(request.user, pk, action="edit")
    participant = get_object_or_404(course.participants, pk=participant_pk)
    try:
        services.course_participant_remove(actor=request.user, participant=participant)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("%(name)s was taken off the course.") % {"name": participant.name}
        )
    return redirect(course)
