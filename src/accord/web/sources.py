"""Where every handler's time and the annotation loop's randomness come from.

Normally the real UTC clock and a process-wide generator. A test (or a simulation) may put
``clock`` (a callable returning an aware UTC datetime) and ``rng`` (a ``random.Random``) on
``app.state`` to move time without sleeping and to replay gold draws exactly.

Every handler takes its time as the typed dependency ``at: Now``, never from ``utcnow()``,
so moving ``app.state.clock`` moves time for every route; the login session's check
(``web.deps``) reads the same ``current_time``. The claim's generator stays a plain call
(``chance(request)``): it is read by two handlers only, on the hottest route.
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


def chance(request: Request) -> random.Random | None:
    """The generator for gold draws and display orders; None means the claim's own."""
    return getattr(request.app.state, "rng", None)


Now = Annotated[datetime, Depends(current_time)]
"""The request's instant, from ``app.state.clock`` when set."""
