"""The member list page of an organisation under 50 concurrent clients, over HTTP (gunicorn).

    .venv/bin/pip install -e '.[bench]'        # gunicorn
    .venv/bin/python manage.py collectstatic --noinput   # the pages need the static manifest
    .venv/bin/python bench/members_list_http.py [--preset national] [--reuse] [--clients 50]

World: ``members_world.py`` (national preset: 5.6 million members, ≈ 50 000 grassroots
organisations). One central officer, logged in (a session cookie, as the browser has).

Measured: 50 client threads, each requesting ``--requests`` pages one after another: the page
``/party/orgs/<id>/`` of a random grassroots organisation (đảng bộ xã/phường, đảng bộ cơ sở or
chi bộ cơ sở: a few dozen to a few thousand members; the page counts the subtree, lists the
children with their counts and shows the first 25 members in list order). Baseline in the same
run, same clients and server: the home page of the same user (authenticated, no member data).
Then, one client alone, a large organisation (the biggest province's root) at page 1, deeper pages
and the last page: the pager is OFFSET-based, so this shows what a deep page costs.
Checks: every response is 200, and each sampled page lists the members the ORM gives for it, in
order. Peak memory: the gunicorn workers' VmHWM after the baseline and after the list pages.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ballots_http  # noqa: E402
from _common import ROOT, describe, machine, mib, percentile, timer  # noqa: E402
from members_world import add_world_arguments, world_for  # noqa: E402

# gunicorn is started as in ballots_http.py; its log goes to a file of its own.
ballots_http.SERVER_LOG = ROOT / "var" / "bench-members-server.log"


def login_cookie() -> str:
    from django.test import Client

    from apps.accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench.central",
        defaults={"full_name": "Cán bộ Trung ương (bench)", "role": "central_officer"},
    )
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def get(url: str, cookie: str):
    req = urllib.request.Request(url)
    req.add_header("Cookie", f"sessionid={cookie}")
    req.add_header("Accept-Language", "vi")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read()
    return status, body, time.perf_counter() - start


def load(urls_for_client, cookie: str, clients: int):
    """``clients`` threads, each getting its list of URLs in turn; a barrier starts them together."""
    barrier = threading.Barrier(clients + 1)

    def run(urls):
        barrier.wait()
        return [(url, *get(url, cookie)) for url in urls]

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(run, urls_for_client(i)) for i in range(clients)]
        with timer() as t:
            barrier.wait()
            results = [r for f in futures for r in f.result()]
    return results, t["seconds"]


def worker_peak_kib(master_pid: int) -> int:
    """The largest VmHWM (peak resident memory) among gunicorn's worker processes."""
    peak = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master_pid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peak = max(peak, int(found.group(1)))
    return peak


NAME_CELL = re.compile(r'<td><a href="/party/members/(\d+)/">')


def expected_first_page(org, page: int = 1) -> list[int]:
    from apps.members.selectors import members_under

    start = (page - 1) * 25
    return list(
        members_under(org)
        .order_by("sort_key", "id")
        .values_list("pk", flat=True)[start : start + 25]
    )


def listed(body: bytes) -> list[int]:
    return [int(pk) for pk in NAME_CELL.findall(unescape(body.decode()))]


def main() -> None:
    parser = argparse.ArgumentParser()
    add_world_arguments(parser)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="pages per client")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--large", default="T79", help="code of the large organisation")
    args = parser.parse_args()
    world = world_for(args)
    from django.urls import reverse

    from apps.members.choices import OrgKind
    from apps.members.models import PartyOrganization
    from apps.members.selectors import members_under

    print(f"machine: {machine()}; world: {world['members']} members")
    grassroots = list(
        PartyOrganization.objects.filter(
            kind__in=[OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL]
        ).values_list("pk", flat=True)
    )
    rng = random.Random(11)
    plan = [[rng.choice(grassroots) for _ in range(args.requests)] for _ in range(args.clients)]
    cookie = login_cookie()
    port = ballots_http.free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "THIDUA_STATIC_FINDERS": "1"}
    server = ballots_http.start_server(port, args.workers, env)
    base = f"http://127.0.0.1:{port}"
    home = base + reverse("core:home")
    large = PartyOrganization.objects.get(code=args.large)
    large_total = members_under(large).count()
    last_page = (large_total + 24) // 25
    deep = []
    try:
        get(home, cookie)  # warm-up
        for pk in grassroots[:20]:
            get(base + reverse("members:org_detail", args=[pk]), cookie)
        home_res, home_wall = load(lambda i: [home] * args.requests, cookie, args.clients)
        home_peak = worker_peak_kib(server.pid)
        list_res, list_wall = load(
            lambda i: [base + reverse("members:org_detail", args=[pk]) for pk in plan[i]],
            cookie,
            args.clients,
        )
        list_peak = worker_peak_kib(server.pid)
        for page in (1, 2, 100, 1000, last_page // 2, last_page):
            url = base + reverse("members:org_detail", args=[large.pk]) + f"?page={page}"
            times = []
            for _ in range(3):
                status, body, seconds = get(url, cookie)
                times.append(seconds)
            ok = status == 200 and listed(body) == expected_first_page(large, page)
            deep.append((page, min(times), ok))
        large_peak = worker_peak_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    n_home, n_list = len(home_res), len(list_res)
    bad = [r for r in home_res + list_res if r[1] != 200]
    # Check a sample of the list pages against the ORM (first page, in list order).
    checked = wrong = 0
    for url, _status, body, _s in list_res[:: max(1, n_list // 100)]:
        pk = int(url.rstrip("/").rsplit("/", 1)[1])
        checked += 1
        if listed(body) != expected_first_page(PartyOrganization.objects.get(pk=pk)):
            wrong += 1
    requested = {pk for row in plan for pk in row}
    sizes = sorted(
        members_under(org).count() for org in PartyOrganization.objects.filter(pk__in=requested)
    )
    print(
        f"server: gunicorn, {args.workers} workers × 4 threads; {args.clients} clients × "
        f"{args.requests} pages; grassroots organisations requested: {len(sizes)}, members in "
        f"their subtree median {int(percentile(sizes, 50))}, p95 {int(percentile(sizes, 95))}, "
        f"max {sizes[-1]}"
    )
    print(
        f"baseline  home page : {n_home / home_wall:7.1f} req/s, {describe([r[3] for r in home_res])}"
    )
    print(
        f"member list page    : {n_list / list_wall:7.1f} req/s, {describe([r[3] for r in list_res])}"
    )
    print(
        f"ratio list/baseline : throughput {(n_home / home_wall) / (n_list / list_wall):.2f}× "
        f"lower, p99 {percentile([r[3] for r in list_res], 99) / percentile([r[3] for r in home_res], 99):.2f}×"
    )
    print(f"large organisation {large.name}: {large_total} members, {last_page} pages (one client)")
    for page, seconds, ok in deep:
        print(f"  page {page:>6}: {seconds * 1000:8.0f} ms {'' if ok else '(WRONG rows)'}")
    print(
        f"peak memory of a gunicorn worker (VmHWM): after the baseline {mib(home_peak)}, after the "
        f"list pages {mib(list_peak)}, after the large organisation {mib(large_peak)}"
    )
    print(f"checks: {len(bad)} responses not 200; {wrong}/{checked} sampled pages wrong")
    ok = not bad and not wrong and all(ok for _p, _s, ok in deep)
    print("RESULT:", "consistent" if ok else "INCONSISTENT")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
