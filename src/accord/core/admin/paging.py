"""One shape for every list the administration API answers: a page of items and a cursor.

``after`` is the cursor the previous page gave as ``next`` (the sort key of its last item);
``next`` is None on the last page. Keyset paging, so a page costs one index range scan
however deep it is, and rows added meanwhile are neither skipped nor repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from accord.core.errors import InvalidInput

T = TypeVar("T")
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CURSOR = 255


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None
    """Pass as ``after`` for the next page; None when this page is the last."""


def check_page(limit: int, after: str | None) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if after is not None and len(after) > MAX_CURSOR:
        raise InvalidInput(f"after must be at most {MAX_CURSOR} characters")


def page_of(rows: list[T], limit: int, key: str) -> Page[T]:
    """``rows`` fetched with ``limit + 1``: the extra one only says another page exists."""
    if len(rows) <= limit:
        return Page(rows, None)
    items = rows[:limit]
    return Page(items, str(getattr(items[-1], key)))
