"""Small helpers every app's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import add_service_errors

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The requested page of ``queryset``; ``count``, when the caller already knows it, spares
    the pager its own COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    return paginator.get_page(request.GET.get("page"))


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


def form_page(
    request,
    form,
    *,
    save,
    message,
    template: str = "form_page.html",
    **context,
):
    """The one flow of every form page.

    GET shows the form. A valid POST calls ``save(cleaned_data)`` — one service call — then flashes
    ``message`` (a string, or a function of the result) and redirects to the result's page. A
    service's ValidationError lands on the form, which keeps what the user typed.
    """
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: save(form.cleaned_data))
        if result is not None:
            messages.success(request, message(result) if callable(message) else message)
            return redirect(result)
    return render(request, template, {"form": form, **context})


def attach_file(request, form, *, add, back):
    """The one flow of an attachment upload: a valid form's file goes to ``add(upload)`` (one
    service call, which checks the file by content); what happened is flashed; back to ``back``."""
    if form.is_valid():
        try:
            attachment = add(form.cleaned_data["file"])
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request, _("“%(name)s” is attached.") % {"name": attachment.original_name}
            )
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect(back)


def stored_file_response(stored) -> FileResponse:
    """Download a ``CheckedFile`` under the name the user gave it."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The stored file is missing; tell the system administrator.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
