"""Pages of the party-member database: the organisation tree, the members under a node (citizen
IDs masked), a member's record (the full citizen ID on request, audited), adding a member."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
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
from apps.core.views_helpers import form_page, paginate
from apps.members import selectors, services
from apps.members.choices import CELL_KINDS, MemberStatus, Sex
from apps.members.forms import (
    DayForm,
    ImportForm,
    MemberEditForm,
    MemberForm,
    MergeForm,
    StatusForm,
)
from apps.members.imports import members_workbook, template_workbook
from apps.members.models import MemberImport, PartyOrganization
from apps.members.org_imports import org_template_workbook


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


def _query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


def member_page(request, org, *, total: int | None = None):
    """The page of ``org``'s members the list shows for ``?q=`` and ``?page=``: (page, query,
    capped). ``total``: the subtree's member count when the caller has it (the unsearched
    list's pager then counts nothing)."""
    query = _query(request)
    members = selectors.members_under(org).select_related("organization")
    if not query:
        return paginate(request, members, count=total), query, False
    found = selectors.search_members(members, query)
    page = paginate(request, found.ids)
    page.object_list = selectors.members_in_order(members, list(page.object_list))
    return page, query, found.capped


@login_required
def org_export(request, pk: int):
    """The members of the subtree (filtered as on the page) as an Excel workbook."""
    org = access_party_org(request.user, pk)
    members = selectors.name_matches(selectors.members_under(org), _query(request))
    members = members.select_related("organization").order_by("sort_key", "id")
    response = HttpResponse(members_workbook(members), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dang-vien-{org.code}.xlsx"'
    return response


@login_required
def org_detail(request, pk: int):
    org = access_party_org(request.user, pk)
    counts = selectors.member_counts_by_child(org)
    total = sum(counts.values())
    page, query, capped = member_page(request, org, total=total)
    crumbs = _crumbs(org)
    crumbs[-1] = (org.name, None)
    return render(
        request,
        "members/org_detail.html",
        {
            "org": org,
            "children": [(c, counts.get(c.path, 0)) for c in org.children.all()],
            "page": page,
            "q": query,
            "capped": capped,
            "cap": selectors.SEARCH_CAP,
            "total": total,
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
            "status_changes": member.status_changes.select_related("recorded_by"),
            "merges": member.merges.select_related("merged_by"),
            "inspections": selectors.inspections_of_member(member),
            "can_edit": can_edit_members(request.user, member.org_path),
            "history_url": history_url(member),
            "breadcrumbs": _crumbs(member.organization, (member.full_name, None)),
        },
    )


@login_required
def member_detail(request, pk: int):
    return _detail(request, access_member(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    """Correct a record; a record saved by someone else since the form opened is refused."""
    member = access_member(request.user, pk, action="edit")
    initial = {
        name: getattr(member, name) for name in MemberEditForm.base_fields if name != "version"
    }
    initial["version"] = member.updated_at.isoformat()
    form = MemberEditForm(request.POST or None, initial=initial)
    title = _("Edit the record of %(name)s") % {"name": member.full_name}

    def save(data):
        data = dict(data)
        version = dt.datetime.fromisoformat(data.pop("version"))
        return services.member_update(
            actor=request.user, member=member, expected_updated_at=version, **data
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("The record was saved."),
        title=title,
        cancel_url=member.get_absolute_url(),
        breadcrumbs=_crumbs(
            member.organization, (member.full_name, member.get_absolute_url()), (title, None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_status(request, pk: int):
    """Change the status from a date; the dated history is kept."""
    member = access_member(request.user, pk, action="edit")
    title = _("Change the status of %(name)s") % {"name": member.full_name}
    return form_page(
        request,
        StatusForm(request.POST or None, initial={"on": timezone.localdate()}),
        save=lambda data: services.member_status_change(actor=request.user, member=member, **data),
        message=_("The status was changed."),
        title=title,
        cancel_url=member.get_absolute_url(),
        breadcrumbs=_crumbs(
            member.organization, (member.full_name, member.get_absolute_url()), (title, None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_merge(request, pk: int, other: int):
    """Merge record ``other`` into record ``pk`` (both must be in the user's editable scope)."""
    keep = access_member(request.user, pk, action="edit")
    remove = access_member(request.user, other, action="edit")
    title = _("Merge two records of %(name)s") % {"name": keep.full_name}
    return form_page(
        request,
        MergeForm(request.POST or None),
        save=lambda data: services.member_merge(
            actor=request.user, keep=keep, remove=remove, reason=data["reason"]
        ),
        message=_("The records were merged; the history of both is kept."),
        template="members/merge.html",
        title=title,
        keep=keep,
        remove=remove,
        cancel_url=keep.get_absolute_url(),
        breadcrumbs=_crumbs(
            keep.organization, (keep.full_name, keep.get_absolute_url()), (title, None)
        ),
    )


@login_required
def org_duplicates(request, pk: int):
    """Records in the subtree that are likely the same person (same name and date of birth)."""
    org = access_party_org(request.user, pk)
    title = _("Possible duplicate records")
    return render(
        request,
        "members/duplicates.html",
        {
            "org": org,
            "title": title,
            "groups": selectors.duplicates_under(org),
            "can_edit": can_edit_members(request.user, org.path),
            "breadcrumbs": _crumbs(org, (title, None)),
        },
    )


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
            "inspections": selectors.inspection_counts(org, year=on.year),
            "training": selectors.training_counts(org, year=on.year),
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
            record = services.member_import_upload(
                actor=request.user,
                upload=upload,
                scope_paths=scope,
                original_name=upload.name,
                kind=form.cleaned_data["kind"] or "members",
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
        else:
            return redirect("members:import_detail", pk=record.pk)
    title = _("Import from Excel")
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
    if request.GET.get("kind") == "orgs":
        content, name = org_template_workbook(), "mau-nhap-to-chuc-dang.xlsx"
    else:
        content, name = template_workbook(), "mau-nhap-dang-vien.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _own_import(user, pk: int) -> MemberImport:
    _import_scope(user)
    record = get_object_or_404(MemberImport, pk=pk)
    if record.uploaded_by_id != user.pk and not can_manage_sector(user):
        raise PermissionDenied(_("This import belongs to another user."))
    return record


@login_required
def import_detail(request, pk: int):
    """The import's progress while it runs (htmx polls the partial), then its result."""
    record = _own_import(request.user, pk)
    if request.htmx:
        return render(request, "members/_partials/import_status.html", {"record": record})
    title = _("Import: %(name)s") % {"name": record.original_name}
    return render(
        request,
        "members/import_detail.html",
        {
            "record": record,
            "title": title,
            "breadcrumbs": _crumbs(
                None, (_("Import from Excel"), reverse("members:import")), (title, None)
            ),
        },
    )


def _import_step(request, pk: int, action, done: str = ""):
    record = _own_import(request.user, pk)
    try:
        action(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, done)
    return redirect("members:import_detail", pk=record.pk)


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Import a checked file: its lines are copied into the member table by a task."""
    return _import_step(request, pk, services.member_import_confirm)


@login_required
@require_POST
def import_cancel(request, pk: int):
    """Stop an import that has not been copied yet; no member is added."""
    return _import_step(
        request,
        pk,
        services.member_import_cancel,
        _("The import was cancelled; no member was added."),
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
