"""Statistics roll-up of party members at national scale: ``member_statistics`` against SQL.

    .venv/bin/python bench/members_stats.py [--preset national] [--reuse] [--repeat 3]

World: ``members_world.py`` (national preset: 34 provinces, ≈ 50 000 grassroots organisations,
5.6 million members).

Measured: ``member_statistics(root, on=…)`` — what the statistics page and the API call — for every
province root (the whole country, 34 calls) and for one province (Hà Nội), against a baseline in
the same run: one hand-written SQL aggregate over the same table giving the same figures (members
on the rolls by status, sex, age band and ethnicity, CCCD coverage, cards renewed since 2025),
run once grouped by root and ethnicity (one pass over the table for the whole country), and the
same SQL run once per root (what a per-organisation call can do at best). Checks that all three
agree on every figure of every root.
Peak memory: the selector run once over every root in a fresh interpreter (VmHWM).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import describe, machine, mib, peak_rss_kib, setup_django, timer  # noqa: E402
from members_world import add_world_arguments, world_for  # noqa: E402

ON = dt.date(2026, 12, 1)
BASELINE_SQL = """
SELECT LEFT(org_path, {root_len}) AS root, ethnicity,
       COUNT(*),
       COUNT(cccd),
       COUNT(*) FILTER (WHERE card_number IS NOT NULL AND card_issued_on >= %(renewal)s),
       COUNT(*) FILTER (WHERE status = 'probationary'),
       COUNT(*) FILTER (WHERE status = 'full'),
       COUNT(*) FILTER (WHERE status = 'exempt'),
       COUNT(*) FILTER (WHERE status = 'suspended'),
       COUNT(*) FILTER (WHERE sex = 'male'),
       COUNT(*) FILTER (WHERE sex = 'female'),
       COUNT(*) FILTER (WHERE birth_date > %(age30)s),
       COUNT(*) FILTER (WHERE birth_date <= %(age30)s AND birth_date > %(age40)s),
       COUNT(*) FILTER (WHERE birth_date <= %(age40)s AND birth_date > %(age50)s),
       COUNT(*) FILTER (WHERE birth_date <= %(age50)s AND birth_date > %(age60)s),
       COUNT(*) FILTER (WHERE birth_date <= %(age60)s)
FROM members_member
WHERE org_path LIKE %(prefix)s AND admitted_on <= %(on)s AND status <> 'left'
GROUP BY 1, 2
"""


def baseline(prefix: str, root_len: int, on: dt.date) -> dict[str, dict]:
    """Every root's figures from one grouped pass, shaped like ``MemberStatistics``."""
    from django.db import connection

    from apps.members.selectors import CARD_RENEWAL_FROM, _years_before

    params = {
        "prefix": prefix + "%",
        "on": on,
        "renewal": CARD_RENEWAL_FROM,
        **{f"age{n}": _years_before(on, n) for n in (30, 40, 50, 60)},
    }
    with connection.cursor() as cur:
        cur.execute(BASELINE_SQL.format(root_len=root_len), params)
        rows = cur.fetchall()
    out: dict[str, dict] = defaultdict(
        lambda: {
            "total": 0,
            "with_cccd": 0,
            "renewed": 0,
            "status": [0] * 4,
            "sex": [0] * 2,
            "age": [0] * 5,
            "ethnicity": {},
        }  # fmt: skip
    )
    for root, ethnicity, total, cccd, renewed, *rest in rows:
        figures = out[root]
        figures["total"] += total
        figures["with_cccd"] += cccd
        figures["renewed"] += renewed
        for key, values in (("status", rest[0:4]), ("sex", rest[4:6]), ("age", rest[6:11])):
            figures[key] = [a + b for a, b in zip(figures[key], values, strict=True)]
        figures["ethnicity"][ethnicity or "—"] = total
    return dict(out)


# The national page's figures (selectors_orgs.country_statistics): one grouped pass by root.
COUNTRY_SQL = """
SELECT LEFT(org_path, 7) AS root,
       COUNT(*),
       COUNT(*) FILTER (WHERE sex = 'female'),
       COUNT(cccd),
       COUNT(*) FILTER (WHERE card_number IS NOT NULL AND card_issued_on >= %(renewal)s),
       COUNT(*) FILTER (WHERE status = 'probationary'),
       COUNT(*) FILTER (WHERE status = 'full'),
       COUNT(*) FILTER (WHERE status = 'exempt'),
       COUNT(*) FILTER (WHERE status = 'suspended')
FROM members_member
WHERE admitted_on <= %(on)s AND status <> 'left'
GROUP BY 1
"""
COUNTRY_KEYS = ["total", "women", "with_cccd", "renewed", *(
    f"status_{s}" for s in ("probationary", "full", "exempt", "suspended"))]  # fmt: skip


def country_baseline(on: dt.date) -> dict[str, list[int]]:
    from django.db import connection

    from apps.members.selectors import CARD_RENEWAL_FROM

    with connection.cursor() as cur:
        cur.execute(COUNTRY_SQL, {"on": on, "renewal": CARD_RENEWAL_FROM})
        return {root: list(rest) for root, *rest in cur.fetchall()}


