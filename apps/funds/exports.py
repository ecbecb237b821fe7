"""The fund ledger as an Excel workbook (openpyxl): a ``Ledger`` in, the file's bytes out.

One sheet "Sổ quỹ": title, subtitle, header, one row per entry (number, date, kind, unit,
purpose/beneficiary, money in, money out, balance after), then the totals. Amounts stay numbers
in whole đồng with a Vietnamese-tagged format, so they add up in Excel.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from apps.core.formats import vn_date, vn_datetime
from apps.funds.selectors import Ledger

MONEY_FORMAT = "[$-42A]#,##0"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", start_color="DCE6F1")
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
HEADER_ROW = 4


def ledger_filename(term) -> str:
    return f"so-quy-ho-tro-cum-{term.cluster.number}-{term.year}.xlsx"


def ledger_workbook(ledger: Ledger) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ quỹ"
    term = ledger.term
    ws["A1"] = _("Support fund ledger of %(cluster)s, %(year)s") % {
        "cluster": term.cluster.name,
        "year": term.year,
    }
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A2"] = _("Exported on %(at)s; amounts in đồng.") % {"at": vn_datetime(timezone.now())}
    ws["A2"].font = _PLAIN
    headers = [
        _("No."),
        _("Date"),
        _("Kind"),
        _("Unit"),
        _("Purpose, beneficiary"),
        _("Money in"),
        _("Money out"),
        _("Balance"),
    ]
    for column, text in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=text)
        cell.font, cell.fill, cell.border = _BOLD, _FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = HEADER_ROW
    for line in ledger.lines:
        row += 1
        entry = line.entry
        text = entry.purpose
        if entry.beneficiary:
            text = f"{text} — {entry.beneficiary}" if text else entry.beneficiary
        if entry.reason:
            text = f"{text} ({_('reason')}: {entry.reason})"
        values = [
            entry.number,
            vn_date(entry.occurred_on),
            entry.get_kind_display(),
            entry.unit.name,
            text,
            line.money_in,
            line.money_out,
            line.balance,
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.font, cell.border = _PLAIN, _BORDER
            if column >= 6:
                cell.number_format = MONEY_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=column == 5)
    row += 1
    totals = [(5, _("Total")), (6, ledger.contributed), (7, ledger.disbursed), (8, ledger.balance)]
    for column, value in totals:
        cell = ws.cell(row=row, column=column, value=value)
        cell.font, cell.border = _BOLD, _BORDER
        if column >= 6:
            cell.number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFGH", (6, 12, 14, 34, 48, 16, 16, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
