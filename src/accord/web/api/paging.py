"""The query of every list that pages: ``?limit=`` items, ``?after=`` the ``next`` of the
previous page (``accord.core.paging``). Each list names its own bounds for ``limit``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from accord.core.paging import MAX_CURSOR, MAX_LIMIT
from accord.web.values import STORABLE

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
After = Annotated[str | None, Query(max_length=MAX_CURSOR,
                                    description="the `next` of the previous page"), STORABLE]
