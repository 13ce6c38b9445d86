"""``accord import PROJECT FILE``: load a file in any registered import format (JSONL items or
TRL preference rows by default; ``--format`` names the others), with its labels where kept."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from accord.cli.context import open_engine, print_json, reports_errors
from accord.cli.interruptions import ImportWatch, reports_interruption
from accord.collector import cycle_collector_paused
from accord.core.importing import (
    DEFAULT_MAX_LINE_BYTES,
    FORMATS,
    ImportReport,
    SourceRead,
    import_file,
    import_format,
)

PHASES = {"checking": "Checking", "importing": "Importing"}
FORMAT_HELP = ", ".join(f"{f.name} ({f.description})" for f in FORMATS.values())


@reports_errors
def import_command(
    project: str = typer.Argument(..., help="Name of the project to import into."),
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True,
        help="JSONL file, one item a line (Accord items or TRL preference rows), or with "
             "--format alpaca-eval an AlpacaEval *_annotations.json; .gz accepted.",
    ),
    file_format: str = typer.Option("jsonl", "--format", help=f"One of: {FORMAT_HELP}."),
    labelled: bool = typer.Option(
        False, "--labelled",
        help="Keep the labels that come with the data (TRL rows: chosen over rejected; oasst: "
             "the published ranking) as annotations by an annotator of kind imported.",
    ),
    source: str | None = typer.Option(
        None, "--source",
        help="Names the labels' annotator (user source.NAME); default: the file's name, or "
             "oasst.",
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid",
        help="Import the valid lines (records) even when some are invalid.",
    ),
    update: bool = typer.Option(
        False, "--update",
        help="Replace items whose id exists with other content (prompt and responses only "
             "while the task has no assignments). jsonl only.",
    ),
    max_line_bytes: int = typer.Option(
        DEFAULT_MAX_LINE_BYTES, "--max-line-bytes", min=1,
        help="Longest line accepted, in bytes; longer lines are reported as invalid. "
             "jsonl only.",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Import a file into a project; the whole file is checked before anything is written.

    Invalid lines are listed on stderr as ``line N: reason`` (``record N``, the index in the
    array from 0, for alpaca-eval) and nothing is imported (exit 1) unless --skip-invalid is
    given. Importing the same file again changes nothing.
    """
    fmt = import_format(file_format)
    engine = open_engine()
    try:
        watch = ImportWatch(engine, project, file)
        with (reports_interruption(watch.interruption, json_output=json_output),
              _progress_bar(enabled=not quiet and sys.stderr.isatty(),
                            counts=fmt.read.progress_in) as on_read, cycle_collector_paused()):
            report = import_file(engine, project, file, file_format=file_format,
                                 labelled=labelled, source=source, skip_invalid=skip_invalid,
                                 update=update, max_line_bytes=max_line_bytes,
                                 on_read=watch.following(on_read))
    finally:
        engine.dispose()
    _print_report(report, file, project, json_output=json_output)


def _print_report(report: ImportReport, file: Path, project: str, *, json_output: bool) -> None:
    for number, reason in report.errors:
        typer.echo(f"{report.unit} {number}: {reason} (skipped)", err=True)
    if report.unjudged:
        more = report.unjudged_count - len(report.unjudged)
        typer.echo("records without a preference, imported as tasks only: "
                   + ", ".join(map(str, report.unjudged)) + (f" and {more} more" if more else ""),
                   err=True)
    if report.invalid > len(report.errors):
        typer.echo(f"… and {report.invalid - len(report.errors)} more skipped", err=True)
    if json_output:
        print_json({"project": project, "file": str(file), **report.as_dict()})
    else:
        typer.echo(f"{file.name} → {project}: {report.summary()}")


@contextmanager
def _progress_bar(*, enabled: bool, counts: str) -> Iterator[SourceRead | None]:
    """A rich progress bar on stderr, one row per pass, in bytes (or in records, as the
    source ``counts``); ``None`` when disabled."""
    if not enabled:
        yield None
        return
    done = DownloadColumn() if counts == "bytes" else MofNCompleteColumn()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), done,
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    rows: dict[str, TaskID] = {}

    def advance(phase: str, done: int, total: int) -> None:
        if phase not in rows:
            rows[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
        bar.update(rows[phase], completed=done, total=total)

    with bar:
        yield advance
