"""Pages of the good-practice registry: the list with search and counts, a practice with its
adoptions and files, proposing, editing, recognising, adopting."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    access_practice,
    access_practice_attachment,
    access_term,
    can_adopt_practice,
    can_manage_sector,
    can_propose_practice,
)
from apps.core.history import history_url
from apps.core.views_helpers import (
    attach_file,
    form_page,
    paginate,
    render_page,
    stored_file_response,
)
from apps.organizations.models import Unit
from apps.practices import selectors, services
from apps.practices.filters import PracticeFilter
from apps.practices.forms import AdoptForm, AttachmentForm, PracticeForm, RecogniseForm

STAFF = (Role.UNIT_LEADER, Role.UNIT_OFFICER)


def _crumbs(*tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Good practices"), reverse("practices:list")),
        *tail,
    ]


def _own_units(user):
    """The units ``user`` may record practices for."""
    if can_manage_sector(user):
        return Unit.objects.filter(active_to__isnull=True).order_by("sort_key")
    return Unit.objects.filter(pk=user.unit_id)


@login_required
def practice_list(request):
    filterset = PracticeFilter(request.GET, queryset=selectors.practice_list(user=request.user))
    user = request.user
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "can_create": can_manage_sector(user) or (user.role in STAFF and user.unit_id),
        "breadcrumbs": _crumbs()[:-1] + [(_("Good practices"), None)],
    }
    return render_page(
        request,
        "practices/practice_list.html",
        context,
        partial="practices/_partials/practice_table.html",
    )


@login_required
def term_counts(request, term_pk: int):
    term = access_term(request.user, term_pk)
    counts = selectors.term_practice_counts(term=term)
    context = {
        "term": term,
        "counts": counts,
        "total": sum(c.total for c in counts),
        "recognised": sum(c.recognised for c in counts),
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (_("Clusters"), reverse("organizations:cluster_list")),
            (term.cluster.name, term.cluster.get_absolute_url()),
            (str(term.year), term.get_absolute_url()),
            (_("Good practices"), None),
        ],
    }
    return render(request, "practices/term_counts.html", context)


@login_required
def practice_detail(request, pk: int):
    practice = access_practice(request.user, pk)
    user = request.user
    context = {
        "practice": practice,
        "adoptions": practice.adoptions.select_related("unit").order_by("adopted_on", "id"),
        "attachments": practice.attachments.all(),
        "can_edit": can_propose_practice(user, practice.unit),
        "can_recognise": can_manage_sector(user) and practice.status == "proposed",
        "can_adopt": can_adopt_practice(user, practice) and practice.status != "proposed",
        "attachment_form": AttachmentForm(),
        "history_url": history_url(practice),
        "breadcrumbs": _crumbs((practice.title, None)),
    }
    return render(request, "practices/practice_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request):
    user = request.user
    if not (can_manage_sector(user) or (user.role in STAFF and user.unit_id)):
        raise PermissionDenied(_("Only a unit's staff or a central officer may record a practice."))
    units = _own_units(user)
    fixed = not can_manage_sector(user)
    form = PracticeForm(
        request.POST or None,
        units=units,
        fixed_unit=fixed,
        initial={"year": timezone.localdate().year},
    )

    def save(data):
        unit = user.unit if fixed else data.pop("unit")
        return services.practice_create(actor=user, unit=unit, **data)

    return form_page(
        request,
        form,
        save=save,
        message=_("The practice was recorded as proposed."),
        title=_("New good practice"),
        cancel_url=reverse("practices:list"),
        breadcrumbs=_crumbs((_("New good practice"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk: int):
    practice = access_practice(request.user, pk, action="edit")
    initial = {k: getattr(practice, k) for k in services.EDITABLE}
    form = PracticeForm(
        request.POST or None, units=Unit.objects.none(), fixed_unit=True, initial=initial
    )
    return form_page(
        request,
        form,
        save=lambda data: services.practice_update(actor=request.user, practice=practice, **data),
        message=_("The practice was saved."),
        title=_("Edit the practice"),
        cancel_url=practice.get_absolute_url(),
        breadcrumbs=_crumbs((practice.title, practice.get_absolute_url()), (_("Edit"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_recognise(request, pk: int):
    practice = access_practice(request.user, pk, action="recognise")
    return form_page(
        request,
        RecogniseForm(request.POST or None),
        save=lambda data: services.practice_recognise(
            actor=request.user, practice=practice, **data
        ),
        message=_("The practice is recognised."),
        title=_("Recognise “%(title)s”") % {"title": practice.title},
        cancel_url=practice.get_absolute_url(),
        breadcrumbs=_crumbs((practice.title, practice.get_absolute_url()), (_("Recognise"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_adopt(request, pk: int):
    practice = access_practice(request.user, pk, action="adopt")
    user = request.user
    units = _own_units(user).exclude(pk=practice.unit_id)
    form = AdoptForm(request.POST or None, units=units, initial={"unit": user.unit_id})
    return form_page(
        request,
        form,
        save=lambda data: services.practice_adopt(actor=user, practice=practice, **data).practice,
        message=_("The adoption was recorded."),
        title=_("Adopted “%(title)s”") % {"title": practice.title},
        cancel_url=practice.get_absolute_url(),
        breadcrumbs=_crumbs((practice.title, practice.get_absolute_url()), (_("Adopt"), None)),
    )


@login_required
@require_POST
def attachment_upload(request, pk: int):
    practice = access_practice(request.user, pk, action="edit")
    return attach_file(
        request,
        AttachmentForm(request.POST, request.FILES),
        add=lambda upload: services.practice_attachment_add(
            actor=request.user, practice=practice, upload=upload
        ),
        back=practice,
    )


@login_required
def attachment_download(request, pk: int):
    return stored_file_response(access_practice_attachment(request.user, pk))
