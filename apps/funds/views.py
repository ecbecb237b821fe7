"""Pages of the support fund: the ledger of a term, recording contributions and disbursements,
reversing an entry, the handover of a house, receipts and photos, the Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_fund_attachment,
    access_fund_entry,
    access_term_fund,
    can_keep_fund,
)
from apps.core.formats import vn_money
from apps.core.history import history_url
from apps.core.views_helpers import form_page
from apps.funds import selectors, services
from apps.funds.exports import ledger_filename, ledger_workbook
from apps.funds.forms import (
    AttachmentForm,
    ContributionForm,
    DisbursementForm,
    HandoverForm,
    ReverseForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _crumbs(term, *tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        (_("Support fund"), reverse("funds:ledger", args=[term.pk])),
        *tail,
    ]


@login_required
def ledger(request, term_pk: int):
    term = access_term_fund(request.user, term_pk)
    book = selectors.fund_ledger(term=term)
    for line in book.lines:
        line.history_url = history_url(line.entry)
    context = {
        "term": term,
        "ledger": book,
        "can_keep": can_keep_fund(request.user, term),
        "attachment_form": AttachmentForm(),
        "breadcrumbs": _crumbs(term)[:-1] + [(_("Support fund"), None)],
    }
    return render(request, "funds/ledger.html", context)


@login_required
def ledger_export(request, term_pk: int):
    term = access_term_fund(request.user, term_pk)
    response = HttpResponse(ledger_workbook(selectors.fund_ledger(term=term)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{ledger_filename(term)}"'
    return response


def _entry_page(request, term, form, save, message, title):
    return form_page(
        request,
        form,
        save=save,
        message=message,
        title=title,
        cancel_url=reverse("funds:ledger", args=[term.pk]),
        breadcrumbs=_crumbs(term, (title, None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request, term_pk: int):
    term = access_term_fund(request.user, term_pk, action="edit")
    form = ContributionForm(request.POST or None, term=term)
    return _entry_page(
        request,
        term,
        form,
        lambda data: services.fund_contribution_add(actor=request.user, term=term, **data),
        lambda entry: (
            _("Entry #%(n)s: contribution of %(amount)s recorded.")
            % {"n": entry.number, "amount": vn_money(entry.amount)}
        ),
        _("Record a contribution"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_create(request, term_pk: int):
    term = access_term_fund(request.user, term_pk, action="edit")
    form = DisbursementForm(request.POST or None, term=term)
    return _entry_page(
        request,
        term,
        form,
        lambda data: services.fund_disbursement_add(actor=request.user, term=term, **data),
        lambda entry: (
            _("Entry #%(n)s: disbursement of %(amount)s recorded.")
            % {"n": entry.number, "amount": vn_money(entry.amount)}
        ),
        _("Record a disbursement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_reverse(request, pk: int):
    entry = access_fund_entry(request.user, pk, action="edit")
    form = ReverseForm(request.POST or None)
    return _entry_page(
        request,
        entry.term,
        form,
        lambda data: services.fund_entry_reverse(actor=request.user, entry=entry, **data),
        lambda reversal: (
            _("Entry #%(n)s reverses entry #%(old)s.") % {"n": reversal.number, "old": entry.number}
        ),
        _("Reverse entry #%(n)s: %(kind)s, %(unit)s, %(amount)s")
        % {
            "n": entry.number,
            "kind": entry.get_kind_display().lower(),
            "unit": entry.unit.short_name,
            "amount": vn_money(entry.amount),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_handover(request, pk: int):
    entry = access_fund_entry(request.user, pk, action="edit")
    form = HandoverForm(request.POST or None)
    return _entry_page(
        request,
        entry.term,
        form,
        lambda data: services.fund_handover_record(
            actor=request.user,
            entry=entry,
            handed_over_on=data["handed_over_on"],
            note=data["note"],
        ),
        _("The handover of the house was recorded."),
        _("House handed over: entry #%(n)s, %(unit)s")
        % {"n": entry.number, "unit": entry.unit.short_name},
    )


@login_required
@require_POST
def attachment_upload(request, pk: int):
    entry = access_fund_entry(request.user, pk, action="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.fund_attachment_add(
                actor=request.user,
                entry=entry,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("“%(name)s” is attached to entry #%(n)s.")
                % {"name": attachment.original_name, "n": entry.number},
            )
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect(entry)


@login_required
def attachment_download(request, pk: int):
    attachment = access_fund_attachment(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The stored file is missing; tell the system administrator.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
