"""Member workbooks: the template round-trips, every bad line is reported with its line and
reason, nothing is written unless the whole file is valid, and the pages."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.core.tests.xlsx_files import oversized, package
from apps.core.text import fold
from apps.members import selectors, services
from apps.members.choices import OrgKind
from apps.members.imports import COLUMNS, check_header, stage, template_workbook
from apps.members.models import Member, MemberImport, MemberImportRow
from apps.members.tasks import check_member_import
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


def upload(world, rows_or_bytes, **kw):
    content = rows_or_bytes if isinstance(rows_or_bytes, bytes) else workbook(rows_or_bytes)
    record = services.member_import_upload(
        actor=kw.get("actor", world["officer"]),
        upload=io.BytesIO(content),
        scope_paths=kw.get("scope", world["scope"]),
        original_name="dang-vien.xlsx",
    )
    record.refresh_from_db()  # the immediate task backend has run the check
    return record


def confirm(world, record):
    services.member_import_confirm(actor=world["officer"], record=record)
    record.refresh_from_db()  # ... and the copy
    return record


def test_the_template_has_the_headers_and_an_example_that_passes(world):
    content = template_workbook()
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book.active[1]] == [h for h, _f in COLUMNS]
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn"]
    record = upload(world, content)
    assert (record.state, record.rows, record.error_count) == ("ok", 1, 0)


def test_a_good_file_waits_for_confirmation_then_is_imported_whole(world):
    record = upload(world, GOOD)
    assert record.state == MemberImport.State.CHECKED_OK and record.percent == 100
    assert (record.rows, record.done, record.total) == (3, 3, 3)
    # Checked, staged, not yet in the member table.
    assert Member.objects.count() == 0 and MemberImportRow.objects.count() == 3
    record = confirm(world, record)
    assert record.state == MemberImport.State.IMPORTED and record.imported == 3
    assert record.confirmed_by == world["officer"] and record.finished_at
    assert MemberImportRow.objects.count() == 0
    bình = Member.objects.get(full_name="Trần Thị Bình")
    assert (bình.sex, bình.status, bình.organization.code) == ("female", "probationary", "PT-001")
    assert bình.search_name == "tran thi binh" and bình.sort_key
    cường = Member.objects.get(full_name="Lê Văn Cường")
    assert cường.org_path.startswith(world["province"].path) and cường.status == "full"
    assert cường.cccd is None and cường.card_number == "25000003"
    actions = list(
        AuditEvent.objects.filter(object_id=str(record.pk), action__startswith="member.import")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["member.import.upload", "member.import.confirm", "member.import"]
    # Imported members are found by the pages' search like any other.
    found = selectors.members_under(world["province"]).filter(search_name__contains=fold("Cường"))
    assert [m.full_name for m in found] == ["Lê Văn Cường"]


BAD_ROWS = [
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
    ["Vũ Văn Giang", "Nam", "31/02/1980", "", "", "", "01/01/2005", "", "", "", "PT-009"],
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
    ],  # card number of line 2 (but the other unit's cell: not staged), other unit
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
    [
        "Đinh Văn Khoa",
        "Nam",
        "01/01/1990",
        "025090000006",
        "",
        "",
        "01/01/2012",
        "",
        "25000001",
        "",
        "PT-002",
    ],  # card number of line 2
    [
        "Nguyen Van An",
        "Nam",
        "12/04/1985",
        "",
        "",
        "",
        "01/01/2012",
        "",
        "",
        "",
        "PT-002",
    ],  # same person as line 2 (name without diacritics, birth date)
    [
        "Mai Thị Lan",
        "Nữ",
        "01/01/1970",
        "",
        "",
        "",
        "01/01/1990",
        "",
        "",
        "",
        "PT-001",
    ],  # same person as a recorded member
]


def test_every_bad_line_is_reported_and_nothing_is_written(world):
    third = services.org_create(
        actor=None,
        code="PT-003",
        name="Chi bộ 3",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=world["province"],
    )
    member(third, full_name="Hà Văn Dũng", cccd="025080000009", birth_date=dt.date(1980, 1, 1))
    member(third, full_name="Mai Thị Lan", sex="female", cccd="", birth_date=dt.date(1970, 1, 1))
    before = Member.objects.count()
    record = upload(world, [*GOOD, *BAD_ROWS])
    assert record.state == MemberImport.State.CHECKED_BAD and record.imported == 0
    assert Member.objects.count() == before and MemberImportRow.objects.count() == 0
    assert record.rows == 11 and record.error_count == len(record.errors)
    by_line = {}
    for e in record.errors:
        by_line.setdefault(e["line"], []).append(f"{e['column']}: {e['reason']}")
    assert sorted(by_line) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert [e["line"] for e in record.errors] == sorted(e["line"] for e in record.errors)
    assert any("giới tính nam" in r for r in by_line[5])
    assert any("31/02/1980" in r for r in by_line[6]) and any("PT-009" in r for r in by_line[6])
    assert any("đơn vị khác" in r for r in by_line[7])
    # A line with problems of its own is not compared with others until they are fixed.
    assert len(by_line[8]) == 1 and "1980" in by_line[8][0]
    assert any("Họ và tên" in r for r in by_line[9])
    assert by_line[10] == ["Số thẻ đảng viên: trùng với dòng 2"]
    assert by_line[11] == ["Họ và tên: trùng họ tên và ngày sinh với dòng 2"]
    assert by_line[12] == ["Họ và tên: đã có đảng viên trùng họ tên và ngày sinh"]
    # Nothing to confirm.
    with pytest.raises(ValidationError, match="Có lỗi"):
        services.member_import_confirm(actor=world["officer"], record=record)


def test_the_problems_kept_are_capped_but_all_are_counted(world, settings):
    rows = [["X", "Khác", "", "", "", "", "", "", "", "", ""] for _ in range(1_001)]
    record = upload(world, rows)
    assert record.state == "bad" and record.rows == 1_001
    assert len(record.errors) == 1_000 and record.error_count > 1_000


def test_not_a_workbook_or_wrong_headers_is_refused_at_upload(world):
    with pytest.raises(ValidationError, match="không phải tệp Excel"):
        upload(world, b"PK not really")
    book = Workbook()
    book.active.append(["Tên", "Tuổi"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError, match="Họ và tên"):
        upload(world, buffer.getvalue())
    assert not MemberImport.objects.exists()


def test_a_file_without_dimension_with_real_dates_and_blank_lines(world):
    """A write-only workbook (no ``<dimension>``, as openpyxl's write-only mode and some
    exporters save) with real Excel dates beside dd/mm/yyyy text, blank lines and a short line:
    blank lines are skipped, and problems name the Excel row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([h for h, _f in COLUMNS])
    first = list(GOOD[0])
    first[2], first[6] = dt.datetime(1985, 4, 12), dt.datetime(2010, 5, 19)  # real dates
    sheet.append(first)
    sheet.append([])
    sheet.append([None, "", None])
    sheet.append(GOOD[1])
    sheet.append(["Lý Văn Tư", "Khác"])  # a short line: the other cells count as empty
    buffer = io.BytesIO()
    book.save(buffer)
    assert check_header(io.BytesIO(buffer.getvalue())) == 0  # no line count declared
    assert check_header(io.BytesIO(workbook(GOOD))) == 3  # openpyxl's normal mode declares it
    record = upload(world, buffer.getvalue())
    assert record.state == "bad" and record.rows == 3
    assert {e["line"] for e in record.errors} == {6}
    assert {e["column"] for e in record.errors} >= {"Giới tính", "Ngày sinh", "Mã chi bộ"}
    assert MemberImportRow.objects.count() == 0


