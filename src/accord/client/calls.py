"""A request described once: what to send and how to read the answer, with no I/O.

Every method of ``Client`` and of ``AsyncClient`` builds a ``Call`` (``routes.py``) and
hands it to its transport, so the paths, parameters, bodies and answer models are written
once for both. ``read`` turns a successful answer into the typed value; error answers never
reach it (the transport raises them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=BaseModel)
Params = Sequence[tuple[str, str | int | float | bool]]


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    """Below ``/api/v1``, its segments already quoted (``segment``)."""
    read: Callable[[httpx.Response], T]
    params: Params = ()
    body: Mapping[str, Any] | None = None
    idempotent: bool = field(default=False)
    """Safe to send again after a failed connection: reads, and writes the server makes
    idempotent. A 429 or 503 is retried either way (the server did nothing)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    upload: FileBody | None = None
    """A file sent as the raw body, read from disk a chunk at a time on every attempt."""


@dataclass(frozen=True)
class FileBody:
    """A file to send as a request's body: opened afresh for each attempt, so a retried
    upload sends the whole file again, and never held in memory whole."""

    path: Path
    media_type: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, and the cursor of the next page (None: the last)."""

    items: list[T]
    next: Any


@dataclass(frozen=True)
class Wait:
    """Why ``tasks/next`` handed out nothing although work may remain: ``reason`` is
    ``calibration_failed``, ``calibration_unavailable`` or ``break``; ``until`` ends a break."""

    reason: str
    message: str
    until: datetime | None


def then(call: Call[T], transform: Callable[[T], U]) -> Call[U]:
    """``call`` with its answer read as before and then passed through ``transform``."""
    read = call.read
    return replace(call, read=lambda answer: transform(read(answer)))  # type: ignore[arg-type]


def each(transform: Callable[[T], U]) -> Callable[[Page[T]], Page[U]]:
    """A page's items passed through ``transform``, its cursor kept."""
    return lambda page: Page([transform(item) for item in page.items], page.next)


def segment(value: str | int) -> str:
    """One path segment: a project or task name may hold any character, ``/`` included."""
    return quote(str(value), safe="")


def get(path: str, read: Callable[[httpx.Response], T], params: Params = ()) -> Call[T]:
    return Call("GET", path, read, params=params, idempotent=True)


def one(model: type[M]) -> Callable[[httpx.Response], M]:
    """Read the answer as one ``model``."""
    return lambda answer: model.model_validate_json(answer.content)


def many(model: type[M]) -> Callable[[httpx.Response], list[M]]:
    """Read the answer as a list of ``model``."""
    def read(answer: httpx.Response) -> list[M]:
        items = answer.json()
        if not isinstance(items, list):
            raise ValueError(f"expected a JSON array of {model.__name__}, "
                             f"got {type(items).__name__}")
        return [model.model_validate(item) for item in items]

    return read


def paged(model: type[M]) -> Callable[[httpx.Response], Page[M]]:
    """Read one page of a list (``{"items": [...], "next": cursor}``): the shape of every
    list of the API that pages; ``next`` goes back as ``?after=``."""
    def read(answer: httpx.Response) -> Page[M]:
        body = answer.json()
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise ValueError(f"expected a page of {model.__name__} "
                             '({"items": [...], "next": ...})')
        return Page([model.model_validate(item) for item in body["items"]], body.get("next"))

    return read


def document(answer: httpx.Response) -> dict[str, Any]:
    """An answer the API documents as a free-form JSON object."""
    return answer.json()


def nothing(answer: httpx.Response) -> None:
    """An answer with no body (204)."""
    return None


def wait_of(answer: httpx.Response) -> Wait | None:
    """A 204's ``Accord-Wait`` headers, or None when nothing is left at all."""
    reason = answer.headers.get("Accord-Wait")
    if reason is None:
        return None
    until = answer.headers.get("Accord-Wait-Until")
    return Wait(reason, answer.headers.get("Accord-Wait-Message", ""),
                datetime.fromisoformat(until) if until else None)


def present(**fields: Any) -> dict[str, Any]:
    """The fields that were given: a body leaves out what the caller did not set."""
    return {name: value for name, value in fields.items() if value is not None}
