"""``accord import PROJECT FILE``: load items or TRL preference rows from JSONL (or .jsonl.gz),
or, with ``--format alpaca-eval``, an AlpacaEval annotation file as AI-judge annotations."""

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
    TextColumn,
    TimeRemainingColumn,
)

from accord.cli.context import fail, open_engine, print_json, reports_errors
from accord.collector import cycle_collector_paused
from accord.core.importing import DEFAULT_MAX_LINE_BYTES, ImportReport, import_file
from accord.core.importing.alpaca_eval import AlpacaEvalReport, import_alpaca_eval
from accord.core.importing.labelled import import_labelled

PHASES = {"checking": "Checking", "importing": "Importing"}
FORMATS = ("jsonl", "alpaca-eval", "oasst")


@reports_errors
def import_command(
    project: str = typer.Argument(..., help="Name of the project to import into."),
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True,
        help="JSONL file, one item a line (Accord items or TRL preference rows), or with "
             "--format alpaca-eval an AlpacaEval *_annotations.json; .gz accepted.",
    ),
    file_format: str = typer.Option(
        "jsonl", "--format",
        help="jsonl (Accord items or TRL rows), alpaca-eval (an AlpacaEval annotation file: "
             "each record becomes a comparison task and its preference a submitted annotation "
             "by an AI judge named after the record's annotator) or oasst (OpenAssistant "
             "message trees: each ranked group of replies becomes a K-way task; implies "
             "--labelled).",
    ),
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
    if file_format not in FORMATS:
        fail(f'--format must be one of {", ".join(FORMATS)}, not "{file_format}"')
    alpaca = file_format == "alpaca-eval"
    labelled = labelled or file_format == "oasst"
    if (alpaca or labelled) and update:
        fail("--update applies to --format jsonl only, without --labelled; imported labels "
             "keep their first import")
    if alpaca and labelled:
        fail("--labelled does not apply to --format alpaca-eval: its verdicts are always kept")
    if source is not None and not labelled:
        fail("--source names the annotator of --labelled imports only")
    engine = open_engine()
    try:
        with _progress_bar(enabled=not quiet and sys.stderr.isatty(),
                           records=alpaca) as progress, cycle_collector_paused():
            if labelled:
                report = import_labelled(engine, project, file,
                                         fmt="oasst" if file_format == "oasst" else "trl",
                                         source=source, skip_invalid=skip_invalid)
            elif alpaca:
                report = import_alpaca_eval(engine, project, file, skip_invalid=skip_invalid,
                                            progress=progress)
            else:
                report = import_file(engine, project, file, skip_invalid=skip_invalid,
                                     update=update, max_line_bytes=max_line_bytes,
                                     progress=progress)
    finally:
        engine.dispose()
    _print_report(report, file, project, json_output=json_output,
                  unit="record" if alpaca else "line")


def _print_report(report: ImportReport, file: Path, project: str, *, json_output: bool,
                  unit: str = "line") -> None:
    for line, reason in report.errors:
        typer.echo(f"{unit} {line}: {reason} (skipped)", err=True)
    if isinstance(report, AlpacaEvalReport) and report.unjudged:
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
def _progress_bar(*, enabled: bool, records: bool = False) -> Iterator[object]:
    """A rich progress bar on stderr, one row per pass, in bytes (or in records);
    ``None`` when disabled."""
    if not enabled:
        yield None
        return
    done = MofNCompleteColumn() if records else DownloadColumn()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), done,
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    rows: dict[str, object] = {}

    def advance(phase: str, done: int, total: int) -> None:
        if phase not in rows:
            rows[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
        bar.update(rows[phase], completed=done, total=total)

    with bar:
        yield advance
