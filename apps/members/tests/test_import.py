"""Member workbooks: the template round-trips, every bad line is reported with its line and
reason, nothing is written unless the whole file is valid, and the pages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.imports import COLUMNS, check_workbook, template_workbook
from apps.members.models import Member, MemberImport
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

GOOD = [
    [
        "Nguyễn Văn An",
        "Nam",
        "12/04/1985",
        "025085012345",
        "Kinh",
        "",
        "19/05/2010",
        "19/05/2011",
        "25000001",
        "19/05/2025",
        "PT-001",
    ],
    [
        "Trần Thị Bình",
        "Nữ",
        "03/02/1990",
        "025190000002",
        "Mường",
        "",
        "03/02/2015",
        "",
        "",
        "",
        "PT-001",
    ],
    [
        "Lê Văn Cường",
        "nam",
        "1975-08-19",
        "",
        "Kinh",
        "Phật giáo",
        "02/09/1999",
        "02/09/2000",
        "25000003",
        "",
        "PT-002",
    ],
]


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([h for h, _f in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world():
    own, other = UnitFactory(short_name="Phú Thọ"), UnitFactory(short_name="Cao Bằng")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    for code in ("PT-001", "PT-002"):
        services.org_create(
            actor=None,
            code=code,
            name=f"Chi bộ {code}",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=province,
        )
    elsewhere = services.org_create(
        actor=None, code="CB", name="Đảng bộ tỉnh Cao Bằng", kind=OrgKind.PROVINCE, managed_by=other
    )
    services.org_create(
        actor=None, code="CB-001", name="Chi bộ CB", kind=OrgKind.GRASSROOTS_CELL, parent=elsewhere
    )
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=own)
    return {"province": province, "officer": officer, "scope": [province.path]}


def test_the_template_has_the_headers_and_an_example_that_passes(world):
    content = template_workbook()
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book.active[1]] == [h for h, _f in COLUMNS]
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn"]
    checked = check_workbook(io.BytesIO(content), scope_paths=None)
    assert checked.rows == 1 and checked.ok


def test_a_good_file_is_imported_whole(world):
    record = services.member_import(
        actor=world["officer"],
        upload=io.BytesIO(workbook(GOOD)),
        scope_paths=world["scope"],
        original_name="dang-vien.xlsx",
    )
    assert record.state == MemberImport.State.IMPORTED and record.imported == 3
    bình = Member.objects.get(full_name="Trần Thị Bình")
    assert (bình.sex, bình.status, bình.organization.code) == ("female", "probationary", "PT-001")
    assert Member.objects.get(full_name="Lê Văn Cường").org_path.startswith(world["province"].path)


def test_every_bad_line_is_reported_and_nothing_is_written(world):
    member(
        services.org_create(
            actor=None,
            code="PT-003",
            name="Chi bộ 3",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=world["province"],
        ),
        full_name="Hà Văn Dũng",
        cccd="025080000009",
        birth_date=__import__("datetime").date(1980, 1, 1),
    )
    rows = [
        *GOOD,
        [
            "Phạm Thị Em",
            "Nữ",
            "05/05/1992",
            "025092000004",
            "",
            "",
            "01/01/2016",
            "",
            "",
            "",
            "PT-001",
        ],  # CCCD says male
        [
            "Vũ Văn Giang",
            "Nam",
            "31/02/1980",
            "",
            "",
            "",
            "01/01/2005",
            "",
            "",
            "",
            "PT-009",
        ],  # bad date, unknown cell
        [
            "Ngô Văn Hải",
            "Nam",
            "01/01/1988",
            "025088000005",
            "",
            "",
            "01/01/2012",
            "",
            "25000001",
            "",
            "CB-001",
        ],  # card dup, other unit
        [
            "Hà Văn Dũng",
            "Nam",
            "01/01/1981",
            "025080000009",
            "",
            "",
            "01/01/2010",
            "",
            "",
            "",
            "PT-001",
        ],  # CCCD in DB, year
        ["", "Nam", "01/01/1988", "", "", "", "01/01/2005", "", "", "", "PT-001"],  # no name
    ]
    before = Member.objects.count()
    record = services.member_import(
        actor=world["officer"], upload=io.BytesIO(workbook(rows)), scope_paths=world["scope"]
    )
    assert record.state == MemberImport.State.CHECKED_BAD and record.imported == 0
    assert Member.objects.count() == before
    by_line = {}
    for e in record.errors:
        by_line.setdefault(e["line"], []).append(f"{e['column']}: {e['reason']}")
    assert sorted(by_line) == [5, 6, 7, 8, 9]
    assert any("giới tính nam" in r for r in by_line[5])
    assert any("31/02/1980" in r for r in by_line[6]) and any("PT-009" in r for r in by_line[6])
    assert any("dòng 2" in r for r in by_line[7]) and any("đơn vị khác" in r for r in by_line[7])
    assert any("1980" in r for r in by_line[8]) and any("Hà Văn Dũng" in r for r in by_line[8])
    assert any("Họ và tên" in r for r in by_line[9])


def test_not_a_workbook_or_wrong_headers(world):
    with pytest.raises(ValidationError, match="không phải tệp Excel"):
        check_workbook(io.BytesIO(b"PK not really"), scope_paths=None)
    book = Workbook()
    book.active.append(["Tên", "Tuổi"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError, match="Họ và tên"):
        check_workbook(io.BytesIO(buffer.getvalue()), scope_paths=None)


def test_import_pages(client, world):
    client.force_login(world["officer"])
    template = client.get("/party/import/template/")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    bad = SimpleUploadedFile(
        "sai.xlsx", workbook([*GOOD, ["X", "Khác", "", "", "", "", "", "", "", "", ""]])
    )
    response = client.post("/party/import/", {"file": bad}, follow=True)
    page = response.content.decode()
    assert "Không nhập dòng nào: 4 lỗi trong tệp 4 dòng" in page
    assert 'id="errors"' in page and Member.objects.count() == 0
    good = SimpleUploadedFile("dung.xlsx", workbook(GOOD))
    page = client.post("/party/import/", {"file": good}, follow=True).content.decode()
    assert Member.objects.count() == 3 and 'id="result"' in page
    client.force_login(UserFactory(role=Role.VIEWER, unit=UnitFactory()))
    assert client.get("/party/import/").status_code == 403


def test_export_round_trips_through_the_checker(client, world):
    services.member_import(
        actor=world["officer"], upload=io.BytesIO(workbook(GOOD)), scope_paths=world["scope"]
    )
    client.force_login(world["officer"])
    response = client.get(f"/party/orgs/{world['province'].pk}/export/?q=tran")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][: len(COLUMNS)] == tuple(h for h, _f in COLUMNS)
    assert [r[0] for r in rows[1:]] == ["Trần Thị Bình"]
    assert rows[1][3] == "0251******02" and rows[1][10] == "PT-001" and rows[1][11] == "Dự bị"
    everyone = client.get(f"/party/orgs/{world['province'].pk}/export/")
    names = [
        r[0] for r in load_workbook(io.BytesIO(everyone.content)).active.iter_rows(values_only=True)
    ][1:]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]  # by given name
