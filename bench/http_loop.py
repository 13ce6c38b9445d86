"""Annotation-loop throughput over real HTTP: wrk claims and submits against `accord serve`.

Each wrk thread is one annotator (its own token) with one connection, running
``../shared/bench/annotation-loop.lua``: claim the next task, submit it, repeat. Stored
annotations are counted in the database afterwards rather than trusting the client.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import running_servers  # noqa: E402

from accord.core.people import users as user_rules  # noqa: E402
from accord.core.projects import project as project_rules  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.db.tables import annotations, prompts, responses, task_responses, tasks  # noqa: E402
from accord.db.types import utcnow  # noqa: E402

LUA = ROOT.parent / "shared" / "bench" / "annotation-loop.lua"
LOOP_LINE = re.compile(r"LOOP claims=(\d+) submits=(\d+) empties=(\d+) errors=(\d+) "
                       r"seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+)")


def bulk_items(engine, project, count: int) -> None:
    """``count`` two-response comparison tasks, written in bulk (setup, not what is measured)."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(prompts), [
            {"id": i + 1, "project_id": project.id, "external_id": f"p{i}",
             "messages": [{"role": "user", "content": f"Question {i}?"}], "category": "qa",
             "domains": [], "source": "bench", "metadata": {}, "content_hash": "x",
             "created_at": now} for i in range(count)])
        conn.execute(insert(responses), [
            {"id": 2 * i + k + 1, "prompt_id": i + 1, "external_id": rid,
             "content": f"Answer {rid} to question {i}.", "sampling": {}, "created_at": now}
            for i in range(count) for k, rid in enumerate("ab")])
        conn.execute(insert(tasks), [
            {"id": i + 1, "project_id": project.id, "external_id": f"t{i}", "kind": "comparison",
             "prompt_id": i + 1, "overlap": project.overlap, "metadata": {},
             "content_hash": "x", "created_at": now} for i in range(count)])
        conn.execute(insert(task_responses), [
            {"task_id": i + 1, "response_id": 2 * i + k + 1, "position": k}
            for i in range(count) for k in range(2)])


def setup_database(path: Path, annotators: int, items: int) -> tuple[str, list[str]]:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        project = project_rules.create_project(conn, "perf", overlap=3)
        tokens = []
        for i in range(annotators):
            new = user_rules.create_user(conn, f"perf{i}")
            project_rules.add_member(conn, project, new.user, "annotator")
            tokens.append(new.token)
    bulk_items(engine, project, items)
    engine.dispose()
    return url, tokens


def stored_annotations(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(annotations)).scalar_one()
    engine.dispose()
    return count


def server_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(clients: int, seconds: int = 8, items: int = 60_000) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        url, tokens = setup_database(Path(tmp) / "loop.db", clients, items)
        with running_servers(url) as (base,), _server_pid(base) as pid:
            before = stored_annotations(url)
            env = {**os.environ, "TOKENS": ",".join(tokens), "PROJECT": "perf"}
            out = subprocess.run(
                ["wrk", f"-t{clients}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
                 "-s", str(LUA), base], env=env, capture_output=True, text=True, check=True,
            ).stdout
            stored = stored_annotations(url) - before
            rss = server_peak_rss_mb(pid)
    match = LOOP_LINE.search(out)
    if not match:
        raise RuntimeError(f"wrk printed no LOOP line:\n{out}")
    _claims, submits, empties, errors = (int(g) for g in match.groups()[:4])
    elapsed, p50, p99 = (float(g) for g in match.groups()[4:])
    return {"clients": clients, "stored": stored, "submits_acknowledged": submits,
            "submissions_per_s": stored / elapsed, "p50_ms": p50, "p99_ms": p99,
            "errors": errors, "empties": empties, "server_peak_rss_mb": rss}


class _server_pid:
    """The pid of the uvicorn process listening at ``base`` (for its peak memory)."""

    def __init__(self, base: str) -> None:
        self.port = base.rsplit(":", 1)[1]

    def __enter__(self) -> int:
        out = subprocess.run(["ss", "-ltnp", f"sport = :{self.port}"], capture_output=True,
                             text=True).stdout
        found = re.search(r"pid=(\d+)", out)
        return int(found.group(1)) if found else os.getpid()

    def __exit__(self, *exc) -> None:
        return None


def main() -> None:
    for clients in (1, 8, 32):
        started = time.monotonic()
        r = measure(clients)
        print(f"http loop  clients={r['clients']:>2}  submissions/s={r['submissions_per_s']:8.1f}"
              f"  p50={r['p50_ms']:6.2f} ms  p99={r['p99_ms']:6.2f} ms  stored={r['stored']}"
              f"  acknowledged={r['submits_acknowledged']}  errors={r['errors']}"
              f"  server peak RSS={r['server_peak_rss_mb']:.0f} MB"
              f"  ({time.monotonic() - started:.0f} s with setup)", flush=True)


if __name__ == "__main__":
    main()
