"""A blocking stream of bytes (an export read from the database) sent as a response
without blocking the event loop.

The chunks are produced on one worker thread of their own from start to end (a database
connection stays on the thread that opened it) and handed over through a small queue, so
the export runs only as fast as the client reads. When the client goes away, the producer
is told to stop at its next chunk and its connection is closed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator

import anyio

QUEUED_CHUNKS = 4
_END = object()


class _Stopped(Exception):
    """The response was abandoned: the producer stops."""


async def relay(produce: Callable[[], Iterator[bytes]]) -> AsyncIterator[bytes]:
    """``produce()``'s chunks, read on a thread of their own, as an async iterator."""
    chunks: queue.Queue[object] = queue.Queue(QUEUED_CHUNKS)
    stop = threading.Event()

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped

    def run() -> None:
        try:
            for chunk in produce():
                put(chunk)
            put(_END)
        except _Stopped:
            return
        except BaseException as error:  # handed to the response, which ends the stream
            try:
                put(error)
            except _Stopped:
                return

    thread = threading.Thread(target=run, name="accord-stream", daemon=True)
    thread.start()
    try:
        while True:
            item = await anyio.to_thread.run_sync(chunks.get)
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
