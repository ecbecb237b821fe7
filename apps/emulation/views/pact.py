"""Pact pages: thin views that ask the permission layer, then call one selector or service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_content_group,
    access_criterion,
    access_pact,
    access_term_pacts,
    can_run_pact,
    can_sign_pact,
)
from apps.core.history import history_url
from apps.core.views_helpers import form_page
from apps.emulation import selectors, services
from apps.emulation.choices import DEFAULT_TIE_BREAK, PactState, TieBreakKey
from apps.emulation.forms import (
    ContentGroupForm,
    CriterionForm,
    PactAmendForm,
    PactCopyForm,
    PactForm,
)
from apps.emulation.models import ContentGroup, Criterion


def _term_crumbs(term, *tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        *tail,
    ]


def _pact_crumbs(pact, *tail):
    return _term_crumbs(
        pact.term,
        (_("Pacts"), reverse("emulation:term_pacts", args=[pact.term_id])),
        (_("Version %(version)s") % {"version": pact.version}, pact.get_absolute_url()),
        *tail,
    )


@login_required
def term_pacts(request, term_pk: int):
    term = access_term_pacts(request.user, term_pk)
    context = {
        "term": term,
        "pacts": selectors.term_pacts(term=term),
        "in_force": selectors.pact_in_force(term=term),
        "to_copy": selectors.pact_to_copy(term=term),
        "can_create": can_run_pact(request.user, term),
        "breadcrumbs": _term_crumbs(term, (_("Pacts"), None)),
    }
    return render(request, "emulation/term_pacts.html", context)


@login_required
def pact_detail(request, pk: int):
    pact = selectors.pact_detail(pk=access_pact(request.user, pk).pk)
    term = pact.term
    runs = can_run_pact(request.user, term)
    status = selectors.pact_signature_status(pact=pact)
    own_signed = any(s.unit_id == request.user.unit_id for s in status.signed)
    context = {
        "pact": pact,
        "groups": list(pact.groups.all()),
        "totals": selectors.pact_totals(pact=pact),
        "signatures": status,
        "member_count": len(status.signed) + len(status.missing),
        "in_force": selectors.pact_in_force(term=term),
        "amendments": list(pact.amendments.all()),
        "can_edit": runs and pact.state == PactState.DRAFT,
        "can_open": runs and pact.state == PactState.DRAFT,
        "can_close": runs and pact.state == PactState.SIGNED,
        "can_amend": runs and pact.state == PactState.SIGNED and not pact.amendments.exists(),
        "can_sign": (
            pact.state == PactState.OPEN_FOR_SIGNING
            and can_sign_pact(request.user, term)
            and not own_signed
        ),
        "tie_break_labels": [
            TieBreakKey(k).label for k in pact.tie_break if k in TieBreakKey.values
        ],
        "history_url": history_url(pact),
        "breadcrumbs": _term_crumbs(
            term,
            (_("Pacts"), reverse("emulation:term_pacts", args=[term.pk])),
            (_("Version %(version)s") % {"version": pact.version}, None),
        ),
    }
    return render(request, "emulation/pact_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pact_create(request, term_pk: int):
    term = access_term_pacts(request.user, term_pk, action="create")
    initial = {
        "title": _("Emulation pact of %(cluster)s in %(year)s")
        % {"cluster": term.cluster.name, "year": term.year},
        "tie_break": DEFAULT_TIE_BREAK,
    }
    return form_page(
        request,
        PactForm(request.POST or None, initial=initial),
        save=lambda data: services.pact_create(actor=request.user, term=term, **data),
        message=_("The draft pact was created."),
        title=_("New pact for %(year)s") % {"year": term.year},
        cancel_url=reverse("emulation:term_pacts", args=[term.pk]),
        breadcrumbs=_term_crumbs(term, (_("New pact"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pact_copy(request, term_pk: int):
    term = access_term_pacts(request.user, term_pk, action="create")
    source = selectors.pact_to_copy(term=term)
    return form_page(
        request,
        PactCopyForm(request.POST or None),
        save=lambda data: services.pact_copy_from_previous(actor=request.user, term=term, **data),
        message=_("Last year's pact was copied as a draft."),
        title=_("Copy %(pact)s into %(year)s") % {"pact": source or "—", "year": term.year},
        cancel_url=reverse("emulation:term_pacts", args=[term.pk]),
        breadcrumbs=_term_crumbs(term, (_("Copy last year's pact"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pact_edit(request, pk: int):
    pact = access_pact(request.user, pk, action="edit")
    initial = {"title": pact.title, "description": pact.description, "tie_break": pact.tie_break}
    return form_page(
        request,
        PactForm(request.POST or None, initial=initial),
        save=lambda data: services.pact_update(actor=request.user, pact=pact, **data),
        message=_("Changes saved."),
        title=_("Edit %(pact)s") % {"pact": pact},
        cancel_url=pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(pact, (_("Edit"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pact_amend(request, pk: int):
    pact = access_pact(request.user, pk, action="transition")
    return form_page(
        request,
        PactAmendForm(request.POST or None),
        save=lambda data: services.pact_amend(actor=request.user, pact=pact, **data),
        message=_("A new draft version was created; the signed one stays in force until then."),
        title=_("Amend %(pact)s") % {"pact": pact},
        cancel_url=pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(pact, (_("Amend"), None)),
    )


def _transition(request, pact, call, message):
    try:
        call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(pact)


@login_required
@require_POST
def pact_open(request, pk: int):
    pact = access_pact(request.user, pk, action="transition")
    return _transition(
        request,
        pact,
        lambda: services.pact_open_for_signing(actor=request.user, pact=pact),
        _("The pact is open for signing."),
    )


@login_required
@require_POST
def pact_sign(request, pk: int):
    pact = access_pact(request.user, pk, action="sign")
    return _transition(
        request,
        pact,
        lambda: services.pact_sign(actor=request.user, pact=pact, unit=request.user.unit),
        _("%(unit)s signed the pact.") % {"unit": request.user.unit},
    )


@login_required
@require_POST
def pact_close(request, pk: int):
    pact = access_pact(request.user, pk, action="transition")
    return _transition(
        request,
        pact,
        lambda: services.pact_close(actor=request.user, pact=pact),
        _("The pact was closed."),
    )


# --- groups and criteria (draft only) ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request, pk: int):
    pact = access_pact(request.user, pk, action="edit")

    def save(data):
        services.content_group_add(actor=request.user, pact=pact, **data)
        return pact

    return form_page(
        request,
        ContentGroupForm(request.POST or None, initial={"position": pact.groups.count() + 1}),
        save=save,
        message=_("The content group was added."),
        title=_("New content group"),
        cancel_url=pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(pact, (_("New content group"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    group = access_content_group(request.user, pk)
    pact = group.pact

    def save(data):
        services.content_group_update(actor=request.user, group=group, **data)
        return pact

    return form_page(
        request,
        ContentGroupForm(request.POST or None, instance=ContentGroup.objects.get(pk=group.pk)),
        save=save,
        message=_("Changes saved."),
        title=_("Edit %(group)s") % {"group": group},
        cancel_url=pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(pact, (_("Edit"), None)),
    )


@login_required
@require_POST
def group_delete(request, pk: int):
    group = access_content_group(request.user, pk)
    return _transition(
        request,
        group.pact,
        lambda: services.content_group_delete(actor=request.user, group=group),
        _("The content group was deleted."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request, pk: int):
    group = access_content_group(request.user, pk)

    def save(data):
        services.criterion_add(actor=request.user, group=group, **data)
        return group.pact

    return form_page(
        request,
        CriterionForm(request.POST or None, initial={"position": group.criteria.count() + 1}),
        save=save,
        message=_("The criterion was added."),
        title=_("New criterion in %(group)s") % {"group": group},
        cancel_url=group.pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(group.pact, (_("New criterion"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    criterion = access_criterion(request.user, pk)
    pact = criterion.group.pact

    def save(data):
        services.criterion_update(actor=request.user, criterion=criterion, **data)
        return pact

    return form_page(
        request,
        CriterionForm(request.POST or None, instance=Criterion.objects.get(pk=criterion.pk)),
        save=save,
        message=_("Changes saved."),
        title=_("Edit criterion"),
        cancel_url=pact.get_absolute_url(),
        breadcrumbs=_pact_crumbs(pact, (_("Edit criterion"), None)),
    )


@login_required
@require_POST
def criterion_delete(request, pk: int):
    criterion = access_criterion(request.user, pk)
    return _transition(
        request,
        criterion.group.pact,
        lambda: services.criterion_delete(actor=request.user, criterion=criterion),
        _("The criterion was deleted."),
    )
