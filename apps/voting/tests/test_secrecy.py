"""Nothing — no table, no audit row, no log line, no storage order — links a voter to a choice."""

import json
import logging
import uuid

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditEvent
from apps.voting import services
from apps.voting.models import BallotDelegate, BallotPaper, VoterRecord
from apps.voting.tests.conftest import candidate, cast_many, open_ballot

pytestmark = pytest.mark.django_db


def test_a_paper_has_no_voter_no_time_and_a_random_key():
    fields = {f.name: f for f in BallotPaper._meta.get_fields()}
    assert set(fields) == {"id", "ballot", "receipt", "choices"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    assert fields["id"].default is uuid.uuid4
    relations = [f for f in fields.values() if f.is_relation]
    assert [f.related_model._meta.label for f in relations] == ["voting.Ballot"]
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields.values())


def test_the_voter_record_has_no_choice_and_no_receipt():
    names = {f.name for f in VoterRecord._meta.get_fields()}
    assert names == {"id", "ballot", "unit", "voted_by", "voted_at", "delegate"}
    # The delegate entry it may point at carries no choice or receipt either.
    delegate = {f.name for f in BallotDelegate._meta.get_fields()}
    assert delegate == {"id", "ballot", "user", "unit", "voter_record"}


def test_no_model_relates_a_paper_to_anything_but_its_ballot():
    """No other table points at a paper (e.g. a through table that would carry a sequence)."""
    reverse = [f for f in BallotPaper._meta.get_fields() if f.auto_created and not f.concrete]
    assert reverse == []


def test_audit_rows_for_a_cast_hold_neither_receipt_nor_choice(electorate):
    ballot = open_ballot(electorate)
    chosen = candidate(ballot, "Cao Bằng")
    receipt = services.ballot_cast(
        actor=electorate.leader_of("Hà Nội"), ballot=ballot, choices=[chosen]
    )
    event = AuditEvent.objects.get(action="ballot.cast")
    assert event.actor == electorate.leader_of("Hà Nội")
    assert event.after == {
        "unit": {"id": electorate.units["Hà Nội"].pk, "repr": str(electorate.units["Hà Nội"])}
    }
    for row in AuditEvent.objects.all():
        text = json.dumps([row.before, row.after, row.object_repr], ensure_ascii=False)
        assert receipt not in text
        if row.action == "ballot.cast":
            assert "Cao Bằng" not in text and f"[{chosen.pk}]" not in text


def test_no_log_record_holds_the_voter_together_with_the_choice_or_receipt(electorate, caplog):
    ballot = open_ballot(electorate)
    chosen = candidate(ballot, "Cao Bằng")
    voter = electorate.units["Hà Nội"]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    # SQL is only logged with DEBUG on; force it so the test sees every query with its parameters.
    with CaptureQueriesContext(connection) as queries:
        receipt = services.ballot_cast(
            actor=electorate.leader_of("Hà Nội"), ballot=ballot, choices=[chosen]
        )
    sql_records = [r for r in caplog.records if r.name == "django.db.backends"]
    assert len(sql_records) >= len(queries) > 0, "query logging was not captured"
    choice_json = json.dumps([chosen.pk])
    for record in caplog.records:
        text = record.getMessage() + " " + repr(getattr(record, "params", ""))
        params = getattr(record, "params", None) or ()
        sql = getattr(record, "sql", "") or ""
        names_voter = (
            voter.name in text
            or voter.short_name in text
            or ("unit_id" in sql and voter.pk in params)
        )
        if names_voter:
            assert choice_json not in text and "Cao Bằng" not in text, text
            assert receipt not in text, text
        assert not ("voting_voterrecord" in text and "voting_ballotpaper" in text), text


def test_papers_are_rewritten_in_random_order_at_close(electorate):
    """While open, storage order (SQLite's rowid, PostgreSQL's ctid) follows the order of voting,
    which the voter records' times also give; closing the ballot breaks that order."""
    ballot = open_ballot(electorate)
    voters = list(electorate.units)
    receipts = cast_many(electorate, ballot, {v: [] for v in voters})
    in_voting_order = [receipts[v] for v in voters]
    assert _storage_order(ballot) == in_voting_order  # the leak the close repairs
    services.ballot_close(actor=electorate.secretary, ballot=ballot)
    after = _storage_order(ballot)
    assert sorted(after) == sorted(in_voting_order)
    assert after != in_voting_order  # 1 chance in 9! = 362,880 of a false failure
    assert BallotPaper.objects.filter(ballot=ballot).count() == len(voters)


def _storage_order(ballot):
    hidden = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT receipt FROM voting_ballotpaper WHERE ballot_id = %s ORDER BY {hidden}",
            [ballot.pk],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's")
def test_closing_breaks_the_transaction_id_link_on_postgresql(electorate):
    """A VoterRecord and its paper are written in one transaction, so PostgreSQL's ``xmin`` (the
    writing transaction's id: the paper's and, one above it, the record's savepoint) pairs them
    while the ballot is open; after the close every paper carries the close's single xmin."""
    ballot = open_ballot(electorate)
    cast_many(electorate, ballot, {v: [] for v in ["Hà Nội", "Sơn La", "Lào Cai"]})

    def xmins(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])
            return sorted(int(row[0]) for row in cursor.fetchall())

    records = xmins("voting_voterrecord")
    interleaved = sorted(
        [(x, "paper") for x in xmins("voting_ballotpaper")] + [(x, "voter") for x in records]
    )
    # The link while open: the ids interleave paper, voter, paper, voter… in the order of voting.
    assert [kind for _, kind in interleaved] == ["paper", "voter"] * 3
    services.ballot_close(actor=electorate.secretary, ballot=ballot)
    papers = xmins("voting_ballotpaper")
    assert len(set(papers)) == 1 and not set(papers) & set(records)
