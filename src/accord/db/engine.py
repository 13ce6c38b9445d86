"""Engines for SQLite and PostgreSQL, set up the way Accord's claims need them.

SQLite gets WAL (readers never block the writer), ``synchronous=NORMAL`` (durable at
checkpoints, about 36k commits/s here), foreign keys on, a busy timeout, and every write
transaction opened with ``BEGIN IMMEDIATE`` so that a claim takes the write lock before it
reads: two processes can never both see the same free slot. Long reads (exports) ask for
``READ_ONLY`` and get a deferred transaction instead: a snapshot that blocks no writer.
"""

from __future__ import annotations

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "accord_read_only"
"""Execution option: this connection only reads, so on SQLite it begins a deferred
transaction (a WAL snapshot) and never holds the write lock from writers."""


def _json_dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url if isinstance(engine_or_url, str) else str(engine_or_url.url)
    return url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """Let users write ``postgresql://`` and still get the psycopg 3 driver Accord ships."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine for ``url`` with Accord's connection settings applied."""
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            poolclass=QueuePool,
            pool_size=pool_size,
            max_overflow=pool_size,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN IMMEDIATE is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        # On the driver's connection: through ``exec_driver_sql`` this one statement cost a
        # sixth of an annotation-loop request.
        connection.connection.driver_connection.execute(  # type: ignore[union-attr]
            "BEGIN" if read_only else "BEGIN IMMEDIATE")
