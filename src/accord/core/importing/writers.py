"""Bulk inserts below SQLAlchemy's per-row machinery, one way per database.

Per-row round trips would cap an import at a few thousand items a second, so primary keys
are reserved in bulk and rows go in with one statement per table and batch:

- SQLite: inside the ``BEGIN IMMEDIATE`` transaction that every write opens (see
  ``accord.db.engine``) nobody else can write, so ``max(id) + 1`` onwards is ours; rows go in
  with the driver's ``executemany``.
- PostgreSQL: keys come from the table's sequence, ``nextval`` in one query (correct however
  many importers run at once), and rows go in with ``COPY``.

Values must already be in the driver's terms: JSON as text, timestamps as ``timestamp`` gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, LiteralString, Protocol, cast

from sqlalchemy import Connection

from accord.db.tables import tasks

if TYPE_CHECKING:
    import sqlite3

    import psycopg


class BulkWriter(Protocol):
    def allocate(self, table: str, count: int) -> Sequence[int]:
        """``count`` fresh primary keys for ``table``."""
        ...

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None: ...

    def timestamp(self, moment: datetime) -> Any:
        """``moment`` as the driver stores a ``UTCDateTime``."""
        ...


class _Timestamps:
    def __init__(self, conn: Connection) -> None:
        column_type = tasks.c.created_at.type.dialect_impl(conn.dialect)
        self._bind = column_type.bind_processor(conn.dialect)

    def timestamp(self, moment: datetime) -> Any:
        return self._bind(moment) if self._bind else moment


class SqliteWriter(_Timestamps):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        driver = cast("sqlite3.Connection", conn.connection.driver_connection)
        self._cursor = driver.cursor()

    def allocate(self, table: str, count: int) -> Sequence[int]:
        first = self._cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
        return range(first, first + count)

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if rows:
            marks = ", ".join("?" * len(columns))
            self._cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )


class PostgresWriter(_Timestamps):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._raw = cast("psycopg.Connection", conn.connection.driver_connection)

    def allocate(self, table: str, count: int) -> Sequence[int]:
        if count == 0:
            return []
        with self._raw.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, count),
            )
            return sorted(row[0] for row in cursor.fetchall())  # ids keep the file's order

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        # Table and column names are Accord's own constants, never read from a file.
        statement = cast(LiteralString, f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        with self._raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def writer_for(conn: Connection) -> BulkWriter:
    if conn.dialect.name == "sqlite":
        return SqliteWriter(conn)
    if conn.dialect.name == "postgresql":
        return PostgresWriter(conn)
    raise ValueError(f"importing into {conn.dialect.name} is not supported")
