"""Reads of the support fund: the ledger with its running balance, totals and per-unit sums."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.funds.choices import EntryKind
from apps.funds.models import FundEntry
from apps.organizations.models import ClusterTerm, Unit

__all__ = ["Ledger", "LedgerLine", "UnitSums", "fund_ledger"]


@dataclass
class LedgerLine:
    entry: FundEntry
    effect: int  # signed change to the balance
    balance: int  # the balance after this line
    reversed_by: FundEntry | None
    history_url: str = ""

    @property
    def money_in(self) -> int | None:
        return self.effect if self.effect > 0 else None

    @property
    def money_out(self) -> int | None:
        return -self.effect if self.effect < 0 else None


@dataclass
class UnitSums:
    unit: Unit
    contributed: int = 0
    received: int = 0


@dataclass
class Ledger:
    term: ClusterTerm
    lines: list[LedgerLine]
    contributed: int  # net of reversals
    disbursed: int  # net of reversals
    by_unit: list[UnitSums] = field(default_factory=list)

    @property
    def balance(self) -> int:
        return self.contributed - self.disbursed


def fund_ledger(*, term: ClusterTerm) -> Ledger:
    """Every entry in the order recorded, with the balance after each; sums net of reversals."""
    entries = list(
        FundEntry.objects.filter(term=term)
        .select_related("unit", "reverses", "recorded_by")
        .prefetch_related("attachments")
        .order_by("number")
    )
    reversed_by = {e.reverses_id: e for e in entries if e.reverses_id}
    by_unit: dict[int, UnitSums] = {}
    lines, balance, contributed, disbursed = [], 0, 0, 0
    for entry in entries:
        kind = entry.reverses.kind if entry.kind == EntryKind.REVERSAL else entry.kind
        sign = -1 if entry.kind == EntryKind.REVERSAL else 1
        sums = by_unit.setdefault(entry.unit_id, UnitSums(entry.unit))
        if kind == EntryKind.CONTRIBUTION:
            contributed += sign * entry.amount
            sums.contributed += sign * entry.amount
            effect = sign * entry.amount
        else:
            disbursed += sign * entry.amount
            sums.received += sign * entry.amount
            effect = -sign * entry.amount
        balance += effect
        lines.append(LedgerLine(entry, effect, balance, reversed_by.get(entry.pk)))
    units = sorted(by_unit.values(), key=lambda s: (s.unit.sort_key, s.unit.pk))
    return Ledger(term, lines, contributed, disbursed, units)
