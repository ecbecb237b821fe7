"""Review periods (sơ kết / tổng kết) and movements: thin views that ask the permission layer,
then call one selector or service."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_movement,
    access_review_period,
    access_term_movements,
    access_term_reviews,
    can_edit_movement,
    can_run_reviews,
    movement_launchers,
)
from apps.core.formats import vn_date
from apps.core.history import history_url
from apps.core.views_helpers import form_page, paginate, render_page
from apps.emulation import selectors, services
from apps.emulation.choices import PeriodKind
from apps.emulation.forms_reviews import MovementFilter, MovementForm, ReopenForm, ReviewPeriodForm
from apps.emulation.selectors.reviews import Punctuality

__all__ = [
    "history_access_movement",
    "history_access_review_period",
    "movement_url",
    "period_url",
    "movement_create",
    "movement_delete",
    "movement_detail",
    "movement_edit",
    "review_period_create",
    "review_period_delete",
    "review_period_detail",
    "review_period_edit",
    "review_period_reopen",
    "term_movements",
    "term_reviews",
]


def movement_url(movement) -> str:
    return reverse("emulation:movement_detail", args=[movement.pk])


def period_url(period) -> str:
    return reverse("emulation:review_period_detail", args=[period.pk])


def history_access_movement(user, pk):
    """The history page's check for a movement: the page's own, and a way back to the page."""
    movement = access_movement(user, pk)
    movement.get_absolute_url = lambda: movement_url(movement)
    return movement


def history_access_review_period(user, pk):
    period = access_review_period(user, pk)
    period.get_absolute_url = lambda: period_url(period)
    return period


def _term_crumbs(term, *tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        *tail,
    ]


def _reviews_crumb(term):
    return (_("Review periods"), reverse("emulation:term_reviews", args=[term.pk]))


def _movements_crumb(term):
    return (_("Movements"), reverse("emulation:term_movements", args=[term.pk]))


def _post_and_redirect(request, call, message, target):
    try:
        result = call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(target)
    messages.success(request, message)
    return redirect(result)


# --- review periods ------------------------------------------------------------------------------


def _period_block(period, *, runs: bool, today):
    """What a period's section shows: its state, the per-unit overview with its counts, the
    reopenings and, for the secretariat once the deadline has passed, the reopen form."""
    rows = selectors.submission_overview(period, on=today)
    can_reopen = runs and not period.ranking_published and period.deadline < today
    closed = [r.unit for r in rows if r.punctuality == Punctuality.MISSING]
    initial = {"until": today, "unit": closed[0].pk if closed else None}
    return {
        "period": period,
        "status": selectors.period_status(period, None, today),
        "rows": rows,
        "counts": selectors.overview_counts(rows),
        "reopenings": list(period.reopenings.all()),
        "can_edit": runs,
        "can_reopen": can_reopen,
        "reopen_form": (
            ReopenForm(term=period.term, initial=initial, auto_id=f"id_reopen{period.pk}_%s")
            if can_reopen
            else None
        ),
    }


@login_required
def term_reviews(request, term_pk: int):
    """The term's "Đợt đánh giá" page: every period with dates, state and the per-unit overview."""
    term = access_term_reviews(request.user, term_pk)
    runs = can_run_reviews(request.user, term)
    today = timezone.localdate()
    periods = selectors.term_review_periods(term=term)
    context = {
        "term": term,
        "blocks": [_period_block(p, runs=runs, today=today) for p in periods],
        "today": today,
        "can_create": runs and len(periods) < len(PeriodKind.values),
        "breadcrumbs": _term_crumbs(term, (_("Review periods"), None)),
    }
    return render(request, "emulation/reviews/term_reviews.html", context)


@login_required
def review_period_detail(request, pk: int):
    period = selectors.review_period_detail(pk=access_review_period(request.user, pk).pk)
    term = period.term
    runs = can_run_reviews(request.user, term)
    today = timezone.localdate()
    context = {
        **_period_block(period, runs=runs, today=today),
        "term": term,
        "today": today,
        "history_url": history_url(period),
        "breadcrumbs": _term_crumbs(
            term, _reviews_crumb(term), (str(period.get_kind_display()), None)
        ),
    }
    return render(request, "emulation/reviews/period_detail.html", context)


def _period_initial(term) -> dict:
    """The first kind the term lacks, with the usual dates of that review in the term's year."""
    taken = set(term.review_periods.values_list("kind", flat=True))
    kind = next((k for k in PeriodKind.values if k not in taken), PeriodKind.YEAR_END)
    if kind == PeriodKind.MID_YEAR:
        return {
            "kind": kind,
            "opens_on": dt.date(term.year, 6, 1),
            "deadline": dt.date(term.year, 6, 30),
        }
    return {
        "kind": kind,
        "opens_on": dt.date(term.year, 11, 1),
        "deadline": dt.date(term.year, 11, 20),
    }


