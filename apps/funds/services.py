"""Every write to the support fund. Each function is an audited ``@service``.

The ledger is append-only: ``fund_contribution_add``, ``fund_disbursement_add`` and
``fund_entry_reverse`` add lines; nothing updates an amount or deletes a line. Each of them locks
the term's row first, so two officers recording at the same moment are put in order and the
balance they check is the balance they write against: it can never go below zero.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event, service
from apps.core.formats import vn_date, vn_money
from apps.emulation.evidence import check_evidence_file, save_checked_file
from apps.funds.choices import AttachmentKind, EntryKind
from apps.funds.models import FundAttachment, FundEntry
from apps.organizations.models import ClusterTerm, Unit

# One entry may not exceed this (10 billion đồng): a typing slip of three zeros is caught.
MAX_AMOUNT = 10_000_000_000
MAX_TEXT = 500


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_term(term: ClusterTerm) -> ClusterTerm:
    return ClusterTerm.objects.select_for_update().select_related("cluster").get(pk=term.pk)


def fund_balance(term: ClusterTerm) -> int:
    """Money in minus money out, reversals included (a reversal undoes its entry's effect)."""
    rows = FundEntry.objects.filter(term=term)
    total = 0
    sums = rows.values("kind", "reverses__kind").annotate(total=Sum("amount"))
    for row in sums:
        kind = row["kind"] if row["kind"] != EntryKind.REVERSAL else row["reverses__kind"]
        sign = 1 if kind == EntryKind.CONTRIBUTION else -1
        if row["kind"] == EntryKind.REVERSAL:
            sign = -sign
        total += sign * row["total"]
    return total


def _clean_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(
            {"amount": _("Amounts are whole đồng, without decimals.")}, code="amount_whole"
        )
    if amount <= 0:
        raise ValidationError({"amount": _("An amount must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {
                "amount": _("%(amount)s is more than one entry may hold (%(max)s).")
                % {"amount": vn_money(amount), "max": vn_money(MAX_AMOUNT)}
            }
        )
    return amount


def _clean_date(term: ClusterTerm, occurred_on: dt.date) -> dt.date:
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("Give the date.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if occurred_on.year not in (term.year, term.year + 1):
        raise ValidationError(
            {
                "occurred_on": _(
                    "The ledger of %(year)s takes dates of %(year)s (or of the early weeks of "
                    "the next year, when the money of %(year)s is handed over)."
                )
                % {"year": term.year}
            }
        )
    return occurred_on


def _clean_text(value: str, field: str, *, required: bool = False) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: _("At most %(n)s characters, please.") % {"n": MAX_TEXT}}, code="too_long"
        )
    return text


def _add(*, actor, term, kind, unit, amount, occurred_on, purpose="", beneficiary="", **extra):
    number = (FundEntry.objects.filter(term=term).aggregate(n=Max("number"))["n"] or 0) + 1
    entry = FundEntry.objects.create(
        term=term,
        number=number,
        kind=kind,
        unit=unit,
        amount=amount,
        occurred_on=occurred_on,
        purpose=purpose,
        beneficiary=beneficiary,
        recorded_by=_user(actor),
        **extra,
    )
    return entry


def _snapshot(entry: FundEntry, balance: int) -> dict:
    return {
        "number": entry.number,
        "kind": entry.kind,
        "unit": entry.unit.short_name,
        "amount": entry.amount,
        "date": entry.occurred_on,
        "purpose": entry.purpose,
        "beneficiary": entry.beneficiary,
        "reverses": entry.reverses.number if entry.reverses_id else None,
        "reason": entry.reason,
        "balance_after": balance,
    }


@service
def fund_contribution_add(
    *, actor, term: ClusterTerm, unit: Unit, amount: int, occurred_on: dt.date, purpose: str = ""
) -> FundEntry:
    """A member unit's contribution to the term's fund."""
    term = _locked_term(term)
    if not term.memberships.filter(unit=unit).exists():
        raise ValidationError(
            {"unit": _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": term}}
        )
    entry = _add(
        actor=actor,
        term=term,
        kind=EntryKind.CONTRIBUTION,
        unit=unit,
        amount=_clean_amount(amount),
        occurred_on=_clean_date(term, occurred_on),
        purpose=_clean_text(purpose, "purpose"),
    )
    record_event(
        actor=actor,
        action="fund.contribution",
        obj=entry,
        after=_snapshot(entry, fund_balance(term)),
    )
    return entry


@service
def fund_disbursement_add(
    *,
    actor,
    term: ClusterTerm,
    unit: Unit,
    amount: int,
    occurred_on: dt.date,
    purpose: str,
    beneficiary: str = "",
) -> FundEntry:
    """Money paid to a recipient locality (a member unit of the term); refused beyond the balance."""
    term = _locked_term(term)
    if not term.memberships.filter(unit=unit).exists():
        raise ValidationError(
            {"unit": _("%(unit)s is not a member of %(term)s.") % {"unit": unit, "term": term}}
        )
    amount = _clean_amount(amount)
    occurred_on = _clean_date(term, occurred_on)
    purpose = _clean_text(purpose, "purpose", required=True)
    beneficiary = _clean_text(beneficiary, "beneficiary")
    balance = fund_balance(term)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _(
                    "The fund holds %(balance)s; %(amount)s cannot be paid out of it. Record the "
                    "contributions first."
                )
                % {"balance": vn_money(balance), "amount": vn_money(amount)}
            },
            code="overdraw",
        )
    entry = _add(
        actor=actor,
        term=term,
        kind=EntryKind.DISBURSEMENT,
        unit=unit,
        amount=amount,
        occurred_on=occurred_on,
        purpose=purpose,
        beneficiary=beneficiary,
    )
    record_event(
        actor=actor, action="fund.disbursement", obj=entry, after=_snapshot(entry, balance - amount)
    )
    return entry


