"""The one shape of every list of the API that pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Paged(BaseModel, Generic[T]):
    """One page of a list; ``next`` is null on the last page."""

    items: list[T]
    next: str | None = Field(description="pass as `?after=` to read the next page; null on "
                                         "the last page")
