"""The whole country's member statistics: one row per province-level root and the total, on a
day, as a page and as an Excel workbook. Central staff and viewers only; a unit's staff get 403
(their own subtrees have the per-organisation statistics page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import can_view_country_statistics
from apps.members.choices import MemberStatus
from apps.members.exports_country import country_workbook
from apps.members.forms import DayForm
from apps.members.selectors_orgs import STATUSES, country_statistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _statistics(request):
    if not can_view_country_statistics(request.user):
        raise PermissionDenied(_("The whole country's statistics are for central staff."))
    form = DayForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    return form, country_statistics(on=on)


@login_required
def country(request):
    form, stats = _statistics(request)
    title = _("Party members in the whole country")
    return render(
        request,
        "members/country_statistics.html",
        {
            "form": form,
            "stats": stats,
            "statuses": [(s, MemberStatus(s).label) for s in STATUSES],
            "title": title,
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                (_("Party members"), reverse("members:org_list")),
                (title, None),
            ],
        },
    )


@login_required
def country_export(request):
    _form, stats = _statistics(request)
    response = HttpResponse(country_workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-dang-vien-{stats.on:%Y-%m-%d}.xlsx"'
    )
    return response
