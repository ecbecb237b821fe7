from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from apps.core.models import AuditEvent


@login_required
def home(request):
    return render(request, "core/home.html", {})


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
    return render(request, "core/history.html", {"object": obj, "page": page})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


__all__ = ["Http404", "PermissionDenied"]
