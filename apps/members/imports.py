"""Member workbooks: the template to fill, checking a filled one, and the export.

An import runs as tasks (``apps/members/tasks.py``): ``stage`` reads the workbook as a stream
(``apps.core.xlsx``), checks each line on its own and writes the good ones to the staging table a
chunk at a time (progress on the record, cancel between chunks); ``duplicates`` then finds the
same person twice, in the file or in the database, with SQL over the staged lines, so memory does
not grow with the file. Every bad line is reported with its line number, column and reason.
Only after the user confirms does ``copy_staged`` move the lines into the member table, in one
statement inside one transaction: a file is imported whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.text import fold
from apps.core.xlsx import XlsxError, open_sheet
from apps.members.cccd import check_cccd
from apps.members.choices import CELL_KINDS, MemberStatus, Sex
from apps.members.models import (
    Member,
    MemberImportRow,
    PartyOrganization,
    name_tails,
    person_sort_key,
    years_after,
)

# (header in the workbook, field) — the order of the template's columns.
COLUMNS = [
    ("Họ và tên", "full_name"),
    ("Giới tính", "sex"),
    ("Ngày sinh", "birth_date"),
    ("Số CCCD", "cccd"),
    ("Dân tộc", "ethnicity"),
    ("Tôn giáo", "religion"),
    ("Ngày kết nạp", "admitted_on"),
    ("Ngày chính thức", "full_member_on"),
    ("Số thẻ đảng viên", "card_number"),
    ("Ngày cấp thẻ", "card_issued_on"),
    ("Mã chi bộ", "org_code"),
]
REQUIRED = {"full_name", "sex", "birth_date", "admitted_on", "org_code"}
DATES = {"birth_date", "admitted_on", "full_member_on", "card_issued_on"}
SEXES = {"nam": Sex.MALE, "nữ": Sex.FEMALE, "nu": Sex.FEMALE}
MAX_ROWS = 2_000_000
MAX_ERRORS = 1_000  # problems kept for the result page; all are counted

__all__ = [
    "COLUMNS",
    "check_header",
    "copy_staged",
    "duplicates",
    "members_workbook",
    "stage",
    "template_workbook",
]


def template_workbook() -> bytes:
    """The blank template with one example line and a sheet of instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Đảng viên"
    sheet.append([header for header, _field in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "Nguyễn Văn An",
            "Nam",
            "12/04/1985",
            "025085012345",
            "Kinh",
            "Không",
            "19/05/2010",
            "19/05/2011",
            "25012345",
            "19/05/2025",
            "PT-001",
        ]
    )
    for column, width in zip(
        "ABCDEFGHIJK", [24, 10, 12, 15, 10, 10, 13, 15, 16, 13, 12], strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng một đảng viên; giữ nguyên dòng tiêu đề, xóa dòng ví dụ trước khi nhập.",
        "Giới tính: Nam hoặc Nữ. Ngày: dd/mm/yyyy.",
        "Số CCCD: 12 chữ số, phải khớp giới tính và năm sinh; có thể để trống.",
        "Mã chi bộ: mã chuẩn hóa của chi bộ đảng viên đang sinh hoạt.",
        "Tệp chỉ được nhập khi mọi dòng đều hợp lệ; nếu có lỗi, không dòng nào được ghi.",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_DATE_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    # Fast path for the template's dd/mm/yyyy (strptime is most of a line's check); anything it
    # does not take goes through the patterns below, so what is accepted does not change.
    day, _sep, rest = text.partition("/")
    month, _sep, year = rest.partition("/")
    digits = day + month + year
    if (
        len(year) == 4
        and 0 < len(day) <= 2
        and 0 < len(month) <= 2
        and digits.isascii()
        and digits.isdigit()
    ):
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _not_a_workbook() -> ValidationError:
    return ValidationError(_("This is not an Excel workbook (.xlsx)."))


def _open(source, columns=COLUMNS):
    """The workbook's first sheet after checking its header line (row 1):
    ``(sheet, rows after the header)``. The caller closes the sheet."""
    try:
        sheet = open_sheet(source)
    except XlsxError:
        raise _not_a_workbook() from None
    rows = sheet.rows()
    try:
        first = next(rows, None)
    except XlsxError:
        sheet.close()
        raise _not_a_workbook() from None
    header = first[1] if first is not None and first[0] == 1 else ()
    expected = [h for h, _f in columns]
    if [str(c or "").strip() for c in header[: len(columns)]] != expected:
        sheet.close()
        raise ValidationError(
            _("The first line must be the template's headers: %(headers)s.")
            % {"headers": ", ".join(expected)}
        )
    return sheet, rows


def check_header(source, columns=COLUMNS) -> int:
    """Refuse a file that is not the template, reading only its first line; return the number
    of lines it declares (an estimate for the progress bar: the sheet's recorded dimension, 0
    when it has none)."""
    sheet, rows = _open(source, columns)
    declared = max(0, (sheet.declared_rows or 1) - 1)
    rows.close()
    sheet.close()
    return declared


def _rows(source, columns=COLUMNS) -> Iterator[tuple[int, tuple]]:
    """The lines after the header that hold something, with their Excel row numbers."""
    sheet, rows = _open(source, columns)
    try:
        for line, row in rows:
            if not row or all(c is None or c == "" for c in row):
                continue
            yield line, row
    except XlsxError:
        raise _not_a_workbook() from None
    finally:
        rows.close()
        sheet.close()


_TEXT, _DATE, _SEX = "text", "date", "sex"
# What ``LineChecker.check`` does with each column, worked out once: (index, header, field,
# required, kind).
_PLAN = [
    (
        index,
        header,
        name,
        name in REQUIRED,
        _DATE if name in DATES else _SEX if name == "sex" else _TEXT,
    )
    for index, (header, name) in enumerate(COLUMNS)
]


class LineChecker:
    """The checks of one line that need no other line: required fields, dates, sex, the citizen
    ID against sex and birth year, age at admission, the cell's code and the importer's scope.
    Duplicates (inside the file and against the database) are found afterwards in SQL over the
    staged lines, so nothing here grows with the file."""

    def __init__(self, scope_paths: list[str] | None):
        self.scope_paths = scope_paths
        self.cells = {
            code: (pk, path)
            for code, pk, path in PartyOrganization.objects.filter(
                kind__in=list(CELL_KINDS)
            ).values_list("code", "pk", "path")
        }

    def check(self, line: int, row: tuple) -> tuple[dict, list[dict]]:
        problems: list[dict] = []

        def bad(column, reason):
            problems.append({"line": line, "column": column, "reason": str(reason)})

        data: dict = {}
        width = len(row)
        for index, header, name, required, kind in _PLAN:
            value = row[index] if index < width else None
            text = "" if value is None else str(value).strip()
            if not text:
                if required:
                    bad(header, _("required"))
                data[name] = None if kind is _DATE else ""
                continue
            if kind is _DATE:
                try:
                    data[name] = _date(value)
                except ValueError:
                    bad(header, _("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": text})
                    data[name] = None
            elif kind is _SEX:
                data[name] = SEXES.get(text.lower())
                if data[name] is None:
                    bad(header, _("write Nam or Nữ, not “%(value)s”") % {"value": text})
            else:
                data[name] = " ".join(text.split())
        born, admitted = data.get("birth_date"), data.get("admitted_on")
        if born and admitted and admitted < years_after(born, 18):
            bad("Ngày kết nạp", _("admitted before the age of 18"))
        if data.get("full_member_on") and admitted and data["full_member_on"] < admitted:
            bad("Ngày chính thức", _("before the admission date"))
        if data.get("cccd"):
            try:
                data["cccd"] = check_cccd(data["cccd"], sex=data.get("sex"), birth_date=born)
            except ValidationError as error:
                for message in error.messages:
                    bad("Số CCCD", message)
        code = (data.get("org_code") or "").upper()
        if code:
            cell = self.cells.get(code)
            if cell is None:
                bad("Mã chi bộ", _("no party cell has the code %(code)s") % {"code": code})
            elif self.scope_paths is not None and not any(
                cell[1].startswith(p) for p in self.scope_paths
            ):
                bad("Mã chi bộ", _("%(code)s is kept by another unit") % {"code": code})
            else:
                data["organization_id"], data["org_path"] = cell
        return data, problems


def staged_row(member_import, line: int, data: dict) -> MemberImportRow:
    search_name = fold(data["full_name"])
    last3, last2, given = name_tails(search_name)
    return MemberImportRow(
        member_import=member_import,
        line=line,
        full_name=data["full_name"],
        search_name=search_name,
        search_last3=last3,
        search_last2=last2,
        search_given=given,
        sort_key=person_sort_key(data["full_name"])[:600],
        sex=data["sex"],
        birth_date=data["birth_date"],
        cccd=data["cccd"] or None,
        ethnicity=data["ethnicity"][:50],
        religion=data["religion"][:50],
        admitted_on=data["admitted_on"],
        full_member_on=data["full_member_on"],
        status=MemberStatus.FULL if data["full_member_on"] else MemberStatus.PROBATIONARY,
        card_number=data["card_number"][:20] or None,
        card_issued_on=data["card_issued_on"],
        organization_id=data["organization_id"],
        org_path=data["org_path"],
    )


class Cancelled(Exception):
    """The user asked to stop; the staged lines are gone."""


def stage(record, *, chunk_size: int = 2_000, on_chunk=None) -> None:
    """Check ``record``'s file line by line into the staging table, committing a chunk at a time
    and reporting progress on the record; stop (and empty the staging) when a cancel is requested.
    Afterwards the duplicates are found in SQL and the record says "bad" (every problem listed,
    staging emptied) or "ok" (the staged lines wait for confirmation)."""
    model = type(record)
    model.objects.filter(pk=record.pk).update(state=model.State.CHECKING, done=0)
    checker = LineChecker(record.scope_paths)
    problems: list[dict] = []
    count = rows = 0
    batch: list[MemberImportRow] = []

    def flush():
        with transaction.atomic():
            MemberImportRow.objects.bulk_create(batch)
        batch.clear()
        model.objects.filter(pk=record.pk).update(done=rows)
        if on_chunk is not None:
            on_chunk(rows)
        if model.objects.filter(pk=record.pk, cancel_requested=True).exists():
            raise Cancelled

    try:
        with record.file.open("rb") as source:
            for line, row in _rows(source):
                rows += 1
                if rows > MAX_ROWS:
                    raise ValidationError(_("A file holds at most 2.000.000 members."))
                data, found = checker.check(line, row)
                if found:
                    count += len(found)
                    if len(problems) < MAX_ERRORS:
                        problems.extend(found)
                else:
                    batch.append(staged_row(record, line, data))
                if rows % chunk_size == 0:
                    flush()
            flush()
    except Cancelled:
        discard(record, state=model.State.CANCELLED)
        return
    except ValidationError as error:
        discard(record, state=model.State.CHECKED_BAD, message=" ".join(error.messages))
        return
    _analyze_staging()
    more, more_count = duplicates(record, in_file=True)
    problems.extend(more)
    count += more_count
    state = model.State.CHECKED_BAD if count or not rows else model.State.CHECKED_OK
    problems.sort(key=lambda e: e["line"])
    fields = {
        "rows": rows,
        "total": rows,
        "done": rows,
        "errors": problems[:MAX_ERRORS],
        "error_count": count,
        "message": "" if rows else str(_("The file has no member lines.")),
    }
    if state == model.State.CHECKED_BAD:
        discard(record, state=state, **fields)
    elif not model.objects.filter(pk=record.pk, cancel_requested=False).update(
        state=state, **fields
    ):
        discard(record, state=model.State.CANCELLED)


def _analyze_staging() -> None:
    """Fresh planner statistics for the staging table after a large load (PostgreSQL): without
    them the duplicate queries plan for a handful of rows and probe the member table row by row."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(MemberImportRow._meta.db_table)}")


def discard(record, *, state, **fields) -> None:
    """Empty ``record``'s staging and set its final state (no member row was ever written)."""
    from django.utils import timezone

    with transaction.atomic():
        MemberImportRow.objects.filter(member_import=record).delete()
        type(record).objects.filter(pk=record.pk).update(
            state=state, finished_at=timezone.now(), **fields
        )


def duplicates(record, *, in_file: bool) -> tuple[list[dict], int]:
    """Problems among ``record``'s staged lines: the same citizen ID, card number or name + date
    of birth as an earlier line (``in_file``) or as a member already recorded. Returns up to
    ``MAX_ERRORS`` problems and how many there are in all."""
    staged = MemberImportRow.objects.filter(member_import=record)
    problems: list[dict] = []
    count = 0

    def collect(queryset, make):
        nonlocal count
        count += queryset.count()
        for item in queryset.order_by("line")[: max(0, MAX_ERRORS - len(problems))]:
            problems.append(make(item))

    if in_file:
        for field, column in (("cccd", "Số CCCD"), ("card_number", "Số thẻ đảng viên")):
            first = staged.filter(**{field: OuterRef(field)}).order_by("line").values("line")[:1]
            later = staged.filter(**{f"{field}__isnull": False}).annotate(first=Subquery(first))
            collect(
                later.filter(line__gt=F("first")).values("line", "first"),
                lambda r, column=column: {
                    "line": r["line"],
                    "column": column,
                    "reason": str(_("the same as line %(line)s") % {"line": r["first"]}),
                },
            )
        first = (
            staged.filter(search_name=OuterRef("search_name"), birth_date=OuterRef("birth_date"))
            .order_by("line")
            .values("line")[:1]
        )
        collect(
            staged.annotate(first=Subquery(first))
            .filter(line__gt=F("first"))
            .values("line", "first"),
            lambda r: {
                "line": r["line"],
                "column": "Họ và tên",
                "reason": str(
                    _("the same name and date of birth as line %(line)s") % {"line": r["first"]}
                ),
            },
        )
    holder = Member.objects.filter(cccd=OuterRef("cccd")).values("full_name")[:1]
    collect(
        staged.filter(cccd__isnull=False)
        .annotate(holder=Subquery(holder))
        .filter(holder__isnull=False)
        .values("line", "holder"),
        lambda r: {
            "line": r["line"],
            "column": "Số CCCD",
            "reason": str(_("already recorded for %(name)s") % {"name": r["holder"]}),
        },
    )
    collect(
        staged.filter(
            card_number__isnull=False,
            card_number__in=Member.objects.filter(card_number__isnull=False).values("card_number"),
        ).values("line"),
        lambda r: {
            "line": r["line"],
            "column": "Số thẻ đảng viên",
            "reason": str(_("this card number is already recorded")),
        },
    )
    collect(
        staged.filter(
            Exists(
                Member.objects.filter(
                    search_name=OuterRef("search_name"), birth_date=OuterRef("birth_date")
                )
            )
        ).values("line"),
        lambda r: {
            "line": r["line"],
            "column": "Họ và tên",
            "reason": str(_("a member with the same name and date of birth is already recorded")),
        },
    )
    return problems, count


# The member columns the staged lines fill; every other column gets its empty value.
_COPIED = [
    "full_name",
    "search_name",
    "search_last3",
    "search_last2",
    "search_given",
    "sort_key",
    "sex",
    "birth_date",
    "cccd",
    "ethnicity",
    "religion",
    "admitted_on",
    "full_member_on",
    "status",
    "card_number",
    "card_issued_on",
    "organization_id",
    "org_path",
]


def copy_staged(record) -> int:
    """Insert ``record``'s staged lines into the member table in one statement (in file order);
    returns how many. The caller holds the transaction."""
    from django.db import connection
    from django.utils import timezone

    member = Member._meta
    columns = [member.get_field(name).column for name in _COPIED]
    filled = dict.fromkeys(("education", "theory_level", "status_reason"), "")
    now = timezone.now()
    extra = [*filled, "created_at", "updated_at"]
    values = [*filled.values(), now, now]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(member.db_table)} "
        f"({', '.join(quote(c) for c in [*columns, *extra])}) "
        f"SELECT {', '.join(quote(c) for c in columns)}, {', '.join(['%s'] * len(extra))} "
        f"FROM {quote(MemberImportRow._meta.db_table)} WHERE {quote('member_import_id')} = %s "
        f"ORDER BY {quote('line')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, record.pk])
        return cursor.rowcount


def members_workbook(members) -> bytes:
    """A list of members as a workbook (write-only: rows stream out as they are read), with the
    template's columns so an export can be corrected and imported back. Citizen IDs are masked."""
    from apps.members.cccd import mask_cccd

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([header for header, _field in COLUMNS] + ["Trạng thái"])
    labels = dict(Sex.choices)
    for m in members.iterator(chunk_size=2_000):
        sheet.append(
            [
                m.full_name,
                str(labels.get(m.sex, m.sex)),
                m.birth_date.strftime("%d/%m/%Y"),
                mask_cccd(m.cccd) if m.cccd else "",
                m.ethnicity,
                m.religion,
                m.admitted_on.strftime("%d/%m/%Y"),
                m.full_member_on.strftime("%d/%m/%Y") if m.full_member_on else "",
                m.card_number or "",
                m.card_issued_on.strftime("%d/%m/%Y") if m.card_issued_on else "",
                m.organization.code,
                str(m.get_status_display()),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
