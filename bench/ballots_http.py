"""500 votes cast at the same moment over HTTP, against a real WSGI server (gunicorn).

    .venv/bin/pip install -e '.[bench]'        # gunicorn
    .venv/bin/python bench/ballots_http.py [--voters 500] [--per-cluster 10] [--workers 4]

World: voters/per-cluster clusters, each with a 2025 term and one open ballot; one unit-leader
account (API token) per member unit. Every voter POSTs its vote at once (a barrier releases all
threads together); then every voter tries a second time, and all those attempts must be refused.

Baseline, same run, same clients and server: each voter GETs its ballot (an authenticated API
read of the same objects), so the ratio shows what the vote itself costs on top of HTTP, auth and
the ballot lookup. Checks: receipts are distinct, one VoterRecord and one paper per voter, and the
tally adds up.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, describe, machine, setup_django, timer  # noqa: E402
from _world import build_clusters  # noqa: E402


def build(voters: int, per_cluster: int):
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import User
    from apps.voting import services as voting

    clusters = build_clusters(clusters=voters // per_cluster, units_per_cluster=per_cluster)
    jobs = []  # (token, ballot pk, candidate pk)
    for n, cluster in enumerate(clusters):
        ballot = voting.ballot_create(
            actor=None,
            term=cluster.term,
            question=f"Đơn vị dẫn đầu {cluster.term}",
            candidates=cluster.units[:3],
        )
        voting.ballot_open(actor=None, ballot=ballot)
        candidates = list(ballot.candidates.order_by("position").values_list("pk", flat=True))
        for i, unit in enumerate(cluster.units):
            user = User.objects.create(
                username=f"lanhdao.{n}.{i}",
                full_name=f"Lãnh đạo {n}.{i}",
                role="unit_leader",
                unit=unit,
            )
            token = Token.objects.create(user=user).key
            jobs.append((token, ballot.pk, candidates[(n + i) % len(candidates)]))
    return jobs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_LOG = ROOT / "var" / "bench-ballots-server.log"


def start_server(port: int, workers: int, env: dict) -> subprocess.Popen:
    SERVER_LOG.parent.mkdir(exist_ok=True)
    log = SERVER_LOG.open("w")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "thidua.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        # The 500 refused second attempts are logged as "Bad Request" by Django; keep the
        # server's output out of the report (it is in var/bench-ballots-server.log).
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def request(method: str, url: str, token: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Token {token}")
    req.add_header("Accept-Language", "vi")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            status, payload = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, payload = err.code, err.read()
    return status, payload, time.perf_counter() - start


def storm(jobs, make_call):
    """Run every job at once (a barrier releases them together); return results and wall time."""
    barrier = threading.Barrier(len(jobs) + 1)

    def run(job):
        barrier.wait()
        return make_call(job)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        with timer() as t:
            barrier.wait()
            results = [f.result() for f in futures]
    return results, t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--per-cluster", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    url = setup_django()
    from django.urls import reverse

    print(f"machine: {machine()}; database: {url.rsplit('@', 1)[-1]}")
    with timer() as t:
        jobs = build(args.voters, args.per_cluster)
    print(
        f"built {len(jobs)} voters in {len(jobs) // args.per_cluster} ballots in {t['seconds']:.1f} s"
    )

    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "THIDUA_STATIC_FINDERS": "1"}
    server = start_server(port, args.workers, env)
    base = f"http://127.0.0.1:{port}"
    try:
        request("GET", base + reverse("ballot-detail", args=[jobs[0][1]]), jobs[0][0])  # warm up
        reads, read_wall = storm(
            jobs, lambda j: request("GET", base + reverse("ballot-detail", args=[j[1]]), j[0])
        )
        casts, cast_wall = storm(
            jobs,
            lambda j: request(
                "POST", base + reverse("ballot-cast", args=[j[1]]), j[0], {"choices": [j[2]]}
            ),
        )
        again, again_wall = storm(
            jobs,
            lambda j: request(
                "POST", base + reverse("ballot-cast", args=[j[1]]), j[0], {"choices": [j[2]]}
            ),
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    n = len(jobs)
    bad_reads = [r for r in reads if r[0] != 200]
    ok_casts = [r for r in casts if r[0] in (200, 201)]
    refused = [r for r in again if r[0] in (400, 409)]
    receipts = {json.loads(r[1]).get("receipt") for r in ok_casts}

    from apps.voting.models import BallotPaper, VoterRecord

    print(f"server: gunicorn, {args.workers} workers × 4 threads; {n} clients at once")
    print(
        f"baseline  GET ballot : {n / read_wall:7.1f} req/s, {describe([r[2] for r in reads])}"
        f" ({len(bad_reads)} not 200)"
    )
    print(
        f"cast vote POST       : {n / cast_wall:7.1f} req/s, {describe([r[2] for r in casts])}"
        f" ({len(ok_casts)} accepted)"
    )
    print(
        f"second attempt POST  : {n / again_wall:7.1f} req/s, {describe([r[2] for r in again])}"
        f" ({len(refused)} refused)"
    )
    print(
        f"ratio cast/baseline  : wall {cast_wall / read_wall:.2f}×, "
        f"p99 {sorted(r[2] for r in casts)[int(n * 0.99) - 1] / sorted(r[2] for r in reads)[int(n * 0.99) - 1]:.2f}×"
    )
    records, papers = VoterRecord.objects.count(), BallotPaper.objects.count()
    print(
        f"checks: {len(receipts)} distinct receipts, {records} voter records, {papers} papers, "
        f"{len(refused)}/{n} second attempts refused"
    )
    ok = len(ok_casts) == n and len(receipts) == n and records == n and papers == n
    ok = ok and len(refused) == n and not bad_reads
    print("RESULT:", "consistent" if ok else "INCONSISTENT")
    if not ok:
        for r in [*casts, *again][:5]:
            print(r[0], r[1][:300])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