def test_a_member_declaring_an_absurd_size_is_refused_like_a_non_workbook(world):
    content = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=["<t>x</t>"])
    with pytest.raises(ValidationError, match="không phải tệp Excel"):
        upload(world, oversized(content, "xl/strings.xml", 2 << 30))
    assert not MemberImport.objects.exists()


def test_a_file_broken_past_its_header_is_refused_by_the_check(world):
    """The upload reads only the header line; the check finds the broken XML further on and
    ends "bad" with the same message as a file that is not a workbook."""
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, (h, _f) in enumerate(COLUMNS)
    )
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 6000))
    record = upload(world, package(f'<row r="1">{header}</row>{blank}<row r="6000"><c>'))
    assert record.state == "bad" and "không phải tệp Excel" in record.message
    assert MemberImportRow.objects.count() == 0


def test_an_empty_file_is_not_ready(world):
    record = upload(world, [])
    assert record.state == "bad" and record.rows == 0 and "không có dòng" in record.message


def test_cancel_a_ready_import_leaves_no_member_and_no_staging(world):
    record = upload(world, GOOD)
    services.member_import_cancel(actor=world["officer"], record=record)
    record.refresh_from_db()
    assert record.state == "cancelled" and record.cancel_requested
    assert not Member.objects.exists() and not MemberImportRow.objects.exists()
    with pytest.raises(ValidationError, match="Đã hủy"):
        services.member_import_confirm(actor=world["officer"], record=record)
    with pytest.raises(ValidationError, match="không thể hủy"):
        services.member_import_cancel(actor=world["officer"], record=record)


