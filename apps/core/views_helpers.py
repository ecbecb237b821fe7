"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.core.errors import add_service_errors

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """The whole page, or only ``partial`` when htmx asks for it (same context, same view)."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def run_service(form, call) -> object | None:
    """Run ``call()``; on a service ValidationError, put its messages on ``form`` and return None."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