@service
def fund_entry_reverse(
    *, actor, entry: FundEntry, reason: str, occurred_on: dt.date | None = None
) -> FundEntry:
    """Undo ``entry`` with a counter-entry of the same amount; the original stays as it was.

    A reversal is itself final (it is not reversed again: record the right entry instead), an
    entry is reversed at most once, and undoing a contribution may not take the balance below
    zero.
    """
    term = _locked_term(entry.term)
    entry = FundEntry.objects.select_related("unit", "reverses").get(pk=entry.pk)
    reason = _clean_text(reason, "reason", required=True)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(
            _("Entry #%(n)s is a reversal; a reversal is not reversed. Record the right entry.")
            % {"n": entry.number}
        )
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Entry #%(n)s is already reversed.") % {"n": entry.number})
    balance = fund_balance(term)
    after = balance - entry.effect
    if after < 0:
        raise ValidationError(
            _(
                "Reversing entry #%(n)s would take the fund to %(after)s: the money has been "
                "paid out. Reverse the disbursements first."
            )
            % {"n": entry.number, "after": vn_money(after)}
        )
    reversal = _add(
        actor=actor,
        term=term,
        kind=EntryKind.REVERSAL,
        unit=entry.unit,
        amount=entry.amount,
        occurred_on=_clean_date(term, occurred_on or timezone.localdate()),
        purpose=_("Reversal of entry #%(n)s") % {"n": entry.number},
        reverses=entry,
        reason=reason,
    )
    record_event(actor=actor, action="fund.reverse", obj=reversal, after=_snapshot(reversal, after))
    return reversal


@service
def fund_handover_record(
    *, actor, entry: FundEntry, handed_over_on: dt.date, note: str = ""
) -> FundEntry:
    """Record, once, that the house built with a disbursement was handed over."""
    _locked_term(entry.term)
    entry = FundEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind != EntryKind.DISBURSEMENT:
        raise ValidationError(_("Only a disbursement leads to a house handed over."))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Entry #%(n)s is reversed.") % {"n": entry.number})
    if entry.handed_over_on is not None:
        raise ValidationError(
            _("The handover of entry #%(n)s was already recorded on %(date)s.")
            % {"n": entry.number, "date": vn_date(entry.handed_over_on)}
        )
    if handed_over_on is None:
        raise ValidationError({"handed_over_on": _("Give the date.")})
    if handed_over_on < entry.occurred_on or handed_over_on > timezone.localdate():
        raise ValidationError(
            {
                "handed_over_on": _("The handover falls between the payment (%(paid)s) and today.")
                % {"paid": vn_date(entry.occurred_on)}
            }
        )
    entry.handed_over_on = handed_over_on
    entry.handover_note = _clean_text(note, "note")
    entry.save(update_fields=["handed_over_on", "handover_note", "updated_at"])
    record_event(
        actor=actor,
        action="fund.handover",
        obj=entry,
        after={
            "number": entry.number,
            "handed_over_on": handed_over_on,
            "note": entry.handover_note,
        },
    )
    return entry


@service
def fund_attachment_add(
    *, actor, entry: FundEntry, upload, kind: str = AttachmentKind.RECEIPT
) -> FundAttachment:
    """Attach a receipt, slip or photo to an entry, checked by content like evidence files."""
    _locked_term(entry.term)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    checked = check_evidence_file(upload)
    attachment = FundAttachment(
        entry=entry,
        kind=kind,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(actor),
    )
    save_checked_file(
        attachment,
        checked,
        lambda: record_event(
            actor=actor,
            action="fund.attachment_add",
            obj=entry,
            after={
                "number": entry.number,
                "attachment": attachment.pk,
                "name": checked.name,
                "type": checked.kind.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        ),
    )
    return attachment
