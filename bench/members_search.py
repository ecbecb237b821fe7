"""Diacritic-insensitive name search over 5.6 million party members.

    .venv/bin/python bench/members_search.py [--preset national] [--reuse] [--queries 300]

World: ``members_world.py`` (national preset: 5.6 million members in 34 provinces).

Measured, for a few hundred realistic queries (full names with and without diacritics, surname
and middle name, middle and given name, a given name alone, rare and absent names), the query of
the member list page (``views._filtered_members`` then ``paginate``, as ``/party/orgs/<id>/?q=``
runs it: ``search_name`` contains the folded words, newest-first page of 25 in list order plus the
count for the pager):

- nationwide: the same filter on the whole member table (what a central search over every
  province would run; the page itself searches one root's subtree);
- in the largest province's subtree (TP Hồ Chí Minh), through the page's own code.

Baseline in the same run: looking a member up by citizen ID (``cccd``, unique index) — the
cheapest search the page could do. Checks every query's count against Python's ``in`` over every
distinct name (counted in SQL) and that the first page is in list order.
Peak memory: every query once in a fresh interpreter (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    describe,
    machine,
    measure_in_child,
    mib,
    peak_rss_kib,
    percentile,
    setup_django,
    timer,
)
from members_world import (  # noqa: E402
    GIVEN,
    MIDDLE,
    SURNAMES,
    add_world_arguments,
    world_for,
)

PAGE = 25


def make_queries(n: int, seed: int = 5) -> list[str]:
    """What people type in the search box, with and without diacritics."""
    from apps.core.text import fold

    rng = random.Random(seed)
    surnames = [s for s, _w in SURNAMES]
    weights = [w for _s, w in SURNAMES]
    out = []
    for i in range(n):
        sex = "female" if rng.random() < 0.4 else "male"
        sur = rng.choices(surnames, weights)[0]
        mid = rng.choice([m for m, _w in MIDDLE[sex]][:8])
        given = rng.choice(GIVEN[sex][:40])
        kind = i % 10
        if kind in (0, 1, 2):
            text = f"{sur} {mid} {given}"  # a full name
        elif kind == 3:
            text = f"{sur} {mid}"  # "tran thi"
        elif kind in (4, 5):
            text = f"{mid} {given}"  # "van hung"
        elif kind in (6, 7):
            text = given if rng.random() < 0.5 else fold(given)[: max(3, len(fold(given)) - 1)]
        elif kind == 8:
            text = f"{sur} {given}"  # middle name forgotten: matches nothing in order
        else:
            text = f"{sur} {rng.choice(['Thị Bích', 'Văn Xuân', 'Hữu'])} {given}ng"  # rare/absent
        out.append(fold(text) if rng.random() < 0.5 else text.upper() if i % 7 == 0 else text)
    return out


def page_query(queryset, q: str):
    """What the page runs for ``?q=``: the filter, then the pager's count and the first page."""
    from django.test import RequestFactory

    from apps.core.views_helpers import paginate

    request = RequestFactory().get("/", {"q": q})
    page = paginate(request, queryset(request))
    rows = list(page.object_list)
    return page.paginator.count, rows


def nationwide(request):
    """The page's filter (views._filtered_members) on the whole member table."""
    from apps.core.text import fold
    from apps.members.models import Member

    query = " ".join(request.GET.get("q", "").split())[:100]
    return (
        Member.objects.select_related("organization")
        .filter(search_name__contains=fold(query))
        .order_by("sort_key", "id")
    )


def in_subtree(org):
    from apps.members.views import _filtered_members

    def queryset(request):
        return _filtered_members(request, org)[0].order_by("sort_key", "id")

    return queryset


def python_counts(queries: list[str], prefix: str) -> tuple[dict, dict]:
    """Each query's number of matches, everywhere and under ``prefix``, by testing every distinct
    name (with its count, grouped in SQL) for the folded words in Python."""
    from django.db import connection

    from apps.core.text import fold

    folded = {q: fold(" ".join(q.split())) for q in queries}
    everywhere = dict.fromkeys(queries, 0)
    under = dict.fromkeys(queries, 0)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT search_name, org_path LIKE %s, COUNT(*) FROM members_member GROUP BY 1, 2",
            [prefix + "%"],
        )
        for name, inside, n in cur.fetchall():
            for q, f in folded.items():
                if f in name:
                    everywhere[q] += n
                    if inside:
                        under[q] += n
    return everywhere, under


