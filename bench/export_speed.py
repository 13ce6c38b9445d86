"""How fast the preference export runs, and whether its memory stays flat as projects grow.

``measure(n_tasks, workdir)`` builds a SQLite database of ``n_tasks`` complete pairwise
comparison tasks with three annotations each (about 80-character prompts, 200-character
responses, random votes and strengths), by bulk-inserting rows straight into the tables —
going through HTTP or ``core`` would measure the annotation loop, not the export. It then
runs the preference export (JSONL or Parquet) in a child process, so that the peak resident
memory reported is the export's alone, not the loader's.

Run by hand: ``.venv/bin/python bench/export_speed.py [N …]`` (default 100,000 and 300,000
tasks). Never part of the timed test suite.
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ANNOTATORS = 3
STAMP = "2025-01-31 09:30:00.000000"
FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "


def _schema(db: Path) -> None:
    from accord.db import migrate
    from accord.db.engine import make_engine

    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    engine.dispose()


def _people(cur: sqlite3.Cursor) -> None:
    cur.executemany(
        "INSERT INTO users (id, name, kind, created_at) VALUES (?, ?, 'human', ?)",
        [(i + 1, f"ann{i}", STAMP) for i in range(ANNOTATORS)],
    )
    cur.execute(
        "INSERT INTO projects (id, name, dimensions, settings, created_at) "
        "VALUES (1, 'bench', '[]', '{}', ?)", (STAMP,),
    )


def _pool(n: int) -> Iterator[tuple[str, Iterable[tuple]]]:
    """Prompts, responses, tasks and their links, as (statement, rows) pairs; rows stream."""
    messages = [json.dumps([{"role": "user", "content": f"Question {i}: {FILLER}"[:80]}])
                for i in range(n)]
    yield ("INSERT INTO prompts (id, project_id, external_id, messages, category, domains, "
           "source, metadata, content_hash, created_at) "
           "VALUES (?, 1, ?, ?, 'qa', '[]', 'bench', '{}', ?, ?)",
           ((i + 1, f"t{i}", messages[i], f"h{i}", STAMP) for i in range(n)))
    yield ("INSERT INTO responses (id, prompt_id, external_id, content, model, sampling, "
           "origin, created_at) VALUES (?, ?, ?, ?, ?, '{}', 'imported', ?)",
           ((2 * i + k + 1, i + 1, "ab"[k], f"Answer {k} to {i}: {FILLER * 3}"[:200],
             f"model-{k}", STAMP) for i in range(n) for k in range(2)))
    yield ("INSERT INTO tasks (id, project_id, external_id, kind, prompt_id, overlap, status, "
           "metadata, content_hash, taken, submitted, queue, created_at) "
           "VALUES (?, 1, ?, 'comparison', ?, 3, 'complete', '{}', ?, 3, 3, 2, ?)",
           ((i + 1, f"t{i}", i + 1, f"h{i}", STAMP) for i in range(n)))
    yield ("INSERT INTO task_responses (task_id, response_id, position) VALUES (?, ?, ?)",
           ((i + 1, 2 * i + k + 1, k) for i in range(n) for k in range(2)))


def _work(n: int, seed: int = 7) -> Iterator[tuple[str, Iterable[tuple]]]:
    """Assignments, annotations and pairwise outcomes: three per task."""
    rng = random.Random(seed)
    votes = [(rng.random() < 0.6, rng.choice((None, 1, 2, 3))) for _ in range(n * ANNOTATORS)]
    ids = [(i, j, i * ANNOTATORS + j + 1) for i in range(n) for j in range(ANNOTATORS)]
    yield ("INSERT INTO assignments (id, task_id, annotator_id, project_id, status, "
           "display_order, leased_at, lease_expires_at, finished_at) "
           "VALUES (?, ?, ?, 1, 'submitted', '[\"a\", \"b\"]', ?, ?, ?)",
           ((a, i + 1, j + 1, STAMP, STAMP, STAMP) for i, j, a in ids))
    yield ("INSERT INTO annotations (id, assignment_id, task_id, annotator_id, project_id, kind, "
           "ranking, strength, flags, created_at) VALUES (?, ?, ?, ?, 1, 'comparison', ?, ?, "
           "'[]', ?)",
           ((a, a, i + 1, j + 1, '[["a"], ["b"]]' if votes[a - 1][0] else '[["b"], ["a"]]',
             votes[a - 1][1], STAMP) for i, j, a in ids))
    yield ("INSERT INTO pairwise_outcomes (annotation_id, task_id, annotator_id, project_id, "
           "winner_id, loser_id, tie, winner_position, loser_position, strength) "
           "VALUES (?, ?, ?, 1, ?, ?, 0, ?, ?, ?)",
           ((a, i + 1, j + 1, *((2 * i + 1, 2 * i + 2, 0, 1) if votes[a - 1][0]
                                else (2 * i + 2, 2 * i + 1, 1, 0)), votes[a - 1][1])
            for i, j, a in ids))


def build_database(n_tasks: int, db: Path) -> None:
    """A migrated SQLite file holding ``n_tasks`` complete comparisons, three votes each."""
    _schema(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    cur = conn.cursor()
    cur.execute("BEGIN")
    _people(cur)
    for statement, rows in (*_pool(n_tasks), *_work(n_tasks)):
        cur.executemany(statement, rows)
    cur.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _peak_rss_mb() -> float:
    """This process's peak resident memory since its ``exec``.

    ``VmHWM`` rather than ``getrusage``: Linux carries ``ru_maxrss`` over from the forking
    parent, which here is the loader with the whole generated data set in memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _export_in_this_process(db: str, out: str, repeat: int) -> None:
    """The child's side: export ``repeat`` times, print the best timings and the peak memory."""
    from accord.db.engine import make_engine
    from accord.exports import export

    engine = make_engine(f"sqlite:///{db}")
    before = _peak_rss_mb()
    seconds, cpu_seconds = float("inf"), float("inf")
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = export(engine, "bench", "preference", Path(out))
        seconds = min(seconds, time.perf_counter() - started)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_started)
    engine.dispose()
    print(json.dumps({"pairs": report.rows, "seconds": seconds, "cpu_seconds": cpu_seconds,
                      "rss_before_mb": before, "peak_rss_mb": _peak_rss_mb()}))


