"""The ranking as an Excel workbook (openpyxl): a ``Ranking`` in, the file's bytes out.

Sheet "Xếp hạng": a title row, a subtitle (published or preview, the tie-break order), the header,
then one row per unit: rank, unit, criteria points, bonus, penalty, total and one column per
criterion. Sheet "Giải trình": every unit's total line by line (points, where they came from, the
unit's own points and every scorer's). Numbers stay numbers (so they add up in Excel) with a
Vietnamese-tagged number format; the header is frozen and the columns sized to be read without
resizing.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.core.formats import vn_datetime, vn_number
from apps.emulation.selectors.scoring import Ranking

__all__ = ["NUMBER_FORMAT", "ranking_filename", "ranking_workbook"]

# [$-42A] tags the format as Vietnamese (LibreOffice shows 1.234,50 whatever the computer's
# language; Excel uses the reader's regional separators, Vietnamese on Vietnamese Windows).
NUMBER_FORMAT = "[$-42A]#,##0.00"
RANK_FORMAT = "0"
HEADER_ROW = 4
FIXED_COLUMNS = 6  # rank, unit, criteria, bonus, penalty, total

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="DCE6F1")
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def ranking_filename(period) -> str:
    term = period.term
    return f"xep-hang-cum-{term.cluster.number}-{term.year}-{period.kind}.xlsx"


def _title(ranking: Ranking) -> str:
    period = ranking.period
    return _("Emulation ranking of %(cluster)s in %(year)s — %(period)s") % {
        "cluster": period.term.cluster.name,
        "year": period.term.year,
        "period": period.get_kind_display(),
    }


def _subtitle(ranking: Ranking) -> str:
    period = ranking.period
    if ranking.published:
        state = _("Published on %(at)s.") % {"at": vn_datetime(period.ranking_published_at)}
    else:
        state = _("Preview, not published (computed on %(at)s).") % {
            "at": vn_datetime(timezone.now())
        }
    if ranking.tie_break:
        order = _("Equal totals: %(keys)s.") % {"keys": "; ".join(ranking.tie_break_labels)}
        return f"{state} {order}"
    return state


def _header(column) -> str:
    values = {
        "code": column.code,
        "title": column.title,
        "kind": column.kind_label,
        "max": vn_number(column.max_points),
    }
    if column.kind == "criterion":
        return _("%(code)s. %(title)s (max. %(max)s)") % values
    return _("%(code)s. %(kind)s: %(title)s (max. %(max)s)") % values


def _cell(ws, row, column, value, *, number=False, bold=False, align=None):
    cell = ws.cell(row=row, column=column, value=value)
    cell.font = _BOLD if bold else _PLAIN
    cell.border = _BORDER
    if number:
        cell.number_format = NUMBER_FORMAT
    if align is not None:
        cell.alignment = align
    return cell


def _ranking_sheet(ws, ranking: Ranking) -> None:
    columns = ranking.columns
    last = FIXED_COLUMNS + len(columns)
    ws.title = _("Ranking")[:31]
    ws.cell(row=1, column=1, value=_title(ranking)).font = Font(
        name="Times New Roman", bold=True, size=14
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(last, FIXED_COLUMNS))
    ws.cell(row=2, column=1, value=_subtitle(ranking)).font = Font(
        name="Times New Roman", italic=True, size=11
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(last, FIXED_COLUMNS))
    headers = [
        _("Rank"),
        _("Unit"),
        _("Criteria points"),
        _("Bonus"),
        _("Penalty"),
        _("Total"),
        *[_header(c) for c in columns],
    ]
    for index, text in enumerate(headers, start=1):
        cell = _cell(ws, HEADER_ROW, index, text, bold=True, align=_WRAP_CENTER)
        cell.fill = _HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 75
    for offset, row in enumerate(ranking.rows, start=1):
        r = HEADER_ROW + offset
        _cell(ws, r, 1, row.rank, align=Alignment(horizontal="center")).number_format = RANK_FORMAT
        _cell(ws, r, 2, row.unit.name)
        _cell(ws, r, 3, row.criteria_points, number=True)
        _cell(ws, r, 4, row.bonus_points, number=True)
        _cell(ws, r, 5, row.penalty_points, number=True)
        _cell(ws, r, 6, row.total, number=True, bold=True)
        for index, column in enumerate(columns, start=FIXED_COLUMNS + 1):
            line = row.line(column.id)
            _cell(ws, r, index, line.points if line else None, number=True)
    widths = {1: 7, 2: 38, 3: 12, 4: 10, 5: 10, 6: 12}
    for index in range(1, last + 1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(index, 16)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)  # header rows and the unit column
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _explanation_sheet(ws, ranking: Ranking) -> None:
    ws.title = _("Explanation")[:31]
    ws.cell(row=1, column=1, value=_title(ranking)).font = Font(
        name="Times New Roman", bold=True, size=14
    )
    headers = [
        _("Rank"),
        _("Unit"),
        _("Code"),
        _("Criterion"),
        _("Maximum"),
        _("Points counted"),
        _("Where they come from"),
        _("Self-assessed points"),
        _("Each scorer's points"),
    ]
    for index, text in enumerate(headers, start=1):
        cell = _cell(ws, 3, index, text, bold=True, align=_WRAP_CENTER)
        cell.fill = _HEADER_FILL
    r = 3
    for row in ranking.rows:
        for line in row.lines:
            r += 1
            column = line.column
            title = (
                column.title
                if column.kind == "criterion"
                else f"{column.kind_label}: {column.title}"
            )
            _cell(ws, r, 1, row.rank).number_format = RANK_FORMAT
            _cell(ws, r, 2, row.unit.short_name)
            _cell(ws, r, 3, column.code)
            _cell(ws, r, 4, title, align=Alignment(wrap_text=True, vertical="top"))
            _cell(ws, r, 5, column.max_points, number=True)
            _cell(ws, r, 6, line.points, number=True, bold=True)
            _cell(ws, r, 7, line.source_text, align=Alignment(wrap_text=True, vertical="top"))
            _cell(ws, r, 8, line.self_points, number=True)
            _cell(
                ws,
                r,
                9,
                "; ".join(f"{name} {vn_number(points)}" for name, points in line.scorers) or None,
                align=Alignment(wrap_text=True, vertical="top"),
            )
    for index, width in enumerate([7, 18, 7, 50, 10, 10, 34, 12, 50], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"


def ranking_workbook(ranking: Ranking) -> bytes:
    workbook = Workbook()
    _ranking_sheet(workbook.active, ranking)
    _explanation_sheet(workbook.create_sheet(), ranking)
    workbook.properties.title = _title(ranking)
    workbook.properties.language = "vi-VN"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
