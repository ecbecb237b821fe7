"""The award history of a unit (with the units it succeeded) or of a person, and entering a
record from paper (central officers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import can_manage_sector, require_sector_manager, require_signed_in
from apps.awards import selectors, services
from apps.awards.forms import AwardRecordForm
from apps.core.views_helpers import form_page
from apps.organizations.models import Unit
from apps.organizations.selectors import unit_lineage

__all__ = ["award_history", "award_record_create"]


def _crumbs(*tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Award history"), reverse("awards:history")),
        *tail,
    ]


@login_required
def award_history(request):
    require_signed_in(request.user)
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = Unit.objects.filter(pk=int(unit_id)).first()
    name = " ".join(request.GET.get("name", "").split())[:200]
    birth = parse_date(request.GET.get("birth", "") or "") if request.GET.get("birth") else None
    records = None
    lineage = []
    if unit is not None:
        records = selectors.unit_award_history(unit=unit)
        lineage = unit_lineage(unit=unit)
    elif name:
        records = selectors.person_award_history(name=name, birth_date=birth)
    context = {
        "units": Unit.objects.all(),
        "unit": unit,
        "name": name,
        "birth": request.GET.get("birth", ""),
        "records": records,
        "lineage": lineage,
        "can_manage": can_manage_sector(request.user),
        "breadcrumbs": _crumbs()[:-1] + [(_("Award history"), None)],
    }
    return render(request, "awards/history.html", context)


class _Back:
    def __init__(self, record):
        self.record = record

    def get_absolute_url(self):
        if self.record.unit_id:
            return reverse("awards:history") + f"?unit={self.record.unit_id}"
        return reverse("awards:history") + "?" + f"name={self.record.person_name}"


@login_required
@require_http_methods(["GET", "POST"])
def award_record_create(request):
    require_sector_manager(request.user)
    return form_page(
        request,
        AwardRecordForm(request.POST or None),
        save=lambda data: _Back(services.award_record_add(actor=request.user, **data)),
        message=_("The award was added to the history."),
        title=_("Add an award from paper"),
        cancel_url=reverse("awards:history"),
        breadcrumbs=_crumbs((_("Add an award from paper"), None)),
    )
