"""Statements run on the driver's own connection, for the annotation loop's hot path.

SQLAlchemy's execution machinery costs about 15 µs a statement; SQLite runs the loop's
statements in 1 to 5 µs. The claim and the submission issue a dozen statements each, so for
them Accord writes SQL once, translates it here for each driver, and runs it on the
DBAPI connection inside the transaction SQLAlchemy opened. Values are stored exactly as the
SQLAlchemy types in ``tables.py`` store them, so both paths read each other's rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, cast, overload

import orjson
from sqlalchemy import Connection

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


class Statement:
    """One SQL text with ``:name`` parameters, ready for sqlite3 and for psycopg."""

    def __init__(self, sql: str) -> None:
        self.sqlite = sql
        self.postgresql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))

    def text_for(self, dialect: str) -> str:
        return self.postgresql if dialect == "postgresql" else self.sqlite


class DriverCursor(Protocol):
    """What Accord uses of a sqlite3 or psycopg cursor (rows are tuples)."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int) -> list[Any]: ...

    def fetchall(self) -> list[Any]: ...

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> object: ...

    def close(self) -> None: ...

    def __iter__(self) -> Iterator[Any]: ...


class DriverConnection(Protocol):
    """What Accord uses of a sqlite3 or psycopg connection: both run SQL on the connection
    itself, a convenience PEP 249 (and so SQLAlchemy's ``DBAPIConnection``) leaves out."""

    def execute(self, sql: str, params: Mapping[str, Any]) -> DriverCursor: ...

    def cursor(self) -> DriverCursor: ...


def _driver(conn: Connection) -> DriverConnection:
    # SQLAlchemy types the driver's connection as Any, or None once the connection has been
    # invalidated; a Connection inside a transaction always holds a live one.
    return cast(DriverConnection, conn.connection.driver_connection)


def execute(conn: Connection, statement: Statement,
            params: dict[str, Any] | None = None) -> DriverCursor:
    """Run ``statement`` on the connection's driver; returns the driver's cursor."""
    return _driver(conn).execute(statement.text_for(conn.dialect.name), params or {})


def execute_many(conn: Connection, statement: Statement, rows: list[dict[str, Any]]) -> None:
    cursor = _driver(conn).cursor()
    try:
        cursor.executemany(statement.text_for(conn.dialect.name), rows)
    finally:
        cursor.close()


def time_param(conn: Connection, value: datetime) -> str | datetime:
    """A UTC time as ``UTCDateTime`` stores it: naive UTC (text on SQLite)."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    # isoformat gives strftime(_SQLITE_TIME)'s text at a fifth of its cost.
    return naive if conn.dialect.name == "postgresql" else naive.isoformat(" ", "microseconds")


@overload
def read_time(value: str | datetime) -> datetime: ...


@overload
def read_time(value: None) -> None: ...


def read_time(value: str | datetime | None) -> datetime | None:
    """A time as ``UTCDateTime`` reads it back: aware UTC, None for NULL."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=UTC)


def json_param(value: Any) -> str | None:
    """A JSON document as text; PostgreSQL casts it to jsonb on insert."""
    return None if value is None else orjson.dumps(value).decode()


def read_json(value: Any) -> Any:
    """SQLite hands JSON back as text, psycopg as Python values (Accord stores no bare strings)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value
