"""Evidence files of a self-assessment, checked by what they contain, not only by their name.

Accepted: PDF, Word (.docx, and the legacy .doc), Excel (.xlsx, and the legacy .xls), JPEG and
PNG images. The extension says what the file claims to be; the bytes must prove it:

- PDF: the ``%PDF-`` header in the first kilobyte and ``%%EOF`` in the last one.
- .docx / .xlsx: a readable ZIP archive whose ``[Content_Types].xml`` declares the main part of a
  Word document (or an Excel workbook), with that part and the package relationships present.
  Macro-enabled documents and templates declare other types and are refused, as is any archive
  that carries a ``vbaProject.bin``.
- .doc / .xls: an OLE2 compound file whose directory has a ``WordDocument`` stream (or a
  ``Workbook``/``Book`` stream).
- JPEG: the marker segments walked from SOI to EOI, with a frame header and a scan.
- PNG: every chunk's CRC checked, IHDR first and IEND last, and the image data inflated to the
  size its header announces (bounded, so a "decompression bomb" is refused).

All of it is pure Python (``zipfile``, ``zlib``, ``struct``): no image library is needed for
these structural checks, and nothing in a file is ever executed or rendered. The limits per file
and per assessment are the settings ``EVIDENCE_MAX_FILE_BYTES`` and ``EVIDENCE_MAX_TOTAL_BYTES``.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.formats import vn_number

MB = 1024 * 1024
DEFAULT_MAX_FILE_BYTES = 10 * MB
DEFAULT_MAX_TOTAL_BYTES = 100 * MB
# A PNG may not announce more pixels than this (a 10 MB file inflating to gigabytes is an attack).
MAX_PNG_PIXELS = 80_000_000


@dataclass(frozen=True)
class FileKind:
    key: str
    label: object  # lazy text: "PDF", "Word document", …
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    kind.key: kind
    for kind in (
        FileKind("pdf", gettext_lazy("PDF document"), "application/pdf", (".pdf",)),
        FileKind(
            "docx",
            gettext_lazy("Word document (.docx)"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind("doc", gettext_lazy("Word document (.doc)"), "application/msword", (".doc",)),
        FileKind(
            "xlsx",
            gettext_lazy("Excel workbook (.xlsx)"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileKind(
            "xls", gettext_lazy("Excel workbook (.xls)"), "application/vnd.ms-excel", (".xls",)
        ),
        FileKind("jpeg", gettext_lazy("JPEG image"), "image/jpeg", (".jpg", ".jpeg")),
        FileKind("png", gettext_lazy("PNG image"), "image/png", (".png",)),
    )
}
EXTENSIONS = {ext: kind for kind in KINDS.values() for ext in kind.extensions}
# For the file input's ``accept`` attribute (a hint to the browser; the server decides).
ACCEPT = ",".join(EXTENSIONS)


def max_file_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def max_total_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES))


def size_label(size: int) -> str:
    """12345678 -> "11,8 MB"; small files in KB."""
    if size >= MB:
        return f"{vn_number(round(size / MB, 1))} MB"
    return f"{vn_number(max(1, round(size / 1024)))} KB"


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: its cleaned name, what it is, and the bytes to store."""

    name: str
    kind: FileKind
    size: int
    sha256: str
    content: bytes


def clean_file_name(name: str) -> str:
    """The last path component, NFC, without control characters; never empty."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base or "tep"


def _refuse(message: str, params: dict, code: str) -> ValidationError:
    return ValidationError(message % params, code=code)


def check_evidence_file(upload) -> CheckedFile:
    """Check an uploaded file (a Django ``UploadedFile`` or any object with ``name``, ``size``
    and ``chunks()``) and return what to store, or raise ``ValidationError`` naming the file."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    extension = PurePath(name).suffix.lower()
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise _refuse(
            _(
                "“%(name)s” cannot be attached: only PDF, Word (.doc, .docx), Excel (.xls, .xlsx), "
                "JPEG and PNG files are accepted."
            ),
            {"name": name},
            "file_type",
        )
    limit = max_file_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(name, size, limit)
    digest = hashlib.sha256()
    parts = []
    total = 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        total += len(chunk)
        if total > limit:
            raise _too_big(name, total, limit)
        digest.update(chunk)
        parts.append(chunk)
    content = b"".join(parts)
    if not content:
        raise _refuse(_("“%(name)s” is empty."), {"name": name}, "file_empty")
    if not CHECKS[kind.key](content):
        raise _mismatch(name, kind, content)
    return CheckedFile(
        name=name, kind=kind, size=len(content), sha256=digest.hexdigest(), content=content
    )


