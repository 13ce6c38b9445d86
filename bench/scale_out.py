"""The annotation loop on PostgreSQL with 1, 2 and 4 server processes behind one address.

    ACCORD_BENCH_POSTGRES_URL=postgresql+psycopg://USER:PASSWORD@HOST:5432/postgres \\
        python bench/scale_out.py [--workers 1 2 4] [--connections 32] [--seconds 8]

(``ACCORD_TEST_POSTGRES_URL``, the test suite's server, is used when the first is unset.)
For each worker count the bench creates a fresh database on that server, runs
``accord serve --workers N`` on it (uvicorn's processes share one listening socket; each
builds its own engine and pool), and then, in the same run:

1. the do-nothing app with the same routes and the same number of processes under the same
   wrk script: the reference;
2. Accord under wrk (``../shared/bench/annotation-loop.lua``): pairs/s by stored annotations,
   request p50 and p99;
3. the invariants, on the rows wrk left behind: no task holds more annotations than its
   overlap, nobody annotated a task twice, every annotation has its pairwise outcome, every
   ``taken``/``submitted`` counter equals its assignments, and the stored annotations match
   the submissions wrk sent (less at most one in flight a connection);
4. the test suite's 50-annotator check (``tests/web/test_concurrency.py``) against the same
   processes on a second project: 1,000 items with overlap 3 filled exactly, every
   acknowledged submission stored, no one shown an item twice, no 5xx.

A failed invariant stops the bench with the numbers that broke it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from sqlalchemy import create_engine, func, select, text

from accord.db.engine import make_engine
from accord.db.tables import annotations, assignments, pairwise_outcomes, tasks
from wrk_loop import (
    ROOT,
    accord_server,
    loop_database,
    noop_server,
    run_wrk,
    settled_annotations,
)

sys.path.insert(0, str(ROOT))
from tests.factories import add_comparisons, make_project, make_user
from tests.web import test_concurrency as fifty

WARM_UP_S = 1


def server_url() -> str:
    url = os.environ.get("ACCORD_BENCH_POSTGRES_URL") or os.environ.get(
        "ACCORD_TEST_POSTGRES_URL")
    if not url:
        raise SystemExit("set ACCORD_BENCH_POSTGRES_URL to a PostgreSQL server URL")
    return url


def fresh_database(server: str, name: str) -> str:
    base, _, _ = server.rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def drop_database(server: str, name: str) -> None:
    base, _, _ = server.rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def check_loop_rows(url: str, sent: int, connections: int) -> dict:
    """The invariants on what the wrk run stored; raises naming the first that fails."""
    engine = make_engine(url)
    try:
        # One snapshot for every count: submissions still in flight when wrk stopped commit
        # whole, before or after it.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            stored = conn.execute(select(func.count()).select_from(annotations)).scalar_one()
            pairs = conn.execute(
                select(func.count()).select_from(pairwise_outcomes)).scalar_one()
            doubled = conn.execute(text(
                "SELECT count(*) FROM (SELECT task_id, annotator_id FROM annotations "
                "GROUP BY task_id, annotator_id HAVING count(*) > 1) d")).scalar_one()
            overfull = conn.execute(text(
                "SELECT count(*) FROM (SELECT a.task_id FROM annotations a JOIN tasks t "
                "ON t.id = a.task_id GROUP BY a.task_id, t.overlap "
                "HAVING count(*) > t.overlap) o")).scalar_one()
            miscounted = conn.execute(text(
                "SELECT count(*) FROM tasks t WHERE t.submitted <> (SELECT count(*) FROM "
                "assignments a WHERE a.task_id = t.id AND a.status = 'submitted') OR t.taken <> "
                "(SELECT count(*) FROM assignments a WHERE a.task_id = t.id "
                "AND a.status IN ('active', 'submitted'))")).scalar_one()
            unanswered = conn.execute(select(func.count()).select_from(assignments).where(
                assignments.c.status == "submitted")).scalar_one() - stored
            task_count = conn.execute(select(func.count()).select_from(tasks)).scalar_one()
    finally:
        engine.dispose()
    problems = {
        "annotations stored twice for one annotator and task": doubled,
        "tasks holding more annotations than their overlap": overfull,
        "tasks whose counters differ from their assignments": miscounted,
        "submitted assignments without their annotation": unanswered,
        "annotations without their pairwise outcome": stored - pairs,
    }
    broken = {what: n for what, n in problems.items() if n}
    if broken:
        raise SystemExit(f"invariant broken: {broken}")
    if not sent - connections <= stored <= sent:
        raise SystemExit(f"lost or extra annotations: {stored} stored for {sent} sent")
    return {"stored": stored, "tasks": task_count, "double_assignments": doubled,
            "lost": max(0, sent - connections - stored)}


def fifty_annotators(url: str, base: str) -> int:
    """The 50-annotator check of the test suite, against the running processes."""
    engine = make_engine(url)
    try:
        project = make_project(engine, "load", overlap=fifty.OVERLAP)
        add_comparisons(engine, project, fifty.ITEMS)
        people = [(f"load{i}", make_user(engine, f"load{i}", project=project,
                                         roles=("annotator",)).token)
                  for i in range(fifty.ANNOTATORS)]
        tally = asyncio.run(fifty.run_annotators([base], people))
        with engine.connect() as conn:
            stored = sorted(conn.execute(select(annotations.c.id).where(
                annotations.c.project_id == project.id)).scalars())
            per_task = conn.execute(select(
                annotations.c.task_id, func.count(),
                func.count(annotations.c.annotator_id.distinct()),
            ).where(annotations.c.project_id == project.id).group_by(
                annotations.c.task_id)).all()
    finally:
        engine.dispose()
    failures = []
    if [s for s in tally.statuses if s >= 500]:
        failures.append(f"server errors: {dict(tally.statuses)}")
    if max(tally.seen.values()) != 1:
        failures.append("someone was shown the same item twice")
    if sorted(tally.acknowledged) != stored:
        failures.append(f"{len(tally.acknowledged)} acknowledged, {len(stored)} stored")
    if len(per_task) != fifty.ITEMS or not all(
            n == fifty.OVERLAP and d == fifty.OVERLAP for _, n, d in per_task):
        failures.append("an item does not hold exactly 3 annotations from 3 annotators")
    if failures:
        raise SystemExit("50-annotator check failed: " + "; ".join(failures))
    return len(stored)


def measure(server: str, workers: int, connections: int, seconds: int, annotators: int,
            items: int) -> dict:
    name = f"accord_bench_scale_{os.getpid()}_{workers}"
    url = fresh_database(server, name)
    try:
        tokens = loop_database(url, annotators=annotators, items=items)
        with noop_server(workers) as noop, accord_server(url, workers) as (base, _pid):
            run_wrk(noop, tokens, connections, WARM_UP_S, annotators)
            reference = run_wrk(noop, tokens, connections, seconds, annotators)
            run_wrk(base, tokens, connections, WARM_UP_S, annotators)
            before = settled_annotations(url)
            ours = run_wrk(base, tokens, connections, seconds, annotators)
            stored = settled_annotations(url) - before
            rows = check_loop_rows(url, before + ours.submits - ours.errors, connections)
            checked = fifty_annotators(url, base)
    finally:
        drop_database(server, name)
    return {"workers": workers, "reference": reference, "accord": ours,
            "accord_pairs_per_s": stored / ours.seconds, "rows": rows, "fifty": checked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--annotators", type=int, default=4,
                        help="wrk threads, each one annotator with its own token")
    parser.add_argument("--items", type=int, default=40_000)
    args = parser.parse_args()
    server = server_url()
    results = []
    for workers in args.workers:
        r = measure(server, workers, args.connections, args.seconds, args.annotators,
                    args.items)
        results.append(r)
        ref, ours = r["reference"], r["accord"]
        print(f"workers={workers}  accord pairs/s={r['accord_pairs_per_s']:7.1f} "
              f"p50={ours.p50_ms:6.2f} ms p99={ours.p99_ms:7.2f} ms errors={ours.errors}  |  "
              f"reference pairs/s={ref.pairs_per_s:7.1f} p99={ref.p99_ms:6.2f} ms  |  "
              f"ratio {r['accord_pairs_per_s'] / ref.pairs_per_s:.2f}  |  "
              f"stored={r['rows']['stored']} double assignments="
              f"{r['rows']['double_assignments']} lost={r['rows']['lost']}  |  "
              f"50-annotator check: {r['fifty']} annotations, exact", flush=True)
    first = results[0]["accord_pairs_per_s"]
    print("\nscaling (Accord pairs/s against its own 1-process figure): " + ", ".join(
        f"{r['workers']}: {r['accord_pairs_per_s'] / first:.2f}x" for r in results))


if __name__ == "__main__":
    main()
