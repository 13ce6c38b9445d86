"""One shape for every list of the API that pages: a page of items and a cursor.

``after`` is the cursor the previous page gave as ``next`` (the sort key of its last item,
as a string the client passes back unread); ``next`` is None on the last page. Keyset
paging, so a page costs one index range scan however deep it is, and rows added meanwhile
are neither skipped nor repeated. A module of ``core`` outside its packages, like
``errors``, so every package may page (the audit trail in ``review`` as well as
``admin`` and ``importing``).
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


def check_page(limit: int, after: str | None, maximum: int = MAX_LIMIT) -> None:
    """Refuse a page size out of ``1 … maximum`` or a cursor longer than any we give."""
    if not 1 <= limit <= maximum:
        raise InvalidInput(f"limit must be between 1 and {maximum}, not {limit}")
    if after is not None and len(after) > MAX_CURSOR:
        raise InvalidInput(f"after must be at most {MAX_CURSOR} characters")


def id_cursor(after: str | None, what: str) -> int | None:
    """``after`` for a list ordered by a numeric id: the id, or a clear refusal naming the
    list (``what``) when it is not a cursor such a list gives."""
    if after is None:
        return None
    if not (after.isascii() and after.isdigit()) or len(after) > 19 or int(after) >= 2**63:
        raise InvalidInput(f"after: {after!r} is not a cursor of {what} (pass the `next` "
                           "of the previous page)")
    return int(after)


def page_of(rows: list[T], limit: int, key: str) -> Page[T]:
    """``rows`` fetched with ``limit + 1``: the extra one only says another page exists."""
    if len(rows) <= limit:
        return Page(rows, None)
    items = rows[:limit]
    return Page(items, str(getattr(items[-1], key)))
