"""Importing organisations from a workbook: the template passes, every bad line is reported
(kinds, parents in the database or above in the file, kinds under kinds, codes, the importer's
scope), nothing is created unless the whole file is valid, and a code taken since the check undoes
the whole file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import MemberImport, PartyOrganization
from apps.members.org_imports import ORG_COLUMNS, org_template_workbook
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append([h for h, _f in ORG_COLUMNS])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world():
    own, other = UnitFactory(short_name="Phú Thọ"), UnitFactory(short_name="Cao Bằng")
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=own
    )
    services.org_create(
        actor=None, code="CB", name="Đảng bộ tỉnh Cao Bằng", kind=OrgKind.PROVINCE, managed_by=other
    )
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=own)
    return {"province": province, "officer": officer, "scope": [province.path]}


def run(world, rows, confirm=True):
    content = rows if isinstance(rows, bytes) else workbook(rows)
    record = services.member_import_upload(
        actor=world["officer"],
        upload=io.BytesIO(content),
        scope_paths=world["scope"],
        kind="orgs",
    )
    record.refresh_from_db()
    if confirm and record.state == "ok":
        services.member_import_confirm(actor=world["officer"], record=record)
        record.refresh_from_db()
    return record


GOOD = [
    ["PT-DB1", "Đảng bộ xã Hùng Lô", "Đảng bộ cơ sở", "PT", "01/07/2025"],
    ["PT-DB1-CB1", "Chi bộ thôn 1", "Chi bộ trực thuộc", "PT-DB1", ""],
    ["PT-CB2", "Chi bộ xã Thử", "chi bo co so", "pt", ""],
]


def test_the_template_is_valid_and_creates_its_example(world):
    record = run(world, org_template_workbook())
    assert (record.kind, record.state, record.imported) == ("orgs", "imported", 2)


def test_a_good_file_creates_the_tree_in_order(world):
    before = PartyOrganization.objects.count()
    record = run(world, GOOD, confirm=False)
    assert record.state == "ok" and record.rows == 3
    assert PartyOrganization.objects.count() == before  # nothing before confirmation
    services.member_import_confirm(actor=world["officer"], record=record)
    record.refresh_from_db()
    assert record.state == "imported" and record.imported == 3
    cell = PartyOrganization.objects.get(code="PT-DB1-CB1")
    grassroots = PartyOrganization.objects.get(code="PT-DB1")
    assert cell.parent == grassroots and cell.path.startswith(grassroots.path)
    assert grassroots.path.startswith(world["province"].path) and cell.depth == 2
    assert PartyOrganization.objects.get(code="PT-CB2").kind == OrgKind.GRASSROOTS_CELL
    assert str(grassroots.valid_from) == "2025-07-01"


def test_every_bad_line_is_reported_and_nothing_is_created(world):
    before = PartyOrganization.objects.count()
    rows = [
        *GOOD,
        ["PT-DB1", "Trùng mã", "Đảng bộ cơ sở", "PT", ""],  # 5: code of line 2
        ["PT", "Trùng mã cũ", "Đảng bộ cơ sở", "PT", ""],  # 6: code in the database
        ["PT-X", "Chi bộ lạ", "Tổ đảng", "PT", ""],  # 7: unknown kind
        ["PT-Y", "Chi bộ mồ côi", "Chi bộ trực thuộc", "PT-ZZZ", ""],  # 8: unknown parent
        ["PT-Z", "Đảng bộ bộ phận", "Đảng bộ bộ phận", "PT", ""],  # 9: section under province
        ["CB-1", "Chi bộ Cao Bằng", "Chi bộ cơ sở", "CB", ""],  # 10: another unit's subtree
        ["PT-W", "Chi bộ", "Chi bộ cơ sở", "PT", "31/02/2025"],  # 11: bad date
        ["", "", "", "", ""],  # blank: skipped
        ["PT-V", "", "Chi bộ cơ sở", "", ""],  # 13: no name, no parent (not central)
    ]
    record = run(world, rows)
    assert record.state == "bad" and record.rows == 11
    assert PartyOrganization.objects.count() == before
    by_line = {}
    for e in record.errors:
        by_line.setdefault(e["line"], []).append(f"{e['column']}: {e['reason']}")
    assert sorted(by_line) == [5, 6, 7, 8, 9, 10, 11, 13]
    assert by_line[5] == ["Mã tổ chức: trùng với dòng 2"]
    assert "PT" in by_line[6][0] and "Mã tổ chức" in by_line[6][0]
    assert "Loại" in by_line[7][0] and "Chi bộ trực thuộc" in by_line[7][0]
    assert "PT-ZZZ" in by_line[8][0]
    assert any("Loại" in r for r in by_line[9])
    assert "CB" in by_line[10][0] and "đơn vị khác" in by_line[10][0]
    assert "31/02/2025" in by_line[11][0]
    assert len(by_line[13]) == 2


def test_a_code_taken_since_the_check_undoes_the_whole_file(world):
    record = run(world, GOOD, confirm=False)
    services.org_create(
        actor=None,
        code="PT-CB2",
        name="Ai đó tạo trước",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=world["province"],
    )
    services.member_import_confirm(actor=world["officer"], record=record)
    record.refresh_from_db()
    assert record.state == "bad" and "PT-CB2" in record.message
    assert not PartyOrganization.objects.filter(code__in=["PT-DB1", "PT-DB1-CB1"]).exists()


def test_org_import_pages(client, world):
    client.force_login(world["officer"])
    template = client.get("/party/import/template/?kind=orgs")
    assert template.status_code == 200 and "to-chuc-dang" in template["Content-Disposition"]
    upload = SimpleUploadedFile("to-chuc.xlsx", workbook(GOOD))
    page = client.post("/party/import/", {"kind": "orgs", "file": upload}, follow=True)
    assert "Nhập 3 tổ chức đảng" in page.content.decode()
    record = MemberImport.objects.get(original_name="to-chuc.xlsx")
    page = client.post(f"/party/imports/{record.pk}/confirm/", follow=True).content.decode()
    assert "Đã tạo 3 tổ chức đảng" in page
    # A member file sent as organisations: the headers say so.
    from apps.members.imports import template_workbook

    wrong = SimpleUploadedFile("nham.xlsx", template_workbook())
    page = client.post("/party/import/", {"kind": "orgs", "file": wrong}).content.decode()
    assert "Mã tổ chức" in page and not MemberImport.objects.filter(original_name="nham.xlsx")
