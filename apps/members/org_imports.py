"""Importing organisations from a workbook: the template, the check, and the creation.

Organisations are few next to members (≈ 50 thousand for the whole Party, a few thousand per
province), so the check keeps the file's codes in memory while it streams the lines, and the
creation re-reads the file and creates the organisations in file order (a parent before its
children) inside the import's one transaction. Runs through the same ``MemberImport`` record,
tasks, progress and cancel as the member import (decision 0006).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.text import fold
from apps.members.choices import ALLOWED_PARENTS, OrgKind
from apps.members.imports import MAX_ERRORS, Cancelled, _date, _rows, discard
from apps.members.models import PartyOrganization, path_step

ORG_COLUMNS = [
    ("Mã tổ chức", "code"),
    ("Tên tổ chức", "name"),
    ("Loại", "kind"),
    ("Mã tổ chức cấp trên", "parent_code"),
    ("Ngày thành lập", "valid_from"),
]
# The kinds as officials write them (QĐ 294-QĐ/TW), compared without diacritics or case.
KIND_NAMES = {
    "Đảng bộ tỉnh": OrgKind.PROVINCE,
    "Đảng bộ cấp trên trực tiếp cơ sở": OrgKind.ABOVE_GRASSROOTS,
    "Đảng bộ cơ sở": OrgKind.GRASSROOTS,
    "Đảng bộ bộ phận": OrgKind.SECTION,
    "Chi bộ cơ sở": OrgKind.GRASSROOTS_CELL,
    "Chi bộ trực thuộc": OrgKind.CELL,
}
_KINDS = {fold(name): kind for name, kind in KIND_NAMES.items()} | {
    fold(k): k for k in OrgKind.values
}


def org_template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổ chức đảng"
    sheet.append([header for header, _field in ORG_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["PT-DBCS-01", "Đảng bộ xã Hùng Lô", "Đảng bộ cơ sở", "PT", "01/07/2025"])
    sheet.append(["PT-DBCS-01-CB01", "Chi bộ thôn 1", "Chi bộ trực thuộc", "PT-DBCS-01", ""])
    for column, width in zip("ABCDE", [18, 40, 30, 22, 15], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng một tổ chức đảng; giữ nguyên dòng tiêu đề, xóa các dòng ví dụ trước khi nhập.",
        "Loại: " + "; ".join(KIND_NAMES) + ".",
        "Mã tổ chức cấp trên: mã của tổ chức đã có, hoặc của một dòng phía trên trong tệp.",
        "Ngày thành lập: dd/mm/yyyy, có thể để trống.",
        "Tệp chỉ được nhập khi mọi dòng đều hợp lệ; nếu có lỗi, không dòng nào được ghi.",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parse(line, row, known, scope_paths, problems):
    """One line's values, checked against the organisations known so far (database and earlier
    lines: code → (kind, path or None))."""
    values = {f: (row[i] if i < len(row) else None) for i, (_h, f) in enumerate(ORG_COLUMNS)}

    def bad(column, reason):
        problems.append({"line": line, "column": column, "reason": str(reason)})

    text = {k: ("" if v is None else " ".join(str(v).split())) for k, v in values.items()}
    code = text["code"].replace(" ", "").upper()
    parent_code = text["parent_code"].replace(" ", "").upper()
    if not code:
        bad("Mã tổ chức", _("required"))
    elif code in known:
        where = known[code][2]
        bad(
            "Mã tổ chức",
            _("the same as line %(line)s") % {"line": where}
            if where
            else _("the code %(code)s is already used") % {"code": code},
        )
    if not text["name"]:
        bad("Tên tổ chức", _("required"))
    kind = _KINDS.get(fold(text["kind"])) if text["kind"] else None
    if kind is None:
        bad(
            "Loại",
            _("write one of: %(kinds)s") % {"kinds": ", ".join(KIND_NAMES)}
            if text["kind"]
            else _("required"),
        )
    valid_from = None
    if text["valid_from"]:
        try:
            valid_from = _date(values["valid_from"])
        except ValueError:
            bad(
                "Ngày thành lập",
                _("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": text["valid_from"]},
            )
    parent = None
    if parent_code:
        parent = known.get(parent_code)
        if parent is None:
            bad(
                "Mã tổ chức cấp trên",
                _("no organisation has the code %(code)s (in the database or above)")
                % {"code": parent_code},
            )
        elif scope_paths is not None and not any(
            (parent[1] or parent[3]).startswith(p) for p in scope_paths
        ):
            bad(
                "Mã tổ chức cấp trên", _("%(code)s is kept by another unit") % {"code": parent_code}
            )
    elif kind is not None and scope_paths is not None:
        bad("Mã tổ chức cấp trên", _("required"))
    # Where the line sits: under its parent, or at the top (only without a scope: central).
    placed = kind is not None and (
        parent is not None or (parent_code == "" and scope_paths is None)
    )
    if placed and (parent[0] if parent else None) not in ALLOWED_PARENTS[kind]:
        bad(
            "Loại",
            _("a %(kind)s cannot sit under %(parent)s")
            % {
                "kind": OrgKind(kind).label,
                "parent": OrgKind(parent[0]).label if parent else _("nothing (the top)"),
            },
        )
    return {
        "code": code,
        "name": text["name"][:300],
        "kind": kind,
        "parent_code": parent_code,
        "valid_from": valid_from,
    }


def check(record, *, chunk=500, on_chunk=None) -> None:
    """Check ``record``'s organisation file line by line (progress and cancel every ``chunk``
    lines); the record ends "ok" or "bad" with every problem listed. Nothing is written."""
    model = type(record)
    model.objects.filter(pk=record.pk).update(state=model.State.CHECKING, done=0)
    # code → (kind, path of an existing organisation or None, line in the file or None,
    #         path of the nearest existing ancestor for a new one)
    known = {
        code: (kind, path, None, path)
        for code, kind, path in PartyOrganization.objects.values_list("code", "kind", "path")
    }
    problems: list[dict] = []
    count = rows = 0
    try:
        with record.file.open("rb") as source:
            for line, row in _rows(source, ORG_COLUMNS):
                rows += 1
                found: list[dict] = []
                data = _parse(line, row, known, record.scope_paths, found)
                if found:
                    count += len(found)
                    if len(problems) < MAX_ERRORS:
                        problems.extend(found)
                if data["code"] and data["code"] not in known and data["kind"]:
                    parent = known.get(data["parent_code"])
                    anchor = (parent[1] or parent[3]) if parent else ""
                    known[data["code"]] = (data["kind"], None, line, anchor)
                if rows % chunk == 0:
                    _progress(record, rows, on_chunk)
            _progress(record, rows, on_chunk)
    except Cancelled:
        discard(record, state=model.State.CANCELLED)
        return
    except ValidationError as error:
        discard(record, state=model.State.CHECKED_BAD, message=" ".join(error.messages))
        return
    fields = {
        "rows": rows,
        "total": rows,
        "done": rows,
        "errors": problems[:MAX_ERRORS],
        "error_count": count,
        "message": "" if rows else str(_("The file has no organisation lines.")),
    }
    if count or not rows:
        discard(record, state=model.State.CHECKED_BAD, **fields)
    elif not model.objects.filter(pk=record.pk, cancel_requested=False).update(
        state=model.State.CHECKED_OK, **fields
    ):
        discard(record, state=model.State.CANCELLED)


def _progress(record, rows, on_chunk):
    model = type(record)
    model.objects.filter(pk=record.pk).update(done=rows)
    if on_chunk is not None:
        on_chunk(rows)
    if model.objects.filter(pk=record.pk, cancel_requested=True).exists():
        raise Cancelled


def create(record) -> int:
    """Create the file's organisations in file order; the caller holds the transaction and has
    checked the file. Any line that no longer fits (a code taken since) raises and rolls back."""
    made: dict[str, PartyOrganization] = {}
    count = 0
    with record.file.open("rb") as source:
        for line, row in _rows(source, ORG_COLUMNS):
            problems: list[dict] = []
            known = {}
            data = _parse(line, row, known, None, problems)
            if PartyOrganization.objects.filter(code=data["code"]).exists():
                raise ValidationError(
                    _("Line %(line)s: the code %(code)s was used since the check.")
                    % {"line": line, "code": data["code"]}
                )
            parent = None
            if data["parent_code"]:
                parent = made.get(data["parent_code"]) or PartyOrganization.objects.get(
                    code=data["parent_code"]
                )
            org = PartyOrganization.objects.create(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                province=parent.province if parent else None,
                valid_from=data["valid_from"],
                path="",
                depth=(parent.depth + 1) if parent else 0,
            )
            org.path = (parent.path if parent else "") + path_step(org.pk)
            org.save(update_fields=["path"])
            made[org.code] = org
            count += 1
    return count
