"""Pages of the acclamation vote: a term's ballots, preparing one, casting, results, papers.

Secrecy on the pages: the cast page answers with the receipt code once (never stored with the
unit), nothing shows a running count of choices, and the secretariat sees only how many voted.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_ballot,
    access_term_ballots,
    can_cast_on,
    can_run_ballots,
)
from apps.core.history import history_url
from apps.core.views_helpers import form_page
from apps.voting import selectors, services
from apps.voting.choices import BallotState
from apps.voting.forms import SETTINGS, BallotForm, CastForm, ReceiptForm


def _term_crumbs(term, *tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        (_("Acclamation votes"), reverse("voting:term_ballots", args=[term.pk])),
        *tail,
    ]


def _ballot_crumbs(ballot, *tail):
    return _term_crumbs(
        ballot.term, (_("Ballot"), reverse("voting:ballot_detail", args=[ballot.pk])), *tail
    )


@login_required
def term_ballots(request, term_pk: int):
    term = access_term_ballots(request.user, term_pk)
    ballots = selectors.ballot_list(user=request.user, term=term).order_by("-created_at")
    context = {
        "term": term,
        "ballots": ballots,
        "can_create": can_run_ballots(request.user, term),
        "breadcrumbs": _term_crumbs(term)[:-1] + [(_("Acclamation votes"), None)],
    }
    return render(request, "voting/term_ballots.html", context)


def _ranking_candidates(term, top: str | None):
    """Units from the term's published year-end ranking: the top N (ties included) or all."""
    ranking = selectors.published_ranking_units(term=term)
    if ranking is None or not top:
        return ranking, None
    if top == "all":
        return ranking, [unit for unit, _rank in ranking]
    try:
        n = max(1, int(top))
    except ValueError:
        return ranking, None
    return ranking, [unit for unit, rank in ranking if rank <= n]


