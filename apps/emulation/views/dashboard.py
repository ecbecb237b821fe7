"""The cluster year's dashboard (one page for the secretariat, a to-do list for members)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.permissions import access_term
from apps.emulation.selectors.dashboard import year_dashboard
from apps.emulation.views.pact import _term_crumbs

__all__ = ["term_year"]


@login_required
def term_year(request, term_pk: int):
    term = access_term(request.user, term_pk)
    context = {
        "board": year_dashboard(user=request.user, term=term),
        "term": term,
        "breadcrumbs": _term_crumbs(term, (_("The year at a glance"), None)),
    }
    return render(request, "emulation/dashboard/term_year.html", context)
