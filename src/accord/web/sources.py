"""Where every handler's time and the annotation loop's randomness come from.

Normally the real UTC clock and a process-wide generator. A test (or a simulation) may put
``clock`` (a callable returning an aware UTC datetime) and ``rng`` (a ``random.Random``) on
``app.state`` to move time without sleeping and to replay gold draws exactly.

Handlers take them as typed dependencies (``at: Now``, ``rng: Chance``), never from
``utcnow()``: so moving ``app.state.clock`` moves time for every route, the login session's
expiry included. FastAPI resolves a dependency once per request, so the session check and
the handler see the same instant.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from accord.db.types import utcnow


async def current_time(request: Request) -> datetime:
    """The app's clock if a test set one, else the real one (async: no thread hop)."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


async def chance(request: Request) -> random.Random | None:
    """The generator for gold draws and display orders; None means the claim's own."""
    return getattr(request.app.state, "rng", None)


Now = Annotated[datetime, Depends(current_time)]
"""The request's instant, from ``app.state.clock`` when set."""
Chance = Annotated[random.Random | None, Depends(chance)]
"""The request's generator for gold draws, from ``app.state.rng`` when set."""