def save_checked_file(instance, checked: CheckedFile, then) -> None:
    """Store ``checked`` in ``instance.file`` (under a random name, see ``upload_to``), save the
    row, then call ``then()`` (the service's audit event). When the row or ``then`` fails, the
    transaction rolls the row back and the stored file is removed here, so no orphan file stays."""
    from django.core.files.base import ContentFile

    instance.file.save(checked.name, ContentFile(checked.content), save=False)
    try:
        instance.save()
        then()
    except BaseException:
        instance.file.storage.delete(instance.file.name)
        raise


def _too_big(name: str, size: int, limit: int) -> ValidationError:
    return _refuse(
        _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
        {"name": name, "size": size_label(size), "limit": size_label(limit)},
        "file_too_big",
    )


def _mismatch(name: str, kind: FileKind, content: bytes) -> ValidationError:
    actual = detect(content)
    if actual is not None and actual.key != kind.key:
        return _refuse(
            _(
                "“%(name)s” was refused: its name says %(kind)s but its content is %(actual)s; "
                "give it the right extension and attach it again."
            ),
            {"name": name, "kind": kind.label, "actual": actual.label},
            "file_content",
        )
    head = content[:1024].lstrip().lower()
    if content[:2] == b"MZ" or content[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe"):
        what = _("a program")
    elif head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        what = _("a web page (HTML)")
    else:
        what = _("unreadable as such a file, or damaged")
    return _refuse(
        _("“%(name)s” was refused: its name says %(kind)s but its content is %(what)s."),
        {"name": name, "kind": kind.label, "what": what},
        "file_content",
    )


def detect(content: bytes) -> FileKind | None:
    """What ``content`` really is among the accepted kinds, or None."""
    for key in ("pdf", "png", "jpeg", "docx", "xlsx", "doc", "xls"):
        if CHECKS[key](content):
            return KINDS[key]
    return None


# --- PDF -----------------------------------------------------------------------------------------

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")


def _is_pdf(data: bytes) -> bool:
    # Readers accept the header anywhere in the first 1024 bytes; the trailer ends with %%EOF,
    # possibly followed by line ends or a little padding.
    return bool(_PDF_HEADER.search(data[:1024])) and b"%%EOF" in data[-1024:]


# --- Office Open XML (.docx, .xlsx) --------------------------------------------------------------

_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAX_CONTENT_TYPES_BYTES = 1 * MB
_MAX_ZIP_MEMBERS = 10_000


def _ooxml_main_part(data: bytes, main_type: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_ZIP_MEMBERS:
                return False
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                return False
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False  # macros
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return False
            types_xml = archive.read(info)  # checks the member's CRC
            if b"<!DOCTYPE" in types_xml.upper():
                return False  # OOXML never has one; entity tricks are refused unparsed
            root = ET.fromstring(types_xml)
            parts = [
                o.get("PartName", "").lstrip("/")
                for o in root.iter(f"{_CT_NS}Override")
                if o.get("ContentType") == main_type
            ]
            if len(parts) != 1 or parts[0] not in names:
                return False
            with archive.open(parts[0]) as main:
                return main.read(512).lstrip().startswith(b"<")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, RuntimeError, OSError):
        return False
    except (ValueError, NotImplementedError, EOFError, KeyError, zlib.error):
        return False


def _is_docx(data: bytes) -> bool:
    return _ooxml_main_part(data, _OOXML_MAIN["docx"])


def _is_xlsx(data: bytes) -> bool:
    return _ooxml_main_part(data, _OOXML_MAIN["xlsx"])


# --- OLE2 compound files (.doc, .xls) ------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_SECTOR_ID = 0xFFFFFFFA


def ole_stream_names(data: bytes) -> set[str]:
    """The names of the streams in an OLE2 compound file's directory (empty when not one)."""
    if len(data) < 512 or not data.startswith(_OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    fat_count, first_dir = struct.unpack_from("<II", data, 44)
    first_difat, difat_count = struct.unpack_from("<II", data, 68)
    sectors_in_file = (len(data) - size) // size  # the header occupies one sector's room

    def sector(index: int) -> bytes | None:
        if index >= sectors_in_file:
            return None
        start = size + index * size
        return data[start : start + size]

    difat = [s for s in struct.unpack_from("<109I", data, 76) if s <= _MAX_SECTOR_ID]
    nxt, guard = first_difat, 0
    while nxt <= _MAX_SECTOR_ID and len(difat) < fat_count and guard < difat_count + 1:
        block = sector(nxt)
        if block is None:
            return set()
        entries = struct.unpack(f"<{size // 4}I", block)
        difat.extend(s for s in entries[:-1] if s <= _MAX_SECTOR_ID)
        nxt, guard = entries[-1], guard + 1
    fat: list[int] = []
    for index in difat[:fat_count]:
        block = sector(index)
        if block is None:
            return set()
        fat.extend(struct.unpack(f"<{size // 4}I", block))
    names: set[str] = set()
    current, seen = first_dir, set()
    while current != _END_OF_CHAIN:
        if current > _MAX_SECTOR_ID or current in seen or current >= len(fat):
            return set()
        seen.add(current)
        block = sector(current)
        if block is None:
            return set()
        for offset in range(0, size, 128):
            entry = block[offset : offset + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            if entry[66] == 2 and 2 <= length <= 64:  # a stream
                names.add(entry[: length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return names


def _is_doc(data: bytes) -> bool:
    return "WordDocument" in ole_stream_names(data)


def _is_xls(data: bytes) -> bool:
    return bool({"Workbook", "Book"} & ole_stream_names(data))


# --- images ----------------------------------------------------------------------------------------

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _is_jpeg(data: bytes) -> bool:
    """Walk the marker segments from SOI: a frame header with a size, a scan, then EOI."""
    if not data.startswith(b"\xff\xd8\xff"):
        return False
    i, end = 2, len(data)
    frame = scan = False
    while i < end:
        if data[i] != 0xFF:
            return False
        while i < end and data[i] == 0xFF:
            i += 1
        if i >= end:
            return False
        marker = data[i]
        i += 1
        if marker == 0xD9:  # EOI (trailing bytes after it are tolerated, as viewers do)
            return frame and scan
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if i + 2 > end:
            return False
        length = struct.unpack_from(">H", data, i)[0]
        if length < 2 or i + length > end:
            return False
        if marker in _SOF:
            if length < 8:
                return False
            height, width = struct.unpack_from(">HH", data, i + 3)
            if width == 0:
                return False
            frame = True
        i += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            if not frame:
                return False
            scan = True
            while True:
                i = data.find(b"\xff", i)
                if i < 0 or i + 1 >= end:
                    return False
                following = data[i + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    i += 1 if following == 0xFF else 2
                    continue
                break
    return False


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# colour type -> (samples per pixel, allowed bit depths)
_PNG_COLOUR = {0: (1, {1, 2, 4, 8, 16}), 2: (3, {8, 16}), 3: (1, {1, 2, 4, 8}), 4: (2, {8, 16})}
_PNG_COLOUR[6] = (4, {8, 16})
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2))
_ADAM7 += ((0, 1, 1, 2),)


def _png_expected_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    def rows(w: int, h: int) -> int:
        if w == 0 or h == 0:
            return 0
        return h * (1 + (w * bits_per_pixel + 7) // 8)

    if not interlaced:
        return rows(width, height)
    total = 0
    for x0, y0, dx, dy in _ADAM7:
        total += rows((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy)
    return total


def _is_png(data: bytes) -> bool:
    """Every chunk's CRC, IHDR first, IEND last, and the image data inflated to its exact size."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    pos, end = 8, len(data)
    expected = None
    inflater = zlib.decompressobj()
    inflated = 0
    first = True
    try:
        while pos + 12 <= end:
            length, kind = struct.unpack_from(">I4s", data, pos)
            body_start, body_end = pos + 8, pos + 8 + length
            if body_end + 4 > end or not kind.isalpha():
                return False
            body = data[body_start:body_end]
            (crc,) = struct.unpack_from(">I", data, body_end)
            if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
                return False
            if first:
                if kind != b"IHDR" or length != 13:
                    return False
                width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
                if colour not in _PNG_COLOUR or depth not in _PNG_COLOUR[colour][1]:
                    return False
                if not width or not height or width * height > MAX_PNG_PIXELS or interlace > 1:
                    return False
                bpp = _PNG_COLOUR[colour][0] * depth
                expected = _png_expected_bytes(width, height, bpp, interlace == 1)
                first = False
            elif kind == b"IDAT":
                chunk = body
                while chunk and not inflater.eof:
                    out = inflater.decompress(chunk, 1 << 16)
                    inflated += len(out)
                    if inflated > expected:
                        return False
                    chunk = inflater.unconsumed_tail
            elif kind == b"IEND":
                return inflater.eof and inflated == expected
            pos = body_end + 4
    except (struct.error, zlib.error):
        return False
    return False


CHECKS = {
    "pdf": _is_pdf,
    "docx": _is_docx,
    "xlsx": _is_xlsx,
    "doc": _is_doc,
    "xls": _is_xls,
    "jpeg": _is_jpeg,
    "png": _is_png,
}
