"""Small real files of every kind the evidence check accepts, and of the kinds it refuses.

Built byte by byte to their formats' specifications (PDF with its cross-reference table; PNG with
CRCs and a zlib stream; Office Open XML packages; OLE2 compound files with a FAT and a
directory), except the JPEG, which is CPython's test image ``Lib/test/imghdrdata/python.jpg``
(16×16, baseline; PSF licence) so that a real encoder's output is checked.
"""

import base64
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Minh chung") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


JPEG_BYTES = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQID"
    "BAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/"
    "2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx"
    "4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+"
    "Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolv"
    "w4KOp1KM6iCNvngZHwetf//Z"
)

_CT = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT += '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
_CT += '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
_CT += '<Default Extension="xml" ContentType="application/xml"/>'
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{target}"/></Relationships>'
)


def _zip(parts: dict[str, str | bytes]) -> bytes:
    """A ZIP with a fixed timestamp in every entry, so the same parts give the same bytes (a
    test compares an uploaded file with a second call; the clock must not tick between them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, body)
    return out.getvalue()


def docx_bytes(text: str = "Báo cáo minh chứng") -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        {
            "[Content_Types].xml": _CT
            + f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
            "_rels/.rels": _RELS.format(target="word/document.xml"),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
            ),
        }
    )


def xlsx_bytes() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return _zip(
        {
            "[Content_Types].xml": _CT
            + f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
            + f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet}"/></Types>',
            "_rels/.rels": _RELS.format(target="xl/workbook.xml"),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} {rel_ns}>'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns}>'
                '<sheetData><row r="1"><c r="A1"><v>12</v></c></row></sheetData></worksheet>'
            ),
        }
    )


def zip_without_office_parts() -> bytes:
    return _zip({"baocao.txt": "Không phải tài liệu Word", "anh/README": b"x" * 100})


def macro_docx_bytes() -> bytes:
    """A .docx that carries a VBA project (what a .docm renamed to .docx looks like)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    return out.getvalue()


# --- OLE2 compound files (MS-CFB, version 3: 512-byte sectors) ------------------------------------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, child=_FREE, start=_END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, colour black
        + struct.pack("<III", _FREE, _FREE, child)  # left, right, child
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # created, modified
        + struct.pack("<IQ", start, size)
    )


def ole_bytes(stream_name: str, size: int = 4096) -> bytes:
    """A compound file holding one stream ``stream_name`` of ``size`` bytes (≥ 4096, so it lives
    in regular sectors), e.g. "WordDocument" for a .doc or "Workbook" for an .xls."""
    stream_sectors = (size + 511) // 512
    # Sector 0: FAT, sector 1: directory, sectors 2…: the stream.
    fat = [_FAT, _END] + [s + 1 for s in range(2, 2 + stream_sectors - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    directory = (
        _dir_entry("Root Entry", 5, child=1)
        + _dir_entry(stream_name, 2, start=2, size=size)
        + _dir_entry("", 0) * 2
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, 1, 1, 0)  # dir sectors, FAT sectors, first dir sector, txn
        + struct.pack("<IIIII", 4096, _END, 0, _END, 0)  # mini cutoff, mini FAT, DIFAT
        + struct.pack("<I", 0)  # DIFAT[0]: the FAT is sector 0
        + struct.pack("<I", _FREE) * 108
    )
    body = struct.pack("<128I", *fat) + directory
    body += (b"Noi dung " * (size // 9 + 1))[:size].ljust(stream_sectors * 512, b"\0")
    return header + body


def doc_bytes() -> bytes:
    return ole_bytes("WordDocument")


def xls_bytes() -> bytes:
    return ole_bytes("Workbook")


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 50 + b"PE\0\0" + b"\0" * 200
)
HTML_BYTES = b"<!DOCTYPE html><html><head><title>Bao cao</title></head><body>%PDF</body></html>"

GOOD = {
    "bao-cao.pdf": pdf_bytes,
    "to-trinh.docx": docx_bytes,
    "bang-so-lieu.xlsx": xlsx_bytes,
    "cong-van-cu.doc": doc_bytes,
    "so-lieu-cu.xls": xls_bytes,
    "anh-hoi-nghi.jpg": lambda: JPEG_BYTES,
    "anh-chup.jpeg": lambda: JPEG_BYTES,
    "so-do.png": png_bytes,
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def good_upload(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, GOOD[name]())
