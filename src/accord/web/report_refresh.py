"""The server's background refresher of stored quality reports (``core.report.cache``).

A page or an API read that finds its stored report older than the project's newest
annotation serves it at once (with its age) and asks here for a new one. Refreshes are
debounced per project and scope: at most one runs at a time; a request that comes while one
runs queues exactly one more, which recomputes only if annotations still arrived that the
report does not count. One worker thread for every project, apart from the import and export
jobs, so a long import never holds a lead's figures back and two reports never compete for
the two cores.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from fastapi import FastAPI, Request
from sqlalchemy import Engine

from accord.core.errors import NotFound
from accord.core.projects.project import get_project_by_id
from accord.core.report import cache
from accord.core.report.scope import Scope
from accord.db.types import utcnow

log = logging.getLogger(__name__)

Key = tuple[int, Scope]


class ReportRefresher:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self.refreshes = 0
        """Reports computed so far (what tests count to see that none ran twice)."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-reports")
        self._lock = threading.Lock()
        self._running: set[Key] = set()
        self._again: set[Key] = set()
        self._idle = threading.Condition(self._lock)

    def request(self, project_id: int, scope: Scope = Scope()) -> None:
        """Refresh the project's report under ``scope`` soon, unless one already runs (then
        once more after it)."""
        key = (project_id, scope)
        with self._lock:
            if key in self._running:
                self._again.add(key)
                return
            self._running.add(key)
        try:
            self._pool.submit(self._run, key)
        except RuntimeError:  # shut down meanwhile: the next view computes what it needs
            with self._lock:
                self._running.discard(key)
                self._idle.notify_all()

    def _run(self, key: Key) -> None:
        try:
            self._refresh_if_stale(*key)
        except NotFound:  # the project was deleted before its turn came
            pass
        except Exception:  # a failed refresh leaves the stored report; the next view retries
            log.exception("the report of project %s could not be refreshed", key[0])
        with self._lock:
            if key in self._again:
                self._again.discard(key)
                self._pool.submit(self._run, key)
                return
            self._running.discard(key)
            self._idle.notify_all()

    def _refresh_if_stale(self, project_id: int, scope: Scope) -> None:
        with self.engine.begin() as conn:
            project = get_project_by_id(conn, project_id)
            stored = cache.read(conn, project, scope)
            if stored is not None and not stored.is_stale:
                return
            cache.refresh(conn, project, self.clock(), scope)
            self.refreshes += 1

    def drain(self, timeout: float = 60.0) -> bool:
        """Wait until no refresh runs or waits (for tests and shutdown); False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._running, timeout)

    def close(self) -> None:
        """Finish the running refresh; the queued ones are dropped (recomputed on demand)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def app_time(app: FastAPI) -> datetime:
    """The app's clock (``app.state.clock``, set by tests) or the real one: a refreshed
    report's age is measured on the same clock as the pages that show it."""
    clock = getattr(app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def ask_for_refresh(request: Request, project_id: int, stored: cache.StoredReport,
                    scope: Scope = Scope()) -> None:
    """Queue a background refresh when annotations arrived after ``stored`` was computed."""
    if stored.is_stale:
        request.app.state.reports.request(project_id, scope)


def freshness_headers(stored: cache.StoredReport, now: datetime) -> dict[str, str]:
    """How current a served report is, for API clients: its age in seconds (``Age``, as
    HTTP caches say it), when it was computed, and the annotations it does not count yet."""
    return {"Age": str(stored.age_seconds(now)),
            "X-Report-Computed-At": stored.computed_at.isoformat(),
            "X-Report-Annotations-Since": str(stored.annotations_since)}


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def freshness_line(stored: cache.StoredReport, now: datetime) -> str:
    """What the pages say of the figures' age: "computed 40 s ago, 12 annotations since"."""
    since = stored.annotations_since
    tail = ("up to date" if since == 0 else
            f"{since:,} annotation{'s' if since != 1 else ''} since; refreshing")
    return f"Figures computed {_duration(stored.age_seconds(now))} ago, {tail}."
