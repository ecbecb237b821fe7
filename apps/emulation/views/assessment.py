"""The self-assessment page ("Tự chấm điểm") of a unit for a review period, and its htmx parts.

Lines save as the officer types (htmx posts one line with the version it was read at). The
answer to an autosave is the line's status with the new version and the running total swapped
out of band, so the fields being typed in are never replaced. A stale version answers with the
other person's saved value and name; the typed text stays in the fields.
Without JavaScript every form still works: a POST redirects back to the page, or shows the page
again with what was typed when a rule refused it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import (
    access_assessment,
    access_assessment_item,
    access_evidence,
    access_unit_assessment,
    can_edit_assessment,
    can_submit_assessment,
)
from apps.core.history import history_url
from apps.emulation import selectors, services
from apps.emulation.choices import ScoringMethod
from apps.emulation.evidence import ACCEPT, max_file_bytes, max_total_bytes, size_label
from apps.emulation.forms_assessment import (
    AssessmentItemForm,
    EvidenceUploadForm,
    IndicatorsForm,
    plain_number,
)
from apps.emulation.services.assessment import UNSET, AssessmentItemConflict

__all__ = [
    "assessment_indicators",
    "assessment_line",
    "assessment_page",
    "assessment_submit",
    "assessment_url",
    "evidence_delete",
    "evidence_download",
    "evidence_upload",
    "history_access_assessment",
]

PAGE = "emulation/assessment/page.html"


def assessment_url(assessment) -> str:
    return reverse("emulation:assessment", args=[assessment.period_id, assessment.unit_id])


def history_access_assessment(user, pk):
    """The history page's check: the page's own, with a way back to the page."""
    assessment = access_assessment(user, pk)
    assessment.get_absolute_url = lambda: assessment_url(assessment)
    return assessment


def _crumbs(period, unit):
    term = period.term
    try:
        period_link = reverse("emulation:review_period_detail", args=[period.pk])
    except NoReverseMatch:  # the review-period pages are another step's
        period_link = None
    return [
        (_("Home"), reverse("core:home")),
        (_("Clusters"), reverse("organizations:cluster_list")),
        (term.cluster.name, term.cluster.get_absolute_url()),
        (str(term.year), term.get_absolute_url()),
        (period.get_kind_display(), period_link),
        (_("Self-assessment of %(unit)s") % {"unit": unit.short_name}, None),
    ]


@dataclass
class LineView:
    """What a line shows: the stored line, and (after a refused save) what was typed."""

    item: object
    points: str
    explanation: str
    version: int
    status: str = ""  # "", "saved", "error", "conflict"
    message: str = ""
    conflict: object = None  # the stored line when a save came too late

    @classmethod
    def stored(cls, item, **extra):
        return cls(
            item=item,
            points=plain_number(item.points),
            explanation=item.explanation,
            version=item.version,
            **extra,
        )


def _editing(user, assessment, today=None) -> bool:
    return bool(
        assessment is not None
        and not assessment.is_submitted
        and can_edit_assessment(user, assessment.unit)
        and assessment.period.accepts_from(assessment.unit, today)
    )


def _page_context(request, period, unit, assessment, *, problem="", lines=None, indicators=None):
    user = request.user
    today = timezone.localdate()
    accepts = period.accepts_from(unit, today)
    context = {
        "period": period,
        "unit": unit,
        "assessment": assessment,
        "problem": problem,
        "accepts": accepts,
        "reopening": period.reopening_for(unit, today) if today > period.deadline else None,
        "today": today,
        "breadcrumbs": _crumbs(period, unit),
        "accept": ACCEPT,
        "max_file": size_label(max_file_bytes()),
        "self_method": ScoringMethod.SELF,
    }
    if assessment is None:
        context["indicator_form"] = None
        return context
    assessment = selectors.assessment_detail(pk=assessment.pk)
    editing = _editing(user, assessment, today)
    overrides = {line.item.pk: line for line in lines or []}
    groups = []
    for sheet_group in selectors.assessment_sheet(assessment=assessment):
        views = [overrides.get(item.pk) or LineView.stored(item) for item in sheet_group.lines]
        groups.append((sheet_group.group, views))
    rows = selectors.assessment_indicator_rows(assessment=assessment)
    context.update(
        {
            "assessment": assessment,
            "groups": groups,
            "totals": selectors.assessment_totals(items=assessment.items.all()),
            "editing": editing,
            "can_submit": (
                not assessment.is_submitted and accepts and can_submit_assessment(user, unit)
            ),
            "used": size_label(selectors.evidence_used_bytes(assessment=assessment)),
            "max_total": size_label(max_total_bytes()),
            "indicator_form": indicators or IndicatorsForm(rows=rows),
            "history_url": history_url(assessment),
        }
    )
    return context


@login_required
@require_GET
def assessment_page(request, period_pk: int, unit_pk: int):
    """The page; the unit's own staff open (and so create) the assessment on their first visit."""
    period, unit, assessment = access_unit_assessment(request.user, period_pk, unit_pk)
    problem = ""
    if (
        assessment is None
        and can_edit_assessment(request.user, unit)
        and period.accepts_from(unit, timezone.localdate())
    ):
        try:
            assessment = services.assessment_open(actor=request.user, period=period, unit=unit)
        except ValidationError as error:
            problem = " ".join(error.messages)
    context = _page_context(request, period, unit, assessment, problem=problem)
    return render(request, PAGE, context)


def _back(assessment, anchor: str = "") -> str:
    return assessment_url(assessment) + (f"#{anchor}" if anchor else "")


def _totals_context(item_or_assessment):
    assessment = getattr(item_or_assessment, "assessment", item_or_assessment)
    return {
        "totals": selectors.assessment_totals(assessment=assessment),
        "used": size_label(selectors.evidence_used_bytes(assessment=assessment)),
        "max_total": size_label(max_total_bytes()),
        "assessment": assessment,
        "oob": True,
    }


