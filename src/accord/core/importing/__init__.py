"""Importing items into a project: a JSONL file (Accord's format or TRL preference rows, plain
or gzip) or Python dicts.

The source is read twice and never held whole. Pass 1 checks every entry and reports all
invalid lines; unless the caller skips them, nothing is written when any line is invalid.
Pass 2 writes in batches of whole items, one transaction each, so an interrupted import can
simply be run again: items already present with the same content are counted as unchanged.

    report = import_file(engine, "prefs", Path("items.jsonl"))
    report.summary()  # "120 new, 30 unchanged"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sqlalchemy import Engine

from accord.core.errors import ImportRejected
from accord.core.importing.check import Progress, check_source
from accord.core.importing.items import Item, ItemRules
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES
from accord.core.importing.report import ImportReport
from accord.core.importing.sources import FileSource, ItemSource, Source
from accord.core.importing.store import DEFAULT_BATCH_SIZE, write_source
from accord.core.projects.project import Project, get_project

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "ImportReport",
    "Item",
    "Progress",
    "import_file",
    "import_items",
]


def import_file(
    engine: Engine,
    project: Project | str,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    update: bool = False,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Import a JSONL file (``.gz`` too) into ``project``.

    Raises ``ImportRejected`` (``details``: the first ``(line, reason)`` pairs) when lines are
    invalid and ``skip_invalid`` is false; then nothing has been written. ``progress`` is called
    as ``progress(phase, done, total)`` with phase ``"checking"`` or ``"importing"`` and bytes.
    """
    source = FileSource(Path(path), max_line_bytes)
    return _run(engine, project, source, skip_invalid=skip_invalid, update=update,
                progress=progress, batch_size=batch_size)


def import_items(
    engine: Engine,
    project: Project | str,
    items: Iterable[Mapping] | Callable[[], Iterable[Mapping]],
    *,
    skip_invalid: bool = False,
    update: bool = False,
    source_name: str = "python",
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Import dicts shaped like the lines of an import file (demo data, tests, other code).

    ``items`` is read twice, so it must be a collection or a function returning a fresh
    iterable; errors name entries as ``item N`` (counting from 1).
    """
    source = ItemSource(items, source_name)
    return _run(engine, project, source, skip_invalid=skip_invalid, update=update,
                progress=progress, batch_size=batch_size)


def _run(
    engine: Engine, project: Project | str, source: Source, *, skip_invalid: bool, update: bool,
    progress: Progress | None, batch_size: int,
) -> ImportReport:
    if isinstance(project, str):
        with engine.connect() as conn:
            project = get_project(conn, project)
    rules = ItemRules(project.name, project.ranking_mode == "pairwise", project.allow_ties)
    checked = check_source(engine, project.id, source, rules, update=update, progress=progress)
    errors = checked.errors
    if errors.count and not skip_invalid:
        raise ImportRejected(errors.message(source.unit), details=errors.kept())
    report = ImportReport(invalid=errors.count, errors=errors.kept())
    if checked.valid:
        write_source(engine, project, source, rules, skip=errors.lines, update=update,
                     report=report, progress=progress, batch_size=batch_size)
    return report
