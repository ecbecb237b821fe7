"""The whole country's member statistics as an Excel workbook: ``CountryStatistics`` in, bytes out.
Counts and percentages stay numbers (they add up in Excel) with Vietnamese-tagged formats."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.core.formats import vn_date
from apps.members.choices import MemberStatus
from apps.members.selectors_orgs import STATUSES, CountryRow, CountryStatistics

__all__ = ["COUNT_FORMAT", "PERCENT_FORMAT", "country_workbook"]

# [$-42A] tags the format as Vietnamese (1.234 and 12,50), as in the other exports.
COUNT_FORMAT = "[$-42A]#,##0"
PERCENT_FORMAT = "[$-42A]#,##0.00"
HEADER_ROW = 4

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", start_color="DCE6F1")
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)


def _columns():
    return [
        (_("Provincial party committee"), None),
        (_("Members on the rolls"), COUNT_FORMAT),
        *[(str(MemberStatus(s).label), COUNT_FORMAT) for s in STATUSES],
        (_("Women (%)"), PERCENT_FORMAT),
        (_("With a citizen ID (%)"), PERCENT_FORMAT),
        (_("Cards renewed (%)"), PERCENT_FORMAT),
        (_("Rated good or better, previous year (%)"), PERCENT_FORMAT),
        (_("Badges due in the next round"), COUNT_FORMAT),
    ]


def _values(row: CountryRow, name: str) -> list:
    return [
        name,
        row.total,
        *[row.by_status.get(s, 0) for s in STATUSES],
        float(row.women_percent),
        float(row.cccd_percent),
        float(row.card_percent),
        float(row.good_or_better_percent),
        row.badges_due,
    ]


def country_workbook(stats: CountryStatistics) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Statistics")[:31]
    columns = _columns()
    ws.cell(row=1, column=1, value=_("Party members in the whole country")).font = Font(
        name="Times New Roman", bold=True, size=14
    )
    ws.cell(
        row=2,
        column=1,
        value=_("On %(date)s; classification of %(year)s; badge round of %(round)s.")
        % {
            "date": vn_date(stats.on),
            "year": stats.classification_year,
            "round": vn_date(stats.round_on),
        },
    ).font = Font(name="Times New Roman", italic=True, size=11)
    for index, (text, _format) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=text)
        cell.font, cell.border, cell.fill = _BOLD, _BORDER, _FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = 34 if index == 1 else 14
    ws.row_dimensions[HEADER_ROW].height = 60
    lines = [(row, row.org.name) for row in stats.rows] + [(stats.total, _("The whole country"))]
    for offset, (row, name) in enumerate(lines, start=1):
        r = HEADER_ROW + offset
        for index, value in enumerate(_values(row, name), start=1):
            cell = ws.cell(row=r, column=index, value=value)
            cell.border = _BORDER
            cell.font = _BOLD if row is stats.total else _PLAIN
            if columns[index - 1][1]:
                cell.number_format = columns[index - 1][1]
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