def _database(n_tasks: int, workdir: Path) -> tuple[Path, float]:
    """The benchmark database for ``n_tasks`` in ``workdir``, built unless already there."""
    db = workdir / f"bench-{n_tasks}.db"
    if db.exists():
        return db, 0.0
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    started = time.perf_counter()
    build_database(n_tasks, building)
    building.rename(db)
    return db, time.perf_counter() - started


def measure(n_tasks: int, workdir: Path, file_format: str = "jsonl", repeat: int = 3) -> dict:
    """Build ``n_tasks`` tasks in ``workdir`` and time their preference export in a child.

    The database is built once per size and kept in ``workdir``; the export runs ``repeat``
    times in one child and the best time counts (the machine is shared: the best run is the
    one least disturbed). Returns ``pairs`` (rows written), ``seconds`` (wall clock),
    ``cpu_seconds`` (the child's CPU time, steadier on a busy machine), ``pairs_per_s`` (by
    wall clock), ``peak_rss_mb`` (the child's peak resident memory), ``rss_before_mb`` (the
    child's after its imports, before exporting) and ``build_seconds`` (0 when reused).
    """
    db, built = _database(n_tasks, Path(workdir))
    out = Path(workdir) / f"bench-{n_tasks}.{file_format}"
    child = subprocess.run(
        [sys.executable, __file__, "--export", str(db), str(out), str(repeat)],
        check=True, capture_output=True, text=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["pairs_per_s"] = result["pairs"] / result["seconds"]
    result["build_seconds"] = built
    result["file_format"] = file_format
    return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--export"]:
        _export_in_this_process(argv[1], argv[2], int(argv[3]))
        return
    sizes = [int(a) for a in argv] or [100_000, 300_000]
    with tempfile.TemporaryDirectory() as workdir:
        for n in sizes:
            for file_format in ("jsonl", "parquet"):
                r = measure(n, Path(workdir), file_format)
                print(f"{n:>9,} tasks, {file_format:>7}: {r['pairs']:,} pairs in "
                      f"{r['seconds']:.2f} s = {r['pairs_per_s']:,.0f} pairs/s "
                      f"({r['cpu_seconds']:.2f} s CPU); peak RSS {r['peak_rss_mb']:.0f} MB "
                      f"({r['rss_before_mb']:.0f} MB before exporting)"
                      + (f"; database built in {r['build_seconds']:.1f} s"
                         if r["build_seconds"] else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
