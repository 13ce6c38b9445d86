"""Python's cycle collector, held off while a bulk job (an import, an export) runs.

Such a job builds millions of short-lived, acyclic objects (parsed lines, fetched rows, row
dicts) while a few batches of them are alive at once; the collector rescans those survivors
every few thousand allocations — a sixth of an import's CPU time and a third of an export's —
for no garbage: reference counting frees every one of them. Cycles made meanwhile are
collected once the job ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The collector off for the block, and back to what it was after (even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
