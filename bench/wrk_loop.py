"""The pieces the HTTP benches share: wrk running the annotation loop, the do-nothing
reference app, and a loop database with annotators and bulk-written tasks.

Absolute rates move 2-3x between machines of this kind and with whatever else runs on them,
so every figure a bench prints sits next to the do-nothing app's, measured minutes apart under
the same wrk script, connection count and threads (``../shared/bench/noop_app.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import free_port  # noqa: E402

from accord.core.people import users as user_rules  # noqa: E402
from accord.core.projects import project as project_rules  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.db.tables import annotations, prompts, responses, task_responses, tasks  # noqa: E402
from accord.db.types import utcnow  # noqa: E402

SHARED_BENCH = ROOT.parent / "shared" / "bench"
if not SHARED_BENCH.is_dir():  # a worktree sits one level deeper than the main checkout
    SHARED_BENCH = ROOT.parents[1] / "shared" / "bench"
LUA = SHARED_BENCH / "annotation-loop.lua"
LOOP_LINE = re.compile(r"LOOP claims=(\d+) submits=(\d+) empties=(\d+) errors=(\d+) "
                       r"seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+)")
PROJECT = "perf"


@dataclass(frozen=True)
class LoopRun:
    """One wrk run of the loop: what the client saw (requests' p50/p99 over both routes)."""

    connections: int
    claims: int
    submits: int
    empties: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def pairs_per_s(self) -> float:
        """Acknowledged claim+submit pairs a second, by the client's count."""
        return self.submits / self.seconds


def run_wrk(base: str, tokens: list[str], connections: int, seconds: int,
            threads: int = 2) -> LoopRun:
    """wrk with ``threads`` annotators (one token a thread) over ``connections`` connections."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    threads = max(1, min(threads, connections))
    env = {**os.environ, "TOKENS": ",".join(tokens), "PROJECT": PROJECT}
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(LUA), base], env=env, capture_output=True, text=True, check=True,
    ).stdout
    match = LOOP_LINE.search(out)
    if not match:
        raise RuntimeError(f"wrk printed no LOOP line:\n{out}")
    claims, submits, empties, errors = (int(g) for g in match.groups()[:4])
    elapsed, p50, p99 = (float(g) for g in match.groups()[4:])
    return LoopRun(connections, claims, submits, empties, errors, elapsed, p50, p99)


def _serve(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env, cwd=cwd)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def noop_server(workers: int = 1) -> Iterator[str]:
    """The do-nothing reference app under uvicorn, with the options Accord is served with."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = _serve([sys.executable, "-m", "uvicorn", "noop_app:app", "--host", "127.0.0.1",
                      "--port", str(port), "--no-access-log", "--log-level", "warning",
                      "--timeout-keep-alive", "30", "--workers", str(workers)],
                     dict(os.environ), cwd=SHARED_BENCH)
    try:
        _wait_until_answering(process, f"{base}/")
        yield base
    finally:
        _stop(process)


def _wait_until_answering(process: subprocess.Popen, url: str, limit_s: float = 180) -> None:
    """Until ``url`` answers 200: several processes starting on a busy machine take a while."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {limit_s:.0f} s")


@contextmanager
def accord_server(database_url: str, workers: int = 1) -> Iterator[tuple[str, int]]:
    """``accord serve --workers N`` on ``database_url``; yields its address and pid.

    ``ACCORD_BENCH_SERVER_SRC`` serves another checkout's ``src`` (an earlier commit, to
    measure before and after in one run); by default this checkout's.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    src = os.environ.get("ACCORD_BENCH_SERVER_SRC", str(ROOT / "src"))
    env = {**os.environ, "ACCORD_DATABASE_URL": database_url,
           "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    process = _serve([sys.executable, "-m", "accord.cli.main", "serve", "--host", "127.0.0.1",
                      "--port", str(port), "--workers", str(workers)], env)
    try:
        _wait_until_answering(process, f"{base}/healthz")
        yield base, process.pid
    finally:
        _stop(process)


def bulk_items(engine: Engine, project_id: int, overlap: int, count: int) -> None:
    """``count`` two-response comparison tasks, written in bulk (setup, not what is measured)."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(prompts), [
            {"id": i + 1, "project_id": project_id, "external_id": f"p{i}",
             "messages": [{"role": "user", "content": f"Question {i}?"}], "category": "qa",
             "domains": [], "source": "bench", "metadata": {}, "content_hash": "x",
             "created_at": now} for i in range(count)])
        conn.execute(insert(responses), [
            {"id": 2 * i + k + 1, "prompt_id": i + 1, "external_id": rid,
             "content": f"Answer {rid} to question {i}.", "sampling": {}, "created_at": now}
            for i in range(count) for k, rid in enumerate("ab")])
        conn.execute(insert(tasks), [
            {"id": i + 1, "project_id": project_id, "external_id": f"t{i}",
             "kind": "comparison", "prompt_id": i + 1, "overlap": overlap, "metadata": {},
             "content_hash": "x", "created_at": now} for i in range(count)])
        conn.execute(insert(task_responses), [
            {"task_id": i + 1, "response_id": 2 * i + k + 1, "position": k}
            for i in range(count) for k in range(2)])
        if conn.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in ("prompts", "responses", "tasks"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))


def loop_database(url: str, annotators: int, items: int, overlap: int = 3) -> list[str]:
    """Migrate ``url``, add the project, ``annotators`` members and ``items`` tasks; tokens."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            project = project_rules.create_project(conn, PROJECT, overlap=overlap)
            tokens = []
            for i in range(annotators):
                new = user_rules.create_user(conn, f"perf{i}")
                project_rules.add_member(conn, project, new.user, "annotator")
                tokens.append(new.token)
        bulk_items(engine, project.id, overlap, items)
    finally:
        engine.dispose()
    return tokens


def settled_annotations(url: str, quiet_s: float = 0.3) -> int:
    """The stored annotations once the server has finished what wrk left in flight (wrk
    stops counting at its deadline; the server still completes the requests it holds)."""
    count = stored_annotations(url)
    while True:
        time.sleep(quiet_s)
        again = stored_annotations(url)
        if again == count:
            return count
        count = again


def stored_annotations(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(annotations)).scalar_one()
    finally:
        engine.dispose()
