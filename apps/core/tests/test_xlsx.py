"""The streaming .xlsx reader (apps.core.xlsx) on real files: written by openpyxl (normal and
write-only mode), converted by LibreOffice, and made by hand for what those do not write (inline
and rich-text strings, sparse cells, rows without references, strict OOXML, the 1904 calendar,
absolute part names). Wherever openpyxl can read a file, the values must be the ones its
``values_only`` read gives. Then the failures: anything that is not a readable workbook raises
``XlsxError``, and no XML entity is ever expanded.

The LibreOffice test needs ``soffice`` with Calc; without it the test is skipped with the reason,
unless THIDUA_REQUIRE_OFFICE=1 (CI), which makes it fail."""

import datetime as dt
import io
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from apps.core.tests.xlsx_files import DOC_RELS, MAIN, oversized, package
from apps.core.xlsx import XlsxError, open_sheet

# openpyxl, the reference reader, warns on the hand-made files' minimal styles and on a date
# serial out of range; both are expected here.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Workbook contains no default style:UserWarning"),
    pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning"),
]

REQUIRE_OFFICE = os.environ.get("THIDUA_REQUIRE_OFFICE", "").strip().lower() in {"1", "true"}

# --- helpers -------------------------------------------------------------------------------------


def ours(content: bytes) -> list[tuple[int, tuple]]:
    """The reader's rows that hold something, trailing empty cells dropped."""
    with open_sheet(io.BytesIO(content)) as sheet:
        return [(n, _trim(values)) for n, values in sheet.rows() if _trim(values)]


