"""Thin views: parse, ask the permission layer, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import (
    access_cluster,
    access_term,
    access_unit,
    can_edit_term_notes,
    can_edit_unit_contact,
    can_manage_sector,
    is_secretariat,
    require_sector_manager,
)
from apps.core.history import history_url
from apps.core.views_helpers import form_page, paginate, render_page
from apps.organizations import selectors, services
from apps.organizations.filters import ClusterFilter, ProvinceFilter, UnitFilter
from apps.organizations.forms import (
    ClusterForm,
    TermForm,
    TermNotesForm,
    TermOpenNextForm,
    UnitContactForm,
    UnitForm,
    UnitMergeForm,
)
from apps.organizations.models import Unit


def _crumbs(*items):
    return [(_("Home"), reverse("core:home")), *items]


def _current_year() -> int:
    return timezone.localdate().year


# --- provinces -----------------------------------------------------------------------------------


@login_required
def province_list(request):
    filterset = ProvinceFilter(request.GET, queryset=selectors.province_list())
    page = paginate(request, filterset.qs, per_page=50)
    context = {
        "filter": filterset,
        "page": page,
        "breadcrumbs": _crumbs((_("Provinces"), None)),
    }
    return render_page(
        request,
        "organizations/province_list.html",
        context,
        partial="organizations/_partials/province_table.html",
    )


# --- units ---------------------------------------------------------------------------------------


@login_required
def unit_list(request):
    filterset = UnitFilter(request.GET, queryset=selectors.unit_list(user=request.user))
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "can_create": can_manage_sector(request.user),
        "breadcrumbs": _crumbs((_("Units"), None)),
    }
    return render_page(
        request,
        "organizations/unit_list.html",
        context,
        partial="organizations/_partials/unit_table.html",
    )


@login_required
def unit_detail(request, pk: int):
    unit = access_unit(request.user, pk)
    context = {
        "unit": unit,
        "lineage": selectors.unit_lineage(unit=unit),
        "successor": selectors.unit_successor(unit=unit),
        "memberships": selectors.unit_cluster_history(unit=unit),
        "can_edit": can_manage_sector(request.user),
        "can_edit_contact": can_edit_unit_contact(request.user, unit),
        "history_url": history_url(unit),
        "breadcrumbs": _crumbs(
            (_("Units"), reverse("organizations:unit_list")), (unit.short_name, None)
        ),
    }
    return render(request, "organizations/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    require_sector_manager(request.user)
    return form_page(
        request,
        UnitForm(request.POST or None),
        save=lambda data: services.unit_create(actor=request.user, **data),
        message=lambda unit: _("Unit %(unit)s was created.") % {"unit": unit},
        title=_("New unit"),
        breadcrumbs=_crumbs(
            (_("Units"), reverse("organizations:unit_list")), (_("New unit"), None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    full = can_manage_sector(request.user)
    unit = access_unit(request.user, pk, action="edit" if full else "edit_contact")
    form_class = UnitForm if full else UnitContactForm
    return form_page(
        request,
        form_class(request.POST or None, instance=Unit.objects.get(pk=unit.pk)),
        save=lambda data: services.unit_update(
            actor=request.user, unit=unit, contact_only=not full, **data
        ),
        message=_("Changes saved."),
        title=_("Edit %(unit)s") % {"unit": unit.short_name},
        cancel_url=unit.get_absolute_url(),
        breadcrumbs=_crumbs(
            (_("Units"), reverse("organizations:unit_list")),
            (unit.short_name, unit.get_absolute_url()),
            (_("Edit"), None),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request, pk: int):
    successor = access_unit(request.user, pk, action="edit")

    def save(data):
        services.unit_merge(actor=request.user, successor=successor, **data)
        return successor

    return form_page(
        request,
        UnitMergeForm(request.POST or None, successor=successor),
        save=save,
        message=_("The merger was recorded."),
        title=_("Merge units into %(unit)s") % {"unit": successor.short_name},
        cancel_url=successor.get_absolute_url(),
        breadcrumbs=_crumbs(
            (_("Units"), reverse("organizations:unit_list")),
            (successor.short_name, successor.get_absolute_url()),
            (_("Merge"), None),
        ),
    )


# --- clusters ------------------------------------------------------------------------------------


@login_required
def cluster_list(request):
    filterset = ClusterFilter(request.GET, queryset=selectors.cluster_list())
    page = paginate(request, filterset.qs)
    year = _current_year()
    rows = []
    for cluster in page:
        terms = list(cluster.terms.all())
        current = next((t for t in terms if t.year == year), terms[0] if terms else None)
        rows.append((cluster, current))
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "can_create": can_manage_sector(request.user),
        "breadcrumbs": _crumbs((_("Clusters"), None)),
    }
    return render_page(
        request,
        "organizations/cluster_list.html",
        context,
        partial="organizations/_partials/cluster_table.html",
    )


@login_required
def cluster_detail(request, pk: int):
    cluster = access_cluster(request.user, pk)
    terms = selectors.cluster_terms(cluster=cluster)
    context = {
        "cluster": cluster,
        "terms": terms,
        "current_year": _current_year(),
        "can_edit": can_manage_sector(request.user),
        "history_url": history_url(cluster),
        "breadcrumbs": _crumbs(
            (_("Clusters"), reverse("organizations:cluster_list")), (cluster.name, None)
        ),
    }
    return render(request, "organizations/cluster_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create(request):
    require_sector_manager(request.user)
    return form_page(
        request,
        ClusterForm(request.POST or None),
        save=lambda data: services.cluster_create(actor=request.user, **data),
        message=lambda cluster: _("Cluster %(cluster)s was created.") % {"cluster": cluster},
        title=_("New cluster"),
        breadcrumbs=_crumbs(
            (_("Clusters"), reverse("organizations:cluster_list")), (_("New cluster"), None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk: int):
    cluster = access_cluster(request.user, pk, action="edit")
    return form_page(
        request,
        ClusterForm(request.POST or None, instance=type(cluster).objects.get(pk=cluster.pk)),
        save=lambda data: services.cluster_update(actor=request.user, cluster=cluster, **data),
        message=_("Changes saved."),
        title=_("Edit %(cluster)s") % {"cluster": cluster.name},
        cancel_url=cluster.get_absolute_url(),
        breadcrumbs=_crumbs(
            (_("Clusters"), reverse("organizations:cluster_list")),
            (cluster.name, cluster.get_absolute_url()),
            (_("Edit"), None),
        ),
    )


# --- terms ---------------------------------------------------------------------------------------


def _term_crumbs(term, *tail):
    return _crumbs(
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        *tail,
    )


def _term_proposals(user, term):
    from apps.accounts.permissions import proposals_visible_to

    return list(proposals_visible_to(user, term.award_proposals.all()))


@login_required
def term_detail(request, pk: int):
    term = access_term(request.user, pk)
    term = selectors.term_detail(pk=term.pk)
    context = {
        "term": term,
        "can_edit": can_manage_sector(request.user),
        "can_edit_notes": can_edit_term_notes(request.user, term),
        "award_proposals": _term_proposals(request.user, term),
        "can_propose": is_secretariat(request.user, term),
        "history_url": history_url(term),
        "breadcrumbs": _term_crumbs(term, (str(term.year), None)),
    }
    return render(request, "organizations/term_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, cluster_pk: int):
    cluster = access_cluster(request.user, cluster_pk, action="edit")
    year = _current_year()
    return form_page(
        request,
        TermForm(request.POST or None, year=year, initial={"year": year}),
        save=lambda data: services.term_create(actor=request.user, cluster=cluster, **data),
        message=lambda term: _("The %(year)s term was created.") % {"year": term.year},
        template="organizations/term_form.html",
        title=_("New term of %(cluster)s") % {"cluster": cluster.name},
        cancel_url=cluster.get_absolute_url(),
        breadcrumbs=_crumbs(
            (_("Clusters"), reverse("organizations:cluster_list")),
            (cluster.name, cluster.get_absolute_url()),
            (_("New term"), None),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int):
    term = selectors.term_detail(pk=access_term(request.user, pk, action="edit").pk)
    initial = {
        "year": term.year,
        "members": term.member_units,
        "leader": term.leader,
        "deputies": term.deputies,
        "host": term.host,
        "review_date": term.review_date,
        "notes": term.notes,
    }

    def save(data):
        data = {k: v for k, v in data.items() if k != "year"}
        return services.term_update(actor=request.user, term=term, **data)

    return form_page(
        request,
        TermForm(request.POST or None, year=term.year, fixed_year=True, initial=initial),
        save=save,
        message=_("Changes saved."),
        template="organizations/term_form.html",
        title=_("Edit term %(year)s") % {"year": term.year},
        cancel_url=term.get_absolute_url(),
        breadcrumbs=_term_crumbs(
            term, (str(term.year), term.get_absolute_url()), (_("Edit"), None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_notes(request, pk: int):
    term = access_term(request.user, pk, action="edit_notes")
    initial = {"host": term.host, "review_date": term.review_date, "notes": term.notes}
    return form_page(
        request,
        TermNotesForm(request.POST or None, term=term, initial=initial),
        save=lambda data: services.term_update_notes(actor=request.user, term=term, **data),
        message=_("Changes saved."),
        title=_("Notes and year-end review of %(year)s") % {"year": term.year},
        cancel_url=term.get_absolute_url(),
        breadcrumbs=_term_crumbs(
            term, (str(term.year), term.get_absolute_url()), (_("Notes"), None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_open_next(request, pk: int):
    term = selectors.term_detail(pk=access_term(request.user, pk, action="open_next").pk)
    members = services.next_year_members(term=term)
    return form_page(
        request,
        TermOpenNextForm(request.POST or None, members=members),
        save=lambda data: services.term_open_next(actor=request.user, term=term, **data),
        message=lambda new_term: _("The %(year)s term was opened.") % {"year": new_term.year},
        template="organizations/term_open_next.html",
        term=term,
        members=members,
        replaced=[u for u in term.member_units if u not in members],
        next_year=term.year + 1,
        title=_("Open the %(year)s term") % {"year": term.year + 1},
        cancel_url=term.get_absolute_url(),
        breadcrumbs=_term_crumbs(
            term, (str(term.year), term.get_absolute_url()), (_("Open next year"), None)
        ),
    )
