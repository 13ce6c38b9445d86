"""How fast ``accord import`` loads 2-response comparisons into SQLite, next to a plain
parse-and-insert loop over the same file measured in the same run, and at what memory.

    .venv/bin/python bench/import_speed.py            # 100,000 and 1,000,000 items
    .venv/bin/python bench/import_speed.py 20000      # other sizes

The reference (``REFERENCE`` below, in its own child process) is what the database and the
parser allow: it reads the same JSON lines with orjson and inserts the same six rows per item
(prompt, two responses, task, two task-response links) with ``executemany`` in batches of
5,000, one transaction each, into a freshly migrated database with Accord's schema and
indexes. It checks nothing and cannot resume. Each size runs reference, Accord, reference,
and Accord is compared with the mean of the two reference runs, so a machine that speeds up
or slows down during the run favours neither. ``ratio`` is the figure to record; where the
disk is shared and slow, both sides wait on it (wall time several times the CPU time), and
the ratio of CPU seconds says more about Accord's own work.

Each import runs in a child process through the CLI command (as a user runs it), so the
peak RSS reported is the import's own, not this script's. ``seconds`` is the import alone,
both passes (check, then write), measured inside the child; ``cpu_seconds`` is the CPU time
the import used (steadier than ``seconds`` where other work shares the cores);
``wall_seconds`` adds the interpreter's start. Memory should stay flat as the file grows: the
file is streamed and only the ids seen are kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from accord.core.projects.project import create_project
from accord.db import migrate
from accord.db.engine import make_engine

PROJECT = "bench"
CHILD = """
import json, resource, sys, time
from pathlib import Path
from accord.cli.importing import import_command
start, cpu_start = time.perf_counter(), time.process_time()
import_command(sys.argv[1], Path(sys.argv[2]), file_format="jsonl", labelled=False,
               source=None, skip_invalid=False, update=False, max_line_bytes=1 << 20,
               json_output=True, quiet=True)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_kb": peak_kb}))
"""
REFERENCE = """
import json, resource, sqlite3, sys, time
import orjson
start, cpu_start = time.perf_counter(), time.process_time()
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
project_id = db.execute("SELECT id FROM projects").fetchone()[0]
now = "2026-01-01 00:00:00.000000"
ids = {"prompts": 1, "responses": 1, "tasks": 1}
def flush(rows):
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO prompts (id, project_id, external_id, messages, category, "
                   "domains, source, metadata, content_hash, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[0])
    db.executemany("INSERT INTO responses (id, prompt_id, external_id, content, model, sampling, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows[1])
    db.executemany("INSERT INTO tasks (id, project_id, external_id, kind, prompt_id, overlap, "
                   "metadata, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   rows[2])
    db.executemany("INSERT INTO task_responses (task_id, response_id, position) VALUES (?, ?, ?)",
                   rows[3])
    db.execute("COMMIT")
rows = ([], [], [], [])
with open(sys.argv[2], "rb") as lines:
    for n, line in enumerate(lines, start=1):
        item = orjson.loads(line)
        prompt_id = task_id = n
        rows[0].append((prompt_id, project_id, item["id"], orjson.dumps(item["messages"]).decode(),
                        item["category"], "[]", "bench", "{}", "x", now))
        rows[2].append((task_id, project_id, item["id"], "comparison", prompt_id, 3, "{}", "x",
                        now))
        for position, response in enumerate(item["responses"]):
            response_id = 2 * n - 1 + position
            rows[1].append((response_id, prompt_id, response["id"], response["content"],
                            response["model"], orjson.dumps(response["sampling"]).decode(), now))
            rows[3].append((task_id, response_id, position))
        if n % 5000 == 0:
            flush(rows); rows = ([], [], [], [])
if rows[0]:
    flush(rows)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_kb": peak_kb}))
"""
ANSWER = ("Here is a careful answer to question {n}. It explains the reasoning step by step, "
          "gives an example, and ends with a short summary so the reader can check it. ")


def write_items(path: Path, n_items: int) -> Path:
    """``n_items`` comparisons with two responses each, about 800 bytes a line."""
    with path.open("wb") as out:
        for n in range(n_items):
            out.write(orjson.dumps({
                "id": f"bench-{n}",
                "messages": [{"role": "user",
                              "content": f"Question {n}: how would you explain topic {n % 97}?"}],
                "responses": [
                    {"id": "a", "content": ANSWER.format(n=n), "model": "model-a",
                     "sampling": {"temperature": 0.7}},
                    {"id": "b", "content": ANSWER.format(n=n) * 2, "model": "model-b",
                     "sampling": {"temperature": 1.0}},
                ],
                "category": "reasoning",
            }) + b"\n")
    return path


def fresh_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        create_project(conn, PROJECT)
    engine.dispose()
    return url


def _figures(n_items: int, figures: dict, wall: float) -> dict:
    return {
        "items": n_items,
        "seconds": round(figures["seconds"], 2),
        "items_per_s": round(n_items / figures["seconds"]),
        "cpu_seconds": round(figures["cpu_seconds"], 2),
        "peak_rss_mb": round(figures["peak_rss_kb"] / 1024, 1),
        "wall_seconds": round(wall, 2),
    }


def measure(n_items: int, items: Path, workdir: Path) -> dict:
    """Import ``n_items`` comparisons into a new SQLite database in a child process."""
    url = fresh_database(workdir / f"import-{n_items}.db")
    env = {**os.environ, "ACCORD_DATABASE_URL": url}
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", CHILD, PROJECT, str(items)], env=env,
                           check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    *report_lines, figures_line = child.stdout.strip().splitlines()
    report, figures = json.loads(report_lines[-1]), json.loads(figures_line)
    if report["new"] != n_items:
        raise RuntimeError(f"imported {report['new']} of {n_items} items: {report}")
    (workdir / f"import-{n_items}.db").unlink()
    return _figures(n_items, figures, wall)


def measure_reference(n_items: int, items: Path, workdir: Path) -> dict:
    """The plain parse-and-insert loop over the same file, into the same fresh schema."""
    path = workdir / f"reference-{n_items}.db"
    fresh_database(path)
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", REFERENCE, str(path), str(items)],
                           check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    path.unlink()
    return _figures(n_items, json.loads(child.stdout.strip().splitlines()[-1]), wall)


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="accord-import-bench-") as workdir:
        for n_items in sizes:
            items = write_items(Path(workdir) / f"items-{n_items}.jsonl", n_items)
            before = measure_reference(n_items, items, Path(workdir))
            accord = measure(n_items, items, Path(workdir))
            after = measure_reference(n_items, items, Path(workdir))
            reference = (before["items_per_s"] + after["items_per_s"]) / 2
            print(json.dumps({"reference_before": before}), flush=True)
            print(json.dumps({"accord": accord}), flush=True)
            print(json.dumps({"reference_after": after}), flush=True)
            reference_cpu = (before["cpu_seconds"] + after["cpu_seconds"]) / 2
            print(f"items={n_items}  accord {accord['items_per_s']:,} items/s  reference "
                  f"{reference:,.0f} items/s (mean of {before['items_per_s']:,} and "
                  f"{after['items_per_s']:,})  ratio {accord['items_per_s'] / reference:.2f}"
                  f"  |  by CPU seconds (steadier when the disk is shared): accord "
                  f"{accord['cpu_seconds']} s, reference {reference_cpu:.2f} s, ratio "
                  f"{reference_cpu / accord['cpu_seconds']:.2f}", flush=True)
            items.unlink()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000])