def memory_child(args) -> None:
    setup_django(fresh=False)
    queries = make_queries(args.queries)
    before = peak_rss_kib()
    for q in queries:
        page_query(nationwide, q)
    print(json.dumps({"before": before, "peak": peak_rss_kib()}))


def explain(q: str) -> str:
    from django.db import connection
    from django.test import RequestFactory

    qs = nationwide(RequestFactory().get("/", {"q": q}))
    sql, params = qs[:PAGE].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(f"    {r[0]}" for r in cur.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    add_world_arguments(parser)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--province", default="T79", help="the subtree searched through the page")
    parser.add_argument("--explain", action="store_true", help="print the plan of a few queries")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args)
    world = world_for(args)
    from apps.members.models import Member, PartyOrganization

    print(f"machine: {machine()}; world: {world['members']} members")
    org = PartyOrganization.objects.get(code=args.province)
    queries = make_queries(args.queries)
    print(f"{len(queries)} queries, e.g. {queries[:8]}")
    if args.explain:
        for q in ("nguyen van an", "tran thi", "huong", "Lê Văn Hùng"):
            print(f"plan of the first page for {q!r}:\n{explain(q)}")

    rng = random.Random(7)
    ids = rng.sample(range(1, world["members"] + 1), len(queries))
    cccds = list(
        Member.objects.filter(pk__in=ids, cccd__isnull=False).values_list("cccd", flat=True)
    )
    for c in cccds[:20]:  # warm-up, like the queries below
        Member.objects.select_related("organization").get(cccd=c)
    base_times = []
    for c in cccds:
        with timer() as t:
            Member.objects.select_related("organization").get(cccd=c)
        base_times.append(t["seconds"])

    results = {}
    for label, queryset in (
        ("nationwide", nationwide),
        (f"subtree of {org.name} (the page's code)", in_subtree(org)),
    ):
        for q in queries[:10]:  # warm-up: the index and table pages the queries touch
            page_query(queryset, q)
        times, counts = [], {}
        for q in queries:
            with timer() as t:
                count, rows = page_query(queryset, q)
            times.append(t["seconds"])
            counts[q] = count
            keys = [(m.sort_key, m.pk) for m in rows]
            if keys != sorted(keys) or len(rows) != min(PAGE, count):
                raise SystemExit(f"{q!r}: first page not in list order or short")
        results[label] = (times, counts)

    with timer() as t:
        everywhere, under = python_counts(queries, org.path)
    national_counts = results["nationwide"][1]
    subtree_counts = next(v[1] for k, v in results.items() if k != "nationwide")
    wrong = [q for q in queries if national_counts[q] != everywhere[q]]
    wrong += [q for q in queries if subtree_counts[q] != under[q]]
    print(f"(checked every count against Python over every distinct name in {t['seconds']:.0f} s)")

    print(
        f"baseline: member by CCCD (unique index), {len(base_times)} lookups: {describe(base_times)}"
    )
    for label, (times, counts) in results.items():
        matches = sorted(counts[q] for q in queries)
        print(
            f"{label}: {len(times)} searches (count + first page of {PAGE}): {describe(times)}; "
            f"matches per query: median {int(percentile(matches, 50))}, max {matches[-1]}, "
            f"{sum(1 for m in matches if m == 0)} with none"
        )
        slow = sorted(zip(times, queries, strict=True), reverse=True)[:5]
        print("  slowest:", ", ".join(f"{q!r} {s * 1000:.0f} ms ({counts[q]})" for s, q in slow))
        print(
            f"  ratio p95 / baseline p95: {percentile(times, 95) / percentile(base_times, 95):.0f}×"
        )
    reuse = ["--preset", args.preset, "--seed", str(args.seed), "--scale", str(args.scale)]
    memory = measure_in_child("members_search.py", [*reuse, "--queries", str(args.queries)])
    print(
        f"peak memory, every nationwide search once in a fresh interpreter: "
        f"{mib(memory['peak'])} (after set-up {mib(memory['before'])})"
    )
    if wrong:
        print(f"RESULT: WRONG counts for {wrong[:5]}")
        raise SystemExit(1)
    print("RESULT: every count matches Python over every distinct name; first pages in list order")


if __name__ == "__main__":
    main()
