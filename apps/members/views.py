"""Pages of the party-member database: the organisation tree, the members under a node (citizen
IDs masked), a member's record (the full citizen ID on request, audited), adding a member."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    access_member,
    access_party_org,
    can_edit_members,
    can_manage_sector,
    can_view_full_cccd,
    member_root_paths,
)
from apps.core.history import history_url
from apps.core.text import fold
from apps.core.views_helpers import form_page, paginate
from apps.members import selectors, services
from apps.members.choices import CELL_KINDS, MemberStatus, Sex
from apps.members.forms import DayForm, ImportForm, MemberForm
from apps.members.imports import members_workbook, template_workbook
from apps.members.models import MemberImport, PartyOrganization


def _crumbs(org=None, *tail):
    crumbs = [(_("Home"), reverse("core:home")), (_("Party members"), reverse("members:org_list"))]
    if org is not None:
        ancestors = PartyOrganization.objects.filter(
            pk__in=[int(step[:-1] or "0", 36) for step in _steps(org.path)]
        ).order_by("depth")
        crumbs += [(a.name, a.get_absolute_url()) for a in ancestors]
    return crumbs + list(tail)


def _steps(path: str) -> list[str]:
    return [path[i : i + 7] for i in range(0, len(path), 7)]


def _with_counts(orgs):
    return [(o, selectors.members_under(o).count()) for o in orgs]


@login_required
def org_list(request):
    roots = member_root_paths(request.user)
    orgs = PartyOrganization.objects.select_related("managed_by")
    orgs = orgs.filter(depth=0) if roots is None else orgs.filter(path__in=roots)
    return render(
        request,
        "members/org_list.html",
        {
            "rows": _with_counts(orgs),
            "can_import": can_manage_sector(request.user) or bool(roots),
            "can_see_country": roots is None,
            "breadcrumbs": _crumbs()[:-1] + [(_("Party members"), None)],
        },
    )


def _filtered_members(request, org):
    query = " ".join(request.GET.get("q", "").split())[:100]
    members = selectors.members_under(org).select_related("organization")
    if query:
        members = members.filter(search_name__contains=fold(query))
    return members, query


@login_required
def org_export(request, pk: int):
    """The members of the subtree (filtered as on the page) as an Excel workbook."""
    org = access_party_org(request.user, pk)
    members, _query = _filtered_members(request, org)
    response = HttpResponse(members_workbook(members.order_by("sort_key", "id")), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dang-vien-{org.code}.xlsx"'
    return response


@login_required
def org_detail(request, pk: int):
    org = access_party_org(request.user, pk)
    members, query = _filtered_members(request, org)
    crumbs = _crumbs(org)
    crumbs[-1] = (org.name, None)
    return render(
        request,
        "members/org_detail.html",
        {
            "org": org,
            "children": _with_counts(org.children.all()),
            "page": paginate(request, members),
            "q": query,
            "total": selectors.members_under(org).count(),
            "can_edit": can_edit_members(request.user, org.path) and org.kind in CELL_KINDS,
            "can_manage": can_edit_members(request.user, org.path),
            "breadcrumbs": crumbs,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, pk: int):
    org = access_party_org(request.user, pk, action="edit")
    title = _("New member of %(org)s") % {"org": org.name}
    return form_page(
        request,
        MemberForm(request.POST or None),
        save=lambda data: services.member_create(actor=request.user, organization=org, **data),
        message=_("The member was added."),
        title=title,
        cancel_url=org.get_absolute_url(),
        breadcrumbs=_crumbs(org, (title, None)),
    )


def _detail(request, member, *, full_cccd: str | None = None):
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "full_cccd": full_cccd,
            "can_see_cccd": can_view_full_cccd(request.user, member.org_path),
            "transfers": member.transfers.select_related("from_org", "to_org"),
            "history_url": history_url(member),
            "breadcrumbs": _crumbs(member.organization, (member.full_name, None)),
        },
    )


@login_required
def member_detail(request, pk: int):
    return _detail(request, access_member(request.user, pk))


@login_required
@require_POST
def member_cccd(request, pk: int):
    """Show the full citizen ID once; the view is recorded in the audit trail."""
    member = access_member(request.user, pk, action="cccd")
    return _detail(
        request, member, full_cccd=services.member_cccd_view(actor=request.user, member=member)
    )


@login_required
def org_statistics(request, pk: int):
    """The numbers the year-end reports quote, for a subtree on a day."""
    org = access_party_org(request.user, pk)
    form = DayForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    stats = selectors.member_statistics(org, on=on)
    labels = {
        **dict(MemberStatus.choices),
        **dict(Sex.choices),
    }
    crumbs = _crumbs(org, (_("Statistics"), None))
    return render(
        request,
        "members/statistics.html",
        {
            "org": org,
            "form": form,
            "stats": stats,
            "status_rows": [(labels[k], v, stats.share(v)) for k, v in stats.by_status.items()],
            "sex_rows": [(labels[k], v, stats.share(v)) for k, v in stats.by_sex.items()],
            "age_rows": [(k, v, stats.share(v)) for k, v in stats.by_age],
            "ethnicity_rows": [(k, v, stats.share(v)) for k, v in stats.by_ethnicity],
            "breadcrumbs": crumbs,
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_scope(user):
    """The subtrees ``user`` may import into: None (anywhere) for central officers; the unit's
    kept subtrees for its staff; refused otherwise."""
    if can_manage_sector(user):
        return None
    roots = member_root_paths(user)
    if user.role not in {Role.UNIT_LEADER, Role.UNIT_OFFICER} or not roots:
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    return roots


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request):
    scope = _import_scope(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.member_import(
                actor=request.user, upload=upload, scope_paths=scope, original_name=upload.name
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
        else:
            return redirect("members:import_detail", pk=record.pk)
    title = _("Import members from Excel")
    return render(
        request,
        "members/import.html",
        {
            "form": form,
            "title": title,
            "recent": MemberImport.objects.filter(uploaded_by=request.user)[:10],
            "breadcrumbs": _crumbs(None, (title, None)),
        },
    )


@login_required
def import_template(request):
    _import_scope(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


@login_required
def import_detail(request, pk: int):
    _import_scope(request.user)
    record = get_object_or_404(MemberImport, pk=pk)
    if record.uploaded_by_id != request.user.pk and not can_manage_sector(request.user):
        raise PermissionDenied(_("This import belongs to another user."))
    title = _("Import: %(name)s") % {"name": record.original_name}
    return render(
        request,
        "members/import_detail.html",
        {
            "record": record,
            "title": title,
            "breadcrumbs": _crumbs(
                None, (_("Import members from Excel"), reverse("members:import")), (title, None)
            ),
        },
    )


@login_required
def org_badges(request, pk: int):
    """Members of the subtree due a party badge in an award round (the next one by default), with
    the award form for the keeping unit's staff (``views_orgs``)."""
    from apps.members.views_orgs import badges_page

    return badges_page(request, access_party_org(request.user, pk))


@login_required
def org_classification(request, pk: int):
    """The year's classification of the subtree: the members' levels against the target and each
    cell's quota of "xuất sắc", the organisations' steps and roll-up, and the entry forms
    (``views_classification``)."""
    from apps.members.views_classification import classification_page, page_year

    return classification_page(request, access_party_org(request.user, pk), page_year(request))
