"""A voter cannot vote twice, even with 50 attempts at the same moment.

Real transactions (``transaction=True``): each thread has its own database connection, all start
together at a barrier. On SQLite the IMMEDIATE transaction mode serialises writers and the second
attempt sees the first's VoterRecord; on PostgreSQL the ballot row lock orders them and the unique
constraint on (ballot, unit) is the last line of defence.

SQLite's test database lives in memory, shared between connections through SQLite's shared cache,
where a writer that finds the database busy fails at once ("database table is locked") instead of
waiting. The test therefore copies the schema to a database file, as a real installation has, for
its own duration.
"""

import sqlite3
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory
from apps.voting import services
from apps.voting.models import BallotPaper, VoterRecord

ATTEMPTS = 50


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """On SQLite in memory: run the test on a file copy of the test database (see above)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    saved_name, saved_raw = connection.settings_dict["NAME"], connection.connection
    # Keep the in-memory connection open (closing the last one would drop the database).
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.connection = saved_raw


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind", ["unit", "delegate"])
def test_fifty_simultaneous_attempts_by_one_voter_make_one_vote(file_database, kind):
    """A unit's leader, or a delegate on a per-delegate ballot: one vote whatever the attempts."""
    units = [UnitFactory() for _ in range(3)]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    if kind == "unit":
        voter = UserFactory(role=Role.UNIT_LEADER, unit=units[1])
        delegates = []
    else:
        voter = UserFactory(role=Role.UNIT_OFFICER, unit=units[1])
        delegates = [voter, UserFactory(role=Role.UNIT_OFFICER, unit=units[1])]
    ballot = services.ballot_create(
        actor=None,
        term=term,
        question="Suy tôn",
        candidates=units[:2],
        electorate_kind=kind,
        delegates=delegates,
    )
    services.ballot_open(actor=None, ballot=ballot)
    choice = ballot.candidates.get(unit=units[0])

    barrier = threading.Barrier(ATTEMPTS)
    receipts: list[str] = []
    refusals: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait(timeout=30)
            receipt = services.ballot_cast(actor=voter, ballot=ballot, choices=[choice])
            with lock:
                receipts.append(receipt)
        except ValidationError as exc:
            with lock:
                refusals.append(" ".join(exc.messages))
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    assert not errors, errors[:3]
    assert len(receipts) == 1
    assert len(refusals) == ATTEMPTS - 1
    assert VoterRecord.objects.filter(ballot=ballot).count() == 1
    assert BallotPaper.objects.filter(ballot=ballot).count() == 1
    assert BallotPaper.objects.get(ballot=ballot).receipt == receipts[0]
    print(f"{ATTEMPTS} concurrent casts on {connection.vendor}: {elapsed:.2f} s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_different_voters_at_the_same_moment_all_vote(file_database):
    """The locks that stop a double vote do not refuse or lose anyone else's vote."""
    units = [UnitFactory() for _ in range(12)]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    ballot = services.ballot_create(
        actor=None, term=term, question="Suy tôn", candidates=units[:3], max_choices=2
    )
    services.ballot_open(actor=None, ballot=ballot)
    candidates = list(ballot.candidates.all())
    voters = [UserFactory(role=Role.UNIT_LEADER, unit=unit) for unit in units]
    barrier = threading.Barrier(len(voters))
    receipts: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt(voter, index) -> None:
        try:
            barrier.wait(timeout=30)
            chosen = [candidates[index % 3], candidates[(index + 1) % 3]][: 1 + index % 2]
            receipt = services.ballot_cast(actor=voter, ballot=ballot, choices=chosen)
            with lock:
                receipts.append(receipt)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(v, i)) for i, v in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors[:3]
    assert len(set(receipts)) == len(voters)
    assert VoterRecord.objects.filter(ballot=ballot).count() == len(voters)
    assert BallotPaper.objects.filter(ballot=ballot).count() == len(voters)