def theirs(content: bytes) -> list[tuple[int, tuple]]:
    """openpyxl's read-only ``values_only`` rows, numbered and trimmed the same way."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        return [(n, _trim(values)) for n, values in enumerate(rows, start=1) if _trim(values)]
    finally:
        book.close()


def _trim(values) -> tuple:
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def typed(rows):
    """Values with their kind, so True never passes for 1; int and float are one kind (the
    reader makes integral numbers int where openpyxl may give a float)."""

    def kind(value):
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            return "number"
        return type(value).__name__

    return [(n, tuple((kind(v), v) for v in values)) for n, values in rows]


def assert_same_as_openpyxl(content: bytes) -> list[tuple[int, tuple]]:
    mine = ours(content)
    assert typed(mine) == typed(theirs(content))
    return mine


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A date style (cellXfs index 1: built-in format 14, d/m/yyyy) and a custom one (index 2).
DATE_STYLES = (
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="10"/></cellXfs>'
)


# --- files written by openpyxl and LibreOffice ---------------------------------------------------


def test_a_workbook_written_by_openpyxl_reads_as_openpyxl_reads_it():
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Số", "Tỷ lệ", "Đúng", "Công thức", "Lỗi", "Giờ"])
    sheet.append(
        [
            "Nguyễn Văn An",
            dt.datetime(1985, 4, 12),
            25085012345,
            0.125,
            True,
            "=1+1",  # openpyxl stores no cached result: None for both readers
            "#N/A",
            dt.time(12, 30),
        ]
    )
    sheet.append(["Trần Thị Bình", dt.date(1990, 2, 3), -7, 2.5, False, None, None, None])
    sheet["B3"].number_format = "dd/mm/yyyy"
    sheet["D3"].number_format = "0.00%"  # a number format that is not a date
    sheet["A6"] = "sau ba dòng trống"
    sheet["J6"] = dt.datetime(2025, 7, 1, 8, 15)
    sheet["A7"] = dt.timedelta(hours=30)
    book.create_sheet("Khác").append(["not read"])
    content = saved(book)

    rows = assert_same_as_openpyxl(content)
    assert rows[1] == (
        2,
        (
            "Nguyễn Văn An",
            dt.datetime(1985, 4, 12),
            25085012345,
            0.125,
            True,
            None,
            "#N/A",
            dt.time(12, 30),
        ),
    )
    assert rows[2][1][:5] == ("Trần Thị Bình", dt.datetime(1990, 2, 3), -7, 2.5, False)
    assert rows[3] == (6, ("sau ba dòng trống", *[None] * 8, dt.datetime(2025, 7, 1, 8, 15)))
    assert rows[4] == (7, (dt.timedelta(hours=30),))
    with open_sheet(io.BytesIO(content)) as sheet:
        assert sheet.declared_rows == 7


def test_a_write_only_workbook_has_no_dimension_and_reads_the_same():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append(["Họ và tên", "Giới tính", "Ngày sinh"])
    for i in range(300):
        sheet.append([f"Người {i}", "Nữ" if i % 2 else "Nam", f"{i % 28 + 1:02d}/05/1990"])
    sheet.append([])
    sheet.append([None, None, dt.datetime(2020, 1, 2)])
    content = saved(book)
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )

    with open_sheet(io.BytesIO(content)) as sheet:
        assert sheet.declared_rows is None
    rows = assert_same_as_openpyxl(content)
    assert len(rows) == 302 and rows[1] == (2, ("Người 0", "Nam", "01/05/1990"))
    assert rows[-1] == (303, (None, None, dt.datetime(2020, 1, 2)))  # row 302 was empty


def test_a_path_is_read_as_well_as_a_file(tmp_path):
    book = Workbook()
    book.active.append(["a", 1])
    path = tmp_path / "a.xlsx"
    book.save(path)
    with open_sheet(path) as sheet:
        assert list(sheet.rows()) == [(1, ("a", 1))]
    with open_sheet(str(path)) as sheet, path.open("rb") as handle, open_sheet(handle) as again:
        assert list(sheet.rows()) == list(again.rows())


@pytest.fixture
def calc():
    """``soffice`` with Calc (``libreoffice-calc-nogui``): what converts a .csv to .xlsx."""
    soffice = shutil.which("soffice")
    reason = None
    if soffice is None:
        reason = "soffice not installed (apt-get install libreoffice-calc-nogui)"
    elif not (Path(soffice).resolve().parent / "libsclo.so").exists():
        reason = "LibreOffice Calc not installed (apt-get install libreoffice-calc-nogui)"
    if reason:
        if REQUIRE_OFFICE:
            pytest.fail(f"THIDUA_REQUIRE_OFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return soffice


def test_a_workbook_converted_by_libreoffice(calc, tmp_path):
    source = tmp_path / "dang-vien.csv"
    source.write_text(
        "Họ và tên,Số,Ngày,Tỷ lệ,Đúng,Ghi chú\n"
        'Nguyễn Văn An,42,2024-03-05,1.5,TRUE,"có, dấu phẩy"\n'
        "Trần Thị Bình,0025085012345,1990-02-03,-3,FALSE,\n"
        ",,,,,\n"
        "Lê Văn Cường,1e3,,,,cuối\n",
        encoding="utf-8",
    )
    subprocess.run(
        [
            calc,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # never another's profile
            "--headless",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = (tmp_path / "dang-vien.xlsx").read_bytes()
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "xl/sharedStrings.xml" in names  # LibreOffice writes shared strings, relative targets

    rows = assert_same_as_openpyxl(content)
    assert rows == [
        (1, ("Họ và tên", "Số", "Ngày", "Tỷ lệ", "Đúng", "Ghi chú")),
        (2, ("Nguyễn Văn An", 42, dt.datetime(2024, 3, 5), 1.5, True, "có, dấu phẩy")),
        (3, ("Trần Thị Bình", 25085012345, dt.datetime(1990, 2, 3), -3, False)),
        (5, ("Lê Văn Cường", 1000, None, None, None, "cuối")),
    ]
    with open_sheet(io.BytesIO(content)) as sheet:
        assert sheet.declared_rows == 5


# --- files made by hand --------------------------------------------------------------------------


def test_cell_types():
    content = package(
        '<row r="1">'
        '<c r="A1" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>Trần </t></r><r><t>Thị Bình</t></r>'
        "</is></c>"
        '<c r="C1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
        '<c r="D1" t="b"><v>0</v></c>'
        '<c r="E1" t="e"><v>#DIV/0!</v></c>'
        '<c r="F1"><f>1+1</f><v>2</v></c>'
        '<c r="G1" t="n"><v>-0.25</v></c>'
        '<c r="H1" t="inlineStr"></c>'
        '<c r="I1" t="n"><v></v></c>'
        "</row>"
        '<row r="2"><c r="A2" s="1"><v>45356</v></c><c r="B2" s="2"><v>32245.5</v></c>'
        '<c r="C2" s="3"><v>0.5</v></c><c r="D2" s="1"><v>9999999999</v></c></row>',
        styles=DATE_STYLES,
    )
    rows = assert_same_as_openpyxl(content)
    assert rows == [
        (1, ("Nguyễn Văn An", "Trần Thị Bình", "ab", False, "#DIV/0!", 2, -0.25)),
        # 0.5 in a percent format stays a number; a serial past year 9999 is "#VALUE!"
        (2, (dt.datetime(2024, 3, 5), dt.datetime(1988, 4, 12, 12), 0.5, "#VALUE!")),
    ]


def test_iso_dates_and_integral_numbers():
    content = package(
        '<row r="1"><c r="A1" t="d"><v>2024-03-05</v></c><c r="B1" t="d"><v>2024-03-05T08:30:00</v>'
        '</c><c r="C1"><v>2.0</v></c><c r="D1"><v>1.5E3</v></c><c r="E1"><v>1e-3</v></c></row>'
    )
    ((_n, values),) = ours(content)
    assert values == (dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 8, 30), 2, 1500, 0.001)
    # Integral numbers are int even where openpyxl gives a float ("2.0", "1.5E3").
    assert [type(v) for v in values[2:]] == [int, int, float]
    assert typed([(1, values)]) == typed(theirs(content))


def test_shared_strings_plain_rich_and_phonetic():
    content = package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>'
        '<c r="F1" t="s"><v>1</v></c></row>',
        strings=[
            "<t>Họ và tên</t>",
            '<r><rPr><b/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Văn An</t></r>'
            '<rPh sb="0" eb="1"><t>グエン</t></rPh><phoneticPr fontId="1"/>',
            '<t xml:space="preserve">  khoảng trắng  </t>',
            "<t/>",
            "<t>a_x005F_b</t>",
        ],
    )
    rows = assert_same_as_openpyxl(content)
    assert rows == [
        (1, ("Họ và tên", "Nguyễn Văn An", "  khoảng trắng  ", "", "a_b", "Nguyễn Văn An"))
    ]


def test_sparse_cells_and_missing_rows():
    content = package(
        '<row r="1"><c r="C1"><v>3</v></c><c r="AA1" t="inlineStr"><is><t>AA</t></is></c></row>'
        '<row r="2"/>'
        '<row r="4"><c r="B4" t="inlineStr"><is><t>b</t></is></c></row>'
        '<row r="9"><c r="XFD9"><v>1</v></c></row>'
    )
    rows = assert_same_as_openpyxl(content)
    assert rows[0] == (1, (None, None, 3, *[None] * 23, "AA"))
    assert rows[1] == (4, (None, "b"))
    assert rows[2][0] == 9 and len(rows[2][1]) == 16_384
    with open_sheet(io.BytesIO(content)) as sheet:
        assert [n for n, _v in sheet.rows()] == [1, 2, 4, 9]  # empty rows too, as written


def test_rows_and_cells_without_references_are_positional():
    content = package(
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c></row>'
        "<row><c/><c><v>5</v></c></row>"
    )
    rows = assert_same_as_openpyxl(content)
    assert rows == [(1, (1, 2)), (5, (None, None, 3, 4)), (6, (None, 5))]


def test_strict_ooxml():
    content = package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45356</v></c>'
        '<c r="C1" t="inlineStr"><is><t>nội dòng</t></is></c></row>',
        strings=["<t>chuỗi chung</t>"],
        styles=DATE_STYLES,
        strict=True,
        dimension="A1:C1",
    )
    with open_sheet(io.BytesIO(content)) as sheet:
        assert sheet.declared_rows == 1
        assert list(sheet.rows()) == [(1, ("chuỗi chung", dt.datetime(2024, 3, 5), "nội dòng"))]


@pytest.mark.parametrize(
    ("workbook_pr", "serial", "expected"),
    [
        ("", 1, dt.datetime(1900, 1, 1)),
        ("", 45356, dt.datetime(2024, 3, 5)),
        ('<workbookPr date1904="1"/>', 1, dt.datetime(1904, 1, 2)),
        ('<workbookPr date1904="true"/>', 43894, dt.datetime(2024, 3, 5)),
        ('<workbookPr date1904="0"/>', 45356, dt.datetime(2024, 3, 5)),
    ],
)
def test_the_1900_and_1904_calendars(workbook_pr, serial, expected):
    content = package(
        f'<row r="1"><c r="A1" s="1"><v>{serial}</v></c></row>',
        styles=DATE_STYLES,
        workbook_pr=workbook_pr,
    )
    assert assert_same_as_openpyxl(content) == [(1, (expected,))]


def test_the_first_worksheet_is_found_through_the_relationships():
    # The workbook lists a chart sheet first (skipped, as openpyxl's worksheets[0] skips it);
    # the data sheet's part has an unusual name, given as an absolute target.
    content = package(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>dữ liệu</t></is></c></row>',
        sheet_part="xl/data/first.xml",
        target="/xl/data/first.xml",
        leading_sheets='<sheet name="Biểu đồ" sheetId="9" r:id="rId9"/>',
        extra_rels=(
            f'<Relationship Id="rId9" Type="{DOC_RELS}/chartsheet" Target="chartsheets/c1.xml"/>'
            f'<Relationship Id="rId8" Type="{DOC_RELS}/hyperlink" Target="https://example.org" '
            'TargetMode="External"/>'
        ),
        extra_parts={"xl/chartsheets/c1.xml": f'<chartsheet xmlns="{MAIN}"/>'.encode()},
    )
    assert ours(content) == [(1, ("dữ liệu",))]


def test_the_dimension_is_read_without_parsing_the_sheet():
    # Broken XML far past the first rows: the dimension and the first row read fine (a header
    # check reads no further), the whole sheet does not.
    filler = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 8000))
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:K1000000"/><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>tiêu đề</t></is></c></row>{filler}'
        "<row><c><v>1</v></c></roow></sheetData></worksheet>"
    ).encode()
    content = package(sheet_xml=sheet)
    with open_sheet(io.BytesIO(content)) as sheet:
        assert sheet.declared_rows == 1_000_000
        rows = sheet.rows()
        assert next(rows) == (1, ("tiêu đề",))
        rows.close()
        with pytest.raises(XlsxError):
            list(sheet.rows())


def test_shared_strings_are_read_only_as_far_as_the_cells_need():
    # A table broken past its first items: the header line reads; a later line that needs an
    # item beyond the break raises. So the header check does not load a large file's table.
    items = "".join(f"<si><t>chuỗi {i}</t></si>" for i in range(8000))
    strings = f'<sst xmlns="{MAIN}"><si><t>Họ và tên</t></si>{items}<si><t>x</sst>'.encode()
    content = package(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>8001</v></c></row>',
        strings_xml=strings,
    )
    with open_sheet(io.BytesIO(content)) as sheet:
        rows = sheet.rows()
        assert next(rows) == (1, ("Họ và tên",))
        with pytest.raises(XlsxError):
            next(rows)


# --- what is refused -----------------------------------------------------------------------------


def _refused(content: bytes) -> None:
    with pytest.raises(XlsxError):  # opening or reading, whichever finds it
        ours(content)


def test_not_a_zip(tmp_path):
    for content in (b"", b"PK", b"not a workbook at all", b"PK\x03\x04" + b"\0" * 100):
        _refused(content)
    tiny = tmp_path / "tiny.xlsx"
    tiny.write_bytes(b"x")
    with pytest.raises(XlsxError):
        open_sheet(tiny)


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    _refused(buffer.getvalue())
    # A Word document is an OOXML package, but its main part is not a spreadsheet.
    document = io.BytesIO()
    Document().save(document)
    _refused(document.getvalue())


@pytest.mark.parametrize(
    "change",
    [
        {"extra_parts": {"xl/workbook.xml": b"<workbook"}},  # broken XML
        {"extra_parts": {"xl/_rels/workbook.xml.rels": b"<Relationships/>"}},  # no sheet
        {"target": "worksheets/missing.xml"},  # the sheet part is missing
        {"styles": "<cellXfs><xf numFmtId='x'/></cellXfs>"},  # not a number
    ],
)
def test_broken_parts(change):
    _refused(package('<row r="1"><c r="A1"><v>1</v></c></row>', **change))


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v>',  # cut short
        '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',  # no such shared string
        '<row r="1"><c r="A1" t="s"><v>-1</v></c></row>',
        '<row r="1"><c r="XFE1"><v>1</v></c></row>',  # past the last column
        '<row r="1"><c r="1A"><v>1</v></c></row>',
        '<row r="1"><c r="A1"><v>abc</v></c></row>',  # not a number
        '<row r="1"><c r="A1" t="d"><v>hôm qua</v></c></row>',
        '<row r="x"><c r="A1"><v>1</v></c></row>',
    ],
)
def test_broken_cells(sheet_data):
    _refused(package(sheet_data, strings=["<t>một</t>"]))


# "Billion laughs": each level multiplies by ten; expanded, lol9 is 3 GB of text.
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("where", ["strings", "sheet", "workbook"])
def test_no_entity_is_expanded(where):
    strings = f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        '<sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    content = package(
        strings_xml=(LAUGHS.format(root="sst") if where == "strings" else "") + strings,
        sheet_xml=(LAUGHS.format(root="worksheet") if where == "sheet" else "") + sheet,
        extra_parts={
            "xl/workbook.xml": (LAUGHS.format(root="workbook") if where == "workbook" else "")
            + workbook
        },
    )
    start = time.perf_counter()
    with pytest.raises(XlsxError):
        ours(content)
    assert time.perf_counter() - start < 5


def test_a_dtd_is_refused_so_no_external_entity_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu")
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t>'
        "</is></c></row></sheetData></worksheet>"
    )
    with pytest.raises(XlsxError, match="DTD"):
        ours(package(sheet_xml=sheet.encode()))


@pytest.mark.parametrize(
    ("member", "size"),
    [
        ("xl/strings.xml", (1 << 30) + 1),
        ("xl/workbook.xml", 100 << 20),
        ("xl/_rels/workbook.xml.rels", 100 << 20),
    ],
)
def test_a_member_declaring_an_absurd_size_is_refused_unread(member, size):
    content = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=["<t>a</t>"])
    assert ours(content) == [(1, ("a",))]
    with pytest.raises(XlsxError, match="declares"):
        open_sheet(io.BytesIO(oversized(content, member, size)))
