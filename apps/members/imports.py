"""Member workbooks: the template to fill, and checking a filled one row by row.

The workbook is read as a stream (openpyxl read-only), so a large file is never held in memory
whole. Every bad line is reported with its line number, column and reason; the service
``member_import`` writes nothing unless the whole file is valid.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from apps.core.text import fold
from apps.members.cccd import check_cccd
from apps.members.choices import CELL_KINDS, Sex
from apps.members.models import Member, PartyOrganization, years_after

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

__all__ = ["COLUMNS", "CheckedFile", "check_workbook", "members_workbook", "template_workbook"]


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


@dataclass
class CheckedFile:
    rows: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line", "column", "reason"}
    members: list[dict] = field(default_factory=list)  # clean data, when kept

    @property
    def ok(self) -> bool:
        return self.rows > 0 and not self.errors


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(upload) -> Iterator[tuple[int, tuple]]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise ValidationError(_("This is not an Excel workbook (.xlsx).")) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    expected = [h for h, _f in COLUMNS]
    if header is None or [str(c or "").strip() for c in header[: len(COLUMNS)]] != expected:
        book.close()
        raise ValidationError(
            _("The first line must be the template's headers: %(headers)s.")
            % {"headers": ", ".join(expected)}
        )
    for line, row in enumerate(rows, start=2):
        if row is None or all(c in (None, "") for c in row):
            continue
        yield line, row
    book.close()


def check_workbook(upload, *, scope_paths: list[str] | None, keep: bool = False) -> CheckedFile:
    """Check every line; ``scope_paths`` limits the cells to subtrees (None: any cell)."""
    result = CheckedFile()
    cells = {o.code: o for o in PartyOrganization.objects.filter(kind__in=list(CELL_KINDS))}
    seen_cccd: dict[str, int] = {}
    seen_card: dict[str, int] = {}
    seen_person: dict[tuple[str, dt.date], int] = {}
    parsed = []
    for line, row in _rows(upload):
        result.rows += 1
        if result.rows > MAX_ROWS:
            raise ValidationError(_("A file holds at most 2.000.000 members."))
        values = {f: (row[i] if i < len(row) else None) for i, (_h, f) in enumerate(COLUMNS)}
        problems = []

        def bad(column, reason, problems=problems, line=line):
            problems.append({"line": line, "column": column, "reason": reason})

        data = {}
        for header, name in COLUMNS:
            value = values[name]
            text = "" if value is None else str(value).strip()
            if not text:
                if name in REQUIRED:
                    bad(header, _("required"))
                data[name] = None if name in DATES else ""
                continue
            if name in DATES:
                try:
                    data[name] = _date(value)
                except ValueError:
                    bad(header, _("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": text})
                    data[name] = None
            elif name == "sex":
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
            else:
                if data["cccd"] in seen_cccd:
                    bad(
                        "Số CCCD",
                        _("the same as line %(line)s") % {"line": seen_cccd[data["cccd"]]},
                    )
                seen_cccd.setdefault(data["cccd"], line)
        if data.get("card_number"):
            if data["card_number"] in seen_card:
                bad(
                    "Số thẻ đảng viên",
                    _("the same as line %(line)s") % {"line": seen_card[data["card_number"]]},
                )
            seen_card.setdefault(data["card_number"], line)
        if data.get("full_name") and born:
            person = (fold(data["full_name"]), born)
            if person in seen_person:
                bad(
                    "Họ và tên",
                    _("the same name and date of birth as line %(line)s")
                    % {"line": seen_person[person]},
                )
            seen_person.setdefault(person, line)
        code = (data.get("org_code") or "").upper()
        if code:
            cell = cells.get(code)
            if cell is None:
                bad("Mã chi bộ", _("no party cell has the code %(code)s") % {"code": code})
            elif scope_paths is not None and not any(cell.path.startswith(p) for p in scope_paths):
                bad("Mã chi bộ", _("%(code)s is kept by another unit") % {"code": code})
            data["organization"] = cell
        result.errors.extend(problems)
        parsed.append((line, data))
    # Against the database, in batches: citizen IDs, card numbers, the same person.
    _check_existing(parsed, result)
    if keep and not result.errors:
        result.members = [data for _line, data in parsed]
    result.errors.sort(key=lambda e: e["line"])
    return result


def _check_existing(parsed, result: CheckedFile, batch: int = 5_000) -> None:
    for start in range(0, len(parsed), batch):
        chunk = parsed[start : start + batch]
        cccds = {d["cccd"]: line for line, d in chunk if d.get("cccd")}
        for number, name in Member.objects.filter(cccd__in=cccds).values_list("cccd", "full_name"):
            result.errors.append(
                {
                    "line": cccds[number],
                    "column": "Số CCCD",
                    "reason": _("already recorded for %(name)s") % {"name": name},
                }
            )
        cards = {d["card_number"]: line for line, d in chunk if d.get("card_number")}
        for number in Member.objects.filter(card_number__in=cards).values_list(
            "card_number", flat=True
        ):
            result.errors.append(
                {
                    "line": cards[number],
                    "column": "Số thẻ đảng viên",
                    "reason": _("this card number is already recorded"),
                }
            )
        people = {
            (fold(d["full_name"]), d["birth_date"]): line
            for line, d in chunk
            if d.get("full_name") and d.get("birth_date")
        }
        names = {name for name, _born in people}
        for name, born in Member.objects.filter(search_name__in=names).values_list(
            "search_name", "birth_date"
        ):
            if (name, born) in people:
                result.errors.append(
                    {
                        "line": people[(name, born)],
                        "column": "Họ và tên",
                        "reason": _(
                            "a member with the same name and date of birth is already recorded"
                        ),
                    }
                )


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
