"""Pages of the award catalog: titles and forms with the prize money on a chosen decision date,
the history of the numbers, and (central officers) adding a new version of a number."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import can_manage_sector, require_signed_in
from apps.awards import selectors, services
from apps.awards.forms import BaseSalaryForm, CoefficientForm, OnDateForm
from apps.awards.models import AwardType, BaseSalary, PrizeCoefficient
from apps.core.views_helpers import form_page

__all__ = ["base_salary_create", "catalog", "coefficient_create"]


def _crumbs(*tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Award catalog"), reverse("awards:catalog")),
        *tail,
    ]


def _require_manager(user):
    if not can_manage_sector(user):
        raise PermissionDenied(_("Only a central officer may change the award catalog."))


@login_required
def catalog(request):
    form = OnDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    context = {
        "form": form,
        "on": on,
        "rows": selectors.award_catalog(on=on),
        "salaries": BaseSalary.objects.order_by("-valid_from"),
        "coefficients": PrizeCoefficient.objects.select_related("award_type").order_by(
            "award_type__position", "-valid_from"
        ),
        "can_manage": can_manage_sector(request.user),
        "breadcrumbs": _crumbs()[:-1] + [(_("Award catalog"), None)],
    }
    return render(request, "awards/catalog.html", context)


class _Done:
    """A redirect target for form_page: back to the catalog."""

    def get_absolute_url(self):
        return reverse("awards:catalog")


@login_required
@require_http_methods(["GET", "POST"])
def base_salary_create(request):
    require_signed_in(request.user)
    _require_manager(request.user)

    def save(data):
        services.base_salary_add(actor=request.user, **data)
        return _Done()

    return form_page(
        request,
        BaseSalaryForm(request.POST or None),
        save=save,
        message=_("The new base salary was recorded; the previous one ends the day before."),
        title=_("New base salary"),
        cancel_url=reverse("awards:catalog"),
        breadcrumbs=_crumbs((_("New base salary"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def coefficient_create(request, pk: int):
    require_signed_in(request.user)
    award_type = get_object_or_404(AwardType, pk=pk)
    _require_manager(request.user)

    def save(data):
        services.prize_coefficient_add(actor=request.user, award_type=award_type, **data)
        return _Done()

    title = _("New prize coefficient: %(award)s") % {"award": award_type.name}
    return form_page(
        request,
        CoefficientForm(request.POST or None),
        save=save,
        message=_("The new coefficient was recorded; the previous one ends the day before."),
        title=title,
        cancel_url=reverse("awards:catalog"),
        breadcrumbs=_crumbs((title, None)),
    )
