"""Workbooks made by hand, part by part, for the tests of what openpyxl and LibreOffice do not
write (strict OOXML, rich text, sparse rows, hostile files)."""

import io
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_DOC_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.{}+xml"


def package(
    sheet_data: str = "",
    *,
    strings: list[str] | None = None,
    styles: str | None = None,
    dimension: str | None = None,
    workbook_pr: str = "",
    strict: bool = False,
    sheet_part: str = "xl/worksheets/sheet1.xml",
    target: str = "worksheets/sheet1.xml",
    sheet_xml: bytes | str | None = None,
    strings_xml: bytes | str | None = None,
    leading_sheets: str = "",
    extra_rels: str = "",
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook made by hand, part by part, with content types so openpyxl can read it too.
    ``sheet_data`` is the XML inside ``<sheetData>``; ``strings`` the ``<si>`` items' XML."""
    ns = STRICT if strict else MAIN
    rel_ns = STRICT_DOC_RELS if strict else DOC_RELS
    rel_type = f"{rel_ns}/" if strict else f"{DOC_RELS}/"
    parts: dict[str, bytes] = {}
    overrides = [("/xl/workbook.xml", "sheet.main"), (f"/{sheet_part}", "worksheet")]
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{rel_type}officeDocument" '
        f'Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{ns}" xmlns:r="{rel_ns}">{workbook_pr}<sheets>{leading_sheets}'
        f'<sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    rels = [f'<Relationship Id="rId1" Type="{rel_type}worksheet" Target="{target}"/>']
    if strings is not None or strings_xml is not None:
        rels.append(
            f'<Relationship Id="rId2" Type="{rel_type}sharedStrings" Target="strings.xml"/>'
        )
        overrides.append(("/xl/strings.xml", "sharedStrings"))
        if isinstance(strings_xml, str):
            strings_xml = strings_xml.encode()
        parts["xl/strings.xml"] = (
            strings_xml
            or (f'<sst xmlns="{ns}">{"".join(f"<si>{s}</si>" for s in strings)}</sst>').encode()
        )
    if styles is not None:
        rels.append(f'<Relationship Id="rId3" Type="{rel_type}styles" Target="styles.xml"/>')
        overrides.append(("/xl/styles.xml", "styles"))
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{ns}">{styles}</styleSheet>'.encode()
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{RELS}">{"".join(rels)}{extra_rels}</Relationships>'
    ).encode()
    if isinstance(sheet_xml, str):
        sheet_xml = sheet_xml.encode()
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts[sheet_part] = (
        sheet_xml
        or (
            f'<worksheet xmlns="{ns}">{dim}<sheetData>{sheet_data}</sheetData></worksheet>'
        ).encode()
    )
    parts.update(extra_parts or {})
    types = "".join(
        f'<Override PartName="{name}" ContentType="{CONTENT_TYPE.format(kind)}"/>'
        for name, kind in overrides
    )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>'
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def oversized(content: bytes, name: str, size: int) -> bytes:
    """``content`` with the declared uncompressed size of member ``name`` set to ``size``
    (local header and central directory), without writing that much."""
    data = bytearray(content)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at != -1:
            if data[at + name_at : at + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 1)
    return bytes(data)
