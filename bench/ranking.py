"""Ranking at national scale: 40 clusters × 15 units × 60 criteria × 14 scorers.

    .venv/bin/python bench/ranking.py [--clusters 40] [--units 15] [--criteria 60]

World: each cluster has a 2025 term, a signed pact of 60 criteria (50 scored by peers, 5 by the
unit itself, 3 bonus, 2 penalty), a year-end period, every unit's submitted self-assessment and
every other member's submitted score sheet: 40 × 15 × 14 = 8 400 sheets and 504 000 scores.
Rows are bulk-inserted (arrangement, not what is measured).

Measured: ``compute_ranking(period)`` for every cluster (the ranking page and the publish step
call it), against a baseline in the same run: one hand-written SQL aggregate over the same tables
that computes each unit's criteria/bonus/penalty sums from the per-criterion means, with no
explanation, reconciliation or tie-break. Checks that both agree on every unit's total.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import describe, machine, setup_django, timer  # noqa: E402
from _world import build_clusters  # noqa: E402

BASELINE_SQL = """
WITH means AS (
    SELECT sh.target_id AS unit_id, s.criterion_id, AVG(s.points) AS mean
    FROM emulation_score s
    JOIN emulation_scoresheet sh ON sh.id = s.sheet_id
    WHERE sh.period_id = %(period)s AND sh.state = 'submitted'
    GROUP BY sh.target_id, s.criterion_id
),
own AS (
    SELECT a.unit_id, i.criterion_id, i.points AS mean
    FROM emulation_assessmentitem i
    JOIN emulation_assessment a ON a.id = i.assessment_id
    JOIN emulation_criterion c ON c.id = i.criterion_id
    WHERE a.period_id = %(period)s AND a.state = 'submitted' AND c.scoring_method = 'self'
),
scored AS (SELECT * FROM means UNION ALL SELECT * FROM own)
SELECT scored.unit_id,
       SUM(CASE WHEN c.kind = 'criterion' THEN LEAST(ROUND(scored.mean, 2), c.max_points) END),
       SUM(CASE WHEN c.kind = 'bonus' THEN LEAST(ROUND(scored.mean, 2), c.max_points) END),
       SUM(CASE WHEN c.kind = 'penalty' THEN LEAST(ROUND(scored.mean, 2), c.max_points) END)
FROM scored JOIN emulation_criterion c ON c.id = scored.criterion_id
GROUP BY scored.unit_id
"""


def build(clusters: int, units: int, criteria: int):
    from django.utils import timezone

    from apps.emulation import services
    from apps.emulation.models import (
        Assessment,
        AssessmentItem,
        ReviewPeriod,
        Score,
        ScoreSheet,
    )

    rng = random.Random(2025)
    today = timezone.localdate()
    now = timezone.now()
    periods = []
    for cluster in build_clusters(clusters=clusters, units_per_cluster=units):
        term = cluster.term
        pact = services.pact_create(actor=None, term=term, title=f"Giao ước {term}")
        group = services.content_group_add(actor=None, pact=pact, code="I", title="Nội dung")
        for i in range(criteria):
            kind, method = "criterion", "peers"
            if i >= criteria - 5:
                kind = "bonus" if i < criteria - 2 else "penalty"
            elif i >= criteria - 10:
                method = "self"
            services.criterion_add(
                actor=None,
                group=group,
                title=f"Tiêu chí {i + 1}",
                max_points=Decimal(10),
                kind=kind,
                scoring_method=method,
            )
        services.pact_open_for_signing(actor=None, pact=pact)
        for unit in cluster.units:
            services.pact_sign(actor=None, pact=pact, unit=unit)
        period = ReviewPeriod.objects.create(
            term=term, kind="year_end", opens_on=today, deadline=today
        )
        period.panel.set(cluster.units[:1])
        crits = list(pact.groups.get().criteria.all())
        assessments = Assessment.objects.bulk_create(
            Assessment(period=period, unit=u, pact=pact, state="submitted", submitted_at=now)
            for u in cluster.units
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(assessment=a, criterion=c, points=Decimal(rng.randint(5, 10)))
            for a in assessments
            for c in crits
        )
        scored = [c for c in crits if c.scoring_method != "self"]
        sheets = ScoreSheet.objects.bulk_create(
            ScoreSheet(period=period, scorer=s, target=t, state="submitted", submitted_at=now)
            for t in cluster.units
            for s in cluster.units
            if s != t
        )
        Score.objects.bulk_create(
            (
                Score(sheet=sh, criterion=c, points=Decimal(rng.randint(0, 1000)) / 100)
                for sh in sheets
                for c in scored
            ),
            batch_size=5000,
        )
        periods.append(period)
    return periods


def baseline(period) -> dict[int, Decimal]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(BASELINE_SQL, {"period": period.pk})
        rows = cur.fetchall()
    return {u: (c or 0) + (b or 0) - (p or 0) for u, c, b, p in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=40)
    parser.add_argument("--units", type=int, default=15)
    parser.add_argument("--criteria", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = setup_django()
    if not url.startswith("postgres"):
        raise SystemExit("the baseline SQL is PostgreSQL's (LEAST, ROUND on numeric)")
    from apps.emulation.models import Score
    from apps.emulation.selectors import compute_ranking

    print(f"machine: {machine()}; database: {url.rsplit('@', 1)[-1]}")
    with timer() as t:
        periods = build(args.clusters, args.units, args.criteria)
    print(f"built {len(periods)} clusters, {Score.objects.count()} scores in {t['seconds']:.1f} s")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    base_times, rank_times = [], []
    for _ in range(args.repeat):
        for period in periods:
            with timer() as t:
                expected = baseline(period)
            base_times.append(t["seconds"])
            with timer() as t:
                ranking = compute_ranking(period)
            rank_times.append(t["seconds"])
            got = {row.unit.pk: row.total for row in ranking.rows}
            exp = {u: v.quantize(Decimal("0.01"), ROUND_HALF_UP) for u, v in expected.items()}
            if got != exp:
                raise SystemExit(f"totals differ for {period}: {got} vs {exp}")
    b, r = sum(base_times), sum(rank_times)
    n = len(base_times)
    print(f"baseline SQL aggregate : {n} runs, total {b:.2f} s, {describe(base_times)}")
    print(f"compute_ranking        : {n} runs, total {r:.2f} s, {describe(rank_times)}")
    print(
        f"ratio compute_ranking / baseline: {r / b:.2f}×; whole sector ({args.clusters} clusters) "
        f"once: {r / args.repeat:.2f} s"
    )
    print("RESULT: totals agree on every unit of every cluster")


if __name__ == "__main__":
    main()
