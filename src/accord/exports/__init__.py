"""Exports: a project's annotations as files that TRL and ``datasets`` read directly.

Formats: ``preference`` (TRL conversational preference pairs decided by majority, with margin
and agreement; :mod:`accord.exports.preference`), ``raw`` (every annotation as submitted;
:mod:`accord.exports.raw`) and ``sft`` (demonstrations as chat conversations;
:mod:`accord.exports.sft`). Each is JSONL or Parquet.

:func:`export` writes a file atomically; the row generators (:func:`preference_rows`,
:func:`raw_rows`, :func:`sft_rows`) stream the same rows for callers that send them elsewhere,
such as a web response — over a connection from :func:`snapshot`, so that a long stream reads
one state of the database.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Connection, Engine

from accord.core.errors import InvalidInput
from accord.core.exporting import ExportCounts, snapshot
from accord.core.projects import Project, get_project
from accord.exports.preference import PREFERENCE_SCHEMA, preference_rows
from accord.exports.raw import RAW_SCHEMA, raw_rows
from accord.exports.sft import SFT_SCHEMA, sft_rows
from accord.exports.writers import FILE_FORMATS, Progress, file_format_for, write_rows

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "ExportCounts",
    "ExportFormat",
    "ExportReport",
    "export",
    "export_format",
    "preference_rows",
    "raw_rows",
    "sft_rows",
    "snapshot",
]

RowStream = Callable[[Connection, Project, ExportCounts | None], Iterator[dict]]


@dataclass(frozen=True)
class ExportFormat:
    """A kind of export: how its rows are gathered and how Parquet types them."""

    name: str
    rows: RowStream
    schema: pa.Schema


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("preference", preference_rows, PREFERENCE_SCHEMA),
        ExportFormat("raw", raw_rows, RAW_SCHEMA),
        ExportFormat("sft", sft_rows, SFT_SCHEMA),
    )
}


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: the counts a user checks before training on the file."""

    project: str
    format: str
    file_format: str
    path: Path
    rows: int
    """Rows written."""
    tasks: int
    """Tasks considered (for ``preference``: eligible comparison tasks with outcomes)."""
    ties_dropped: int
    """Pairs that yielded no row because their majority was a tie or an even split."""

    def as_dict(self) -> dict:
        return {
            "project": self.project, "format": self.format, "file_format": self.file_format,
            "path": str(self.path), "rows": self.rows, "tasks": self.tasks,
            "ties_dropped": self.ties_dropped,
        }


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector for the length of an export.

    An export builds millions of short-lived, acyclic objects (fetched rows, row dicts)
    while a few chunks of them are alive at once; the collector rescans those survivors
    every few thousand allocations and took a third of the export's time, for no garbage:
    reference counting frees every one of them. Cycles made elsewhere meanwhile are
    collected once the export ends. Streaming callers (``preference_rows`` …) are not paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export_format(name: str) -> ExportFormat:
    """The export format called ``name``; the error lists the ones there are."""
    found = FORMATS.get(name)
    if found is None:
        raise InvalidInput(f'export format "{name}" is not one of {", ".join(FORMATS)}')
    return found


def export(
    engine: Engine,
    project: Project | str,
    fmt: str,
    out: Path,
    *,
    file_format: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``project``'s ``fmt`` export to ``out``, replacing it only once complete.

    ``file_format`` (``jsonl`` or ``parquet``) defaults to what ``out``'s extension says;
    ``progress`` is called with the number of rows written after each batch.
    """
    spec = export_format(fmt)
    out = Path(out)
    chosen = file_format_for(out, file_format)
    counts = ExportCounts()
    with _cycle_collector_paused(), snapshot(engine) as conn:
        resolved = project if isinstance(project, Project) else get_project(conn, project)
        rows = spec.rows(conn, resolved, counts)
        written = write_rows(rows, out, chosen, spec.schema, progress)
    return ExportReport(resolved.name, spec.name, chosen, out, written, counts.tasks,
                        counts.ties_dropped)
