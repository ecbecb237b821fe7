"""The ledger's invariants through the services: whole đồng, a balance never below zero,
reversals instead of edits, one handover, attachments checked by content, audit rows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from apps.core.models import AuditEvent
from apps.emulation.tests.assessment_files import pdf_bytes
from apps.funds import services
from apps.funds.choices import EntryKind
from apps.funds.models import FundAttachment, FundEntry
from apps.funds.selectors import fund_ledger
from apps.funds.services import fund_balance
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)


@pytest.fixture
def term(demo):
    return demo.terms[2025]


@pytest.fixture
def units(demo):
    return demo.units


def give(term, unit, amount, day=DAY):
    return services.fund_contribution_add(
        actor=None, term=term, unit=unit, amount=amount, occurred_on=day
    )


def pay(term, unit, amount, day=DAY, actor=None):
    return services.fund_disbursement_add(
        actor=actor, term=term, unit=unit, amount=amount, occurred_on=day, purpose="Xây nhà"
    )


def _messages(error) -> str:
    return " ".join(error.messages)


def test_the_demo_ledgers_are_the_seeds_support_money(demo):
    ledger_2023 = fund_ledger(term=demo.terms[2023])
    paid = [line.entry for line in ledger_2023.lines if line.entry.kind == EntryKind.DISBURSEMENT]
    assert sorted(e.unit.short_name for e in paid) == sorted(
        ["Bắc Kạn", "Hà Giang", "Hà Nội", "Phú Thọ", "Vĩnh Phúc"]
    )
    assert all(e.amount == 70_000_000 for e in paid) and ledger_2023.disbursed == 350_000_000
    assert ledger_2023.balance >= 0
    ledger_2025 = fund_ledger(term=demo.terms[2025])
    received = {s.unit.short_name: s.received for s in ledger_2025.by_unit if s.received}
    assert received == {"Cao Bằng": 70_000_000, "Sơn La": 70_000_000, "Thái Nguyên": 70_000_000}
    assert ledger_2025.balance == 9 * 25_000_000 - 3 * 70_000_000


def test_a_disbursement_beyond_the_balance_is_refused_and_writes_nothing(term, units):
    balance = fund_balance(term)
    count = FundEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        pay(term, units["Lào Cai"], balance + 1)
    assert "không thể chi" in _messages(info.value)
    assert FundEntry.objects.count() == count
    pay(term, units["Lào Cai"], balance)  # exactly the balance is allowed
    assert fund_balance(term) == 0


@pytest.mark.parametrize("amount", [0, -5, 1.5, "70000000", True, 10_000_000_001])
def test_amounts_are_positive_whole_dong_within_a_limit(term, units, amount):
    with pytest.raises(ValidationError) as info:
        give(term, units["Lào Cai"], amount)
    assert "amount" in info.value.message_dict


def test_the_database_refuses_a_zero_amount_or_a_loose_reversal(term, units):
    entry = give(term, units["Lào Cai"], 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundEntry.objects.filter(pk=entry.pk).update(amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundEntry.objects.filter(pk=entry.pk).update(kind=EntryKind.REVERSAL)


def test_dates_belong_to_the_year_and_are_not_in_the_future(term, units):
    for day in (dt.date(2024, 12, 31), dt.date(2027, 1, 1), dt.date.today() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as info:
            give(term, units["Lào Cai"], 1, day=day)
        assert "occurred_on" in info.value.message_dict
    give(term, units["Lào Cai"], 1, day=dt.date(2026, 1, 15))  # early next year: allowed


def test_only_members_give_or_receive(term):
    outsider = UnitFactory()
    with pytest.raises(ValidationError):
        give(term, outsider, 1)
    with pytest.raises(ValidationError):
        pay(term, outsider, 1)


def test_a_reversal_undoes_an_entry_once_and_never_changes_it(term, units, demo):
    before = fund_balance(term)
    entry = give(term, units["Lào Cai"], 5_000_000)
    actor = demo.users["phutho.chuyenvien"]
    reversal = services.fund_entry_reverse(actor=actor, entry=entry, reason="Ghi nhầm")
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses == entry
    assert reversal.amount == entry.amount and reversal.number == entry.number + 1
    assert fund_balance(term) == before
    entry.refresh_from_db()
    assert entry.amount == 5_000_000 and entry.kind == EntryKind.CONTRIBUTION
    with pytest.raises(ValidationError) as info:
        services.fund_entry_reverse(actor=actor, entry=entry, reason="Lần nữa")
    assert "Bút toán số " in _messages(info.value) and "đã được hủy" in _messages(info.value)
    with pytest.raises(ValidationError):
        services.fund_entry_reverse(actor=actor, entry=reversal, reason="Hủy lệnh hủy")
    with pytest.raises(ValidationError) as info:
        services.fund_entry_reverse(actor=actor, entry=give(term, units["Lào Cai"], 1), reason=" ")
    assert "reason" in info.value.message_dict
    event = AuditEvent.objects.filter(action="fund.reverse").latest("id")
    assert event.actor == actor and event.after["reverses"] == entry.number


def test_reversing_a_contribution_already_paid_out_is_refused(term, units):
    pay(term, units["Lào Cai"], fund_balance(term))
    late = give(term, units["Hà Nội"], 10_000_000)
    pay(term, units["Sơn La"], 10_000_000)
    with pytest.raises(ValidationError) as info:
        services.fund_entry_reverse(actor=None, entry=late, reason="Ghi nhầm")
    assert "−10.000.000" in _messages(info.value) or "-10.000.000" in _messages(info.value)
    assert fund_balance(term) == 0


def test_reversing_a_disbursement_gives_the_money_back(term, units):
    before = fund_balance(term)
    paid = pay(term, units["Lào Cai"], 1_000_000)
    services.fund_entry_reverse(actor=None, entry=paid, reason="Chuyển nhầm địa phương")
    assert fund_balance(term) == before
    ledger = fund_ledger(term=term)
    assert ledger.lines[-1].money_in == 1_000_000 and ledger.lines[-2].reversed_by is not None


def test_the_handover_is_recorded_once_for_a_live_disbursement(term, units):
    paid = pay(term, units["Lào Cai"], 1_000_000)
    with pytest.raises(ValidationError):
        services.fund_handover_record(actor=None, entry=paid, handed_over_on=DAY - dt.timedelta(1))
    services.fund_handover_record(
        actor=None, entry=paid, handed_over_on=DAY + dt.timedelta(days=40), note="Bàn giao nhà"
    )
    paid.refresh_from_db()
    assert paid.handed_over_on == DAY + dt.timedelta(days=40)
    with pytest.raises(ValidationError) as info:
        services.fund_handover_record(actor=None, entry=paid, handed_over_on=DAY)
    assert "đã được ghi" in _messages(info.value)
    contribution = give(term, units["Hà Nội"], 1)
    with pytest.raises(ValidationError):
        services.fund_handover_record(actor=None, entry=contribution, handed_over_on=DAY)


def test_attachments_are_checked_by_content(term, units, demo):
    entry = give(term, units["Lào Cai"], 1)
    actor = demo.users["phutho.chuyenvien"]
    good = SimpleUploadedFile("Giấy báo có.pdf", pdf_bytes())
    attachment = services.fund_attachment_add(actor=actor, entry=entry, upload=good)
    assert attachment.original_name == "Giấy báo có.pdf" and attachment.size == len(pdf_bytes())
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 this is not a picture")
    with pytest.raises(ValidationError):
        services.fund_attachment_add(actor=actor, entry=entry, upload=fake)
    assert FundAttachment.objects.filter(entry=entry).count() == 1


def test_every_entry_is_audited_with_the_balance_after_it(term, units, demo):
    actor = demo.users["phutho.chuyenvien"]
    before = fund_balance(term)
    entry = services.fund_contribution_add(
        actor=actor, term=term, unit=units["Lào Cai"], amount=3, occurred_on=DAY
    )
    event = AuditEvent.objects.get(action="fund.contribution", object_id=str(entry.pk))
    assert event.actor == actor and event.after["balance_after"] == before + 3
    assert event.after["amount"] == 3 and event.after["unit"] == "Lào Cai"
