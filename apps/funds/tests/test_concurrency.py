"""Two officers paying out at the same moment cannot take the fund below zero.

Real transactions, a thread per officer started together at a barrier; on SQLite the test runs
on a file copy of the database (see ``apps/voting/tests/test_concurrency.py``)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from apps.funds import services
from apps.funds.services import fund_balance
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory
from apps.voting.tests.test_concurrency import file_database  # noqa: F401 - a fixture

ATTEMPTS = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_disbursements_never_overdraw(file_database):  # noqa: F811
    units = [UnitFactory() for _ in range(3)]
    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2025, members=units, leader=units[0]
    )
    day = dt.date(2025, 12, 1)
    services.fund_contribution_add(
        actor=None, term=term, unit=units[0], amount=210_000_000, occurred_on=day
    )
    barrier = threading.Barrier(ATTEMPTS)
    paid, refused, errors = [], [], []
    lock = threading.Lock()

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            entry = services.fund_disbursement_add(
                actor=None,
                term=term,
                unit=units[1 + i % 2],
                amount=70_000_000,
                occurred_on=day,
                purpose="Hỗ trợ xây nhà",
            )
            with lock:
                paid.append(entry.number)
        except ValidationError as exc:
            with lock:
                refused.append(" ".join(exc.messages))
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert len(paid) == 3 and len(refused) == ATTEMPTS - 3
    assert fund_balance(term) == 0
    assert sorted(paid) == [2, 3, 4]  # numbers stay unique and gap-free
