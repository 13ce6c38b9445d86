"""How long the disagreement digest takes as a project grows.

Builds SQLite projects of complete pairwise tasks with three random votes each (the
builder of ``bench/export_speed.py``), then times ``core.review.digest.digest`` over every
finished task (no filters: the worst case; a week's date range reads only that week's
annotations) and prints seconds and annotations per second.

Run by hand: ``.venv/bin/python bench/digest.py [N …]`` (default 10,000 and 100,000 tasks).
Never part of the timed test suite.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accord.core.people.users import create_user
from accord.core.review import digest
from accord.db.engine import make_engine
from export_speed import ANNOTATORS, build_database  # the sibling module


def measure(n_tasks: int, workdir: Path) -> tuple[float, int]:
    db = workdir / f"digest-{n_tasks}.db"
    build_database(n_tasks, db)
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        admin = create_user(conn, "bench-admin", is_admin=True).user
    start = time.perf_counter()
    with engine.connect() as conn:
        found = digest.digest(conn, admin, "bench", limit=20)
    seconds = time.perf_counter() - start
    engine.dispose()
    assert len(found.entries) == 20
    return seconds, n_tasks * ANNOTATORS


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    with tempfile.TemporaryDirectory() as name:
        for n_tasks in sizes:
            seconds, annotations = measure(n_tasks, Path(name))
            print(f"{n_tasks:>9,} tasks, {annotations:>9,} annotations: digest in "
                  f"{seconds:.2f} s = {annotations / seconds:,.0f} annotations/s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