def test_cancel_while_checking_stops_at_the_next_chunk(world):
    """The check commits a chunk at a time; a cancel requested between chunks (here, by the
    service, after the first) stops it and empties the staging."""
    record = MemberImport.objects.create(
        original_name="x.xlsx",
        uploaded_by=world["officer"],
        scope_paths=world["scope"],
        state=MemberImport.State.QUEUED,
    )
    record.file.save("x.xlsx", ContentFile(workbook(GOOD)))
    seen = []

    def after_chunk(done):
        seen.append((done, MemberImportRow.objects.filter(member_import=record).count()))
        if len(seen) == 1:
            services.member_import_cancel(actor=world["officer"], record=record)

    stage(record, chunk_size=1, on_chunk=after_chunk)
    record.refresh_from_db()
    assert seen == [(1, 1)]  # one line checked and staged, then the cancel took effect
    assert record.state == "cancelled" and record.done == 1
    assert not MemberImportRow.objects.exists() and not Member.objects.exists()


def test_a_cancel_that_comes_after_the_copy_is_refused(world):
    record = confirm(world, upload(world, GOOD))
    with pytest.raises(ValidationError, match="không thể hủy"):
        services.member_import_cancel(actor=world["officer"], record=record)
    assert Member.objects.count() == 3


def test_the_copy_checks_again_for_people_recorded_since_the_check(world):
    record = upload(world, GOOD)
    member(
        world["province"].children.get(code="PT-002"),
        full_name="Someone Else",
        cccd="025190000002",  # line 3's citizen ID, added by someone after the check
        sex="female",
        birth_date=dt.date(1990, 2, 3),
    )
    record = confirm(world, record)
    assert record.state == "bad" and record.imported == 0
    assert record.errors == [
        {"line": 3, "column": "Số CCCD", "reason": "đã được ghi cho Someone Else"}
    ]
    assert Member.objects.count() == 1 and not MemberImportRow.objects.exists()


def test_a_failing_copy_writes_no_member(world):
    """A database error in the middle of the copy rolls the whole statement back: here the
    second staged line breaks a check constraint of the member table."""
    record = upload(world, GOOD)
    staged = MemberImportRow.objects.get(member_import=record, line=3)
    staged.full_member_on = dt.date(2000, 1, 1)  # before the admission: the table refuses
    staged.save()
    services.member_import_confirm(actor=world["officer"], record=record)
    record.refresh_from_db()
    assert record.state == "failed" and "không có đảng viên nào được nhập" in record.message.lower()
    assert not Member.objects.exists() and not MemberImportRow.objects.exists()


