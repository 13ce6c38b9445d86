"""Shared fixtures: a clean, migrated database on SQLite and on PostgreSQL for every test.

Tests that take ``db_url`` (or anything built on it) run twice, once per database. The
PostgreSQL server comes from ``ACCORD_TEST_POSTGRES_URL``, which ``make test`` sets after
starting one; when it is unset the fixture starts one with ``scripts/postgres-for-tests.sh``.
Each pytest-xdist worker gets a database of its own; each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text

from accord.db import migrate
from accord.db.engine import make_engine, normalise_url
from accord.db.tables import metadata

# Property tests are deterministic (the same examples on every run, so CI cannot flake on a
# rare draw) and have no per-example deadline (the machine is shared and timing is not what
# they test).
settings.register_profile("accord", derandomize=True, deadline=None)
settings.load_profile("accord")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def _postgres_server_url() -> str:
    url = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if not url:
        url = subprocess.run(
            [str(ROOT / "scripts" / "postgres-for-tests.sh")],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        os.environ["ACCORD_TEST_POSTGRES_URL"] = url
    return normalise_url(url)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (cheaper than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name("template.db-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this worker's own on the test server, migrated once."""
    server = _postgres_server_url()
    # One database per test process: parallel workers and parallel runs never collide.
    name = f"accord_test_{_worker()}_{os.getpid()}"
    base, _, _ = server.rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{base}/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def empty_database(request, kind: str, folder: Path) -> str:
    """URL of an empty, migrated database of ``kind``: a copy of the SQLite template in
    ``folder``, or this worker's PostgreSQL database emptied. For fixtures of wider scope
    than ``db_url`` (a module's world built once per kind)."""
    if kind == "sqlite":
        path = folder / "accord.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    _empty_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """URL of an empty, migrated database; the test runs once on each kind."""
    return empty_database(request, request.param, tmp_path)


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    """The public data sets in ``../shared/data`` (read in place, never copied)."""
    assert SHARED_DATA.is_dir(), f"{SHARED_DATA} is missing: ../shared must sit beside the project"
    return SHARED_DATA
