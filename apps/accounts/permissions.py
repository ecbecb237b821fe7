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
    theirs alone. The leader of a member unit casts. Results: the secretariat once the ballot is
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
    if action == "cast" and can_cast_ballot(user, ballot.term):
        return ballot
    if action == "view_results" and (runs or ballot.state == BallotState.PUBLISHED):
        return ballot
    if action == "cast":
        raise PermissionDenied(_("Only the leader of a member unit may cast its vote."))
    if action == "view_results":
        raise PermissionDenied(_("The results of this ballot are not published yet."))
    raise PermissionDenied(
        _("Only the cluster secretariat of this term or a central officer may do this.")
    )
