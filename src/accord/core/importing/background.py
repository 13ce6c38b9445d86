"""One background thread that writes batches while the caller reads and checks the next one.

The database drivers release the GIL while the database works (``sqlite3_step``, network
I/O for PostgreSQL), so reading and validating batch k+1 overlaps writing batch k on a second
core. At most ``depth`` batches wait in the queue, which keeps memory flat. The first error in
the writer stops it and is raised again in the caller, so an import fails as if single-threaded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


class BackgroundWriter(Generic[T]):
    """``submit(batch)`` hands a batch to ``write``; ``close()`` waits for all of them."""

    def __init__(self, write: Callable[[T], None], depth: int = 1) -> None:
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="accord-import-writer",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _DONE:
                return
            if self._error is None:
                try:
                    self._write(batch)
                except BaseException as error:  # re-raised in the caller's thread
                    self._error = error

    def submit(self, batch: T) -> None:
        self._raise_if_failed()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait until every submitted batch is written; raise the writer's error, if any."""
        self._queue.put(_DONE)
        self._thread.join()
        self._raise_if_failed()

    def abandon(self) -> None:
        """Stop after the batch in hand (the caller failed); later batches are dropped."""
        self._error = self._error or _Abandoned()
        self._queue.put(_DONE)
        self._thread.join()

    def _raise_if_failed(self) -> None:
        if self._error is not None and not isinstance(self._error, _Abandoned):
            raise self._error

    def __enter__(self) -> BackgroundWriter[T]:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


class _Abandoned(Exception):
    pass
