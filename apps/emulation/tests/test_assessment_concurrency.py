"""Optimistic locking under a real race: several saves of one line over the same version, at the
same moment, each in its own transaction and database connection. Exactly one wins; every other
gets the conflict with the winner's value; nothing is overwritten silently.

As in the voting tests, SQLite's in-memory test database is copied to a file for the test's
duration (shared-cache memory databases fail at once when busy instead of waiting). On
PostgreSQL the assessment row lock orders the saves and ``UPDATE … WHERE version = n`` decides.
"""

import sqlite3
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from apps.emulation import services
from apps.emulation.choices import SheetState
from apps.emulation.models import Assessment, AssessmentItem
from apps.emulation.services.assessment import AssessmentItemConflict
from apps.emulation.tests.assessment_world import make_world


@pytest.fixture
def file_database(transactional_db, tmp_path):
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "assessment-race.sqlite3"
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


def _race(calls):
    """Run the calls at the same moment, one thread and connection each; return the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except Exception as error:  # recorded for the assertions
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_saves_of_one_version_one_wins_the_others_conflict(file_database):
    w = make_world()
    assessment = w.open()
    line = w.line(assessment)
    officers = [w.users["officer"], w.users["officer2"], w.users["leader"]] * 3
    calls = [
        (
            lambda user=user, n=n: services.assessment_item_update(
                actor=user, item=line, version=0, points=Decimal(n + 1), explanation=f"Bản {n}"
            )
        )
        for n, user in enumerate(officers)
    ]
    outcomes = _race(calls)
    wins = [value for kind, value in outcomes if kind == "ok"]
    conflicts = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1, outcomes
    assert all(isinstance(c, AssessmentItemConflict) for c in conflicts), conflicts
    assert len(conflicts) == len(calls) - 1
    stored = AssessmentItem.objects.get(pk=line.pk)
    assert stored.version == 1
    assert (stored.points, stored.explanation) == (wins[0].points, wins[0].explanation)
    # Every loser was shown the winner's value.
    assert {c.current.points for c in conflicts} == {stored.points}
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="assessment.item_update").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_racing_the_submission_never_lands_after_it(file_database):
    w = make_world()
    assessment = w.fill(w.open())
    line = w.line(assessment)
    line.refresh_from_db()
    outcomes = _race(
        [
            lambda: services.assessment_submit(actor=w.users["leader"], assessment=assessment),
            lambda: services.assessment_item_update(
                actor=w.users["officer"], item=line, version=line.version, points=Decimal("59")
            ),
        ]
    )
    submitted = Assessment.objects.get(pk=assessment.pk)
    assert submitted.state == SheetState.SUBMITTED, outcomes
    stored = AssessmentItem.objects.get(pk=line.pk)
    save_kind, save_value = outcomes[1]
    if save_kind == "ok":
        # The save came first: it is part of what was submitted, and it was saved before.
        assert stored.points == Decimal("59") and stored.updated_at <= submitted.submitted_at
    else:
        # The submission came first: the save was refused for the state, nothing changed.
        assert "Submitted" in str(save_value) or "Đã gửi" in str(save_value)
        assert stored.points == Decimal("30")
