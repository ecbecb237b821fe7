import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.core.models import AuditEvent
from apps.organizations.selectors import terms_for_unit_year

# The sector's year turns at midnight in Vietnam, whatever the server's clock says.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def current_year(now: dt.datetime | None = None) -> int:
    """The year in Vietnam at ``now`` (default: this instant)."""
    return (now or timezone.now()).astimezone(VIETNAM).year


@login_required
def home(request):
    """The user's own corner: their unit and role, and their unit's cluster term(s) this year."""
    unit = request.user.unit
    year = current_year()
    terms = []
    if unit is not None:
        for term in terms_for_unit_year(unit=unit, year=year):
            membership = next((m for m in term.memberships.all() if m.unit_id == unit.pk), None)
            terms.append({"term": term, "membership": membership})
    todo = []
    if terms:
        from apps.emulation.selectors.dashboard import term_todo  # the year's steps live there

        todo = [item for t in terms for item in term_todo(user=request.user, term=t["term"])]
    context = {
        "todo": todo,
        "unit": unit,
        "year": year,
        "terms": terms,
        "today": timezone.localdate(timezone=VIETNAM),
    }
    return render(request, "core/home.html", context)


@login_required
def object_history(request, content_type_id: int, object_id: str):
    """The "Lịch sử" page of any object: its audit events, newest first.

    Only objects that expose a history through an ``access_*`` check are reachable; the object's
    own page links here.
    """
    from apps.core.history import access_history_object

    content_type = get_object_or_404(ContentType, pk=content_type_id)
    obj = access_history_object(request.user, content_type, object_id)
    events = AuditEvent.objects.filter(
        content_type=content_type, object_id=str(object_id)
    ).select_related("actor")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    object_url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    context = {
        "object": obj,
        "object_type": capfirst(obj._meta.verbose_name),
        "object_url": object_url,
        "page": page,
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (str(obj), object_url),
            (_("History"), None),
        ],
    }
    return render(request, "core/history.html", context)


# --- error pages (wired as handler400/403/404/500 in thidua/urls.py) -----------------------------


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the failure may be in the database, a context processor or the session,
    # and the page must still render (as Django's own default 500 view does).
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())


__all__ = ["Http404", "PermissionDenied"]
