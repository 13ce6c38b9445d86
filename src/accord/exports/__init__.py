"""Exports: a project's annotations as files that TRL and ``datasets`` read directly.

Row formats: ``preference`` (TRL conversational preference pairs decided by the stored
consensus or the majority, with margin, agreement, source and guideline version;
:mod:`accord.exports.preference`), ``kto`` (unpaired rows; :mod:`accord.exports.kto`),
``prompts`` (prompt-only rows for online methods; :mod:`accord.exports.prompts`), ``raw``
(every annotation as submitted; :mod:`accord.exports.raw`) and ``sft`` (demonstrations as chat
conversations; :mod:`accord.exports.sft`). Each is JSONL, Parquet, or a Hugging Face
``DatasetDict`` saved to a directory (file format ``hf``; ``--format hf`` is the preference
rows as one). ``card`` writes the data card (:mod:`accord.exports.card`).

:func:`export` writes atomically, optionally split train/test by prompt and checked for token
length (:mod:`accord.exports.hygiene`); the row generators stream the same rows for callers
that send them elsewhere, such as a web response — over a connection from :func:`snapshot`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Connection, Engine

from accord.collector import cycle_collector_paused
from accord.core.errors import InvalidInput
from accord.core.exporting.streams import ExportCounts, snapshot
from accord.core.projects.project import Project, get_project
from accord.db.types import utcnow
from accord.exports.card import data_card
from accord.exports.hf import save_dataset_dict
from accord.exports.hygiene import SPLITS, TokenCheck, row_prompt, side_of, split_path
from accord.exports.kto import KTO_SCHEMA, kto_rows
from accord.exports.options import ExportOptions
from accord.exports.preference import PREFERENCE_SCHEMA, preference_rows
from accord.exports.prompts import PROMPTS_SCHEMA, prompt_rows
from accord.exports.raw import RAW_SCHEMA, raw_rows
from accord.exports.sft import SFT_SCHEMA, sft_rows
from accord.exports.writers import (
    FILE_FORMATS,
    RowsWritten,
    atomic_output,
    file_format_for,
    write_rows,
    write_sides,
)

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "ExportCounts",
    "ExportFormat",
    "ExportOptions",
    "ExportReport",
    "export",
    "export_format",
    "kto_rows",
    "preference_rows",
    "prompt_rows",
    "raw_rows",
    "sft_rows",
    "snapshot",
]

RowStream = Callable[[Connection, Project, ExportCounts | None, ExportOptions | None],
                     Iterator[dict]]
SPECIAL_FORMATS = ("card", "hf")


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
        ExportFormat("kto", kto_rows, KTO_SCHEMA),
        ExportFormat("prompts", prompt_rows, PROMPTS_SCHEMA),
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
    """Rows written (both sides of a split together)."""
    tasks: int
    """Tasks considered (for ``preference``: eligible comparison tasks with outcomes)."""
    ties_dropped: int
    """Pairs that yielded no row because their majority (or consensus) was a tie."""
    truncated_dropped: int = 0
    """Pairs left out because a response was cut off (without ``include_truncated``)."""
    splits: dict[str, dict] = field(default_factory=dict)
    """Per side of a split: ``{"path", "rows"}``."""
    filters: dict = field(default_factory=dict)
    over_max_tokens: int | None = None
    """Rows longer than ``max_tokens`` (None when not checked)."""
    token_count: str | None = None
    """How tokens were counted: ``tokenizer`` or ``characters/4`` (an approximation)."""

    def as_dict(self) -> dict:
        found = {
            "project": self.project, "format": self.format, "file_format": self.file_format,
            "path": str(self.path), "rows": self.rows, "tasks": self.tasks,
            "ties_dropped": self.ties_dropped,
        }
        if self.truncated_dropped:
            found["truncated_dropped"] = self.truncated_dropped
        if self.splits:
            found["splits"] = self.splits
        if self.filters:
            found["filters"] = self.filters
        if self.over_max_tokens is not None:
            found["over_max_tokens"] = self.over_max_tokens
            found["token_count"] = self.token_count
        return found


def export_format(name: str) -> ExportFormat:
    """The export format called ``name``; the error lists the ones there are."""
    found = FORMATS.get(name)
    if found is None:
        names = ", ".join([*FORMATS, *SPECIAL_FORMATS])
        raise InvalidInput(f'export format "{name}" is not one of {names}')
    return found


def export(
    engine: Engine,
    project: Project | str,
    fmt: str,
    out: Path,
    *,
    file_format: str | None = None,
    progress: RowsWritten | None = None,
    options: ExportOptions | None = None,
    split: float | None = None,
    max_tokens: int | None = None,
    tokenizer: str | None = None,
) -> ExportReport:
    """Write ``project``'s ``fmt`` export to ``out``, replacing it only once complete.

    ``file_format`` (``jsonl``, ``parquet`` or ``hf``) defaults to what ``out``'s extension
    says (``hf`` for ``fmt="hf"``); ``progress`` is called with the rows written after each
    batch. ``split`` (the test fraction) writes ``NAME.train.EXT`` and ``NAME.test.EXT`` (the
    two splits of one ``DatasetDict`` for ``hf``); ``max_tokens`` counts the rows longer than
    that (``tokenizer``: a local tokenizer's path; else characters / 4).
    """
    options = options or ExportOptions()
    out = Path(out)
    if split is not None and not 0 < split < 1:
        raise InvalidInput("--split must lie strictly between 0 and 1 (the test fraction)")
    if fmt == "card":
        if split is not None:
            raise InvalidInput("the data card is one document: it cannot be split")
        return _write_card(engine, project, out, options)
    if fmt == "hf":
        fmt, file_format = "preference", "hf"
    spec = export_format(fmt)
    chosen = "hf" if file_format == "hf" else file_format_for(out, file_format)
    check = TokenCheck(max_tokens, tokenizer) if max_tokens is not None else None
    side_of_row = (lambda row: side_of(row_prompt(row), split)) if split is not None else None
    counts = ExportCounts()
    with cycle_collector_paused(), snapshot(engine) as conn:
        resolved = project if isinstance(project, Project) else get_project(conn, project)
        rows = spec.rows(conn, resolved, counts, options)
        rows = check.watch(rows) if check is not None else rows
        # One pass over the rows, split or not: each row goes to its side's file.
        if chosen == "hf":
            written = save_dataset_dict(rows, out, spec.schema, side_of_row)
        elif side_of_row is None:
            written = {"all": {"path": str(out), "rows": write_rows(
                rows, out, chosen, spec.schema, progress)}}
        else:
            paths = {side: split_path(out, side) for side in SPLITS}
            counted = write_sides(rows, paths, side_of_row, chosen, spec.schema, progress)
            written = {side: {"path": str(paths[side]), "rows": counted[side]}
                       for side in SPLITS}
    return ExportReport(
        resolved.name, spec.name, chosen, out, sum(s["rows"] for s in written.values()),
        counts.tasks, counts.ties_dropped, counts.truncated_dropped,
        splits=written if split is not None else {}, filters=options.applied(),
        over_max_tokens=check.over if check else None,
        token_count=check.method if check else None,
    )


def _write_card(engine: Engine, project: Project | str, out: Path,
                options: ExportOptions) -> ExportReport:
    counts = ExportCounts()
    with snapshot(engine) as conn:
        resolved = project if isinstance(project, Project) else get_project(conn, project)
        text = data_card(conn, resolved, options, utcnow(), counts)
    with atomic_output(out) as file:
        file.write(text.encode())
    return ExportReport(resolved.name, "card", "markdown", out, 1, counts.tasks,
                        counts.ties_dropped, counts.truncated_dropped,
                        filters=options.applied())
