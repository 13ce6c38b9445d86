"""The one import pipeline, whatever the format: read entries → adapt them into item records →
check the whole source → write in batches → one report.

    report = import_file(engine, "prefs", Path("items.jsonl"))
    report.summary()  # "120 new, 30 unchanged"

The source is read twice and never held whole (a JSON array is held one pass at a time).
Pass 1 (``check``) checks every entry and reports all invalid ones; unless the caller skips
them, nothing is written when any is invalid. Pass 2 (``store``) writes in batches of whole
items, one transaction each, so an interrupted import can simply be run again: items already
present with the same content are counted as unchanged, labels already stored as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sqlalchemy import Engine

from accord.core.errors import ImportRejected, InvalidInput
from accord.core.importing.check import SourceRead, check_source
from accord.core.importing.formats import FORMATS, ImportFormat, Labels, import_format
from accord.core.importing.items import ItemRules
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES
from accord.core.importing.parquet_rows import open_source
from accord.core.importing.records import AdaptContext, Author
from accord.core.importing.report import MAX_REPORTED_ERRORS, ImportReport
from accord.core.importing.source_labels import default_source_name, source_author
from accord.core.importing.sources import ItemSource, Source
from accord.core.importing.store import DEFAULT_BATCH_SIZE, write_source
from accord.core.projects.project import Project, get_project


def import_file(
    engine: Engine,
    project: Project | str,
    path: Path | str,
    *,
    file_format: str = "jsonl",
    labelled: bool = False,
    source: str | None = None,
    skip_invalid: bool = False,
    update: bool = False,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_read: SourceRead | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_errors: int = MAX_REPORTED_ERRORS,
) -> ImportReport:
    """Import a file (``.gz`` too, or Parquet rows for a format read line by line) of a
    registered format into ``project``; ``max_errors`` invalid entries are kept at most.

    ``labelled`` keeps the labels that come with the data as annotations by the annotator
    ``source.NAME`` (``source``; by default the format's or the file's name); some formats
    always keep theirs. Raises ``InvalidInput`` for options that do not go together, and
    ``ImportRejected`` (``details``: the first ``(number, reason)`` pairs) when entries are
    invalid and ``skip_invalid`` is false; then nothing has been written.
    """
    path = Path(path)
    fmt = import_format(file_format)
    labeller = _labeller(fmt, path, labelled=labelled, source=source, update=update)
    return _run(engine, project, open_source(fmt.read, path, max_line_bytes), fmt, labeller,
                skip_invalid=skip_invalid, update=update, on_read=on_read,
                batch_size=batch_size, max_errors=max_errors)


def import_items(
    engine: Engine,
    project: Project | str,
    items: Iterable[Mapping] | Callable[[], Iterable[Mapping]],
    *,
    skip_invalid: bool = False,
    update: bool = False,
    source_name: str = "python",
    on_read: SourceRead | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Import dicts shaped like the lines of a ``jsonl`` file (demo data, tests, other code).

    ``items`` is read twice, so it must be a collection or a function returning a fresh
    iterable; errors name entries as ``item N`` (counting from 1).
    """
    return _run(engine, project, ItemSource(items, source_name), FORMATS["jsonl"], None,
                skip_invalid=skip_invalid, update=update, on_read=on_read,
                batch_size=batch_size)


def check_options(file_format: str, file_name: str, *, labelled: bool, source: str | None,
                  update: bool) -> None:
    """Refuse, before a file is read, the options that ``import_file`` would refuse."""
    _labeller(import_format(file_format), Path(file_name), labelled=labelled, source=source,
              update=update)


def _labeller(fmt: ImportFormat, path: Path, *, labelled: bool, source: str | None,
              update: bool) -> Author | None:
    """The annotator the source's labels are kept under, ``None`` when the import keeps
    none or its records name their own; refuses options that mean nothing together."""
    by_source = labelled or fmt.labels is Labels.ALWAYS
    if update and (by_source or fmt.labels is Labels.NAMED_AUTHORS):
        optional = ", ".join(f.name for f in FORMATS.values() if f.labels is Labels.ON_REQUEST)
        raise InvalidInput(f"--update applies to --format {optional} only, without --labelled; "
                           "imported labels keep their first import")
    if labelled and fmt.labels is Labels.NAMED_AUTHORS:
        raise InvalidInput(f"--labelled does not apply to --format {fmt.name}: its verdicts are "
                           "always kept")
    if source is not None and not by_source:
        raise InvalidInput("--source names the annotator of --labelled imports only")
    if not by_source:
        return None
    return source_author(source or default_source_name(path, fmt.source_name))


def _run(
    engine: Engine, project: Project | str, source: Source, fmt: ImportFormat,
    labeller: Author | None, *, skip_invalid: bool, update: bool, on_read: SourceRead | None,
    batch_size: int, max_errors: int = MAX_REPORTED_ERRORS,
) -> ImportReport:
    if isinstance(project, str):
        with engine.connect() as conn:
            project = get_project(conn, project)
    rules = ItemRules(project.name, project.ranking_mode == "pairwise", project.allow_ties,
                      dimensions=tuple((d.name, d.low, d.high) for d in project.dimensions))
    context = AdaptContext(rules, labeller)
    checked = check_source(engine, project, source, fmt.adapt, fmt.repeats, context,
                           update=update, on_read=on_read, max_errors=max_errors)
    errors = checked.errors
    if errors.count and not skip_invalid:
        rejected = ImportRejected(errors.message(source.unit), details=errors.kept())
        rejected.invalid, rejected.unit = errors.count, source.unit
        raise rejected
    labelled = labeller is not None or fmt.labels is Labels.NAMED_AUTHORS
    report = ImportReport(source.unit, labelled, invalid=errors.count, errors=errors.kept())
    if checked.valid:
        write_source(engine, project, source, fmt.adapt, context, skip=errors.lines,
                     update=update, report=report, on_read=on_read, batch_size=batch_size)
    return report