def test_import_pages(client, world, settings):
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
    # Not a workbook: the form says why and nothing is kept.
    response = client.post(
        "/party/import/", {"file": SimpleUploadedFile("a.xlsx", b"nope")}, follow=True
    )
    assert "không phải tệp Excel" in response.content.decode()
    good = SimpleUploadedFile("dung.xlsx", workbook(GOOD))
    response = client.post("/party/import/", {"file": good}, follow=True)
    page = response.content.decode()
    assert "Nhập 3 đảng viên" in page and 'id="confirm"' in page
    assert Member.objects.count() == 0
    record = MemberImport.objects.get(original_name="dung.xlsx")
    page = client.post(f"/party/imports/{record.pk}/confirm/", follow=True).content.decode()
    assert Member.objects.count() == 3 and "Đã nhập 3 đảng viên" in page
    # Confirming twice: refused with the state named, nothing added.
    page = client.post(f"/party/imports/{record.pk}/confirm/", follow=True).content.decode()
    assert "Đã nhập" in page and Member.objects.count() == 3
    # Someone else's import; a viewer.
    other = UserFactory(role=Role.UNIT_OFFICER, unit=world["officer"].unit)
    client.force_login(other)
    assert client.get(f"/party/imports/{record.pk}/").status_code == 403
    assert client.post(f"/party/imports/{record.pk}/cancel/").status_code == 403
    client.force_login(UserFactory(role=Role.VIEWER, unit=UnitFactory()))
    assert client.get("/party/import/").status_code == 403


def test_the_page_polls_while_the_task_waits_and_stops_when_done(client, world, settings):
    """With a real queue (the dummy backend keeps tasks without running them) the page shows the
    progress bar and polls; the check then runs as the worker would run it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(world["officer"])
    client.post("/party/import/", {"file": SimpleUploadedFile("cho.xlsx", workbook(GOOD))})
    record = MemberImport.objects.get(original_name="cho.xlsx")
    assert record.state == "queued" and record.total == 3
    page = client.get(f"/party/imports/{record.pk}/").content.decode()
    assert 'id="progress"' in page and 'hx-trigger="every 1s"' in page and 'id="cancel"' in page
    assert "Đang chờ kiểm tra" in page
    partial = client.get(f"/party/imports/{record.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="import-status"')
    check_member_import.call(record.pk)
    partial = client.get(f"/party/imports/{record.pk}/", headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "hx-trigger" not in text and 'id="confirm"' in text


def test_export_round_trips_through_the_checker(client, world):
    confirm(world, upload(world, GOOD))
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


def test_a_checked_import_nobody_confirms_is_discarded_after_a_week(world):
    """Staged lines do not stay forever: the next upload (or the command) discards a checked file
    left unconfirmed for STALE_IMPORT_DAYS, says why, and audits it; a recent one stays."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    old = upload(world, GOOD)
    recent = upload(world, GOOD)
    assert old.state == recent.state == "ok"
    staged = MemberImportRow.objects.filter(member_import=recent).count()
    assert staged and MemberImportRow.objects.filter(member_import=old).count() == staged
    MemberImport.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=services.STALE_IMPORT_DAYS, minutes=1)
    )
    upload(world, GOOD)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == "cancelled" and "Không được xác nhận trong 7 ngày" in old.message
    assert not MemberImportRow.objects.filter(member_import=old).exists()
    assert recent.state == "ok"
    assert MemberImportRow.objects.filter(member_import=recent).count() == staged
    assert AuditEvent.objects.filter(action="member.import.expire", object_id=str(old.pk)).exists()
    with pytest.raises(ValidationError, match="Đã hủy"):
        services.member_import_confirm(actor=world["officer"], record=old)
    out = StringIO()
    call_command("discard_stale_imports", stdout=out)  # nothing stale left
    assert out.getvalue().startswith("0 ")
    MemberImport.objects.filter(pk=recent.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=30)
    )
    call_command("discard_stale_imports", stdout=out)
    recent.refresh_from_db()
    assert recent.state == "cancelled" and not Member.objects.exists()