def country_selector(on: dt.date) -> dict[str, list[int]]:
    from apps.members.selectors_orgs import _member_figures

    return {root: [r[k] for k in COUNTRY_KEYS] for root, r in _member_figures(on).items()}


def as_figures(stats) -> dict:
    return {
        "total": stats.total,
        "with_cccd": stats.with_cccd,
        "renewed": stats.renewed_cards,
        "status": [stats.by_status[s] for s in ("probationary", "full", "exempt", "suspended")],
        "sex": [stats.by_sex["male"], stats.by_sex["female"]],
        "age": [n for _label, n in stats.by_age],
        "ethnicity": dict(stats.by_ethnicity),
    }


def roots():
    from apps.members.models import PartyOrganization

    return list(PartyOrganization.objects.filter(depth=0).order_by("code"))


def memory_child(args) -> None:
    setup_django(fresh=False)
    from apps.members.selectors import member_statistics

    before = peak_rss_kib()
    for root in roots():
        member_statistics(root, on=ON)
    print(json.dumps({"before": before, "peak": peak_rss_kib()}))


def main() -> None:
    parser = argparse.ArgumentParser()
    add_world_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--province", default="T01", help="code of the one province measured")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args)
    world = world_for(args)
    from django.db import connection

    from apps.members.selectors import member_statistics

    if connection.vendor != "postgresql":
        raise SystemExit("the baseline SQL is PostgreSQL's (COUNT … FILTER)")
    print(f"machine: {machine()}; world: {world['members']} members, {world['provinces']} roots")
    all_roots = roots()
    province = next(r for r in all_roots if r.code == args.province)
    step = len(province.path)

    results = {}
    for label, targets, prefix in (
        ("whole country", all_roots, ""),
        (f"one province ({province.name})", [province], province.path),
    ):
        base_times, per_root_times, sel_times = [], [], []
        for _ in range(args.repeat):
            with timer() as t:
                expected = baseline(prefix, step, ON)
            base_times.append(t["seconds"])
            with timer() as t:
                per_root = {r.path: baseline(r.path, step, ON)[r.path] for r in targets}
            per_root_times.append(t["seconds"])
            if per_root != expected:
                raise SystemExit(f"{label}: the two SQL baselines differ")
            with timer() as t:
                got = {r.path: as_figures(member_statistics(r, on=ON)) for r in targets}
            sel_times.append(t["seconds"])
            if got != expected:
                bad = [k for k in got if got[k] != expected.get(k)]
                raise SystemExit(f"{label}: figures differ for {bad[:3]}")
        results[label] = (base_times, sel_times)
        members = sum(f["total"] for f in got.values())
        b, p, s = min(base_times), min(per_root_times), min(sel_times)
        n = len(targets)
        print(f"{label}: {n} roots, {members} members on the rolls on {ON}")
        print(f"  baseline SQL, one grouped pass : {describe(base_times)}")
        print(f"  baseline SQL, one query a root : {describe(per_root_times)}")
        print(f"  member_statistics × {n:<2}         : {describe(sel_times)}")
        print(
            f"  ratio (best of {args.repeat}): {s / b:.2f}× the grouped pass, "
            f"{s / p:.2f}× the same SQL per root"
        )

    # The national page (/party/statistics/): one grouped query for every root at once.
    base_times, sel_times, page_times = [], [], []
    for _ in range(args.repeat):
        with timer() as t:
            expected = country_baseline(ON)
        base_times.append(t["seconds"])
        with timer() as t:
            got = country_selector(ON)
        sel_times.append(t["seconds"])
        if got != expected:
            raise SystemExit("the national page's member figures differ from the SQL")
        from apps.members.selectors_orgs import country_statistics

        with timer() as t:
            page = country_statistics(on=ON)
        page_times.append(t["seconds"])
        if page.total.total != sum(v[0] for v in expected.values()):
            raise SystemExit("the national page's total differs from the SQL")
    print(f"whole country, the national page's one grouped query ({len(expected)} roots):")
    print(f"  baseline SQL, the same figures    : {describe(base_times)}")
    print(f"  selectors_orgs._member_figures    : {describe(sel_times)}")
    print(f"  country_statistics (whole page)   : {describe(page_times)}")
    print(f"  ratio (best of {args.repeat}): {min(sel_times) / min(base_times):.2f}× the SQL")

    from _common import measure_in_child

    reuse = ["--preset", args.preset, "--seed", str(args.seed), "--scale", str(args.scale)]
    memory = measure_in_child("members_stats.py", reuse)
    print(
        f"peak memory, member_statistics over every root in a fresh interpreter: "
        f"{mib(memory['peak'])} (after set-up {mib(memory['before'])})"
    )
    print("RESULT: member_statistics and the SQL aggregate agree on every figure of every root")


if __name__ == "__main__":
    main()
