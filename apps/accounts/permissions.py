"""The one permission layer: every view and API endpoint asks here.

``access_*`` helpers fetch an object and check the user's right on it in one call; they raise
``Http404`` when the object does not exist and ``PermissionDenied`` when the user may not act.
Rules:
- every signed-in, active user may read the sector's reference data, units and clusters;
- system administrators and central officers manage units, successions, clusters and terms;
- a unit leader may edit the contact details of their own unit;
- the cluster secretariat — leaders and officers of the unit that leads (or is a deputy of) a term —
  may edit that term's working notes and conference details. The right moves with the rotation:
  nobody edits accounts when the leadership changes;
- viewers never write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.organizations.choices import TermRole
from apps.organizations.models import Cluster, ClusterTerm, Unit

SECRETARIAT_ROLES = {TermRole.LEADER, TermRole.DEPUTY}
UNIT_STAFF_ROLES = {Role.UNIT_LEADER, Role.UNIT_OFFICER}


def _require_signed_in(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Please sign in."))


def can_manage_sector(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_sector_manager)


def can_edit_unit_contact(user, unit: Unit) -> bool:
    if can_manage_sector(user):
        return True
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.UNIT_LEADER
        and user.unit_id == unit.pk
    )


def is_secretariat(user, term: ClusterTerm) -> bool:
    """True when the user's unit leads or deputises ``term`` and the user works for it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.unit_id:
        return False
    if user.role not in UNIT_STAFF_ROLES:
        return False
    return term.memberships.filter(unit_id=user.unit_id, role__in=SECRETARIAT_ROLES).exists()


def can_edit_term_notes(user, term: ClusterTerm) -> bool:
    return can_manage_sector(user) or is_secretariat(user, term)


def access_unit(user, pk, *, action: str = "view") -> Unit:
    """Fetch a unit for ``action`` in {"view", "edit", "edit_contact"}."""
    _require_signed_in(user)
    unit = get_object_or_404(Unit.objects.select_related("province"), pk=pk)
    if action == "view":
        return unit
    if action == "edit" and can_manage_sector(user):
        return unit
    if action == "edit_contact" and can_edit_unit_contact(user, unit):
        return unit
    raise PermissionDenied(_("You may not change this unit."))


def access_cluster(user, pk, *, action: str = "view") -> Cluster:
    """Fetch a cluster for ``action`` in {"view", "edit"}; editing includes adding terms."""
    _require_signed_in(user)
    cluster = get_object_or_404(Cluster.objects.select_related("sector"), pk=pk)
    if action == "view" or (action == "edit" and can_manage_sector(user)):
        return cluster
    raise PermissionDenied(_("Only central officers may change clusters."))


