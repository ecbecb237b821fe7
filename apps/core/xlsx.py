"""A lean streaming reader of the first worksheet of an .xlsx workbook (values only).

Imports read workbooks of up to millions of lines. openpyxl's read-only mode sizes a sheet that
has no ``<dimension>`` record (its own write-only mode writes none) by parsing the whole sheet on
every open, and then parses cells slowly; this module reads the sheet's XML with lxml's
``iterparse``, one row at a time, and gives each row's values typed as openpyxl's
``iter_rows(values_only=True)`` on a ``data_only`` workbook does, with one difference: a number is
an ``int`` whenever it is integral ("2.0" and "1E3" too), a ``float`` otherwise.

Memory: the sheet is never held (each row is cleared once read). The shared-strings table must
be: cells refer to it by index, in any order. It is read lazily, only as far as the cells read so
far refer to it, so checking a header line does not load the table of a large file.

Safety: XML is parsed without entity expansion or network access, a part with a DTD is refused,
and so is a part whose declared uncompressed size is absurd, before it is read (zipfile never
inflates a member beyond its declared size). Any unreadable input raises ``XlsxError``.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from urllib.parse import unquote

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

__all__ = ["Sheet", "XlsxError", "open_sheet"]

# Declared uncompressed sizes above these are refused. The sheet is streamed, but its size bounds
# the work: 8 GiB is several times what the largest import (2 million lines) needs.
MAX_PART_SIZE = 64 << 20  # workbook, relationships, styles
MAX_SHARED_STRINGS_SIZE = 1 << 30
MAX_SHEET_SIZE = 8 << 30
MAX_COLUMN = 16_384  # XFD, Excel's last column

_MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",  # transitional
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict
)
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False}
# What a damaged or hostile file raises from zipfile, zlib, lxml and the value conversions.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unsupported compression method
    etree.LxmlError,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
)


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook: not a zip, a part missing or too large, bad XML,
    or a value that cannot be what its type says."""


def open_sheet(source) -> Sheet:
    """The first worksheet of the workbook ``source`` (a path or a seekable binary file, read in
    place). Use as a context manager, or call ``close()``; a file object passed in stays open."""
    try:
        archive = zipfile.ZipFile(source)
    except (*_BROKEN, OSError) as error:  # OSError: seeking before the start of a tiny file
        raise XlsxError(f"not a zip file: {error}") from None
    try:
        return Sheet(archive)
    except XlsxError:
        archive.close()
        raise
    except _BROKEN as error:
        archive.close()
        raise XlsxError(str(error)) from None


