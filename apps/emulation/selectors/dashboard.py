"""The cluster year at a glance (the secretariat's dashboard) and a member unit's to-do list.

Both only gather what the step selectors already compute: the pact's signatures
(``pact_signature_status``), each review period's submissions (``submission_overview``), the
scoring progress (``scoring_progress``), the reconciliation flags, the ranking and the ballots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.permissions import can_run_pact
from apps.emulation.choices import PactState, SheetState
from apps.emulation.models import Assessment, Pact, ReviewPeriod, ScoreSheet
from apps.emulation.selectors.pact import pact_signature_status, term_pacts
from apps.emulation.selectors.reviews import (
    PeriodState,
    overview_counts,
    period_status,
    submission_overview,
    term_review_periods,
)
from apps.emulation.selectors.scoring import (
    publish_blockers,
    reconciliation,
    scoring_plan,
    scoring_progress,
)
from apps.organizations.models import ClusterTerm, Unit

__all__ = ["PeriodPanel", "TodoItem", "YearDashboard", "term_todo", "year_dashboard"]


@dataclass
class PeriodPanel:
    period: ReviewPeriod
    state: str
    rows: list
    counts: dict
    scoring: list  # ScorerProgress
    sheets_expected: int
    sheets_submitted: int
    flags: int | None  # None: not shown to this user
    flagged_units: list[Unit]
    blockers: list[str]

    @property
    def state_label(self) -> str:
        return str(PeriodState(self.state).label)


@dataclass
class YearDashboard:
    term: ClusterTerm
    secretariat: bool
    pact: Pact | None
    signatures: object | None
    periods: list[PeriodPanel]
    ballots: list
    todo: list[TodoItem] = field(default_factory=list)


@dataclass
class TodoItem:
    text: str
    url: str
    due: dt.date | None = None
    urgent: bool = False


def _current_pact(term: ClusterTerm) -> Pact | None:
    """The newest version that is not closed (an amendment being signed), else the newest."""
    pacts = term_pacts(term=term)  # newest first
    live = [p for p in pacts if p.state != PactState.CLOSED]
    return (live or pacts or [None])[0]


def _period_panel(period: ReviewPeriod, *, secretariat: bool, on: dt.date) -> PeriodPanel:
    rows = submission_overview(period, on=on)
    plan = scoring_plan(period=period)
    progress = scoring_progress(period=period, plan=plan)
    flags, flagged, blockers = None, [], []
    if secretariat and plan.pact is not None:
        recon = reconciliation(period=period)
        flags = sum(u.flags for u in recon.units)
        flagged = [u.unit for u in recon.units if u.flags]
        if not period.ranking_published:
            blockers = publish_blockers(period=period)
    return PeriodPanel(
        period=period,
        state=period_status(period, None, on).state,
        rows=rows,
        counts=overview_counts(rows),
        scoring=progress,
        sheets_expected=sum(p.expected for p in progress),
        sheets_submitted=sum(p.submitted for p in progress),
        flags=flags,
        flagged_units=flagged,
        blockers=blockers,
    )


def year_dashboard(*, user, term: ClusterTerm, on: dt.date | None = None) -> YearDashboard:
    from apps.voting.selectors import ballot_list

    on = on or timezone.localdate()
    secretariat = can_run_pact(user, term)
    pact = _current_pact(term)
    return YearDashboard(
        term=term,
        secretariat=secretariat,
        pact=pact,
        signatures=pact_signature_status(pact=pact) if pact else None,
        periods=[
            _period_panel(p, secretariat=secretariat, on=on) for p in term_review_periods(term=term)
        ],
        ballots=list(ballot_list(user=user, term=term)),
        todo=term_todo(user=user, term=term, on=on),
    )


def term_todo(*, user, term: ClusterTerm, on: dt.date | None = None) -> list[TodoItem]:
    """What the user's unit still has to do in ``term``: sign, self-assess, score, vote; plus the
    secretariat's own steps when the user's unit runs the term."""
    from apps.accounts.permissions import can_cast_on
    from apps.voting.choices import BallotState
    from apps.voting.selectors import ballot_has_voted, ballot_list

    on = on or timezone.localdate()
    unit = getattr(user, "unit", None)
    items: list[TodoItem] = []
    member = unit is not None and term.memberships.filter(unit=unit).exists()
    leader = member and user.role == Role.UNIT_LEADER
    if member and user.role in (Role.UNIT_LEADER, Role.UNIT_OFFICER):
        pact = _current_pact(term)
        unsigned = pact is not None and pact.state == PactState.OPEN_FOR_SIGNING
        if unsigned and not pact.signatures.filter(unit=unit).exists():
            text = (
                _("Sign the pact “%(pact)s”.")
                if leader
                else _("Your unit's leader has not signed the pact “%(pact)s” yet.")
            )
            items.append(TodoItem(text % {"pact": pact.title}, pact.get_absolute_url()))
        for period in term_review_periods(term=term):
            status = period_status(period, unit, on)
            if status.state not in (PeriodState.OPEN, PeriodState.REOPENED):
                continue
            due = status.reopening.until if status.reopening else period.deadline
            urgent = (due - on).days <= 3
            assessment = Assessment.objects.filter(period=period, unit=unit).first()
            if assessment is None or assessment.state != SheetState.SUBMITTED:
                text = (
                    _("Fill in and submit the self-assessment: %(period)s.")
                    if leader
                    else _("Fill in the self-assessment: %(period)s (your leader submits it).")
                )
                url = reverse("emulation:assessment", args=[period.pk, unit.pk])
                items.append(TodoItem(text % {"period": period}, url, due, urgent))
            plan = scoring_plan(period=period)
            expected = len(plan.targets_of(unit.pk))
            if expected:
                done = ScoreSheet.objects.filter(
                    period=period, scorer=unit, state=SheetState.SUBMITTED
                ).count()
                if done < expected:
                    items.append(
                        TodoItem(
                            _("Cross-score the other units: %(done)s of %(n)s sheets submitted.")
                            % {"done": done, "n": expected},
                            reverse("emulation:scoring_home", args=[period.pk]),
                            due,
                            urgent,
                        )
                    )
        for ballot in ballot_list(user=user, term=term):
            if ballot.state != BallotState.OPEN or not can_cast_on(user, ballot):
                continue
            if not ballot_has_voted(ballot=ballot, user=user):
                items.append(
                    TodoItem(
                        _("Vote: %(question)s") % {"question": ballot.question},
                        reverse("voting:ballot_detail", args=[ballot.pk]),
                        urgent=True,
                    )
                )
    if can_run_pact(user, term) and user.role != Role.ADMIN:
        for period in term_review_periods(term=term):
            if period.ranking_published or on < period.opens_on:
                continue
            if not publish_blockers(period=period):
                items.append(
                    TodoItem(
                        _("Every sheet is in: reconcile and publish the ranking of %(period)s.")
                        % {"period": period},
                        reverse("emulation:ranking", args=[period.pk]),
                    )
                )
    return items
