"""The classification page of a subtree and its forms: the members' roll-up and each cell's quota,
the organisations' roll-up (grassroots organisations against the target) and their steps
(self-assessment → appraisal → decision), a cell's form to record a member's score, and the
organisation's own step forms. A refused form comes back on the page with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import (
    access_org_classification,
    access_party_org,
    can_edit_members,
)
from apps.core.errors import add_service_errors
from apps.members import selectors, selectors_orgs, services
from apps.members.choices import CELL_KINDS, CLASSIFIED_KINDS, ORG_TRANSITIONS, Level
from apps.members.classification import quota_check
from apps.members.forms_orgs import STEP_FORMS, MemberClassificationForm
from apps.members.models import MemberClassification, OrgClassification


def page_year(request) -> int:
    text = request.GET.get("year", "") or request.POST.get("year", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return timezone.localdate().year - 1


def _may(user, org, step) -> bool:
    try:
        access_org_classification(user, org.pk, step=step)
    except PermissionDenied:
        return False
    return True


def _member_cells(org, year):
    cells = []
    for cell in selectors.orgs_under(org).filter(kind__in=list(CELL_KINDS)).order_by("path"):
        levels = dict(
            MemberClassification.objects.filter(organization=cell, year=year)
            .values_list("level")
            .annotate(n=Count("id"))
        )
        if levels:
            check = quota_check(excellent=levels.get("excellent", 0), good=levels.get("good", 0))
            cells.append((cell, levels, check))
    return cells


def _initial(step: str, year: int, record) -> dict:
    """A step's form starts from what the step before said."""
    initial = {"year": year}
    if record is not None and step == "self_assess":
        initial.update(
            score=record.self_score,
            level=record.self_level,
            disqualified=record.disqualified,
            comment=record.self_comment,
        )
    elif record is not None and step == "appraise":
        initial["level"] = record.self_level
    elif record is not None and step == "decide":
        initial["level"] = record.appraised_level
    return initial


def classification_page(request, org, year: int, *, bound=None, bound_step=None):
    """The whole page; ``bound`` is a refused form (``bound_step``: "member" or a step name)."""
    summary = selectors.classification_summary(org, year=year)
    org_summary = selectors_orgs.org_classification_summary(org, year=year)
    record = OrgClassification.objects.filter(organization=org, year=year).first()
    state = record.state if record else None
    step_forms = []
    if org.kind in CLASSIFIED_KINDS:
        for step, (sources, _target, _who) in ORG_TRANSITIONS.items():
            if state in sources and _may(request.user, org, step):
                form = (
                    bound
                    if bound_step == step
                    else STEP_FORMS[step](
                        initial=_initial(step, year, record), auto_id=f"{step}-%s"
                    )
                )
                step_forms.append((step, form))
        if bound_step in ORG_TRANSITIONS and bound_step not in dict(step_forms):
            step_forms.append((bound_step, bound))  # a refused step shows why, where it was
    member_form = None
    cell_rows = []
    if org.kind in CELL_KINDS:
        if can_edit_members(request.user, org.path):
            member_form = (
                bound
                if bound_step == "member"
                else MemberClassificationForm(initial={"year": year}, cell=org, auto_id="mc-%s")
            )
        cell_rows = list(
            MemberClassification.objects.filter(organization=org, year=year)
            .select_related("member")
            .order_by("member__sort_key", "member_id")
        )
    org_rows, org_total = selectors_orgs.org_classification_rows(org, year=year)
    title = _("Classification %(year)s") % {"year": year}
    from apps.members.views import _crumbs

    return render(
        request,
        "members/classification.html",
        {
            "org": org,
            "year": year,
            "summary": summary,
            "levels": [
                (value, label, summary.by_level.get(value, 0)) for value, label in Level.choices
            ],
            "cells": _member_cells(org, year),
            "org_summary": org_summary,
            "org_levels": [
                (value, label, org_summary.by_level.get(value, 0)) for value, label in Level.choices
            ],
            "record": record,
            "step_forms": step_forms,
            "member_form": member_form,
            "cell_rows": cell_rows,
            "org_rows": org_rows,
            "org_total": org_total,
            "title": title,
            "breadcrumbs": _crumbs(org, (title, None)),
        },
    )


def _back(org, year):
    return redirect(reverse("members:org_classification", args=[org.pk]) + f"?year={year}")


@login_required
@require_POST
def member_classification_record(request, pk: int):
    """A cell records one member's score for the year (``classification_record``: the level from
    the score, the exclusions, the cell's quota of "xuất sắc")."""
    cell = access_party_org(request.user, pk, action="edit")
    if cell.kind not in CELL_KINDS:
        raise PermissionDenied(_("Members are classified in their party cell."))
    form = MemberClassificationForm(request.POST, cell=cell, auto_id="mc-%s")
    year = page_year(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.classification_record(
                actor=request.user,
                member=data["member"],
                year=data["year"],
                score=data["score"],
                disqualified=data["disqualified"],
                approved=data["approved"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: “%(level)s” for %(year)s.")
                % {
                    "name": row.member.full_name,
                    "level": row.get_level_display(),
                    "year": row.year,
                },
            )
            return _back(cell, data["year"])
    return classification_page(request, cell, year, bound=form, bound_step="member")


def _step_view(step: str, call):
    @login_required
    @require_POST
    def view(request, pk: int):
        org = access_org_classification(request.user, pk, step=step)
        form = STEP_FORMS[step](request.POST, auto_id=f"{step}-%s")
        year = page_year(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                record = call(actor=request.user, org=org, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(org)s, %(year)s: %(state)s.")
                    % {"org": org.name, "year": record.year, "state": record.get_state_display()},
                )
                return _back(org, record.year)
        return classification_page(request, org, year, bound=form, bound_step=step)

    view.__name__ = f"org_classification_{step}"
    view.__doc__ = f"The organisation classification step “{step}” (``ORG_TRANSITIONS``)."
    return view


org_self_assess = _step_view("self_assess", services.org_classification_self_assess)
org_appraise = _step_view("appraise", services.org_classification_appraise)
org_decide = _step_view("decide", services.org_classification_decide)