def access_term(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term for ``action`` in {"view", "edit", "edit_notes", "open_next"}."""
    _require_signed_in(user)
    term = get_object_or_404(ClusterTerm.objects.select_related("cluster__sector", "host"), pk=pk)
    if action == "view":
        return term
    if action in {"edit", "open_next"} and can_manage_sector(user):
        return term
    if action == "edit_notes" and can_edit_term_notes(user, term):
        return term
    if action == "edit_notes":
        raise PermissionDenied(
            _("Only the cluster secretariat of this term or a central officer may do this.")
        )
    raise PermissionDenied(_("Only central officers may change cluster terms."))


def require_sector_manager(user) -> None:
    _require_signed_in(user)
    if not can_manage_sector(user):
        raise PermissionDenied(_("Only central officers may do this."))


def require_signed_in(user) -> None:
    _require_signed_in(user)


# --- pacts (apps.emulation) ----------------------------------------------------------------------


def can_run_pact(user, term: ClusterTerm) -> bool:
    """Draft, open and close a term's pact: its secretariat or a central officer."""
    return can_manage_sector(user) or is_secretariat(user, term)


def can_sign_pact(user, term: ClusterTerm) -> bool:
    """Sign for a unit: the leader of a member unit of the term."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.UNIT_LEADER
        and user.unit_id
        and term.memberships.filter(unit_id=user.unit_id).exists()
    )


def access_pact(user, pk, *, action: str = "view"):
    """Fetch a pact for ``action`` in {"view", "edit", "transition", "sign"}.

    Every signed-in user reads pacts; "edit" (draft content) and "transition" (open, close,
    amend) belong to the term's secretariat and central officers; "sign" to member units' leaders.
    """
    from apps.emulation.models import Pact

    _require_signed_in(user)
    pact = get_object_or_404(Pact.objects.select_related("term__cluster"), pk=pk)
    if action == "view":
        return pact
    if action in {"edit", "transition"} and can_run_pact(user, pact.term):
        return pact
    if action == "sign" and can_sign_pact(user, pact.term):
        return pact
    if action == "sign":
        raise PermissionDenied(_("Only the leader of a member unit may sign the pact."))
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_term_pacts(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term to read its pacts ("view") or start one ("create")."""
    term = access_term(user, pk)
    if action == "view" or (action == "create" and can_run_pact(user, term)):
        return term
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_content_group(user, pk, *, action: str = "edit"):
    from apps.emulation.models import ContentGroup

    _require_signed_in(user)
    group = get_object_or_404(ContentGroup.objects.select_related("pact__term"), pk=pk)
    access_pact(user, group.pact_id, action=action)
    return group


def access_criterion(user, pk, *, action: str = "edit"):
    from apps.emulation.models import Criterion

    _require_signed_in(user)
    criterion = get_object_or_404(Criterion.objects.select_related("group__pact__term"), pk=pk)
    access_pact(user, criterion.group.pact_id, action=action)
    return criterion


def can_run_ballots(user, term: ClusterTerm) -> bool:
    """Create, open, close and publish the acclamation votes of ``term``."""
    return can_manage_sector(user) or is_secretariat(user, term)


def can_cast_ballot(user, term: ClusterTerm) -> bool:
    """Cast a unit's vote: the leader of a member unit of the term."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.UNIT_LEADER
        and user.unit_id
        and term.memberships.filter(unit_id=user.unit_id).exists()
    )


def can_cast_on(user, ballot) -> bool:
    """Vote on ``ballot``: a listed delegate on a per-delegate ballot, else a member's leader."""
    from apps.voting.choices import ElectorateKind

    if ballot.electorate_kind == ElectorateKind.DELEGATE:
        return bool(
            getattr(user, "is_authenticated", False)
            and user.is_active
            and ballot.delegates.filter(user=user).exists()
        )
    return can_cast_ballot(user, ballot.term)


def access_term_ballots(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term to list its ballots ("view") or start one ("create")."""
    term = access_term(user, pk)
    if action == "view" or (action == "create" and can_run_ballots(user, term)):
        return term
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_ballot(user, pk, *, action: str = "view"):
    """Fetch a ballot for ``action`` in {"view", "edit", "open", "close", "publish", "cast",
    "view_results"}.

    The secretariat of the ballot's term (or a central officer) prepares and runs it; drafts are
    theirs alone. The leader of a member unit casts (on a per-delegate ballot: each listed
    delegate). Results: the secretariat once the ballot is
    closed (the selectors refuse any count before that), every signed-in user once published.
    Whether the ballot is in the right state for an action is the service's answer.
    """
    from apps.voting.choices import BallotState
    from apps.voting.models import Ballot

    _require_signed_in(user)
    ballot = get_object_or_404(Ballot.objects.select_related("term__cluster"), pk=pk)
    runs = can_run_ballots(user, ballot.term)
    if action in {"view", "edit", "open", "close", "publish"} and runs:
        return ballot
    if action == "view" and ballot.state != BallotState.DRAFT:
        return ballot
    if action == "cast" and can_cast_on(user, ballot):
        return ballot
    if action == "view_results" and (runs or ballot.state == BallotState.PUBLISHED):
        return ballot
    if action == "cast" and ballot.electorate_kind == "delegate":
        raise PermissionDenied(_("Only the delegates listed on this ballot may vote on it."))
    if action == "cast":
        raise PermissionDenied(_("Only the leader of a member unit may cast its vote."))
    if action == "view_results":
        raise PermissionDenied(_("The results of this ballot are not published yet."))
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


# --- reviews and movements (apps.emulation) ------------------------------------------------------


def can_run_reviews(user, term: ClusterTerm) -> bool:
    """Create and change a term's review periods, reopen them for a unit: the term's secretariat
    or a central officer."""
    return can_manage_sector(user) or is_secretariat(user, term)


def _member_staff(user, term: ClusterTerm) -> bool:
    """A leader or officer of a member unit of ``term``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id
        and term.memberships.filter(unit_id=user.unit_id).exists()
    )


def can_launch_movement(user, term: ClusterTerm, launched_by: Unit | None = None) -> bool:
    """Launch a movement of ``term`` in the name of ``launched_by`` (``None``: the cluster).

    The cluster's movements: the secretariat or a central officer. A unit's movements: the leaders
    and officers of that member unit, or a central officer.
    """
    if can_manage_sector(user):
        return True
    if launched_by is None:
        return is_secretariat(user, term)
    return user.unit_id == launched_by.pk and _member_staff(user, term)


def movement_launchers(user, term: ClusterTerm) -> list[Unit | None]:
    """In whose name ``user`` may launch a movement of ``term``: ``None`` stands for the cluster."""
    members = [m.unit for m in term.memberships.select_related("unit").order_by("unit__sort_key")]
    choices: list[Unit | None] = []
    if can_run_reviews(user, term):
        choices.append(None)
    if can_manage_sector(user):
        return choices + members
    if _member_staff(user, term):
        choices += [u for u in members if u.pk == user.unit_id]
    return choices


def can_edit_movement(user, movement) -> bool:
    """Change or delete a movement: whoever may launch it in the same name."""
    launched_by = movement.launched_by
    if launched_by is None:
        return can_run_reviews(user, movement.term)
    return can_launch_movement(user, movement.term, launched_by)


def access_term_movements(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term to list its movements ("view", every signed-in user) or launch one ("create",
    member units' staff, the secretariat, central officers)."""
    term = access_term(user, pk)
    if action == "view" or (action == "create" and movement_launchers(user, term)):
        return term
    raise PermissionDenied(
        _(
            "Only the staff of a member unit, the cluster secretariat or a central officer may do this."
        )
    )


def access_movement(user, pk, *, action: str = "view"):
    """Fetch a movement for ``action`` in {"view", "edit"}; "edit" covers deleting it."""
    from apps.emulation.models import Movement

    _require_signed_in(user)
    movement = get_object_or_404(
        Movement.objects.select_related("term__cluster", "launched_by"), pk=pk
    )
    if action == "view" or (action == "edit" and can_edit_movement(user, movement)):
        return movement
    if movement.launched_by_id is None:
        raise PermissionDenied(
            _("Only the cluster secretariat of this term or a central officer may do this.")
        )
    raise PermissionDenied(
        _("Only the staff of %(unit)s or a central officer may change this movement.")
        % {"unit": movement.launched_by}
    )


def access_term_reviews(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term to read its review periods ("view") or add one ("create")."""
    term = access_term(user, pk)
    if action == "view" or (action == "create" and can_run_reviews(user, term)):
        return term
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_review_period(user, pk, *, action: str = "view"):
    """Fetch a review period for ``action`` in {"view", "edit", "reopen"}; "edit" covers deleting.

    Every signed-in user reads periods and the submission overview; the term's secretariat and
    central officers change them and reopen them for a unit.
    """
    from apps.emulation.models import ReviewPeriod

    _require_signed_in(user)
    period = get_object_or_404(ReviewPeriod.objects.select_related("term__cluster"), pk=pk)
    if action == "view" or (action in {"edit", "reopen"} and can_run_reviews(user, period.term)):
        return period
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


# --- cross-scoring, reconciliation and ranking (apps.emulation) ----------------------------------


def can_run_scoring(user, term: ClusterTerm) -> bool:
    """Reconcile scores, record final scores, see the unpublished ranking and publish it: the
    term's secretariat or a central officer."""
    return can_manage_sector(user) or is_secretariat(user, term)


def _scoring_unit_ids(period) -> set[int]:
    """Units that score in ``period``: the term's members and the period's panel."""
    members = set(period.term.memberships.values_list("unit_id", flat=True))
    return members | set(period.panel.values_list("pk", flat=True))


def is_scorer_staff(user, period) -> bool:
    """A leader or officer of a unit that scores in ``period`` (a member or a panel unit)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id
        and user.unit_id in _scoring_unit_ids(period)
    )


def access_period_scoring(user, pk, *, action: str = "view"):
    """Fetch a review period for a scoring ``action``:

    - "view": the cross-scoring page — scoring units' staff, the secretariat, central officers;
    - "score": start a score sheet in the name of one's own unit — scoring units' staff;
    - "run": reconciliation, final scores, publishing — the secretariat, central officers;
    - "ranking": the ranking and its export — the secretariat and central officers before it is
      published, every signed-in user after.
    """
    from apps.emulation.models import ReviewPeriod

    _require_signed_in(user)
    period = get_object_or_404(ReviewPeriod.objects.select_related("term__cluster"), pk=pk)
    runs = can_run_scoring(user, period.term)
    if action == "ranking" and (runs or period.ranking_published):
        return period
    if action == "run" and runs:
        return period
    if action == "view" and (runs or is_scorer_staff(user, period)):
        return period
    if action == "score" and is_scorer_staff(user, period):
        return period
    if action == "ranking":
        raise PermissionDenied(
            _("The ranking is not published yet; only the cluster secretariat may see it.")
        )
    if action in {"view", "score"}:
        raise PermissionDenied(
            _("Only the leaders and officers of the units that score in this period may do this.")
        )
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_score_sheet(user, pk, *, action: str = "view"):
    """Fetch a score sheet for ``action`` in {"view", "edit", "submit"}.

    The scoring unit's leaders and officers read and fill it; only its leader submits it. The
    secretariat and central officers read every sheet; once the ranking is published every
    signed-in user may read them (every scorer's points are open to the cluster).
    """
    from apps.emulation.models import ScoreSheet

    _require_signed_in(user)
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("period__term__cluster", "scorer", "target"), pk=pk
    )
    own = user.is_active and user.role in UNIT_STAFF_ROLES and user.unit_id == sheet.scorer_id
    if action == "view" and (
        own or sheet.period.ranking_published or can_run_scoring(user, sheet.period.term)
    ):
        return sheet
    if action == "edit" and own:
        return sheet
    if action == "submit" and own and user.role == Role.UNIT_LEADER:
        return sheet
    if action == "submit" and own:
        raise PermissionDenied(
            _("Only the leader of %(unit)s may submit its score sheet.") % {"unit": sheet.scorer}
        )
    raise PermissionDenied(
        _("Only the leaders and officers of %(unit)s may change this score sheet.")
        % {"unit": sheet.scorer}
        if action != "view"
        else _("This score sheet is open to its scoring unit and the cluster secretariat only.")
    )


def access_score(user, pk, *, action: str = "edit"):
    """Fetch one line of a score sheet; the right is the sheet's (``access_score_sheet``)."""
    from apps.emulation.models import Score

    _require_signed_in(user)
    score = get_object_or_404(
        Score.objects.select_related("sheet", "criterion__group", "updated_by"), pk=pk
    )
    score.sheet = access_score_sheet(user, score.sheet_id, action=action)
    return score


# --- self-assessment (apps.emulation) ------------------------------------------------------------


def _is_member_unit(unit_id, term: ClusterTerm) -> bool:
    return bool(unit_id) and term.memberships.filter(unit_id=unit_id).exists()


def can_edit_assessment(user, unit: Unit) -> bool:
    """Fill a unit's self-assessment (lines, evidence, indicators): its officers and leader.

    Whether the assessment is still a draft and the period still accepts the unit is the
    services' answer, with a message naming the state or the deadline.
    """
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id == unit.pk
    )


def can_submit_assessment(user, unit: Unit) -> bool:
    """Submit a unit's self-assessment: its leader only."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.UNIT_LEADER
        and user.unit_id == unit.pk
    )


def can_read_assessment(user, period, unit: Unit, *, submitted: bool) -> bool:
    """Read a unit's self-assessment (and download its evidence): everyone of the unit, viewers
    included; the term's secretariat; central officers and administrators; and, once it is
    submitted, everyone of the term's other member units (they cross-score it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if can_manage_sector(user) or user.unit_id == unit.pk:
        return True
    if is_secretariat(user, period.term):
        return True
    return submitted and _is_member_unit(user.unit_id, period.term)


def _check_assessment(user, period, unit: Unit, assessment, action: str) -> None:
    if action == "view":
        submitted = assessment is not None and assessment.is_submitted
        if can_read_assessment(user, period, unit, submitted=submitted):
            return
        raise PermissionDenied(_("You may not read this self-assessment."))
    if action == "edit" and can_edit_assessment(user, unit):
        return
    if action == "submit" and can_submit_assessment(user, unit):
        return
    if action == "submit":
        raise PermissionDenied(
            _("Only the leader of %(unit)s may submit its self-assessment.") % {"unit": unit}
        )
    raise PermissionDenied(
        _("Only the officers and the leader of %(unit)s may change its self-assessment.")
        % {"unit": unit}
    )


def access_unit_assessment(user, period_pk, unit_pk, *, action: str = "view"):
    """Fetch ``(period, unit, assessment or None)`` for ``action`` in {"view", "edit"}.

    404 when the period or the unit does not exist, or the unit is not a member of the period's
    term (it has no self-assessment to read or fill there).
    """
    from django.http import Http404

    from apps.emulation.models import Assessment, ReviewPeriod

    _require_signed_in(user)
    period = get_object_or_404(ReviewPeriod.objects.select_related("term__cluster"), pk=period_pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not _is_member_unit(unit.pk, period.term):
        raise Http404(_("This unit is not a member of the period's cluster term."))
    assessment = Assessment.objects.filter(period=period, unit=unit).first()
    _check_assessment(user, period, unit, assessment, action)
    return period, unit, assessment


def access_assessment(user, pk, *, action: str = "view"):
    """Fetch a self-assessment for ``action`` in {"view", "edit", "submit"}."""
    from apps.emulation.models import Assessment

    _require_signed_in(user)
    assessment = get_object_or_404(
        Assessment.objects.select_related("period__term__cluster", "unit"), pk=pk
    )
    _check_assessment(user, assessment.period, assessment.unit, assessment, action)
    return assessment


def access_assessment_item(user, pk, *, action: str = "view"):
    """Fetch a self-assessment line for ``action`` in {"view", "edit"}."""
    from apps.emulation.models import AssessmentItem

    _require_signed_in(user)
    item = get_object_or_404(
        AssessmentItem.objects.select_related(
            "assessment__period__term__cluster", "assessment__unit", "criterion__group"
        ),
        pk=pk,
    )
    assessment = item.assessment
    _check_assessment(user, assessment.period, assessment.unit, assessment, action)
    return item


def access_evidence(user, pk, *, action: str = "view"):
    """Fetch an evidence file for ``action`` in {"view" (download), "edit" (delete)}."""
    from apps.emulation.models import Evidence

    _require_signed_in(user)
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "item__assessment__period__term", "item__assessment__unit", "item__criterion"
        ),
        pk=pk,
    )
    assessment = evidence.item.assessment
    _check_assessment(user, assessment.period, assessment.unit, assessment, action)
    return evidence


def readable_assessments(user, queryset):
    """``queryset`` of self-assessments narrowed to those ``user`` may read (the list form of
    ``can_read_assessment``)."""
    from django.db.models import Q

    from apps.emulation.choices import SheetState
    from apps.organizations.models import TermMembership

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if can_manage_sector(user):
        return queryset
    if not user.unit_id:
        return queryset.none()
    member_terms = TermMembership.objects.filter(unit_id=user.unit_id).values("term_id")
    visible = Q(unit_id=user.unit_id) | Q(
        state=SheetState.SUBMITTED, period__term_id__in=member_terms
    )
    if user.role in UNIT_STAFF_ROLES:
        led_terms = TermMembership.objects.filter(
            unit_id=user.unit_id, role__in=SECRETARIAT_ROLES
        ).values("term_id")
        visible |= Q(period__term_id__in=led_terms)
    return queryset.filter(visible)


# --- support fund (apps.funds) -------------------------------------------------------------------


def can_keep_fund(user, term: ClusterTerm) -> bool:
    """Record entries in the support fund of ``term``: its secretariat or a central officer."""
    return can_manage_sector(user) or is_secretariat(user, term)


def access_term_fund(user, pk, *, action: str = "view") -> ClusterTerm:
    """Fetch a term to read its fund ledger ("view", every signed-in user) or record in it
    ("edit": the term's secretariat and central officers)."""
    term = access_term(user, pk)
    if action == "view" or can_keep_fund(user, term):
        return term
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )


def access_fund_entry(user, pk, *, action: str = "view"):
    """Fetch a ledger entry for ``action`` in {"view", "edit"} (reverse, handover, attach)."""
    from apps.funds.models import FundEntry

    _require_signed_in(user)
    entry = get_object_or_404(
        FundEntry.objects.select_related("term__cluster", "unit", "reverses"), pk=pk
    )
    access_term_fund(user, entry.term_id, action=action)
    return entry


def access_fund_attachment(user, pk):
    """Fetch a receipt or photo of a ledger entry to download it (whoever reads the ledger)."""
    from apps.funds.models import FundAttachment

    _require_signed_in(user)
    attachment = get_object_or_404(FundAttachment.objects.select_related("entry__term"), pk=pk)
    access_term_fund(user, attachment.entry.term_id)
    return attachment


# --- good practices (apps.practices) -------------------------------------------------------------


def can_propose_practice(user, unit) -> bool:
    """Record or change a unit's practice: that unit's officers and leaders, central officers."""
    if can_manage_sector(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id == unit.pk
    )


def can_adopt_practice(user, practice) -> bool:
    """Record an adoption: staff of another unit (for their unit), central officers (any)."""
    if can_manage_sector(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id
        and user.unit_id != practice.unit_id
    )


def access_practice(user, pk, *, action: str = "view"):
    """Fetch a practice for ``action`` in {"view", "edit" (and attach), "recognise", "adopt"}."""
    from apps.practices.models import GoodPractice

    _require_signed_in(user)
    practice = get_object_or_404(GoodPractice.objects.select_related("unit"), pk=pk)
    if action == "view":
        return practice
    if action == "edit" and can_propose_practice(user, practice.unit):
        return practice
    if action == "recognise" and can_manage_sector(user):
        return practice
    if action == "adopt" and can_adopt_practice(user, practice):
        return practice
    if action == "recognise":
        raise PermissionDenied(_("Only a central officer records a recognition."))
    if action == "adopt":
        raise PermissionDenied(_("Staff of another unit record that their unit adopted it."))
    raise PermissionDenied(_("Only the unit's own staff or a central officer may change it."))


def access_practice_attachment(user, pk):
    from apps.practices.models import PracticeAttachment

    _require_signed_in(user)
    attachment = get_object_or_404(PracticeAttachment.objects.select_related("practice"), pk=pk)
    return attachment


# --- award proposals (apps.awards) ---------------------------------------------------------------


def _is_staff_of(user, unit_id) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in UNIT_STAFF_ROLES
        and user.unit_id
        and user.unit_id == unit_id
    )


def can_prepare_proposal(user, proposer: Unit, term: ClusterTerm | None = None) -> bool:
    """Draft a proposal for ``proposer``: its staff, or (a cluster's file) the term's secretariat."""
    return _is_staff_of(user, proposer.pk) or (term is not None and is_secretariat(user, term))


def can_submit_proposal(user, proposal) -> bool:
    """Send the file: a leader among those who may prepare it (the letter goes out signed)."""
    return user.role == Role.UNIT_LEADER and can_prepare_proposal(
        user, proposal.proposer, proposal.term
    )


def can_review_proposal(user, proposal=None) -> bool:
    """Receive, review, return, pass, decide and issue: central officers and administrators."""
    return can_manage_sector(user)


def can_read_proposal(user, proposal) -> bool:
    if can_manage_sector(user) or getattr(user, "role", None) == Role.VIEWER:
        return True
    return can_prepare_proposal(user, proposal.proposer, proposal.term)


def proposals_visible_to(user, queryset):
    """The proposals ``user`` may list: all for central staff and viewers; a unit's staff see
    their unit's files and those of the terms their unit runs."""
    from django.db.models import Q

    from apps.organizations.models import TermMembership

    _require_signed_in(user)
    if can_manage_sector(user) or user.role == Role.VIEWER:
        return queryset
    if user.role not in UNIT_STAFF_ROLES or not user.unit_id:
        return queryset.none()
    led = TermMembership.objects.filter(unit_id=user.unit_id, role__in=SECRETARIAT_ROLES).values(
        "term_id"
    )
    return queryset.filter(Q(proposer_id=user.unit_id) | Q(term_id__in=led))


def access_proposal(user, pk, *, action: str = "view"):
    """Fetch a proposal for ``action`` in {"view", "edit" (the file and its candidates),
    "submit", "review" (every step of the receiving body)}."""
    from apps.awards.models import Proposal

    _require_signed_in(user)
    proposal = get_object_or_404(
        Proposal.objects.select_related("proposer", "receiver", "term__cluster", "ballot"), pk=pk
    )
    if not can_read_proposal(user, proposal):
        raise PermissionDenied(_("This proposal belongs to another unit."))
    if action == "view":
        return proposal
    if action == "edit" and can_prepare_proposal(user, proposal.proposer, proposal.term):
        return proposal
    if action == "submit" and can_submit_proposal(user, proposal):
        return proposal
    if action == "review" and can_review_proposal(user, proposal):
        return proposal
    if action == "submit":
        raise PermissionDenied(_("Only a leader of the proposing unit sends the proposal."))
    if action == "review":
        raise PermissionDenied(_("Only the receiving body's officers review a proposal."))
    raise PermissionDenied(_("Only the proposing unit's staff may change this proposal."))


def access_proposal_candidate(user, pk, *, action: str = "edit"):
    from apps.awards.models import ProposalCandidate

    _require_signed_in(user)
    candidate = get_object_or_404(
        ProposalCandidate.objects.select_related("proposal", "award_type", "unit"), pk=pk
    )
    access_proposal(user, candidate.proposal_id, action=action)
    return candidate


def access_proposal_attachment(user, pk):
    from apps.awards.models import ProposalAttachment

    _require_signed_in(user)
    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    access_proposal(user, attachment.proposal_id)
    return attachment


def access_decision(user, pk, *, action: str = "view"):
    """A decision recorded on a proposal: read by whoever reads the proposal; its files are
    attached by the receiving body's officers."""
    from apps.awards.models import Decision

    _require_signed_in(user)
    decision = get_object_or_404(Decision.objects.select_related("proposal"), pk=pk)
    access_proposal(user, decision.proposal_id, action="review" if action == "edit" else "view")
    return decision


def access_decision_attachment(user, pk):
    from apps.awards.models import DecisionAttachment

    _require_signed_in(user)
    attachment = get_object_or_404(DecisionAttachment.objects.select_related("decision"), pk=pk)
    access_decision(user, attachment.decision_id)
    return attachment


def access_award_record(user, pk):
    """Award records (decisions are public within the sector): every signed-in user reads."""
    from apps.awards.models import AwardRecord

    _require_signed_in(user)
    return get_object_or_404(
        AwardRecord.objects.select_related("award_type", "unit", "decision", "person_unit"), pk=pk
    )


# --- party members (apps.members) ----------------------------------------------------------------


def member_root_paths(user) -> list[str] | None:
    """Tree prefixes ``user`` may see: None for everything (central staff and viewers), else the
    subtrees whose records the user's unit keeps (empty: nothing)."""
    from apps.members.models import PartyOrganization

    _require_signed_in(user)
    if can_manage_sector(user) or user.role == Role.VIEWER:
        return None
    if user.role not in UNIT_STAFF_ROLES or not user.unit_id:
        return []
    return list(
        PartyOrganization.objects.filter(managed_by_id=user.unit_id).values_list("path", flat=True)
    )


def in_member_scope(user, path: str) -> bool:
    roots = member_root_paths(user)
    return roots is None or any(path.startswith(root) for root in roots)


def can_edit_members(user, path: str) -> bool:
    """Add and change member records under ``path``: the keeping unit's staff, central officers."""
    if can_manage_sector(user):
        return True
    roots = member_root_paths(user)
    return bool(roots) and any(path.startswith(root) for root in roots)


def can_view_full_cccd(user, path: str) -> bool:
    """The full citizen ID: central officers and the keeping unit's leaders (viewers and officers
    see it masked)."""
    if can_manage_sector(user):
        return True
    return user.role == Role.UNIT_LEADER and can_edit_members(user, path)


def access_party_org(user, pk, *, action: str = "view"):
    from apps.members.models import PartyOrganization

    _require_signed_in(user)
    org = get_object_or_404(PartyOrganization.objects.select_related("parent", "managed_by"), pk=pk)
    if not in_member_scope(user, org.path):
        raise PermissionDenied(_("These member records are kept by another unit."))
    if action == "edit" and not can_edit_members(user, org.path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    return org


def access_member(user, pk, *, action: str = "view"):
    """Fetch a member for ``action`` in {"view", "edit", "cccd" (the full number)}."""
    from apps.members.models import Member

    _require_signed_in(user)
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    if not in_member_scope(user, member.org_path):
        raise PermissionDenied(_("These member records are kept by another unit."))
    if action == "edit" and not can_edit_members(user, member.org_path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    if action == "cccd" and not can_view_full_cccd(user, member.org_path):
        raise PermissionDenied(_("Only the keeping unit's leaders or a central officer see it."))
    return member


# --- inspections and training courses (apps.members) -------------------------------------------


def access_inspection(user, pk, *, action: str = "view"):
    """Fetch an inspection for ``action`` in {"view", "edit", "reopen"}: it belongs to the subtree
    of its subject; "edit" as for member records; "reopen" (a concluded one) central officers."""
    from apps.members.models import Inspection

    _require_signed_in(user)
    inspection = get_object_or_404(
        Inspection.objects.select_related(
            "conducted_by", "subject_org", "subject_member", "created_by"
        ),
        pk=pk,
    )
    path = inspection.subject_path
    if not in_member_scope(user, path):
        raise PermissionDenied(_("These member records are kept by another unit."))
    if action == "edit" and not can_edit_members(user, path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    if action == "reopen" and not can_manage_sector(user):
        raise PermissionDenied(_("Only a central officer may reopen a concluded inspection."))
    return inspection


def access_course(user, pk, *, action: str = "view"):
    """Fetch a training course for ``action`` in {"view", "edit"}: it belongs to the subtree of
    its organiser; "edit" (the course, its participants and results) as for member records."""
    from apps.members.models import TrainingCourse

    _require_signed_in(user)
    course = get_object_or_404(
        TrainingCourse.objects.select_related("organizer", "created_by"), pk=pk
    )
    if not in_member_scope(user, course.organizer.path):
        raise PermissionDenied(_("These member records are kept by another unit."))
    if action == "edit" and not can_edit_members(user, course.organizer.path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    return course


def can_view_country_statistics(user) -> bool:
    """The whole country's member statistics: central staff and viewers (those who see every
    subtree); a unit's staff read their own subtrees' statistics page instead."""
    return member_root_paths(user) is None


def access_org_classification(user, pk, *, step: str | None = None):
    """Fetch a party organisation for its classification. Reading needs the subtree in scope; a
    step (``ORG_TRANSITIONS``) needs edit rights where it is taken: on the organisation itself
    (self-assessment), on its direct parent (appraisal) or on the deciding committee (decision)."""
    from apps.members.choices import ORG_TRANSITIONS
    from apps.members.org_classification import deciding_org

    org = access_party_org(user, pk)
    if step is None:
        return org
    who = ORG_TRANSITIONS[step][2]
    where = {"organisation": org, "superior": org.parent}.get(who) or (
        deciding_org(org) if who == "decider" else None
    )
    if where is None or not can_edit_members(user, where.path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    return org
