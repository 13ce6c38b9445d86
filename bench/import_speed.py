"""How fast ``accord import`` loads 2-response comparisons into SQLite, and at what memory.

    .venv/bin/python bench/import_speed.py            # 100,000 and 1,000,000 items
    .venv/bin/python bench/import_speed.py 20000      # other sizes

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


def measure(n_items: int, workdir: Path) -> dict:
    """Import ``n_items`` comparisons into a new SQLite database in a child process."""
    items = write_items(workdir / f"items-{n_items}.jsonl", n_items)
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
    items.unlink()
    return {
        "items": n_items,
        "seconds": round(figures["seconds"], 2),
        "items_per_s": round(n_items / figures["seconds"]),
        "cpu_seconds": round(figures["cpu_seconds"], 2),
        "peak_rss_mb": round(figures["peak_rss_kb"] / 1024, 1),
        "wall_seconds": round(wall, 2),
    }


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="accord-import-bench-") as workdir:
        for n_items in sizes:
            print(json.dumps(measure(n_items, Path(workdir))), flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000])
