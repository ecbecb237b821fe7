"""Review-period and movement services: every rule allowed and refused, the audit rows, the
Vietnamese refusals, and two secretaries adding the same period at once."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone, translation

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.emulation import services
from apps.emulation.models import (
    Assessment,
    Movement,
    PeriodReopening,
    ReviewPeriod,
)
from apps.emulation.tests.factories import review_period, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English source; some tests check the Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def units():
    return [UnitFactory(short_name=f"Đơn vị {i}") for i in range(4)]


@pytest.fixture
def term(units):
    return org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=2025,
        members=units[:3],
        leader=units[0],
        deputies=[units[1]],
    )


@pytest.fixture
def outsider(units):
    return units[3]


@pytest.fixture
def secretary(units):
    return UserFactory(role=Role.UNIT_OFFICER, unit=units[0])


def _messages(error):
    return error.value.message_dict


def _past_period(term, **extra):
    today = timezone.localdate()
    return review_period(
        term, kind="mid_year", opens_on=today - 20 * DAY, deadline=today - DAY, **extra
    )


# --- review periods: create --------------------------------------------------------------------


def test_create_with_the_leader_and_deputies_as_default_panel(term, units, secretary):
    period = services.review_period_create(
        actor=secretary,
        term=term,
        kind="year_end",
        opens_on=dt.date(2025, 11, 1),
        deadline=dt.date(2025, 11, 20),
    )
    assert set(period.panel.all()) == {units[0], units[1]}
    assert period.flag_margin == Decimal("20")
    event = AuditEvent.objects.get(action="review_period.create", object_id=str(period.pk))
    assert event.actor == secretary
    assert event.after["kind"] == "year_end" and event.after["deadline"] == "2025-11-20"
    assert [u["id"] for u in event.after["panel"]] == sorted([units[0].pk, units[1].pk])


def test_create_with_a_chosen_panel_and_margin(term, units):
    period = services.review_period_create(
        actor=None,
        term=term,
        kind="mid_year",
        opens_on=dt.date(2025, 6, 1),
        deadline=dt.date(2025, 6, 1),  # one day is enough: both dates are inclusive
        flag_margin=Decimal("12.5"),
        panel=[units[2]],
    )
    assert list(period.panel.all()) == [units[2]]
    assert period.flag_margin == Decimal("12.5")


def test_create_with_an_empty_panel_keeps_it_empty(term):
    period = services.review_period_create(
        actor=None,
        term=term,
        kind="mid_year",
        opens_on=dt.date(2025, 6, 1),
        deadline=dt.date(2025, 6, 30),
        panel=[],
    )
    assert not period.panel.exists()


def test_deadline_before_opening_refused(term):
    with pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="year_end",
            opens_on=dt.date(2025, 11, 20),
            deadline=dt.date(2025, 11, 19),
        )
    assert _messages(error)["deadline"] == [
        "The deadline (19/11/2025) cannot be before the opening day (20/11/2025)."
    ]
    assert not ReviewPeriod.objects.exists()


def test_refusals_are_in_vietnamese(term, outsider):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="year_end",
            opens_on=dt.date(2025, 11, 20),
            deadline=dt.date(2025, 11, 19),
            panel=[outsider],
        )
    messages = _messages(error)
    assert messages["deadline"] == ["Hạn chót (19/11/2025) không thể trước ngày mở (20/11/2025)."]
    # The panel is checked once the dates are right.
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="year_end",
            opens_on=dt.date(2025, 11, 1),
            deadline=dt.date(2025, 11, 19),
            panel=[outsider],
        )
    assert _messages(error)["panel"] == [f"{outsider} không phải là thành viên của {term}."]


def test_one_period_of_each_kind_per_term(term):
    review_period(term, kind="year_end")
    with pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="year_end",
            opens_on=dt.date(2025, 11, 1),
            deadline=dt.date(2025, 11, 20),
        )
    assert _messages(error)["kind"] == [
        f"{term} already has the period “Year-end review (tổng kết)”."
    ]
    # The other kind is fine, and the same kind in another term too.
    services.review_period_create(
        actor=None,
        term=term,
        kind="mid_year",
        opens_on=dt.date(2025, 6, 1),
        deadline=dt.date(2025, 6, 30),
    )


def test_unknown_kind_and_margin_out_of_range_refused(term):
    with pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="quarterly",
            opens_on=dt.date(2025, 6, 1),
            deadline=dt.date(2025, 6, 30),
            flag_margin=Decimal("100.01"),
        )
    assert set(_messages(error)) == {"kind", "flag_margin"}
    with pytest.raises(ValidationError, match="from 0 to 100"):
        services.review_period_create(
            actor=None,
            term=term,
            kind="mid_year",
            opens_on=dt.date(2025, 6, 1),
            deadline=dt.date(2025, 6, 30),
            flag_margin=Decimal("-1"),
        )


def test_panel_unit_outside_the_term_refused(term, outsider):
    with pytest.raises(ValidationError) as error:
        services.review_period_create(
            actor=None,
            term=term,
            kind="mid_year",
            opens_on=dt.date(2025, 6, 1),
            deadline=dt.date(2025, 6, 30),
            panel=[outsider],
        )
    assert _messages(error)["panel"] == [f"{outsider} is not a member of {term}."]
    assert not ReviewPeriod.objects.exists()


# --- review periods: update and delete ---------------------------------------------------------


def test_update_records_only_what_changed(term, units, secretary):
    period = review_period(term, opens_on=dt.date(2025, 11, 1), deadline=dt.date(2025, 11, 20))
    services.review_period_update(
        actor=secretary,
        period=period,
        deadline=dt.date(2025, 11, 25),
        flag_margin=Decimal("20"),  # unchanged
        panel=[units[0], units[2]],
    )
    period.refresh_from_db()
    assert period.deadline == dt.date(2025, 11, 25)
    assert set(period.panel.all()) == {units[0], units[2]}
    event = AuditEvent.objects.get(action="review_period.update")
    assert set(event.before) == set(event.after) == {"deadline", "panel"}
    assert event.before["deadline"] == "2025-11-20" and event.after["deadline"] == "2025-11-25"


def test_update_with_the_same_values_records_nothing(term):
    period = review_period(term, opens_on=dt.date(2025, 11, 1), deadline=dt.date(2025, 11, 20))
    before = AuditEvent.objects.count()
    services.review_period_update(
        actor=None, period=period, opens_on=dt.date(2025, 11, 1), panel=list(period.panel.all())
    )
    assert AuditEvent.objects.count() == before


def test_update_refuses_bad_dates_duplicate_kind_and_unknown_fields(term, outsider):
    review_period(
        term, kind="mid_year", opens_on=dt.date(2025, 6, 1), deadline=dt.date(2025, 6, 30)
    )
    period = review_period(term, opens_on=dt.date(2025, 11, 1), deadline=dt.date(2025, 11, 20))
    with pytest.raises(ValidationError) as error:
        services.review_period_update(actor=None, period=period, opens_on=dt.date(2025, 11, 21))
    assert "deadline" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.review_period_update(actor=None, period=period, kind="mid_year")
    assert "kind" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.review_period_update(actor=None, period=period, panel=[outsider])
    assert "panel" in _messages(error)
    with pytest.raises(ValidationError, match="cannot be changed here: term"):
        services.review_period_update(actor=None, period=period, term=None)
    period.refresh_from_db()
    assert (period.kind, period.opens_on) == ("year_end", dt.date(2025, 11, 1))


def test_published_ranking_freezes_kind_and_dates_but_not_margin_or_panel(term, units):
    period = review_period(
        term,
        opens_on=dt.date(2025, 11, 1),
        deadline=dt.date(2025, 11, 20),
        ranking_published_at=dt.datetime(2025, 12, 5, 10, 0, tzinfo=dt.UTC),
    )
    for change in (
        {"deadline": dt.date(2025, 11, 30)},
        {"opens_on": dt.date(2025, 10, 1)},
        {"kind": "mid_year"},
    ):
        with pytest.raises(ValidationError, match="published on 05/12/2025 17:00"):
            services.review_period_update(actor=None, period=period, **change)
    # Sending the same dates back (a form re-saved as it was) is not a change.
    services.review_period_update(
        actor=None,
        period=period,
        kind="year_end",
        opens_on=dt.date(2025, 11, 1),
        deadline=dt.date(2025, 11, 20),
        flag_margin=Decimal("10"),
        panel=[units[2]],
    )
    period.refresh_from_db()
    assert period.flag_margin == Decimal("10") and list(period.panel.all()) == [units[2]]


def test_delete_an_unused_period(term, secretary):
    period = review_period(term)
    pk = period.pk
    assert services.review_period_delete(actor=secretary, period=period) == term
    assert not ReviewPeriod.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="review_period.delete")
    assert event.object_id == str(pk) and event.before["kind"] == "year_end"


def test_delete_refused_once_something_depends_on_the_period(term, units):
    with_assessment = review_period(term)
    Assessment.objects.create(period=with_assessment, unit=units[0], pact=signed_pact(term))
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.review_period_delete(actor=None, period=with_assessment)
    reopened = _past_period(term)
    PeriodReopening.objects.create(
        period=reopened, unit=units[2], until=timezone.localdate(), reason="Lý do"
    )
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.review_period_delete(actor=None, period=reopened)
    assert ReviewPeriod.objects.count() == 2


def test_delete_refused_after_publication(term):
    period = review_period(term, ranking_published_at=timezone.now())
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.review_period_delete(actor=None, period=period)


# --- reopening -----------------------------------------------------------------------------------


def test_reopen_after_the_deadline_records_who_why_and_until(term, units, secretary):
    period = _past_period(term)
    today = timezone.localdate()
    reopening = services.review_period_reopen(
        actor=secretary, period=period, unit=units[2], until=today, reason="  Mất điện  "
    )
    assert (reopening.unit, reopening.until, reopening.reason) == (units[2], today, "Mất điện")
    assert reopening.created_by == secretary
    assert period.accepts_from(units[2]) and not period.accepts_from(units[1])
    event = AuditEvent.objects.get(action="review_period.reopen", object_id=str(period.pk))
    assert event.actor == secretary
    assert event.after["reason"] == "Mất điện" and event.after["until"] == today.isoformat()
    assert event.after["unit"]["id"] == units[2].pk


def test_reopen_a_second_time_keeps_both(term, units):
    period = _past_period(term)
    today = timezone.localdate()
    services.review_period_reopen(actor=None, period=period, unit=units[2], until=today, reason="1")
    services.review_period_reopen(
        actor=None, period=period, unit=units[2], until=today + 3 * DAY, reason="2"
    )
    assert period.reopenings.count() == 2
    assert period.reopening_for(units[2]).reason == "2"


def test_reopen_refusals(term, units, outsider):
    period = _past_period(term)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.review_period_reopen(
            actor=None, period=period, unit=outsider, until=today - DAY, reason="   "
        )
    messages = _messages(error)
    assert messages["unit"] == [f"{outsider} is not a member of {term}."]
    assert messages["until"] == [
        f"A reopening lasts until today ({today:%d/%m/%Y}) or a later day."
    ]
    assert messages["reason"] == ["State the reason for reopening the period."]
    assert not PeriodReopening.objects.exists()


def test_reopen_refused_while_the_period_is_open_even_on_its_deadline_day(term, units):
    today = timezone.localdate()
    period = review_period(term, opens_on=today - 5 * DAY, deadline=today)
    with pytest.raises(ValidationError) as error:
        services.review_period_reopen(
            actor=None, period=period, unit=units[2], until=today + DAY, reason="Xin thêm"
        )
    assert error.value.messages == [
        f"The period is still open until {today:%d/%m/%Y}; {units[2]} can submit without a "
        "reopening."
    ]


def test_reopen_refused_before_the_period_opens(term, units):
    today = timezone.localdate()
    period = review_period(term, opens_on=today + DAY, deadline=today + 9 * DAY)
    with pytest.raises(ValidationError, match="there is nothing to reopen yet"):
        services.review_period_reopen(
            actor=None, period=period, unit=units[2], until=today + DAY, reason="Sớm"
        )


def test_reopen_refused_after_publication(term, units):
    period = _past_period(term, ranking_published_at=timezone.now())
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.review_period_reopen(
            actor=None, period=period, unit=units[2], until=timezone.localdate(), reason="Muộn"
        )


def test_reopen_refusal_in_vietnamese(term, units):
    today = timezone.localdate()
    period = review_period(term, opens_on=today - 5 * DAY, deadline=today)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        services.review_period_reopen(
            actor=None, period=period, unit=units[2], until=today, reason="Xin thêm"
        )
    assert "vẫn đang mở đến hết ngày" in error.value.messages[0]


# --- movements -----------------------------------------------------------------------------------


def test_unit_movement_with_participants_and_criteria(term, units, secretary):
    pact = signed_pact(term)
    criteria = list(pact.groups.get().criteria.all()[:2])
    movement = services.movement_create(
        actor=secretary,
        term=term,
        launched_by=units[1],
        name="  Thi đua chuyển đổi số  ",
        slogan="Đoàn kết – Sáng tạo",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 9, 30),
        participants=[units[1], units[2], units[1]],  # repeated: kept once
        criteria=criteria,
    )
    assert movement.name == "Thi đua chuyển đổi số" and movement.launched_by == units[1]
    assert set(movement.participants.all()) == {units[1], units[2]}
    assert set(movement.criteria.all()) == set(criteria)
    event = AuditEvent.objects.get(action="movement.create", object_id=str(movement.pk))
    assert event.after["launched_by"]["id"] == units[1].pk
    assert len(event.after["participants"]) == 2 and len(event.after["criteria"]) == 2


def test_cluster_movement_without_an_end(term):
    movement = services.movement_create(
        actor=None, term=term, name="Phong trào của cụm", starts_on=dt.date(2025, 1, 1)
    )
    assert movement.launched_by is None and movement.ends_on is None


def test_movement_refusals(term, units, outsider):
    with pytest.raises(ValidationError) as error:
        services.movement_create(
            actor=None,
            term=term,
            name="   ",
            starts_on=dt.date(2025, 5, 1),
            ends_on=dt.date(2025, 4, 30),
        )
    assert set(_messages(error)) == {"name", "ends_on"}
    with pytest.raises(ValidationError) as error:
        services.movement_create(
            actor=None, term=term, name="X", starts_on=dt.date(2025, 5, 1), participants=[outsider]
        )
    assert _messages(error)["participants"] == [f"{outsider} is not a member of {term}."]
    with pytest.raises(ValidationError) as error:
        services.movement_create(
            actor=None, term=term, name="X", starts_on=dt.date(2025, 5, 1), launched_by=outsider
        )
    assert "launched_by" in _messages(error)
    assert not Movement.objects.exists()


def test_criteria_must_come_from_the_pact_in_force(term, units):
    other_term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=[units[3]], leader=units[3]
    )
    foreign = signed_pact(other_term).groups.get().criteria.first()
    with pytest.raises(ValidationError) as error:
        services.movement_create(
            actor=None, term=term, name="X", starts_on=dt.date(2025, 5, 1), criteria=[foreign]
        )
    assert _messages(error)["criteria"] == [
        f"The criterion “{foreign}” is not in the pact in force for {term}."
    ]
    # A draft pact is not in force either.
    from apps.emulation.tests.factories import draft_pact

    draft = draft_pact(term).groups.get().criteria.first()
    with pytest.raises(ValidationError, match="not in the pact in force"):
        services.movement_create(
            actor=None, term=term, name="X", starts_on=dt.date(2025, 5, 1), criteria=[draft]
        )


def test_linked_criteria_survive_an_amendment(term, units):
    pact = signed_pact(term)
    old_criterion = pact.groups.get().criteria.first()
    movement = services.movement_create(
        actor=None, term=term, name="X", starts_on=dt.date(2025, 5, 1), criteria=[old_criterion]
    )
    amendment = services.pact_amend(actor=None, pact=pact, reason="Sửa đổi")
    services.pact_open_for_signing(actor=None, pact=amendment)
    for unit in units[:3]:
        services.pact_sign(actor=None, pact=amendment, unit=unit)
    new_criterion = amendment.groups.get().criteria.first()
    # The old link stays acceptable; new links come from the amendment.
    services.movement_update(actor=None, movement=movement, criteria=[old_criterion, new_criterion])
    assert set(movement.criteria.all()) == {old_criterion, new_criterion}
    other_old = pact.groups.get().criteria.last()
    with pytest.raises(ValidationError, match="not in the pact in force"):
        services.movement_update(actor=None, movement=movement, criteria=[other_old])


def test_movement_update_records_the_changes_only(term, units, secretary):
    movement = services.movement_create(
        actor=None,
        term=term,
        name="Tên cũ",
        starts_on=dt.date(2025, 5, 1),
        participants=[units[0]],
    )
    services.movement_update(
        actor=secretary,
        movement=movement,
        name="Tên mới",
        starts_on=dt.date(2025, 5, 1),
        participants=[units[0], units[2]],
    )
    movement.refresh_from_db()
    assert movement.name == "Tên mới"
    event = AuditEvent.objects.get(action="movement.update")
    assert set(event.after) == {"name", "participants"}
    assert event.before["name"] == "Tên cũ"
    before = AuditEvent.objects.count()
    services.movement_update(actor=None, movement=movement, name="Tên mới", ends_on=None)
    assert AuditEvent.objects.count() == before


def test_movement_update_refusals_leave_it_unchanged(term, units, outsider):
    movement = services.movement_create(
        actor=None, term=term, name="Giữ nguyên", starts_on=dt.date(2025, 5, 1)
    )
    with pytest.raises(ValidationError):
        services.movement_update(actor=None, movement=movement, ends_on=dt.date(2025, 4, 1))
    with pytest.raises(ValidationError):
        services.movement_update(actor=None, movement=movement, participants=[outsider])
    with pytest.raises(ValidationError, match="cannot be changed here: launched_by"):
        services.movement_update(actor=None, movement=movement, launched_by=units[1])
    movement.refresh_from_db()
    assert movement.ends_on is None and not movement.participants.exists()


def test_movement_delete_keeps_its_content_in_the_audit(term, units, secretary):
    movement = services.movement_create(
        actor=None, term=term, name="Sẽ xóa", starts_on=dt.date(2025, 5, 1), participants=units[:2]
    )
    pk = movement.pk
    assert services.movement_delete(actor=secretary, movement=movement) == term
    assert not Movement.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="movement.delete")
    assert event.object_id == str(pk) and event.before["name"] == "Sẽ xóa"
    assert len(event.before["participants"]) == 2


# --- concurrency ---------------------------------------------------------------------------------


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """SQLite's in-memory test database cannot make writers wait; use a file copy (as the
    voting concurrency test does). Other databases run as they are."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "reviews.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    saved_name, saved_raw = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.connection = saved_raw


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_secretaries_adding_the_same_period_at_once_make_one(file_database):
    units = [UnitFactory() for _ in range(3)]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    attempts = 6
    barrier = threading.Barrier(attempts)
    created, refused, errors = [], [], []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                period = services.review_period_create(
                    actor=None,
                    term=term,
                    kind="year_end",
                    opens_on=dt.date(2025, 11, 1),
                    deadline=dt.date(2025, 11, 20),
                )
            with lock:
                created.append(period.pk)
        except ValidationError as exc:
            with lock:
                refused.append(" ".join(exc.messages))
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[:3]
    assert len(created) == 1
    assert len(refused) == attempts - 1
    assert all("already has the period" in text for text in refused)
    assert ReviewPeriod.objects.filter(term=term).count() == 1
