"""``accord export PROJECT --format preference --out prefs.parquet``: write a project's export.

The main app registers :func:`export_command` as ``export``. Progress (rows written) goes to
stderr when it is a terminal, so ``--json`` output on stdout stays one object.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from accord.cli.context import open_engine, print_json, reports_errors
from accord.exports import FORMATS, ExportReport, export, export_format
from accord.exports.writers import FILE_FORMATS, file_format_for


def _show_progress(rows: int) -> None:
    sys.stderr.write(f"\r{rows:,} rows written")
    sys.stderr.flush()


def _summary(report: ExportReport) -> str:
    return (
        f"wrote {report.rows:,} {report.format} rows to {report.path} ({report.file_format}; "
        f"{report.tasks:,} tasks considered, {report.ties_dropped:,} pairs dropped as ties)"
    )


@reports_errors
def export_command(
    project: str = typer.Argument(..., help="Name of the project to export."),
    format: str = typer.Option(
        ..., "--format", help=f"What to export: {', '.join(FORMATS)}."
    ),
    out: Path = typer.Option(
        ..., "--out", help="File to write (.jsonl or .parquet); replaced only once complete."
    ),
    file_format: str | None = typer.Option(
        None, "--file-format",
        help=f"{' or '.join(FILE_FORMATS)}; by default, from the extension of --out.",
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print one JSON object with the counts and the path."
    ),
) -> None:
    """Export a project's annotations: TRL preference pairs, SFT conversations or raw rows."""
    export_format(format)  # fail on a wrong name before touching the database
    file_format_for(out, file_format)
    progress = _show_progress if sys.stderr.isatty() and not json_output else None
    engine = open_engine()
    try:
        report = export(engine, project, format, out, file_format=file_format,
                        progress=progress)
    finally:
        engine.dispose()
        if progress:
            sys.stderr.write("\n")
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(_summary(report))
