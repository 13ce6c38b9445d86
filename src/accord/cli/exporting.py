"""``accord export PROJECT --format preference --out prefs.parquet``: write a project's export.

The main app registers :func:`export_command` as ``export``. Progress (rows written) goes to
stderr when it is a terminal, so ``--json`` output on stdout stays one object; so does the
warning about rows longer than ``--max-tokens``.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import typer

from accord.cli.context import fail, open_engine, print_json, reports_errors
from accord.cli.interruptions import ExportTargets, reports_interruption
from accord.exports import FORMATS, SPECIAL_FORMATS, ExportOptions, ExportReport, export
from accord.exports import export_format as find_format
from accord.exports.options import PAIRS, SOURCES
from accord.exports.writers import FILE_FORMATS, file_format_for


def _show_progress(rows: int) -> None:
    sys.stderr.write(f"\r{rows:,} rows written")
    sys.stderr.flush()


def _summary(report: ExportReport) -> str:
    if report.format == "card":
        return f"wrote the data card of {report.project} to {report.path}"
    where = (", ".join(f"{side} {s['rows']:,} rows to {s['path']}"
                       for side, s in report.splits.items())
             if report.splits else f"{report.rows:,} {report.format} rows to {report.path}")
    cut_off = (f", {report.truncated_dropped:,} left out as cut off"
               if report.truncated_dropped else "")
    return (f"wrote {where} ({report.file_format}; {report.tasks:,} tasks considered, "
            f"{report.ties_dropped:,} pairs dropped as ties{cut_off})")


def _moment(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name} must be an ISO date or time (2025-01-31 or 2025-01-31T09:30), not {value!r}")
        raise


@reports_errors
def export_command(
    project: str = typer.Argument(..., help="Name of the project to export."),
    format: str = typer.Option(
        ..., "--format",
        help=f"What to export: {', '.join([*FORMATS, *SPECIAL_FORMATS])} (hf: the preference "
             "rows as a Hugging Face DatasetDict directory; card: the Markdown data card).",
    ),
    out: Path = typer.Option(
        ..., "--out", help="File (.jsonl, .parquet, .md for card) or directory (hf) to write; "
                           "replaced only once complete."
    ),
    file_format: str | None = typer.Option(
        None, "--file-format",
        help=f"{', '.join(FILE_FORMATS)} or hf; by default, from the extension of --out.",
    ),
    pairs: str = typer.Option("all", "--pairs", help=f"K-way rankings: {' or '.join(PAIRS)}."),
    split: float | None = typer.Option(
        None, "--split", help="Test fraction: write NAME.train.EXT and NAME.test.EXT, split "
                              "by prompt (near-duplicate prompts kept together)."),
    min_agreement: float | None = typer.Option(None, "--min-agreement",
                                               help="Keep pairs with agreement at least this."),
    min_score: float | None = typer.Option(
        None, "--min-score", help="sft: keep accepted demonstrations whose mean rubric score "
                                  "is at least this."),
    source: list[str] = typer.Option(
        [], "--source", help=f"Keep pairs of this source ({', '.join(SOURCES)}); repeatable."),
    category: list[str] = typer.Option(
        [], "--category", help="Keep prompts of this category; repeatable."),
    guideline_version: list[int] = typer.Option(
        [], "--guideline-version", help="Keep tasks judged under this version; repeatable."),
    include_truncated: bool = typer.Option(
        False, "--include-truncated/--exclude-truncated",
        help="Keep pairs whose chosen or rejected response was cut off at the length limit "
             "(marked in chosen_truncated, rejected_truncated). Default: left out and counted, "
             "since a trainer would learn to stop mid-answer."),
    exclude_suspect: bool = typer.Option(
        False, "--exclude-suspect",
        help="Leave out tasks with an open suspect label (see accord suspects): doubted by an "
             "AI judge or a reward model and not yet confirmed by a reviewer."),
    since: str | None = typer.Option(None, "--since", help="Tasks completed at or after."),
    until: str | None = typer.Option(None, "--until", help="Tasks completed before."),
    max_tokens: int | None = typer.Option(
        None, "--max-tokens", min=1,
        help="Warn about rows whose prompt + completion exceed this many tokens (TRL's "
             "RewardTrainer drops them silently)."),
    tokenizer: str | None = typer.Option(
        None, "--tokenizer", help="Local tokenizer for --max-tokens; without it, "
                                  "characters / 4."),
    json_output: bool = typer.Option(
        False, "--json", help="Print one JSON object with the counts and the path."
    ),
) -> None:
    """Export a project's annotations: TRL preference pairs, KTO, prompts, SFT, raw rows, a
    Hugging Face dataset, or the data card."""
    if format not in SPECIAL_FORMATS:
        find_format(format)  # fail on a wrong name before touching the database
        if file_format != "hf":
            file_format_for(out, file_format)
    options = ExportOptions(
        pairs=pairs, min_agreement=min_agreement, min_score=min_score, sources=tuple(source),
        categories=tuple(category), guideline_versions=tuple(guideline_version),
        since=_moment(since, "--since"), until=_moment(until, "--until"),
        include_truncated=include_truncated, exclude_suspect=exclude_suspect,
    )
    progress = _show_progress if sys.stderr.isatty() and not json_output else None
    targets = ExportTargets(project, out, export_format=format, file_format=file_format,
                            split=split)
    engine = open_engine()
    try:
        with reports_interruption(targets.interruption, json_output=json_output):
            report = export(engine, project, format, out, file_format=file_format,
                            progress=progress, options=options, split=split,
                            max_tokens=max_tokens, tokenizer=tokenizer)
    finally:
        engine.dispose()
        if progress:
            sys.stderr.write("\n")
    if report.over_max_tokens:
        typer.echo(f"warning: {report.over_max_tokens:,} rows exceed {max_tokens:,} tokens "
                   f"(counted by {report.token_count}); TRL's RewardTrainer drops such pairs "
                   "silently", err=True)
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(_summary(report))
