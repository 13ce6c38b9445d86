"""A killed import leaves whole batches and a sound database; running it again completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select

from accord.core.importing import import_file
from accord.db.tables import task_responses, tasks
from tests.core.import_helpers import comparison
from tests.factories import make_project

ITEMS = 100_000
BATCH = 500
IMPORTER = """
import sys
from accord.core.importing import import_file
from accord.db.engine import make_engine
import_file(make_engine(sys.argv[1]), "prefs", sys.argv[2], batch_size=int(sys.argv[3]))
"""


def write_items(path: Path) -> Path:
    with path.open("wb") as out:
        for n in range(ITEMS):
            out.write(orjson.dumps(comparison(f"q-{n}")) + b"\n")
    return path


def count_tasks(db_url: str, engine) -> int:
    """Count without waiting for the importer's write lock (SQLite readers never block)."""
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tasks)).scalar_one()


def kill_mid_import(process: subprocess.Popen, db_url: str, engine) -> int:
    """SIGKILL the importer once some but not all batches are in; the count seen then."""
    while process.poll() is None:
        seen = count_tasks(db_url, engine)
        if 0 < seen < ITEMS:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return seen
        time.sleep(0.005)
    pytest.fail(f"the import ended (status {process.returncode}) before it could be killed: "
                f"{process.stderr.read().decode()[-2000:]}")


@pytest.mark.slow
def test_a_killed_import_resumes_to_exactly_all_items(db_url, engine, tmp_path):
    make_project(engine, "prefs")
    path = write_items(tmp_path / "items.jsonl")
    process = subprocess.Popen([sys.executable, "-c", IMPORTER, db_url, str(path), str(BATCH)],
                               stderr=subprocess.PIPE)

    kill_mid_import(process, db_url, engine)

    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    survived = count_tasks(db_url, engine)
    assert survived % BATCH == 0, "a batch was left half-written"
    with engine.connect() as conn:
        links = conn.execute(select(func.count()).select_from(task_responses)).scalar_one()
    assert links == 2 * survived

    report = import_file(engine, "prefs", path)

    assert (report.new, report.unchanged) == (ITEMS - survived, survived)
    with engine.connect() as conn:
        total, distinct = conn.execute(
            select(func.count(), func.count(func.distinct(tasks.c.external_id)))
        ).one()
    assert total == distinct == ITEMS