class Sheet:
    """The first worksheet of an open workbook.

    ``declared_rows``: the last row number the sheet's ``<dimension>`` record gives (a hint: it
    may be absent, and files in the wild get it wrong), or None. ``rows()``: every ``<row>`` in
    order as ``(row number, values)``, values positioned by column from A (gaps are None, trailing
    empty cells absent); a row or cell without a reference follows the one before it.
    """

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        workbook_part = next(
            (p for kind, p in _relationships(archive, "").values() if kind == "officeDocument"),
            "xl/workbook.xml",
        )
        workbook = self._parse(workbook_part)
        ns = etree.QName(workbook).namespace
        if ns not in _MAIN_NAMESPACES:
            raise XlsxError(f"{workbook_part} is not a spreadsheet ({ns})")
        self._ns = f"{{{ns}}}"
        properties = workbook.find(self._ns + "workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self._epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        related = _relationships(archive, workbook_part)
        self._sheet_part = None
        for sheet in workbook.iterfind(f"{self._ns}sheets/{self._ns}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k in _RELATIONSHIP_IDS), None)
            kind, part = related.get(rid, (None, None))
            if kind == "worksheet":  # chart sheets are skipped, as openpyxl's worksheets[0] does
                self._sheet_part = part
                break
        if self._sheet_part is None:
            raise XlsxError("the workbook has no worksheet")
        parts = dict(reversed(related.values()))  # the first of each kind
        self._date_styles, self._timedelta_styles = self._styles(parts.get("styles"))
        self.declared_rows = self._dimension()
        self._strings = _SharedStrings(self, parts.get("sharedStrings"))  # opened last: held open

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._strings.close()
        self._archive.close()

    def rows(self) -> Iterator[tuple[int, tuple]]:
        """Stream the sheet's rows; raises ``XlsxError`` where the XML or a value is broken."""
        try:
            yield from self._rows()
        except _BROKEN as error:
            raise XlsxError(str(error)) from None

    # --- reading ----------------------------------------------------------------------------

    def _member(self, part: str | None, limit: int):
        try:
            info = self._archive.getinfo(part)
        except KeyError:
            raise XlsxError(f"{part} is missing") from None
        if info.file_size > limit:
            raise XlsxError(f"{part} declares {info.file_size} bytes")
        return self._archive.open(info)

    def _parse(self, part: str) -> etree._Element:
        with self._member(part, MAX_PART_SIZE) as stream:
            return _parse(stream, part)

    def _styles(self, part: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """The cell style indexes (as written in ``s=""``) whose number format is a date or time,
        and those that are a duration, decided as openpyxl decides them."""
        if part is None:
            return frozenset(), frozenset()
        ns = self._ns
        root = self._parse(part)
        custom = {
            int(f.get("numFmtId", -1)): f.get("formatCode")
            for f in root.iterfind(f"{ns}numFmts/{ns}numFmt")
        }
        dates, durations = set(), set()
        for index, xf in enumerate(root.iterfind(f"{ns}cellXfs/{ns}xf")):
            number_format = int(xf.get("numFmtId", 0))
            code = custom.get(number_format, BUILTIN_FORMATS.get(number_format))
            if is_date_format(code):
                dates.add(str(index))
            if is_timedelta_format(code):
                durations.add(str(index))
        return frozenset(dates), frozenset(durations)

    def _dimension(self) -> int | None:
        """The last row of ``<dimension ref="A1:L1000">``, read from the sheet's first elements
        (it comes before ``<sheetData>``), never the whole sheet."""
        with self._member(self._sheet_part, MAX_SHEET_SIZE) as stream:
            for _event, element in etree.iterparse(stream, events=("start",), **_SAFE):
                _refuse_dtd(element, self._sheet_part)
                name = etree.QName(element).localname
                if name == "dimension":
                    last = element.get("ref", "").rpartition(":")[2].lstrip(_LETTERS)
                    return int(last) if last.isascii() and last.isdigit() else None
                if name == "sheetData":
                    return None
        return None

    def _rows(self) -> Iterator[tuple[int, tuple]]:
        ns = self._ns
        c_tag, v_tag, is_tag, t_tag = ns + "c", ns + "v", ns + "is", ns + "t"
        strings = self._strings
        loaded = strings.items
        date_styles, duration_styles = self._date_styles, self._timedelta_styles
        epoch = self._epoch
        columns = _COLUMNS
        number = 0
        checked = False
        with self._member(self._sheet_part, MAX_SHEET_SIZE) as stream:
            for _event, row in etree.iterparse(stream, tag=ns + "row", **_SAFE):
                if not checked:
                    _refuse_dtd(row, self._sheet_part)
                    checked = True
                r = row.get("r")
                number = int(r) if r else number + 1
                values: list = []
                column = -1
                for cell in row:
                    if cell.tag != c_tag:
                        continue
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip(_DIGITS)
                        column = columns.get(letters)
                        if column is None:
                            column = columns[letters] = _column_index(letters)
                    else:
                        column += 1
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        value = None
                        for child in cell:
                            if child.tag == is_tag:
                                if len(child) == 1 and (text := child[0]).tag == t_tag:
                                    value = text.text or ""  # the common case: one <t>
                                else:
                                    value = _text(child, ns)
                                break
                    else:
                        value = None
                        for child in cell:
                            if child.tag == v_tag:
                                value = child.text or None
                                break
                        if value is not None:
                            if kind is None or kind == "n":
                                value = _number(value)
                                style = cell.get("s")
                                if style is not None and style in date_styles:
                                    value = _serial_date(value, epoch, style in duration_styles)
                            elif kind == "s":
                                index = int(value)
                                if 0 <= index < len(loaded):
                                    value = loaded[index]
                                else:
                                    value = strings.get(index)
                            elif kind == "b":
                                value = bool(int(value))
                            elif kind == "d":
                                value = from_ISO8601(value)
                            # "str" (a formula's text), "e" (an error such as #N/A): the text
                    width = len(values)
                    if column == width:
                        values.append(value)
                    elif column > width:
                        values.extend([None] * (column - width))
                        values.append(value)
                    else:
                        values[column] = value
                # Keep memory flat: drop the row's cells and every row before it.
                row.clear(keep_tail=True)
                parent = row.getparent()
                while row.getprevious() is not None:
                    del parent[0]
                yield number, tuple(values)


class _SharedStrings:
    """The shared-strings table, parsed only as far as the cells read so far refer to it."""

    def __init__(self, sheet: Sheet, part: str | None):
        self.items: list[str] = []
        self._source = None
        self._events = None
        if part is not None:
            self._source = sheet._member(part, MAX_SHARED_STRINGS_SIZE)
            self._part = part
            self._ns = sheet._ns
            self._events = etree.iterparse(self._source, tag=self._ns + "si", **_SAFE)

    def get(self, index: int) -> str:
        items, events = self.items, self._events
        while events is not None and index >= len(items):
            try:
                _event, si = next(events)
            except StopIteration:
                self.close()
                break
            if not items:
                _refuse_dtd(si, self._part)
            text = _text(si, self._ns)
            if "x005F_" in text:  # as openpyxl reads shared strings
                text = text.replace("x005F_", "")
            items.append(text)
            si.clear(keep_tail=True)
            parent = si.getparent()
            while si.getprevious() is not None:
                del parent[0]
        if not 0 <= index < len(items):
            raise XlsxError(f"shared string {index} does not exist")
        return items[index]

    def close(self) -> None:
        self._events = None
        if self._source is not None:
            self._source.close()
            self._source = None


_RELATIONSHIP_IDS = {f"{{{ns}}}id" for ns in _RELATIONSHIP_ID_NAMESPACES}
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_COLUMNS: dict[str, int] = {}  # "AB" → 27, filled as columns are met (at most MAX_COLUMN)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """``part``'s relationships (``""``: the package's): id → (type's last word, target part)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    try:
        info = archive.getinfo(rels)
    except KeyError:
        return {}
    if info.file_size > MAX_PART_SIZE:
        raise XlsxError(f"{rels} declares {info.file_size} bytes")
    with archive.open(info) as stream:
        root = _parse(stream, rels)
    found = {}
    for rel in root.iter(_RELATIONSHIP):
        if rel.get("TargetMode") == "External":
            continue
        target = unquote(rel.get("Target", ""))
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[rel.get("Id")] = (rel.get("Type", "").rpartition("/")[2], posixpath.normpath(path))
    return found


def _parse(stream, part: str) -> etree._Element:
    root = etree.parse(stream, etree.XMLParser(**_SAFE)).getroot()
    _refuse_dtd(root, part)
    return root


def _refuse_dtd(element, part: str) -> None:
    """OOXML parts never carry a DTD (ECMA-376 part 2); one is a broken or hostile file, refused
    rather than read with its entity references left out."""
    if element.getroottree().docinfo.doctype:
        raise XlsxError(f"{part} has a DTD")


def _text(element, ns: str) -> str:
    """A string item's text: its ``<t>``, or its rich-text runs' ``<r><t>`` joined; phonetic
    runs (``<rPh>``) are not part of the value."""
    t_tag = ns + "t"
    if len(element) == 1 and element[0].tag == t_tag:
        return element[0].text or ""
    r_tag = ns + "r"
    parts = []
    for child in element:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            parts.extend(t.text or "" for t in child.iterchildren(t_tag))
    return "".join(parts)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        return int(value) if value.is_integer() else value


def _serial_date(value, epoch, duration: bool):
    """A number in a date or time format, as openpyxl converts it (out of range: "#VALUE!")."""
    try:
        return from_excel(value, epoch, timedelta=duration)
    except (OverflowError, ValueError):
        return "#VALUE!"


def _column_index(letters: str) -> int:
    """Zero-based: "A" → 0, "XFD" → 16383; a reference outside the sheet raises ValueError."""
    index = 0
    for letter in letters.upper():
        if not "A" <= letter <= "Z":
            raise ValueError(f"bad cell reference column {letters!r}")
        index = index * 26 + ord(letter) - 64
    if not 1 <= index <= MAX_COLUMN:
        raise ValueError(f"bad cell reference column {letters!r}")
    return index - 1
