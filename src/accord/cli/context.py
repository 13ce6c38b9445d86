"""What every command needs: the database, JSON output, and one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import orjson
import typer
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from accord.core.errors import AccordError
from accord.db.engine import make_engine
from accord.settings import load_settings

P = ParamSpec("P")
R = TypeVar("R")


def open_engine() -> Engine:
    """The engine for ``ACCORD_DATABASE_URL``; commands never read the environment themselves."""
    return make_engine(load_settings().database_url)


@contextmanager
def transaction() -> Iterator[Connection]:
    engine = open_engine()
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn Accord's errors (and an unreachable database) into one line and exit status 1."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AccordError as error:
            fail(error.message)
        except OperationalError as error:
            fail(f"database: {str(error.orig).strip().splitlines()[0]}")
        raise AssertionError("unreachable")

    return wrapper


def print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value).decode() + "\n")
