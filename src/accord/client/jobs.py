"""Import and export jobs as the SDK hands them out: the server's job, plus ``wait``.

A job runs on the server after its request was answered; ``wait`` reads it again, with a
backoff from a fifth of a second to five seconds, until it is ``done`` or ``failed`` or
the timeout passes. A failed job raises ``ImportFailed`` or ``ExportFailed`` carrying the
server's reason and, for an import, the line-numbered errors, so a pipeline stops with the
message a person needs instead of going on with half the data.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import PrivateAttr

from accord.wire.data import EntryErrorOut, ExportJobOut, ImportJobOut

FIRST_POLL = 0.2
LONGEST_POLL = 5.0
BACKOFF = 1.5
DEFAULT_TIMEOUT = 600.0
SHOWN_ERRORS = 20
"""Invalid entries quoted in an ``ImportFailed``'s message (all are in ``errors``)."""
FINISHED = ("done", "failed")

J = TypeVar("J", ImportJobOut, ExportJobOut)


class JobFailed(Exception):
    """A job ended ``failed``; ``job`` is the job as the server last answered it."""

    def __init__(self, job: ImportJobOut | ExportJobOut, message: str) -> None:
        super().__init__(message)
        self.job = job


class ImportFailed(JobFailed):
    """An import failed: nothing was imported (unless ``skip_invalid`` was asked). ``errors``
    holds the first 1,000 invalid entries with their line (or row) numbers, ``error_total``
    counts them all."""

    def __init__(self, job: ImportJobOut) -> None:
        lines = [f"  {e.unit} {e.number}: {e.reason}" for e in job.errors[:SHOWN_ERRORS]]
        more = job.error_total - len(lines)
        if more > 0:
            lines.append(f"  … and {more} more (job.errors holds the first "
                         f"{len(job.errors)})")
        head = (f'import job {job.id} of "{job.project}" ({job.file_name}) failed: '
                f"{job.failure or 'no reason given'}")
        super().__init__(job, "\n".join([head, *lines]))
        self.errors: list[EntryErrorOut] = list(job.errors)
        self.error_total = job.error_total


class ExportFailed(JobFailed):
    def __init__(self, job: ExportJobOut) -> None:
        super().__init__(job, f'export job {job.id} of "{job.project}" failed: '
                              f"{job.failure or 'no reason given'}")


class JobTimeout(TimeoutError):
    """``wait`` gave up while the job still ran; the job goes on on the server, and
    ``wait`` may be called again."""

    def __init__(self, job: ImportJobOut | ExportJobOut, kind: str, timeout: float) -> None:
        progress = job.progress
        super().__init__(
            f'{kind} job {job.id} of "{job.project}" is still {job.status} after {timeout:g} s '
            f"({progress.done} of {progress.total or '?'} {progress.unit}); wait again, or "
            "pass a longer timeout")
        self.job = job


def outcome(job: J) -> J:
    """The finished job, or its failure raised."""
    if job.status == "failed":
        raise ImportFailed(job) if isinstance(job, ImportJobOut) else ExportFailed(job)
    return job


def _kind(job: ImportJobOut | ExportJobOut) -> str:
    return "import" if isinstance(job, ImportJobOut) else "export"


def wait_for(job: J, reload: Callable[[], J], timeout: float,
             sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> J:
    """Read ``job`` again until it has finished; see the module's docstring."""
    deadline, delay = clock() + timeout, FIRST_POLL
    while job.status not in FINISHED:
        left = deadline - clock()
        if left <= 0:
            raise JobTimeout(job, _kind(job), timeout)
        sleep(min(delay, left))
        delay = min(delay * BACKOFF, LONGEST_POLL)
        job = reload()
    return outcome(job)


async def wait_for_async(job: J, reload: Callable[[], Awaitable[J]], timeout: float,
                         clock: Callable[[], float] = time.monotonic) -> J:
    """``wait_for`` for asyncio."""
    deadline, delay = clock() + timeout, FIRST_POLL
    while job.status not in FINISHED:
        left = deadline - clock()
        if left <= 0:
            raise JobTimeout(job, _kind(job), timeout)
        await asyncio.sleep(min(delay, left))
        delay = min(delay * BACKOFF, LONGEST_POLL)
        job = await reload()
    return outcome(job)


class ImportJob(ImportJobOut):
    """An import job (``ImportJobOut``) that can wait for itself."""

    _reload: Callable[[], Any] = PrivateAttr()

    def wait(self, timeout: float = DEFAULT_TIMEOUT) -> ImportJob:
        """The job once ``done``; raises ``ImportFailed`` (with the line-numbered errors)
        if it failed, ``JobTimeout`` if it still runs after ``timeout`` seconds."""
        return wait_for(self, self._reload, timeout)


class AsyncImportJob(ImportJobOut):
    """``ImportJob`` for asyncio: ``await job.wait()``."""

    _reload: Callable[[], Any] = PrivateAttr()

    async def wait(self, timeout: float = DEFAULT_TIMEOUT) -> AsyncImportJob:
        return await wait_for_async(self, self._reload, timeout)


def bind(model: type[J], answer: ImportJobOut | ExportJobOut,
         reload: Callable[[], Any], **private: Any) -> Any:
    """``answer`` as the handle ``model``, which reloads itself with ``reload``."""
    handle = model.model_validate(answer.model_dump())
    handle._reload = reload  # type: ignore[attr-defined]
    for name, value in private.items():
        setattr(handle, name, value)
    return handle


def file_named(job: ExportJobOut, name: str | None) -> str:
    """The job's file ``name``: a file name it lists, ``train`` or ``test`` for a split's
    part, or None for its only file."""
    names = [entry.name for entry in job.files]
    if job.status != "done":
        raise ValueError(f'export job {job.id} of "{job.project}" is {job.status}: wait() '
                         "for it before downloading its files")
    if name is None and len(names) == 1:
        return names[0]
    found = [n for n in names if n == name or (name and f".{name}." in n)]
    if len(found) != 1:
        raise ValueError(f"export job {job.id} has the files {', '.join(names)}: name one "
                         "of them (or train, test)")
    return found[0]


class ExportJob(ExportJobOut):
    """An export job (``ExportJobOut``) that can wait for itself and download its files."""

    _reload: Callable[[], Any] = PrivateAttr()
    _file: Callable[[str], Any] = PrivateAttr()

    def wait(self, timeout: float = DEFAULT_TIMEOUT) -> ExportJob:
        """The job once ``done`` (its ``files`` listed); ``ExportFailed`` if it failed,
        ``JobTimeout`` if it still runs after ``timeout`` seconds."""
        return wait_for(self, self._reload, timeout)

    def download(self, name: str | None = None) -> Any:
        """A ``Download`` of one of the job's files: its name, ``train`` or ``test`` for a
        split, or nothing when the job wrote one file."""
        return self._file(file_named(self, name))


class AsyncExportJob(ExportJobOut):
    """``ExportJob`` for asyncio: ``await job.wait()``; ``download`` gives an
    ``AsyncDownload``."""

    _reload: Callable[[], Any] = PrivateAttr()
    _file: Callable[[str], Any] = PrivateAttr()

    async def wait(self, timeout: float = DEFAULT_TIMEOUT) -> AsyncExportJob:
        return await wait_for_async(self, self._reload, timeout)

    def download(self, name: str | None = None) -> Any:
        return self._file(file_named(self, name))
