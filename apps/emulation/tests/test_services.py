"""Pact services: every transition allowed and refused, draft-only editing, amendments, copies."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.emulation import selectors, services
from apps.emulation.choices import CriterionKind, PactState
from apps.emulation.models import Criterion, Pact
from apps.emulation.tests.factories import draft_pact, open_pact, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English source; one test checks the Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def units():
    return [UnitFactory(short_name=f"Đơn vị {i}") for i in range(3)]


@pytest.fixture
def term(units):
    return org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )


@pytest.fixture
def leader(units):
    return UserFactory(role=Role.UNIT_LEADER, unit=units[1])


def test_create_draft_with_totals(term):
    pact = draft_pact(term, criteria=(60, 30, 10), bonus=5, penalty=3)
    assert pact.state == PactState.DRAFT and pact.version == 1
    totals = selectors.pact_totals(pact=selectors.pact_detail(pk=pact.pk))
    assert totals.criteria == Decimal("100")
    assert totals.bonus_cap == Decimal("5")
    assert totals.penalty_cap == Decimal("3")
    assert totals.criteria_count == 3
    assert AuditEvent.objects.filter(action="pact.create", object_id=str(pact.pk)).exists()


def test_one_pact_per_term(term):
    draft_pact(term)
    with pytest.raises(ValidationError, match="already has a pact"):
        services.pact_create(actor=None, term=term, title="Lần hai")


def test_max_points_must_be_positive(term):
    pact = draft_pact(term)
    with pytest.raises(ValidationError):
        services.criterion_add(
            actor=None, group=pact.groups.get(), title="Sai", max_points=Decimal("0")
        )


def test_open_needs_a_criterion(term):
    pact = services.pact_create(actor=None, term=term, title="Trống")
    with pytest.raises(ValidationError, match="at least one criterion"):
        services.pact_open_for_signing(actor=None, pact=pact)
    pact.refresh_from_db()
    assert pact.state == PactState.DRAFT


def test_wrong_transitions_name_both_states(term):
    pact = draft_pact(term)
    with pytest.raises(ValidationError) as error:
        services.pact_close(actor=None, pact=pact)
    assert "Draft" in error.value.messages[0] and "Closed" in error.value.messages[0]
    with pytest.raises(ValidationError, match="cannot be signed"):
        services.pact_sign(actor=None, pact=pact, unit=term.member_units[0])
    with pytest.raises(ValidationError, match="cannot be amended"):
        services.pact_amend(actor=None, pact=pact, reason="x")
    services.pact_open_for_signing(actor=None, pact=pact)
    with pytest.raises(ValidationError, match="cannot move"):
        services.pact_open_for_signing(actor=None, pact=pact)


def test_wrong_transition_message_in_vietnamese(term):
    pact = draft_pact(term)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.pact_close(actor=None, pact=pact)
    message = error.value.messages[0]
    assert "Dự thảo" in message and "Đã kết thúc" in message


def test_signing_locks_when_all_signed(term, leader):
    pact = open_pact(term)
    first, second, third = term.member_units
    signature = services.pact_sign(actor=leader, pact=pact, unit=second)
    assert signature.signed_by == leader and signature.signed_at
    services.pact_sign(actor=None, pact=pact, unit=first)
    pact.refresh_from_db()
    assert pact.state == PactState.OPEN_FOR_SIGNING
    status = selectors.pact_signature_status(pact=pact)
    assert [u.pk for u in status.missing] == [third.pk]
    services.pact_sign(actor=None, pact=pact, unit=third)
    pact.refresh_from_db()
    assert pact.state == PactState.SIGNED and pact.signed_at
    assert AuditEvent.objects.filter(action="pact.signed_by_all", object_id=str(pact.pk)).exists()
    assert AuditEvent.objects.filter(action="pact.sign").count() == 3


def test_double_sign_refused(term):
    pact = open_pact(term)
    unit = term.member_units[0]
    services.pact_sign(actor=None, pact=pact, unit=unit)
    with pytest.raises(ValidationError, match="already signed"):
        services.pact_sign(actor=None, pact=pact, unit=unit)


def test_non_member_cannot_sign(term):
    pact = open_pact(term)
    with pytest.raises(ValidationError, match="not a member"):
        services.pact_sign(actor=None, pact=pact, unit=UnitFactory())


def test_signed_pact_cannot_be_edited(term):
    pact = signed_pact(term)
    group = pact.groups.get()
    criterion = group.criteria.first()
    calls = [
        lambda: services.pact_update(actor=None, pact=pact, title="Mới"),
        lambda: services.content_group_add(actor=None, pact=pact, code="II", title="Hai"),
        lambda: services.content_group_update(actor=None, group=group, title="Đổi"),
        lambda: services.content_group_delete(actor=None, group=group),
        lambda: services.criterion_add(
            actor=None, group=group, title="Thêm", max_points=Decimal(1)
        ),
        lambda: services.criterion_update(actor=None, criterion=criterion, title="Đổi"),
        lambda: services.criterion_delete(actor=None, criterion=criterion),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="Only a draft pact"):
            call()
    assert Criterion.objects.filter(group__pact=pact).count() == 4


def test_draft_editing_is_audited_with_snapshots(term):
    pact = draft_pact(term)
    criterion = Criterion.objects.filter(group__pact=pact).first()
    services.criterion_update(actor=None, criterion=criterion, max_points=Decimal("55"))
    event = AuditEvent.objects.get(action="pact.criterion_update")
    assert event.before["max_points"] == "60.00" and event.after["max_points"] == "55"
    services.criterion_delete(actor=None, criterion=criterion)
    assert AuditEvent.objects.get(action="pact.criterion_delete").before["title"] == "Tiêu chí 60"


def test_close_from_signed_only(term):
    pact = signed_pact(term)
    services.pact_close(actor=None, pact=pact)
    pact.refresh_from_db()
    assert pact.state == PactState.CLOSED and pact.closed_at
    with pytest.raises(ValidationError, match="cannot move"):
        services.pact_close(actor=None, pact=pact)


def test_amendment_versions_and_pact_in_force(term):
    pact = signed_pact(term)
    assert selectors.pact_in_force(term=term) == pact
    with pytest.raises(ValidationError):
        services.pact_amend(actor=None, pact=pact, reason="  ")
    amendment = services.pact_amend(actor=None, pact=pact, reason="Sáp nhập tỉnh")
    assert amendment.version == 2 and amendment.state == PactState.DRAFT
    assert amendment.supersedes == pact and amendment.amendment_reason == "Sáp nhập tỉnh"
    assert Criterion.objects.filter(group__pact=amendment).count() == 4
    with pytest.raises(ValidationError, match="already being prepared"):
        services.pact_amend(actor=None, pact=pact, reason="Lần nữa")
    # The old version stays in force while the amendment is prepared and signed.
    group = amendment.groups.get()
    services.criterion_add(actor=None, group=group, title="Mới", max_points=Decimal(10))
    services.pact_open_for_signing(actor=None, pact=amendment)
    assert selectors.pact_in_force(term=term) == pact
    for unit in term.member_units:
        services.pact_sign(actor=None, pact=amendment, unit=unit)
    pact.refresh_from_db()
    amendment.refresh_from_db()
    assert amendment.state == PactState.SIGNED
    assert pact.state == PactState.CLOSED
    assert AuditEvent.objects.filter(action="pact.superseded", object_id=str(pact.pk)).exists()
    assert selectors.pact_in_force(term=term) == amendment
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert selectors.pact_in_force(term=term, on=yesterday) is None
    # The original keeps its content: the copy was deep.
    assert Criterion.objects.filter(group__pact=pact).count() == 4


def test_copy_from_previous_year(units):
    cluster = ClusterFactory()
    old_term = org.term_create(
        actor=None, cluster=cluster, year=2024, members=units, leader=units[0]
    )
    old = signed_pact(old_term, title="Giao ước năm 2024")
    new_term = org.term_create(
        actor=None, cluster=cluster, year=2025, members=units[:2], leader=units[1]
    )
    pact = services.pact_copy_from_previous(actor=None, term=new_term)
    assert pact.title == "Giao ước năm 2025"
    assert pact.state == PactState.DRAFT and pact.term == new_term
    assert not pact.signatures.exists()
    copied = list(Criterion.objects.filter(group__pact=pact).values_list("title", "kind"))
    original = list(Criterion.objects.filter(group__pact=old).values_list("title", "kind"))
    assert copied == original
    assert ("Điểm thưởng", CriterionKind.BONUS) in copied
    event = AuditEvent.objects.get(action="pact.copy_from_previous")
    assert event.after["copied_from"]["id"] == old.pk


def test_copy_without_previous_refused(term):
    with pytest.raises(ValidationError, match="no pact from an earlier year"):
        services.pact_copy_from_previous(actor=None, term=term)
    assert not Pact.objects.exists()


def test_group_code_unique_in_pact(term):
    pact = draft_pact(term)
    with pytest.raises(ValidationError):
        services.content_group_add(actor=None, pact=pact, code="I", title="Trùng")


def test_only_imports_may_backdate(term, leader):
    pact = open_pact(term)
    paper_day = timezone.now() - dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="imported from paper"):
        services.pact_sign(actor=leader, pact=pact, unit=leader.unit, signed_at=paper_day)
    signature = services.pact_sign(
        actor=None, pact=pact, unit=term.member_units[0], signed_at=paper_day
    )
    assert signature.signed_at == paper_day and signature.signed_by is None