@login_required
@require_http_methods(["GET", "POST"])
def ballot_create(request, term_pk: int):
    term = access_term_ballots(request.user, term_pk, action="create")
    ranking, picked = _ranking_candidates(term, request.GET.get("top"))
    initial = {
        "question": _("Leading unit of %(cluster)s in %(year)s, proposed for the emulation flag")
        % {"cluster": term.cluster.name, "year": term.year}
    }
    if picked:
        initial["candidates"] = picked
    form = BallotForm(request.POST or None, term=term, initial=initial)

    def save(data):
        settings = {k: data[k] for k in SETTINGS}
        return services.ballot_create(
            actor=request.user,
            term=term,
            candidates=form.ordered_candidates(),
            delegates=form.chosen_delegates(),
            **settings,
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("The ballot was created as a draft."),
        template="voting/ballot_form.html",
        term=term,
        ranking=ranking,
        top=request.GET.get("top", ""),
        title=_("New ballot"),
        breadcrumbs=_term_crumbs(term, (_("New ballot"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_edit(request, pk: int):
    ballot = access_ballot(request.user, pk, action="edit")
    if ballot.state != BallotState.DRAFT:
        messages.error(request, _("Only a draft ballot can be changed."))
        return redirect("voting:ballot_detail", pk=ballot.pk)
    initial = {
        "candidates": [c.unit for c in selectors.ballot_candidates(ballot=ballot)],
        "delegates": [d.user for d in selectors.ballot_delegates(ballot=ballot)],
    }
    form = BallotForm(request.POST or None, instance=ballot, term=ballot.term, initial=initial)

    def save(data):
        settings = {k: data[k] for k in SETTINGS}
        # The form wrote the values onto the instance; the service compares with the stored row.
        ballot.refresh_from_db()
        return services.ballot_update(
            actor=request.user,
            ballot=ballot,
            candidates=form.ordered_candidates(),
            delegates=form.chosen_delegates(),
            **settings,
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("The ballot was saved."),
        template="voting/ballot_form.html",
        term=ballot.term,
        ballot=ballot,
        title=_("Edit the ballot"),
        breadcrumbs=_ballot_crumbs(ballot, (_("Edit"), None)),
    )


@never_cache
@login_required
def ballot_detail(request, pk: int):
    ballot = access_ballot(request.user, pk)
    term = ballot.term
    user = request.user
    voter = can_cast_on(user, ballot)
    has_voted = voter and selectors.ballot_has_voted(ballot=ballot, user=user)
    candidates = selectors.ballot_candidates(ballot=ballot)
    context = {
        "ballot": ballot,
        "term": term,
        "candidates": candidates,
        "delegates": selectors.ballot_delegates(ballot=ballot),
        "runs": can_run_ballots(user, term),
        "voter": voter,
        "has_voted": has_voted,
        "turnout": ballot.voter_records.count() if ballot.state != BallotState.DRAFT else 0,
        "cast_form": CastForm(candidates=candidates) if voter and not has_voted else None,
        "history_url": history_url(ballot),
        "breadcrumbs": _term_crumbs(term, (_("Ballot"), None)),
    }
    return render(request, "voting/ballot_detail.html", context)


def _transition(request, pk, action, service, message):
    ballot = access_ballot(request.user, pk, action=action)
    try:
        service(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("voting:ballot_detail", pk=ballot.pk)


@login_required
@require_POST
def ballot_open(request, pk: int):
    return _transition(request, pk, "open", services.ballot_open, _("Voting is open."))


@login_required
@require_POST
def ballot_close(request, pk: int):
    return _transition(request, pk, "close", services.ballot_close, _("Voting is closed."))


@login_required
@require_POST
def ballot_publish(request, pk: int):
    return _transition(
        request, pk, "publish", services.ballot_publish, _("The results are published.")
    )


@never_cache
@login_required
@require_POST
def ballot_cast(request, pk: int):
    """Two steps on one URL: the choice is shown back for confirmation, then cast."""
    ballot = access_ballot(request.user, pk, action="cast")
    candidates = selectors.ballot_candidates(ballot=ballot)
    form = CastForm(request.POST, candidates=candidates)
    context = {
        "ballot": ballot,
        "term": ballot.term,
        "breadcrumbs": _ballot_crumbs(ballot, (_("Vote"), None)),
    }
    if not form.is_valid():
        messages.error(request, _("Choose among the candidates of this ballot."))
        return redirect("voting:ballot_detail", pk=ballot.pk)
    chosen_ids = form.cleaned_data["choices"]
    chosen = [c for c in candidates if c.pk in set(chosen_ids)]
    if not form.cleaned_data["confirm"]:
        if len(chosen) > ballot.max_choices:
            messages.error(
                request,
                _("You may choose at most %(max)s candidate(s); you chose %(n)s.")
                % {"max": ballot.max_choices, "n": len(chosen)},
            )
            return redirect("voting:ballot_detail", pk=ballot.pk)
        return render(request, "voting/cast_confirm.html", {**context, "chosen": chosen})
    try:
        receipt = services.ballot_cast(actor=request.user, ballot=ballot, choices=chosen_ids)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("voting:ballot_detail", pk=ballot.pk)
    # The receipt is shown once, here; it is stored only on the anonymous paper.
    return render(request, "voting/cast_receipt.html", {**context, "receipt": receipt})


@login_required
def ballot_results(request, pk: int):
    ballot = access_ballot(request.user, pk, action="view_results")
    try:
        tally = selectors.ballot_tally(ballot=ballot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("voting:ballot_detail", pk=ballot.pk)
    context = {
        "ballot": ballot,
        "term": ballot.term,
        "tally": tally,
        "runs": can_run_ballots(request.user, ballot.term),
        "breadcrumbs": _ballot_crumbs(ballot, (_("Results"), None)),
    }
    return render(request, "voting/ballot_results.html", context)


@login_required
def ballot_papers(request, pk: int):
    ballot = access_ballot(request.user, pk, action="view_results")
    if ballot.state != BallotState.PUBLISHED:
        messages.error(request, _("The papers are published with the results."))
        return redirect("voting:ballot_detail", pk=ballot.pk)
    form = ReceiptForm(request.GET or None)
    checked = found = None
    if form.is_bound and form.is_valid():
        checked = form.cleaned_data["receipt"]
        found = selectors.ballot_receipt_check(ballot=ballot, receipt=checked)
    context = {
        "ballot": ballot,
        "term": ballot.term,
        "papers": selectors.ballot_published_papers(ballot=ballot),
        "form": form,
        "checked": checked,
        "found": found,
        "breadcrumbs": _ballot_crumbs(ballot, (_("Published papers"), None)),
    }
    return render(request, "voting/ballot_papers.html", context)
