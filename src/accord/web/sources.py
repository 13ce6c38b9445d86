"""Where the annotation loop's time and randomness come from.

Normally the real UTC clock and a process-wide generator. A test (or a simulation) may put
``clock`` (a callable returning an aware UTC datetime) and ``rng`` (a ``random.Random``) on
``app.state`` to move time without sleeping and to replay gold draws exactly.
"""

from __future__ import annotations

import random
from datetime import datetime

from fastapi import Request

from accord.db.types import utcnow


def now(request: Request) -> datetime:
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def chance(request: Request) -> random.Random | None:
    """The generator for gold draws and display orders; None means the claim's own."""
    return getattr(request.app.state, "rng", None)
