"""Shared set-up of the benchmarks: a scratch database, Django, timing helpers.

Benchmarks are not tests: they build their own data in a database of their own (PostgreSQL by
default, ``BENCH_DATABASE_URL`` to change it), print what they measured with a baseline taken in
the same run, and leave the numbers for docs/benchmarks.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/thidua_bench"


def setup_django(*, fresh: bool = True) -> str:
    """Point Django at the benchmark database (recreated when ``fresh``), migrate, return the URL."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    sys.path.insert(0, str(ROOT))
    if fresh:
        _recreate(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def _recreate(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        path.unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def timer():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def describe(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms, mean {statistics.fmean(ms):.1f} ms"
    )


def machine() -> str:
    cores = os.cpu_count()
    try:
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pg = "psql not found"
    return f"{platform.python_implementation()} {platform.python_version()}, {cores} cores, {pg}"


def peak_rss_kib() -> int:
    """This process's peak resident memory so far, in KiB: ``VmHWM`` on Linux, else ru_maxrss.

    Not ru_maxrss on Linux: it survives ``execve``, so a child started from a parent that once
    held 2.8 GB reported 2.8 GB as its own peak. ``VmHWM`` belongs to the address space the
    child's interpreter got at exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_in_child(script: str, argv: list[str]) -> dict:
    """Run ``script --memory-child …`` in a fresh interpreter; it prints one JSON line
    ``{"before": KiB, "peak": KiB, ...}`` (peak resident memory after set-up, then after the measured call)."""
    import json

    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *argv, "--memory-child"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"memory child failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"
