"""Word documents in the Party's format (Hướng dẫn 36-HD/VPTW, 2018): data in, bytes out.

A4, Times New Roman 14, margins top and bottom 20 mm, left 30 mm, right 15 mm. The header is a
two-column table: the issuing body top left (its superior body, then the body in bold, then "*"
and the number "Số 12-TTr/BTCTU"); "ĐẢNG CỘNG SẢN VIỆT NAM" top right, underlined by a rule, then
the place and date in italics. Documents are Vietnamese by nature, so their fixed wording lives in
the modules that build them, not in the UI's translation catalog.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from apps.core.formats import vn_date_long

FONT = "Times New Roman"
SIZE = 14
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
TEXT_WIDTH_MM = 210 - 30 - 15

__all__ = [
    "PartyDocument",
    "TEXT_WIDTH_MM",
]


def _set_cell_border(cell, **edges) -> None:
    """Borders of one table cell, e.g. ``bottom="single"``; "nil" removes one."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge, value in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "6")
            element.set(qn("w:color"), "000000")
        borders.append(element)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths_mm) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


class PartyDocument:
    """One document being written; ``to_bytes()`` gives the .docx."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(SIZE)
        # East-Asian and complex-script slots too, so Word never substitutes another font.
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.15

    # --- blocks ---------------------------------------------------------------------------------

    def header(
        self,
        *,
        issuing_body: str,
        superior_body: str = "",
        number: str = "",
        kind: str = "",
        place: str,
        on: dt.date | None,
    ) -> None:
        """The two-column header of a Party document."""
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, [85, TEXT_WIDTH_MM - 85])
        left, right = table.rows[0].cells
        lines = []
        if superior_body:
            lines.append((superior_body.upper(), False))
        lines.append((issuing_body.upper(), True))
        first = True
        for text, bold in lines:
            p = left.paragraphs[0] if first else left.add_paragraph()
            first = False
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(p, text, bold=bold, size=13 if not bold else 14)
        star = left.add_paragraph()
        star.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(star, "*")
        numbered = left.add_paragraph()
        numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(numbered, f"Số {number}" if number else f"Số      -{kind}", size=14)

        party = right.paragraphs[0]
        party.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(party, PARTY, bold=True, size=15)
        rule = right.add_paragraph()
        rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(rule, "_" * 22, size=10).font.bold = True
        dated = right.add_paragraph()
        dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
        dated.paragraph_format.space_before = Pt(6)
        when = vn_date_long(on) if on else "ngày      tháng      năm"
        self._run(dated, f"{place}, {when}", italic=True)
        self.doc.add_paragraph()

    def title(self, name: str, subject: str = "") -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(6)
        self._run(p, name.upper(), bold=True, size=15)
        if subject:
            s = self.doc.add_paragraph()
            s.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(s, subject, bold=True)
        line = self.doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(line, "-----", size=12)

    def addressed(self, recipients: Sequence[str]) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(6)
        self._run(p, "Kính gửi: ", italic=False)
        self._run(p, "; ".join(recipients), bold=False)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.first_line_indent = Mm(10)
        self._run(p, text, bold=True)

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False, indent=True):
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.space_after = Pt(3)
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        self._run(p, text, bold=bold, italic=italic)
        return p

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_mm: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        size: int = 13,
    ) -> None:
        """A bordered table with a bold header row; ``align`` per column: l, c or r."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        align = align or ["l"] * len(headers)
        where = {
            "l": WD_ALIGN_PARAGRAPH.LEFT,
            "c": WD_ALIGN_PARAGRAPH.CENTER,
            "r": WD_ALIGN_PARAGRAPH.RIGHT,
        }
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(p, text, bold=True, size=size)
        for row in rows:
            cells = table.add_row().cells
            for cell, text, a in zip(cells, row, align, strict=True):
                p = cell.paragraphs[0]
                p.alignment = where[a]
                self._run(p, str(text), size=size)
        _widths(table, widths_mm)
        self.doc.add_paragraph()

    def signatures(
        self,
        *,
        left_title: Sequence[str] = (),
        left_lines: Sequence[str] = (),
        right_title: Sequence[str],
        right_name: str,
        left_name: str = "",
    ) -> None:
        """The closing block: "Nơi nhận" (or a second signer) left, the signer right."""
        self.doc.add_paragraph()
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _widths(table, [80, TEXT_WIDTH_MM - 80])
        left, right = table.rows[0].cells
        p = left.paragraphs[0]
        for n, text in enumerate(left_title):
            if n:
                p = left.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if left_name else WD_ALIGN_PARAGRAPH.LEFT
            label = text.upper() if left_name else text
            run = self._run(p, label, bold=bool(left_name), size=14 if left_name else 12)
            run.font.underline = not left_name and n == 0
        for text in left_lines:
            line = left.add_paragraph()
            self._run(line, text, size=11)
        if left_name:
            for _ in range(3):
                left.add_paragraph()
            name = left.add_paragraph()
            name.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(name, left_name, bold=True)
        p = right.paragraphs[0]
        for n, text in enumerate(right_title):
            if n:
                p = right.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(p, text.upper(), bold=True)
        for _ in range(3):
            right.add_paragraph()
        name = right.add_paragraph()
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(name, right_name or "", bold=True)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- output ---------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _run(paragraph, text: str, *, bold=False, italic=False, size: int | None = None):
        run = paragraph.add_run(text)
        run.font.name = FONT
        run.font.bold = bold
        run.font.italic = italic
        run.font.size = Pt(size or SIZE)
        return run
