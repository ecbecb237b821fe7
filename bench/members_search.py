"""Diacritic-insensitive name search over 5.6 million party members.

    .venv/bin/python bench/members_search.py [--preset national] [--reuse] [--queries 300]

World: ``members_world.py`` (national preset: 5.6 million members in 34 provinces).

Measured, for a few hundred realistic queries (full names with and without diacritics, surname
and middle name, middle and given name, a given name alone, rare and absent names), the search of
the member list page (``selectors.search_members`` then ``paginate``, as ``/party/orgs/<id>/?q=``
runs it, decision 0007: the query's folded words start a run of the name's words; one query takes
the ids and sort keys of at most ``SEARCH_CAP`` + 1 matches in no order, they are sorted in
Python, and the page's 25 members are read by id):

- nationwide: the same search over the whole member table (what a central search over every
  province would run; the page itself searches one root's subtree);
- in the largest province's subtree (TP Hồ Chí Minh), through the page's own code
  (``views.member_page``).

Baseline in the same run: looking a member up by citizen ID (``cccd``, unique index) — the
cheapest search the page could do. Checks every query's count (capped) against Python over every
distinct name (counted in SQL), that every listed member matches, and that the page is in list
order (for a search with no more than ``SEARCH_CAP`` matches, the first 25 of all matches).
Peak memory: every query once in a fresh interpreter (VmHWM).
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
CAP = 1000  # selectors.SEARCH_CAP (checked in main)


def fold(text: str) -> str:
    from apps.core.text import fold as app_fold

    return app_fold(" ".join(text.split()))


def first_page_right(q: str, results: dict) -> bool:
    """The nationwide first page equals the first 25 of every match in list order (ORM, no cap)."""
    from apps.members.models import Member
    from apps.members.selectors import name_matches

    want = list(name_matches(Member.objects.all(), q).order_by("sort_key", "id")[:PAGE])
    return [m.pk for m in results["nationwide"][2][q]] == [m.pk for m in want]


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


def page_query(search, q: str):
    """What the page runs for ``?q=``: the search, then the pager's count and the first page."""
    from django.test import RequestFactory

    page, _query, capped = search(RequestFactory().get("/", {"q": q}))
    rows = list(page.object_list)
    return page.paginator.count, rows, capped


def nationwide(request):
    """The page's search (``views.member_page``) on the whole member table."""
    from apps.core.views_helpers import paginate
    from apps.members.models import Member
    from apps.members.selectors import members_in_order, search_members
    from apps.members.views import _query

    rows = Member.objects.select_related("organization")
    found = search_members(rows, _query(request), subtree=False)
    page = paginate(request, found.ids)
    page.object_list = members_in_order(rows, list(page.object_list))
    return page, _query(request), found.capped


def in_subtree(org):
    from apps.members.views import member_page

    return lambda request: member_page(request, org)


def matches(folded_query: str, search_name: str) -> bool:
    """Decision 0007 in Python: the query starts a run of the name's words."""
    return f" {search_name}".find(f" {folded_query}") >= 0


def python_counts(queries: list[str], prefix: str) -> tuple[dict, dict]:
    """Each query's number of matches, everywhere and under ``prefix``, by testing every distinct
    name (with its count, grouped in SQL) in Python. Names of five words or more are matched
    from their first word and their last three (decision 0007), like the indexes."""
    from django.db import connection

    from apps.core.text import fold
    from apps.members.models import name_tails

    folded = {q: fold(" ".join(q.split())) for q in queries}
    everywhere = dict.fromkeys(queries, 0)
    under = dict.fromkeys(queries, 0)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT search_name, org_path LIKE %s, COUNT(*) FROM members_member GROUP BY 1, 2",
            [prefix + "%"],
        )
        for name, inside, n in cur.fetchall():
            keys = [name, *(t for t in name_tails(name) if t)]
            for q, f in folded.items():
                if any(k.startswith(f) for k in keys):
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

    from apps.members.models import Member
    from apps.members.selectors import name_matches

    qs = name_matches(Member.objects.all(), q).order_by().values("pk")[:1001]
    sql, params = qs.query.sql_with_params()
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
    from apps.members.selectors import SEARCH_CAP

    assert SEARCH_CAP == CAP, "update CAP"

    print(f"machine: {machine()}; world: {world['members']} members")
    org = PartyOrganization.objects.get(code=args.province)
    queries = make_queries(args.queries)
    print(f"{len(queries)} queries, e.g. {queries[:8]}")
    if args.explain:
        for q in ("nguyen van an", "tran thi", "huong", "Lê Văn Hùng"):
            print(f"plan of the capped id query for {q!r}:\n{explain(q)}")

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
        times, counts, pages = [], {}, {}
        for q in queries:
            with timer() as t:
                count, rows, capped = page_query(queryset, q)
            times.append(t["seconds"])
            counts[q] = count + (1 if capped else 0)  # CAP + 1: "more than CAP"
            pages[q] = rows
            keys = [(m.sort_key, m.pk) for m in rows]
            if keys != sorted(keys) or len(rows) != min(PAGE, count):
                raise SystemExit(f"{q!r}: first page not in list order or short")
            if not all(matches(fold(q), m.search_name) for m in rows):
                raise SystemExit(f"{q!r}: the page lists a member who does not match")
        results[label] = (times, counts, pages)

    with timer() as t:
        everywhere, under = python_counts(queries, org.path)
    national_counts = results["nationwide"][1]
    subtree_counts = next(v[1] for k, v in results.items() if k != "nationwide")
    wrong = [q for q in queries if national_counts[q] != min(everywhere[q], CAP + 1)]
    wrong += [q for q in queries if subtree_counts[q] != min(under[q], CAP + 1)]
    # Uncapped searches list the first page of all matches: compare it with the ORM's.
    wrong += [q for q in queries if everywhere[q] <= CAP and not first_page_right(q, results)]
    print(f"(checked every count against Python over every distinct name in {t['seconds']:.0f} s)")

    print(
        f"baseline: member by CCCD (unique index), {len(base_times)} lookups: {describe(base_times)}"
    )
    for label, (times, counts, _pages) in results.items():
        found = sorted(counts[q] for q in queries)
        print(
            f"{label}: {len(times)} searches (count + first page of {PAGE}): {describe(times)}; "
            f"matches per query (capped at {CAP + 1}): median {int(percentile(found, 50))}, "
            f"{sum(1 for m in found if m > CAP)} over {CAP}, "
            f"{sum(1 for m in found if m == 0)} with none"
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
