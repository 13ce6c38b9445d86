"""SQLite's WAL checkpoints, moved off the request path.

In WAL mode the connection that commits past ``wal_autocheckpoint`` pages (1,000 by default)
copies the log back into the database file and syncs it, inside that commit. A claim and a
submission write some thirty pages between them, so on the serving connection every
thirty-odd annotations one request paid a checkpoint of several milliseconds and everyone
queued behind it on the single writer: most of the annotation loop's p99. Here a thread
with its own connection checkpoints the log a few times a second (``PASSIVE``: it never
blocks the writer, and SQLite runs it without Python's lock held), and the serving
connection checkpoints itself only if the log ever grows past ``FALLBACK_PAGES``.
"""

from __future__ import annotations

import sqlite3
import threading

INTERVAL_S = 0.25
"""How often the thread checkpoints; a busy loop writes a few thousand pages in that time."""
FALLBACK_PAGES = 20_000
"""The serving connection's own ``wal_autocheckpoint``: about 80 MB of log at 4 KiB pages,
reached only if the thread stops keeping up."""


class Checkpointer:
    """A daemon thread that checkpoints one SQLite database's WAL until ``stop``."""

    def __init__(self, path: str, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="accord-wal-checkpoint",
                                        daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout=1000")
            while not self._stopping.wait(self.interval_s):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    continue  # busy or locked: the next turn tries again
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
