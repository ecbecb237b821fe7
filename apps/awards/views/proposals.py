"""Pages of award proposals: the lists (a unit's files, the receiving body's inbox), one file with
its candidates, rule verdicts, steps and documents, the forms of each step, the decision and the
certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.permissions import (
    access_award_record,
    access_decision,
    access_decision_attachment,
    access_proposal,
    access_proposal_attachment,
    access_proposal_candidate,
    access_term,
    can_prepare_proposal,
    can_review_proposal,
    can_submit_proposal,
    is_secretariat,
    require_signed_in,
)
from apps.awards import certificates, documents, rules, selectors, services
from apps.awards.choices import EDITABLE_STATES, TRANSITIONS, ProposalState
from apps.awards.forms import CandidateForm, DecisionForm, ProposalForm, ReviewForm
from apps.awards.models import AwardRecord, Proposal
from apps.core.history import history_url
from apps.core.views_helpers import (
    attach_file,
    form_page,
    paginate,
    run_service,
    stored_file_response,
)
from apps.practices.forms import AttachmentForm

__all__ = [
    "candidate_create",
    "candidate_delete",
    "candidate_edit",
    "certificate_download",
    "decision_attachment_download",
    "decision_attachment_upload",
    "proposal_attachment_download",
    "proposal_attachment_upload",
    "proposal_certificates",
    "proposal_create",
    "proposal_decide",
    "proposal_detail",
    "proposal_document",
    "proposal_edit",
    "proposal_from_term",
    "proposal_list",
    "proposal_pass",
    "proposal_return",
    "proposal_step",
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIMPLE_STEPS = {"submit", "receive", "review", "issue"}


def _crumbs(*tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Award proposals"), reverse("awards:proposal_list")),
        *tail,
    ]


def _proposal_crumbs(proposal, *tail):
    return _crumbs((proposal.title, proposal.get_absolute_url()), *tail)


@login_required
def proposal_list(request):
    require_signed_in(request.user)
    state = request.GET.get("state", "")
    if state not in ProposalState.values:
        state = ""
    year = request.GET.get("year", "")
    proposals = selectors.proposal_list(
        user=request.user, state=state, year=int(year) if year.isdigit() else None
    )
    user = request.user
    context = {
        "page": paginate(request, proposals),
        "state": state,
        "year": year,
        "states": ProposalState.choices,
        "is_reviewer": can_review_proposal(user),
        "can_create": bool(user.unit_id and can_prepare_proposal(user, user.unit)),
        "breadcrumbs": _crumbs()[:-1] + [(_("Award proposals"), None)],
    }
    return render(request, "awards/proposal_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    require_signed_in(request.user)
    user = request.user
    if not (user.unit_id and can_prepare_proposal(user, user.unit)):
        raise PermissionDenied(_("Proposals are prepared by a unit's leaders and officers."))
    receivers = selectors.receivers()
    initial = {}
    head = user.unit.headed_sectors.first()
    if head is None:
        from apps.organizations.models import Sector

        sector = Sector.objects.exclude(head_unit=None).first()
        initial["receiver"] = sector.head_unit_id if sector else None
    form = ProposalForm(request.POST or None, receivers=receivers, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.proposal_create(actor=user, proposer=user.unit, **data),
        message=_("The draft proposal was created; add its candidates."),
        title=_("New award proposal"),
        cancel_url=reverse("awards:proposal_list"),
        breadcrumbs=_crumbs((_("New award proposal"), None)),
    )


@login_required
@require_POST
def proposal_from_term(request, term_pk: int):
    """The cluster's proposal generated from the year's vote (the term's secretariat)."""
    term = access_term(request.user, term_pk)
    if not is_secretariat(request.user, term):
        raise PermissionDenied(_("Only the cluster secretariat of this term may do this."))
    try:
        proposal = services.proposal_from_term(actor=request.user, term=term)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        existing = Proposal.objects.filter(term=term, ballot__isnull=False).first()
        return redirect(existing or term.get_absolute_url())
    messages.success(
        request,
        _("The proposal was generated from the vote: check it, complete the minutes and send it."),
    )
    return redirect(proposal)


def _detail_context(request, proposal):
    user = request.user
    checks = rules.check_proposal(proposal)
    editable = proposal.state in EDITABLE_STATES
    can_edit = editable and can_prepare_proposal(user, proposal.proposer, proposal.term)
    reviewer = can_review_proposal(user, proposal)
    steps = []
    for action, (sources, _target, side) in TRANSITIONS.items():
        if proposal.state not in sources:
            continue
        allowed = can_submit_proposal(user, proposal) if side == "proposer" else reviewer
        if allowed:
            steps.append(action)
    decision = getattr(proposal, "decision", None)
    records = (
        AwardRecord.objects.filter(decision=decision).select_related("award_type", "unit")
        if decision
        else []
    )
    return {
        "proposal": proposal,
        "checks": checks,
        "events": proposal.events.select_related("actor"),
        "attachments": proposal.attachments.all(),
        "decision": decision,
        "records": records,
        "can_edit": can_edit,
        "can_attach_decision": reviewer and decision is not None,
        "decision_files": decision.attachments.all() if decision else [],
        "steps": steps,
        "attachment_form": AttachmentForm(),
        "history_url": history_url(proposal),
        "breadcrumbs": _crumbs((proposal.title, None)),
    }


@login_required
def proposal_detail(request, pk: int):
    proposal = access_proposal(request.user, pk)
    return render(request, "awards/proposal_detail.html", _detail_context(request, proposal))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = access_proposal(request.user, pk, action="edit")
    fields = ProposalForm(editing=True).fields
    initial = {name: getattr(proposal, name) for name in fields}
    form = ProposalForm(request.POST or None, initial=initial, editing=True)
    return form_page(
        request,
        form,
        save=lambda data: services.proposal_update(actor=request.user, proposal=proposal, **data),
        message=_("The proposal was saved."),
        title=_("Edit the proposal"),
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=_proposal_crumbs(proposal, (_("Edit"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request, pk: int):
    proposal = access_proposal(request.user, pk, action="edit")

    def save(data):
        services.proposal_candidate_add(actor=request.user, proposal=proposal, **data)
        return proposal

    return form_page(
        request,
        CandidateForm(request.POST or None),
        save=save,
        message=_("The candidate was added."),
        title=_("Add a candidate"),
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=_proposal_crumbs(proposal, (_("Add a candidate"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk: int):
    candidate = access_proposal_candidate(request.user, pk, action="edit")
    proposal = candidate.proposal
    initial = {name: getattr(candidate, name) for name in CandidateForm.base_fields}

    def save(data):
        services.proposal_candidate_update(actor=request.user, candidate=candidate, **data)
        return proposal

    return form_page(
        request,
        CandidateForm(request.POST or None, initial=initial),
        save=save,
        message=_("The candidate was saved."),
        title=_("Edit the candidate: %(name)s") % {"name": candidate.name},
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=_proposal_crumbs(proposal, (candidate.name, None)),
    )


@login_required
@require_POST
def candidate_delete(request, pk: int):
    candidate = access_proposal_candidate(request.user, pk, action="edit")
    proposal = candidate.proposal
    try:
        services.proposal_candidate_remove(actor=request.user, candidate=candidate)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("%(name)s was removed from the proposal.") % {"name": candidate.name}
        )
    return redirect(proposal)


STEP_MESSAGES = {
    "submit": gettext_lazy("The proposal was sent to %(receiver)s."),
    "receive": gettext_lazy("The proposal was received."),
    "review": gettext_lazy("The proposal is under review."),
    "issue": gettext_lazy("The certificates were issued; each can be printed from the decision."),
}


@login_required
@require_POST
def proposal_step(request, pk: int, action: str):
    """The steps without a form: send, receive, start the review, issue the certificates."""
    if action not in SIMPLE_STEPS:
        raise Http404
    side = TRANSITIONS[action][2]
    proposal = access_proposal(
        request.user, pk, action="submit" if side == "proposer" else "review"
    )
    call = {
        "submit": services.proposal_submit,
        "receive": services.proposal_receive,
        "review": services.proposal_review_start,
        "issue": services.proposal_issue_certificates,
    }[action]
    try:
        call(actor=request.user, proposal=proposal)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, STEP_MESSAGES[action] % {"receiver": proposal.receiver.name})
    return redirect(proposal)


def _review_page(request, proposal, *, with_outcome: bool):
    candidates = proposal.candidates.select_related("award_type", "unit")
    form = ReviewForm(request.POST or None, candidates=candidates, with_outcome=with_outcome)
    if request.method == "POST" and form.is_valid():
        if with_outcome:
            call = lambda: services.proposal_pass(  # noqa: E731
                actor=request.user,
                proposal=proposal,
                outcomes=form.outcomes(),
                comment=form.cleaned_data["comment"],
            )
        else:
            call = lambda: services.proposal_return(  # noqa: E731
                actor=request.user,
                proposal=proposal,
                comment=form.cleaned_data["comment"],
                comments=form.comments(),
            )
        if run_service(form, call) is not None:
            messages.success(
                request,
                _("The review was recorded.")
                if with_outcome
                else _("The proposal was returned with your comments."),
            )
            return redirect(proposal)
    title = _("Finish the review") if with_outcome else _("Return the proposal")
    checks = {c.candidate.pk: c for c in rules.check_proposal(proposal)}
    rows = [
        {
            "candidate": c,
            "check": checks.get(c.pk),
            "outcome": form[f"outcome_{c.pk}"] if with_outcome else None,
            "note": form[f"note_{c.pk}"],
        }
        for c in form.candidates
    ]
    return render(
        request,
        "awards/proposal_review.html",
        {
            "form": form,
            "proposal": proposal,
            "rows": rows,
            "with_outcome": with_outcome,
            "title": title,
            "breadcrumbs": _proposal_crumbs(proposal, (title, None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_return(request, pk: int):
    proposal = access_proposal(request.user, pk, action="review")
    return _review_page(request, proposal, with_outcome=False)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_pass(request, pk: int):
    proposal = access_proposal(request.user, pk, action="review")
    return _review_page(request, proposal, with_outcome=True)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk: int):
    proposal = access_proposal(request.user, pk, action="review")
    form = DecisionForm(request.POST or None, initial={"issuing_body": proposal.receiver.name})

    def save(data):
        services.proposal_decide(actor=request.user, proposal=proposal, **data)
        return proposal

    return form_page(
        request,
        form,
        save=save,
        message=_("The decision was recorded with the prize money of each award."),
        title=_("Record the decision"),
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=_proposal_crumbs(proposal, (_("Record the decision"), None)),
    )


@login_required
def proposal_document(request, pk: int, kind: str):
    proposal = access_proposal(request.user, pk)
    if kind == "letter":
        content = documents.letter_docx(proposal)
    elif kind == "minutes":
        content = documents.minutes_docx(proposal)
    elif kind == "ballot":
        content = documents.ballot_result_docx(proposal)
        if content is None:
            raise Http404(_("This proposal was not made from a vote held in the system."))
    else:
        raise Http404
    response = HttpResponse(content, content_type=DOCX)
    filename = documents.document_filename(proposal, kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def proposal_attachment_upload(request, pk: int):
    proposal = access_proposal(request.user, pk, action="edit")
    return attach_file(
        request,
        AttachmentForm(request.POST, request.FILES),
        add=lambda upload: services.proposal_attachment_add(
            actor=request.user, proposal=proposal, upload=upload
        ),
        back=proposal,
    )


@login_required
@require_POST
def decision_attachment_upload(request, pk: int):
    """The signed decision (scan) or its annex, attached by the receiving body."""
    decision = access_decision(request.user, pk, action="edit")
    return attach_file(
        request,
        AttachmentForm(request.POST, request.FILES),
        add=lambda upload: services.decision_attachment_add(
            actor=request.user, decision=decision, upload=upload
        ),
        back=decision.proposal,
    )


@login_required
def decision_attachment_download(request, pk: int):
    return stored_file_response(access_decision_attachment(request.user, pk))


@login_required
def proposal_attachment_download(request, pk: int):
    return stored_file_response(access_proposal_attachment(request.user, pk))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def certificate_download(request, pk: int):
    """The certificate of one award record, printed onto its template."""
    record = access_award_record(request.user, pk)
    if not record.certificate_issued_at:
        raise Http404(_("No certificate was issued for this award in the system."))
    template = certificates.template_for(record)
    if template is None:
        raise Http404(_("No certificate template is set up; ask a central officer."))
    content = certificates.certificate_pdf(template, [certificates.CertificateText.of(record)])
    return _pdf(content, certificates.certificate_filename(record))


@login_required
def proposal_certificates(request, pk: int):
    """Every certificate of a decided proposal, one page each (to print in one go)."""
    proposal = access_proposal(request.user, pk)
    records = list(
        AwardRecord.objects.filter(
            decision__proposal=proposal, certificate_issued_at__isnull=False
        ).select_related("award_type", "unit", "decision__proposal__term__cluster")
    )
    if not records:
        raise Http404(_("No certificate was issued for this proposal yet."))
    pages = {}
    for record in records:
        template = certificates.template_for(record)
        if template is None:
            raise Http404(_("No certificate template is set up; ask a central officer."))
        pages.setdefault(template.pk, (template, []))[1].append(
            certificates.CertificateText.of(record)
        )
    template, texts = next(iter(pages.values()))
    if len(pages) > 1:  # different templates: one file per record is the honest answer
        raise Http404(_("These certificates use different templates; print them one by one."))
    return _pdf(
        certificates.certificate_pdf(template, texts),
        f"giay-khen-ho-so-{proposal.pk}.pdf",
    )
