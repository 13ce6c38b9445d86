"""How fast the lead's pages answer on a big project, through the real server.

Builds (or reuses, cached under ``$TMPDIR/accord-bench``) the planted population of
``bench/quality_population.py`` as a SQLite project: 20,000 tasks of 5 annotators each = 100,000
annotations by a pool of 500 by default, 200,000 tasks = 1,000,000 annotations with
``--tasks 200000``. It starts ``accord serve`` on a copy, logs in as an administrator and
times 20 loads each of the dashboard, the digest, the review queue and the report API, next
to ``GET /healthz`` through the same server (the reference: what the machine and the server
cost with no work), and prints median and p95 in milliseconds with the load average.

The first dashboard view of a project computes and stores its report (``report.cache``);
that one view is timed apart ("first view"), the 20 after it read the stored report.

Run by hand: ``.venv/bin/python bench/pages.py [--tasks N …]``. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import quality_population as population  # noqa: E402
from accord.core.people.users import create_user  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from quality import POPULATION_VERSION, _schema_head  # noqa: E402
from wrk_loop import accord_server  # noqa: E402

LOADS = 20
PASSWORD = "bench-pages-password"
PAGES = {"dashboard": "/projects/bench/dashboard", "digest": "/projects/bench/digest",
         "review queue": "/projects/bench/review", "report API": "/api/v1/projects/bench/report",
         "reference /healthz": "/healthz"}
REFERENCE = "reference /healthz"


def pristine(n_tasks: int, cache: Path) -> tuple[Path, float]:
    """The built project (with a ``lead`` administrator), reused while schema and draw hold."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"pages-{n_tasks}-v{POPULATION_VERSION}-schema{_schema_head()}.db"
    if db.exists():
        return db, 0.0
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    started = time.perf_counter()
    population.build_database(population.planted(n_tasks), building)
    engine = make_engine(f"sqlite:///{building}")
    with engine.begin() as conn:
        create_user(conn, "lead", password=PASSWORD, is_admin=True)
    engine.dispose()
    building.rename(db)
    return db, time.perf_counter() - started


def _time(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"GET {path}: {answer.status_code} {answer.text[:200]}")
    return elapsed


def measure(db: Path, skipped: set[str]) -> None:
    """20 loads of each page through ``accord serve`` (``wrk_loop.accord_server``), each
    printed beside its ratio to the reference measured in the same run (``/healthz``)."""
    os.environ.setdefault("ACCORD_UPLOAD_DIR", str(db.parent / "uploads"))
    with (accord_server(f"sqlite:///{db}") as (base, _),
          httpx.Client(base_url=base, timeout=600) as client):
        login = client.post("/login", data={"username": "lead", "password": PASSWORD})
        if login.status_code >= 400:
            raise SystemExit(f"login failed: {login.status_code}")
        print(f"  first dashboard view (computes the report): "
              f"{_time(client, PAGES['dashboard']):,.0f} ms", flush=True)
        reference = _loads(client, PAGES[REFERENCE])
        for name, path in PAGES.items():
            if name.split()[0] in skipped:
                continue
            times = reference if name == REFERENCE else _loads(client, path)
            median, p95 = statistics.median(times), times[int(0.95 * (LOADS - 1) + 0.5)]
            ratio = median / statistics.median(reference)
            print(f"  {name:<20} median {median:8.1f} ms   p95 {p95:8.1f} ms   "
                  f"{ratio:7.1f}x the reference's median", flush=True)
    print(f"  load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _loads(client: httpx.Client, path: str) -> list[float]:
    return sorted(_time(client, path) for _ in range(LOADS))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time the lead's pages on a big project.")
    parser.add_argument("--tasks", type=int, action="append",
                        help="tasks of 5 annotations each; repeatable (default 20000)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "accord-bench")
    parser.add_argument("--skip", action="append", choices=("dashboard", "digest", "review"),
                        help="leave a page out of the 20 loads (repeatable)")
    args = parser.parse_args(argv)
    for n_tasks in args.tasks or [20_000]:
        db, built = pristine(n_tasks, args.cache)
        origin = f"built in {built:.0f} s" if built else f"reused from {db}"
        print(f"{n_tasks * population.PER_TASK:,} annotations by {population.POOL} annotators "
              f"({origin}); "
              f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
              flush=True)
        run = db.with_name("pages-run.db")
        for leftover in (run, run.with_name(run.name + "-wal"), run.with_name(run.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(db, run)
        measure(run, set(args.skip or ()))


if __name__ == "__main__":
    main()