@login_required
@require_http_methods(["GET", "POST"])
def assessment_line(request, pk: int):
    """GET: the line as stored (htmx: the line's card, e.g. to take the other person's value).
    POST: save the line (autosave) over the version it was read at."""
    if request.method == "GET":
        item = access_assessment_item(request.user, pk)
        if not request.htmx:
            return redirect(_back(item.assessment, f"line-{item.pk}"))
        item = selectors.assessment_item_detail(pk=item.pk)
        return render(
            request,
            "emulation/assessment/_line.html",
            {
                "line": LineView.stored(item),
                "editing": _editing(request.user, item.assessment),
                "accept": ACCEPT,
                "self_method": ScoringMethod.SELF,
            },
        )
    item = access_assessment_item(request.user, pk, action="edit")
    form = AssessmentItemForm(request.POST)
    typed = LineView(
        item=item,
        points=request.POST.get("points", ""),
        explanation=request.POST.get("explanation", ""),
        version=item.version,
    )
    try:
        if "version" in form.errors:
            raise ValidationError(_("This page is out of date; reload it and type again."))
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        typed.version = form.cleaned_data["version"]
        saved = services.assessment_item_update(
            actor=request.user,
            item=item,
            version=form.cleaned_data["version"],
            points=form.cleaned_data["points"] if "points" in request.POST else UNSET,
            explanation=(
                form.cleaned_data["explanation"] if "explanation" in request.POST else UNSET
            ),
        )
    except AssessmentItemConflict as conflict:
        typed.status, typed.message = "conflict", conflict.messages[0]
        typed.conflict = LineView.stored(conflict.current)
    except ValidationError as error:
        typed.status, typed.message = "error", " ".join(error.messages)
    else:
        if not request.htmx:
            messages.success(request, _("The line was saved."))
            return redirect(_back(item.assessment, f"line-{item.pk}"))
        line = LineView.stored(saved, status="saved")
        return render(
            request,
            "emulation/assessment/_autosave.html",
            {"line": line, **_totals_context(saved)},
        )
    if request.htmx:
        return render(
            request,
            "emulation/assessment/_autosave.html",
            {"line": typed, **_totals_context(item)},
        )
    # Without JavaScript: the whole page again, this line with what was typed and why.
    context = _page_context(
        request, item.assessment.period, item.assessment.unit, item.assessment, lines=[typed]
    )
    return render(request, PAGE, context)


def _evidence_answer(request, item, *, message="", error=""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif message:
            messages.success(request, message)
        return redirect(_back(item.assessment, f"line-{item.pk}"))
    item = selectors.assessment_item_detail(pk=item.pk)
    return render(
        request,
        "emulation/assessment/_evidence.html",
        {
            "line": LineView.stored(item),
            "editing": _editing(request.user, item.assessment),
            "accept": ACCEPT,
            "evidence_message": message,
            "evidence_error": error,
            **_totals_context(item),
        },
    )


@login_required
@require_POST
def evidence_upload(request, pk: int):
    item = access_assessment_item(request.user, pk, action="edit")
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _evidence_answer(request, item, error=" ".join(form.errors.get("file", [])))
    try:
        evidence = services.evidence_add(
            actor=request.user, item=item, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        return _evidence_answer(request, item, error=" ".join(error.messages))
    return _evidence_answer(
        request, item, message=_("“%(name)s” was attached.") % {"name": evidence.original_name}
    )


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = access_evidence(request.user, pk, action="edit")
    name = evidence.original_name
    try:
        item = services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as error:
        return _evidence_answer(request, evidence.item, error=" ".join(error.messages))
    return _evidence_answer(request, item, message=_("“%(name)s” was removed.") % {"name": name})


@login_required
@require_GET
def evidence_download(request, pk: int):
    """The file, for those who may read the assessment, under the name it was uploaded with."""
    evidence = access_evidence(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The stored file is missing; tell the system administrator.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def assessment_indicators(request, pk: int):
    assessment = access_assessment(request.user, pk, action="edit")
    rows = selectors.assessment_indicator_rows(assessment=assessment)
    form = IndicatorsForm(request.POST, rows=rows)
    saved = False
    if form.is_valid():
        try:
            services.indicator_values_set(
                actor=request.user, assessment=assessment, values=form.values()
            )
            saved = True
        except ValidationError as error:
            for code, texts in getattr(error, "message_dict", {"__all__": error.messages}).items():
                field = f"value_{code}" if f"value_{code}" in form.fields else None
                for text in texts:
                    form.add_error(field, text)
    if saved and not request.htmx:
        messages.success(request, _("The indicators were saved."))
        return redirect(_back(assessment, "indicators"))
    if saved:
        form = IndicatorsForm(rows=selectors.assessment_indicator_rows(assessment=assessment))
    if request.htmx:
        return render(
            request,
            "emulation/assessment/_indicators.html",
            {
                "assessment": assessment,
                "indicator_form": form,
                "editing": _editing(request.user, assessment),
                "indicators_saved": saved,
            },
        )
    context = _page_context(
        request, assessment.period, assessment.unit, assessment, indicators=form
    )
    return render(request, PAGE, context)


@login_required
@require_POST
def assessment_submit(request, pk: int):
    assessment = access_assessment(request.user, pk, action="submit")
    try:
        assessment = services.assessment_submit(actor=request.user, assessment=assessment)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if assessment.submitted_late:
            messages.warning(
                request,
                _("The self-assessment was submitted after the deadline, during a reopening."),
            )
        else:
            messages.success(request, _("The self-assessment was submitted."))
    return redirect(assessment_url(assessment))