@login_required
@require_http_methods(["GET", "POST"])
def review_period_create(request, term_pk: int):
    term = access_term_reviews(request.user, term_pk, action="create")
    return form_page(
        request,
        ReviewPeriodForm(request.POST or None, term=term, initial=_period_initial(term)),
        save=lambda data: period_url(
            services.review_period_create(actor=request.user, term=term, **data)
        ),
        message=_("The review period was created."),
        title=_("New review period for %(year)s") % {"year": term.year},
        cancel_url=reverse("emulation:term_reviews", args=[term.pk]),
        breadcrumbs=_term_crumbs(term, _reviews_crumb(term), (_("New review period"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_period_edit(request, pk: int):
    period = access_review_period(request.user, pk, action="edit")
    term = period.term
    initial = {
        "kind": period.kind,
        "opens_on": period.opens_on,
        "deadline": period.deadline,
        "flag_margin": period.flag_margin,
        "panel": list(period.panel.values_list("pk", flat=True)),
    }
    return form_page(
        request,
        ReviewPeriodForm(request.POST or None, term=term, initial=initial),
        save=lambda data: period_url(
            services.review_period_update(actor=request.user, period=period, **data)
        ),
        message=_("Changes saved."),
        title=_("Edit %(period)s") % {"period": period},
        cancel_url=period_url(period),
        breadcrumbs=_term_crumbs(
            term,
            _reviews_crumb(term),
            (str(period.get_kind_display()), period_url(period)),
            (_("Edit"), None),
        ),
    )


@login_required
@require_POST
def review_period_delete(request, pk: int):
    period = access_review_period(request.user, pk, action="edit")
    return _post_and_redirect(
        request,
        lambda: reverse(
            "emulation:term_reviews",
            args=[services.review_period_delete(actor=request.user, period=period).pk],
        ),
        _("The review period was deleted."),
        period_url(period),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_period_reopen(request, pk: int):
    """Reopen a closed period for one unit (the form also sits on the period page)."""
    period = access_review_period(request.user, pk, action="reopen")
    term = period.term
    initial = {"until": timezone.localdate()}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])

    done = {}

    def save(data):
        done["reopening"] = services.review_period_reopen(actor=request.user, period=period, **data)
        return period_url(period)

    return form_page(
        request,
        ReopenForm(request.POST or None, term=term, initial=initial),
        save=save,
        message=lambda url: (
            _("The period was reopened for %(unit)s until %(until)s.")
            % {"unit": done["reopening"].unit, "until": vn_date(done["reopening"].until)}
        ),
        title=_("Reopen %(period)s for a unit") % {"period": period},
        cancel_url=period_url(period),
        breadcrumbs=_term_crumbs(
            term,
            _reviews_crumb(term),
            (str(period.get_kind_display()), period_url(period)),
            (_("Reopen"), None),
        ),
    )


# --- movements -----------------------------------------------------------------------------------


@login_required
def term_movements(request, term_pk: int):
    """All the movements of the term, every member's and the cluster's, with filters."""
    term = access_term_movements(request.user, term_pk)
    filterset = MovementFilter(request.GET, queryset=selectors.movement_list(term=term), term=term)
    context = {
        "term": term,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "can_create": bool(movement_launchers(request.user, term)),
        "breadcrumbs": _term_crumbs(term, (_("Movements"), None)),
    }
    return render_page(
        request,
        "emulation/movements/term_movements.html",
        context,
        partial="emulation/movements/_movement_table.html",
    )


@login_required
def movement_detail(request, pk: int):
    movement = selectors.movement_detail(pk=access_movement(request.user, pk).pk)
    term = movement.term
    context = {
        "movement": movement,
        "term": term,
        "participants": list(movement.participants.all()),
        "criteria": list(movement.criteria.all()),
        "can_edit": can_edit_movement(request.user, movement),
        "history_url": history_url(movement),
        "breadcrumbs": _term_crumbs(term, _movements_crumb(term), (movement.name, None)),
    }
    return render(request, "emulation/movements/movement_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request, term_pk: int):
    term = access_term_movements(request.user, term_pk, action="create")
    form = MovementForm(
        request.POST or None,
        term=term,
        user=request.user,
        initial={
            "starts_on": timezone.localdate(),
            "participants": list(term.memberships.values_list("unit_id", flat=True)),
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: movement_url(
            services.movement_create(actor=request.user, term=term, **data)
        ),
        message=_("The movement was launched."),
        title=_("New movement in %(year)s") % {"year": term.year},
        cancel_url=reverse("emulation:term_movements", args=[term.pk]),
        breadcrumbs=_term_crumbs(term, _movements_crumb(term), (_("New movement"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_edit(request, pk: int):
    movement = access_movement(request.user, pk, action="edit")
    term = movement.term
    initial = {
        "name": movement.name,
        "slogan": movement.slogan,
        "starts_on": movement.starts_on,
        "ends_on": movement.ends_on,
        "description": movement.description,
        "participants": list(movement.participants.values_list("pk", flat=True)),
        "criteria": list(movement.criteria.values_list("pk", flat=True)),
    }
    return form_page(
        request,
        MovementForm(
            request.POST or None, term=term, user=request.user, movement=movement, initial=initial
        ),
        save=lambda data: movement_url(
            services.movement_update(actor=request.user, movement=movement, **data)
        ),
        message=_("Changes saved."),
        title=_("Edit %(movement)s") % {"movement": movement},
        cancel_url=movement_url(movement),
        breadcrumbs=_term_crumbs(
            term,
            _movements_crumb(term),
            (movement.name, movement_url(movement)),
            (_("Edit"), None),
        ),
    )


@login_required
@require_POST
def movement_delete(request, pk: int):
    movement = access_movement(request.user, pk, action="edit")
    return _post_and_redirect(
        request,
        lambda: reverse(
            "emulation:term_movements",
            args=[services.movement_delete(actor=request.user, movement=movement).pk],
        ),
        _("The movement was deleted."),
        movement_url(movement),
    )
