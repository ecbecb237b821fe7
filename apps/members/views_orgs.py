"""Organisation management pages (a child organisation, its catalog data, moving a subtree, a
succession) and awarding party badges from the badges-due page. Only the keeping unit's staff
and central officers: ``access_party_org(..., action="edit")``, and the other end of a move or a
succession must be in their keeping too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import access_member, access_party_org, can_edit_members
from apps.core.errors import add_service_errors
from apps.core.views_helpers import form_page
from apps.members import selectors, services
from apps.members.forms import RoundForm
from apps.members.forms_orgs import (
    BadgeAwardForm,
    OrgChildForm,
    OrgEditForm,
    OrgMoveForm,
    OrgSuccessionForm,
)
from apps.members.party_age import next_round


def _crumbs(org, title):
    from apps.members.views import _crumbs as crumbs

    return crumbs(org, (title, None))


def _in_keeping(user, other, field: str) -> None:
    if not can_edit_members(user, other.path):
        raise ValidationError(
            {
                field: _("%(org)s is kept by another unit: choose one your unit keeps.")
                % {"org": other.name}
            }
        )


@login_required
@require_http_methods(["GET", "POST"])
def org_child_create(request, pk: int):
    parent = access_party_org(request.user, pk, action="edit")
    form = OrgChildForm(request.POST or None, parent=parent)
    title = _("New organisation under %(org)s") % {"org": parent.name}
    return form_page(
        request,
        form,
        save=lambda data: services.org_create(actor=request.user, parent=parent, **data),
        message=_("The organisation was added."),
        title=title,
        cancel_url=parent.get_absolute_url(),
        breadcrumbs=_crumbs(parent, title),
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request, pk: int):
    org = access_party_org(request.user, pk, action="edit")
    initial = {"code": org.code, "name": org.name, "valid_from": org.valid_from}
    initial["valid_to"] = org.valid_to
    title = _("Edit %(org)s") % {"org": org.name}
    return form_page(
        request,
        OrgEditForm(request.POST or None, initial=initial),
        save=lambda data: services.org_update(actor=request.user, org=org, **data),
        message=_("The organisation was saved."),
        title=title,
        cancel_url=org.get_absolute_url(),
        breadcrumbs=_crumbs(org, title),
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request, pk: int):
    org = access_party_org(request.user, pk, action="edit")

    def save(data):
        _in_keeping(request.user, data["new_parent"], "new_parent")
        services.org_move(actor=request.user, org=org, new_parent=data["new_parent"])
        return org

    title = _("Move %(org)s") % {"org": org.name}
    return form_page(
        request,
        OrgMoveForm(request.POST or None),
        save=save,
        message=_("The organisation and its subtree were moved."),
        title=title,
        cancel_url=org.get_absolute_url(),
        breadcrumbs=_crumbs(org, title),
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_succession(request, pk: int):
    org = access_party_org(request.user, pk, action="edit")

    def save(data):
        _in_keeping(request.user, data["successor"], "successor")
        services.org_succession_add(
            actor=request.user,
            predecessor=org,
            successor=data["successor"],
            kind=data["kind"],
            effective_date=data["effective_date"],
            legal_basis=data["legal_basis"],
        )
        return org

    title = _("Record a merger, split or renaming of %(org)s") % {"org": org.name}
    return form_page(
        request,
        OrgSuccessionForm(request.POST or None),
        save=save,
        message=_("The succession was recorded."),
        title=title,
        cancel_url=org.get_absolute_url(),
        breadcrumbs=_crumbs(org, title),
    )


# --- badges -------------------------------------------------------------------------------------


def badges_page(request, org, *, round_on=None, early=None, bound=None, status=200):
    """The badges-due page of ``org``'s subtree; ``bound`` is a refused award form shown again on
    its member's row with what was typed."""
    form = RoundForm(request.GET or None)
    if round_on is None:
        round_on = next_round(timezone.localdate())
        if form.is_valid():
            round_on = form.cleaned_data["round_on"] or round_on
            early = form.cleaned_data["early"] or None
    due = selectors.badges_due_under(org, round_on=round_on, early=early)
    can_award = can_edit_members(request.user, org.path)
    rows = []
    for d in due:
        award = None
        if can_award:
            if bound is not None and bound.data.get("member") == str(d.member.pk):
                award = bound
            else:
                award = BadgeAwardForm(
                    initial={
                        "org": org.pk,
                        "years": d.years,
                        "awarded_on": round_on,
                        "early_reason": early or "",
                    },
                    auto_id=f"award-{d.member.pk}-%s",
                )
        rows.append((d, d.party_age_months // 12, d.party_age_months % 12, award))
    title = _("Party badges due")
    return render(
        request,
        "members/badges.html",
        {
            "org": org,
            "form": form,
            "round_on": round_on,
            "rows": rows,
            "can_award": can_award,
            "refused": bound,
            "title": title,
            "breadcrumbs": _crumbs(org, title),
        },
        status=status,
    )


@login_required
@require_POST
def badge_award(request, pk: int):
    """Award the member the badge due (number, round, early reason) through ``badge_award``;
    a refusal shows the badges page again with the reason on the member's row."""
    member = access_member(request.user, pk, action="edit")
    data = request.POST.copy()
    data["member"] = str(member.pk)
    form = BadgeAwardForm(data, auto_id=f"award-{member.pk}-%s")
    org_id = request.POST.get("org", "")
    org = access_party_org(request.user, int(org_id)) if org_id.isdigit() else member.organization
    if not member.org_path.startswith(org.path):
        org = member.organization
    if form.is_valid():
        try:
            badge = services.badge_award(
                actor=request.user,
                member=member,
                years=form.cleaned_data["years"],
                awarded_on=form.cleaned_data["awarded_on"],
                number=form.cleaned_data["number"],
                early_reason=form.cleaned_data["early_reason"] or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: the %(years)s-year badge no. %(number)s is recorded.")
                % {"name": member.full_name, "years": badge.years, "number": badge.number},
            )
            query = f"?round_on={badge.awarded_on:%Y-%m-%d}"
            if badge.early_reason:
                query += f"&early={badge.early_reason}"
            return redirect(reverse("members:org_badges", args=[org.pk]) + query)
    return badges_page(
        request,
        org,
        round_on=form.cleaned_data.get("awarded_on"),
        early=form.cleaned_data.get("early_reason") or None,
        bound=form,
    )
