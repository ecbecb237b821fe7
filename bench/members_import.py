"""Importing a million party members from Excel, with full validation, at national scale.

    .venv/bin/python bench/members_import.py [--preset national] [--reuse] [--rows 1000000]

World: ``members_world.py`` (national preset: 5.6 million members already recorded). The file:
``--rows`` new members drawn like the world's (other people: CCCD serials and card numbers from
ranges no world member has; no one with the same name and date of birth as a recorded member or
an earlier line), spread over random party cells of every province, written as the template's
workbook (``Họ và tên`` … ``Mã chi bộ``, dates as dd/mm/yyyy text like the template's example) to
``var/bench-members-import.xlsx`` (arrangement, not measured).

Measured, each in a fresh interpreter (time and peak memory, VmHWM), each followed by deleting
what it added and VACUUM, so each starts from the same 5.6 million:

- ``import``: the project's import of the .xlsx — ``run_import`` below, the one place that names
  the entry point (upload, the check task streaming the lines into the staging table, the
  confirmation, the copy task's one INSERT … SELECT; decision 0006);
- baseline ``COPY``: the same rows, already prepared (derived columns included), streamed into
  the member table with COPY — the database's own ingest rate with the same indexes;
- baseline ORM one by one: ``Member(...).save()`` per row (it fills the derived columns), on the
  first ``--orm-rows`` rows (20 000 by default; the rate is what is compared).

Checks: the import reports the file valid and adds exactly its rows; every count after each step
returns to the world's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, machine, measure_in_child, mib, peak_rss_kib, setup_django, timer  # noqa: E402
from members_world import (  # noqa: E402
    COLUMNS,
    MemberMaker,
    Reference,
    add_world_arguments,
    world_for,
)

XLSX = ROOT / "var" / "bench-members-import.xlsx"
TSV = ROOT / "var" / "bench-members-import.tsv"
META = ROOT / "var" / "bench-members-import.json"
ACTOR = "bench.importer"


def run_import(path: Path) -> dict:
    """The measured call: the project's member import of one .xlsx as the page and the worker run
    it — upload (header check, file kept), the check task (lines streamed into the staging table,
    a chunk per transaction, duplicates in SQL), the user's confirmation, the copy task (one
    INSERT … SELECT in one transaction). Tasks are queued on the dummy backend and run here, as
    ``db_worker`` would run them, so each phase is timed on its own."""
    import time

    from django.core.files import File
    from django.test.utils import override_settings

    from apps.accounts.models import User
    from apps.members import services, tasks

    actor = User.objects.get(username=ACTOR)
    phases = {}
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        start = time.perf_counter()
        with path.open("rb") as handle:
            record = services.member_import_upload(
                actor=actor, upload=File(handle, name=path.name), scope_paths=None
            )
        phases["upload"] = time.perf_counter() - start
        start = time.perf_counter()
        tasks.check_member_import.call(record.pk)
        phases["check"] = time.perf_counter() - start
        record.refresh_from_db()
        if record.state == "ok":
            start = time.perf_counter()
            services.member_import_confirm(actor=actor, record=record)
            tasks.apply_member_import.call(record.pk)
            phases["copy"] = time.perf_counter() - start
            record.refresh_from_db()
    return {
        "state": record.state,
        "rows": record.rows,
        "imported": record.imported,
        "errors": record.errors[:5],
        "phases_s": {k: round(v, 2) for k, v in phases.items()},
    }


# --- the file -----------------------------------------------------------------------------------


def make_rows(n: int, seed: int) -> list[tuple]:
    """``n`` new members (world columns + org code, org path and id), none a duplicate."""
    from django.db import connection

    from apps.members.choices import CELL_KINDS
    from apps.members.models import PartyOrganization

    ref = Reference()
    maker = MemberMaker(ref, as_of=dt.date(2026, 12, 1), import_rows=True)
    cells = list(
        PartyOrganization.objects.filter(kind__in=list(CELL_KINDS))
        .order_by("pk")
        .values_list("pk", "code", "path", "province__code")
    )
    rng = random.Random(f"{seed}-import")
    by_province: dict[str, list] = {}
    for cell in cells:
        by_province.setdefault(cell[3], []).append(cell)
    provinces = sorted(by_province)
    candidates = []
    want = int(n * 1.25) + 1000  # some are dropped below as duplicates
    per = want // len(provinces) + 1
    for code in provinces:
        province = ref.new[code]
        for row in maker.rows(rng, province, per):
            cell = rng.choice(by_province[code])
            candidates.append((*row, cell[1], cell[2], cell[0]))
    rng.shuffle(candidates)
    seen: set = set()
    unique = []
    name_at, born_at = COLUMNS.index("search_name"), COLUMNS.index("birth_date")
    for row in candidates:
        key = (row[name_at], row[born_at])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    # Drop anyone with the same name and date of birth as a recorded member.
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_people (i int, search_name text, birth_date date)")
        with cur.cursor.copy("COPY bench_people FROM STDIN") as copy:
            for i, row in enumerate(unique):
                copy.write_row((i, row[name_at], row[born_at]))
        cur.execute(
            "SELECT p.i FROM bench_people p JOIN members_member m "
            "ON m.search_name = p.search_name AND m.birth_date = p.birth_date"
        )
        clash = {i for (i,) in cur.fetchall()}
        cur.execute("DROP TABLE bench_people")
    rows = [row for i, row in enumerate(unique) if i not in clash]
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} unique new members; raise the candidates")
    print(f"file rows: {n} (of {len(candidates)} drawn: {len(candidates) - len(unique)} repeated "
          f"a name and birth date in the file, {len(clash)} a recorded member's)")  # fmt: skip
    return rows[:n]


def _ddmmyyyy(iso: str | None) -> str | None:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else None


def write_files(rows: list[tuple]) -> None:
    """The workbook to import, and the same rows as COPY text for the baseline."""
    from openpyxl import Workbook

    from apps.members.imports import COLUMNS as HEADERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([header for header, _field in HEADERS])
    idx = {name: i for i, name in enumerate(COLUMNS)}
    for row in rows:
        sheet.append(
            [
                row[idx["full_name"]],
                "Nữ" if row[idx["sex"]] == "female" else "Nam",
                _ddmmyyyy(row[idx["birth_date"]]),
                row[idx["cccd"]],
                row[idx["ethnicity"]],
                row[idx["religion"]],
                _ddmmyyyy(row[idx["admitted_on"]]),
                _ddmmyyyy(row[idx["full_member_on"]]),
                row[idx["card_number"]],
                _ddmmyyyy(row[idx["card_issued_on"]]),
                row[len(COLUMNS)],  # the cell's code
            ]
        )
    book.save(XLSX)
    stamp = "2026-12-01 00:00:00+00"
    with TSV.open("w", encoding="utf-8") as out:
        for row in rows:
            values = list(row[: len(COLUMNS)])
            # As the import stores them: the status follows full_member_on; no reason, no
            # education, theory level or home province (the template has no such columns).
            values[idx["status"]] = "full" if values[idx["full_member_on"]] else "probationary"
            for name in ("status_reason", "education", "theory_level"):
                values[idx[name]] = ""
            values[idx["home_province_id"]] = None
            values += [row[len(COLUMNS) + 1], row[len(COLUMNS) + 2], stamp, stamp]
            out.write("\t".join(r"\N" if v is None else str(v) for v in values) + "\n")


TSV_COLUMNS = [*COLUMNS, "org_path", "organization_id", "created_at", "updated_at"]


# --- the measured steps (each in a fresh interpreter) --------------------------------------------


def step_import(_args) -> dict:
    return run_import(XLSX)


def step_copy(_args) -> dict:
    from django.db import connection

    n = 0
    with connection.cursor() as cur, TSV.open("rb") as data:
        with cur.cursor.copy(f"COPY members_member ({', '.join(TSV_COLUMNS)}) FROM STDIN") as copy:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
        n = cur.rowcount
    return {"imported": n}


def step_orm(args) -> dict:
    from django.db import transaction

    from apps.members.models import Member, PartyOrganization

    orgs = {}
    n = 0
    with TSV.open(encoding="utf-8") as data, transaction.atomic():
        for line in data:
            if n >= args.orm_rows:
                break
            v = [None if x == r"\N" else x for x in line.rstrip("\n").split("\t")]
            f = dict(zip(TSV_COLUMNS, v, strict=True))
            org_id = int(f["organization_id"])
            if org_id not in orgs:
                orgs[org_id] = PartyOrganization.objects.get(pk=org_id)
            Member(
                full_name=f["full_name"],
                sex=f["sex"],
                birth_date=f["birth_date"],
                cccd=f["cccd"],
                ethnicity=f["ethnicity"],
                religion=f["religion"],
                admitted_on=f["admitted_on"],
                full_member_on=f["full_member_on"],
                status=f["status"],
                card_number=f["card_number"],
                card_issued_on=f["card_issued_on"],
                organization=orgs[org_id],
            ).save()
            n += 1
    return {"imported": n}


STEPS = {"import": step_import, "copy": step_copy, "orm": step_orm}


def child(args) -> None:
    setup_django(fresh=False)
    before = peak_rss_kib()
    start = time.perf_counter()
    result = STEPS[args.step](args)
    seconds = time.perf_counter() - start
    print(json.dumps({"before": before, "peak": peak_rss_kib(), "seconds": seconds, **result}))


def reset(max_id: int) -> float:
    """Delete what a step added (members, its import record) and VACUUM; return the seconds."""
    from django.db import connection

    from apps.core.models import AuditEvent
    from apps.members.models import MemberImport

    with timer() as t:
        # In SQL, not ``QuerySet.delete()``: that loads every deleted member to collect its
        # relations (no step adds any), which took 2.8 GB here, and the next step's child
        # process, forked from this one, would report that as its own peak memory.
        with connection.cursor() as cur:
            cur.execute("DELETE FROM members_member WHERE id > %s", [max_id])
        for record in MemberImport.objects.all():
            record.file.delete(save=False)
            record.delete()
        AuditEvent.objects.filter(action="member.import").delete()
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) members_member")
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    add_world_arguments(parser)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orm-rows", type=int, default=20_000)
    parser.add_argument("--steps", default="copy,orm,import")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return child(args)
    world = world_for(args)
    from django.db import connection

    from apps.accounts.models import User
    from apps.members.models import Member

    if connection.vendor != "postgresql":
        raise SystemExit("the COPY baseline is PostgreSQL's")
    print(f"machine: {machine()}; world: {world['members']} members")
    User.objects.get_or_create(
        username=ACTOR,
        defaults={"full_name": "Cán bộ nhập liệu (bench)", "role": "central_officer"},
    )
    meta = {"rows": args.rows, "seed": args.seed, "world": world["members"]}
    if not (
        args.reuse and META.exists() and json.loads(META.read_text()) == meta and XLSX.exists()
    ):
        with timer() as t:
            write_files(make_rows(args.rows, args.seed))
        META.write_text(json.dumps(meta))
        print(f"wrote {XLSX.name} ({XLSX.stat().st_size / 2**20:.0f} MiB) in {t['seconds']:.0f} s")
    else:
        print(f"reusing {XLSX.name} ({XLSX.stat().st_size / 2**20:.0f} MiB)")
    max_id = Member.objects.order_by("-pk").values_list("pk", flat=True).first()
    total = Member.objects.count()
    reset(max_id)
    common = ["--preset", args.preset, "--seed", str(args.seed), "--scale", str(args.scale)]
    results = {}
    for step in args.steps.split(","):
        got = measure_in_child(
            "members_import.py", [*common, "--step", step, "--orm-rows", str(args.orm_rows)]
        )
        added = Member.objects.count() - total
        expected = args.orm_rows if step == "orm" else args.rows
        ok = added == expected and got.get("imported") == expected
        if step == "import":
            ok = ok and got["state"] == "imported" and got["rows"] == args.rows
        results[step] = {**got, "added": added, "ok": ok}
        rate = added / got["seconds"] if got["seconds"] else 0
        print(
            f"{step:>6}: {added} rows in {got['seconds']:.1f} s = {rate:,.0f} rows/s; peak memory "
            f"{mib(got['peak'])} (after set-up {mib(got['before'])})"
            + ("" if ok else f"  WRONG: {got}")
        )
        if "phases_s" in got:
            print(f"        phases (s): {got['phases_s']}")
        print(f"        reset (delete + VACUUM): {reset(max_id):.0f} s")
        if Member.objects.count() != total:
            raise SystemExit("the member table did not return to the world's rows")
    rates = {s: r["added"] / r["seconds"] for s, r in results.items() if r["seconds"]}
    if "copy" in rates:
        for step in ("import", "orm"):
            if step in rates:
                print(f"ratio {step} rate / COPY rate: {rates[step] / rates['copy']:.3f} "
                      f"(COPY is {rates['copy'] / rates[step]:.1f}× faster)")  # fmt: skip
    if "import" in results:
        size = XLSX.stat().st_size
        print(
            f"the import's peak memory is {results['import']['peak'] / 1024 / (size / 2**20):.0f}× "
            f"the file's size ({size / 2**20:.0f} MiB)"
        )
    ok = all(r["ok"] for r in results.values())
    print("RESULT:", "every step added exactly its rows" if ok else "INCONSISTENT")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
