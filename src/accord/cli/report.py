"""``accord report PROJECT``: the quality report as text, JSON or a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.projects import project as project_rules
from accord.core.report import build_report
from accord.core.report.scope import Scope
from accord.db.types import utcnow
from accord.exports.report_html import render_html
from accord.exports.report_text import render_text
from accord.exports.writers import atomic_output


@reports_errors
def report_command(
    project: str,
    json_output: bool = typer.Option(False, "--json", help="print the report as one JSON object"),
    html: Path | None = typer.Option(None, "--html", help="also write a self-contained HTML page"),
    store: bool = typer.Option(
        True, "--store/--no-store",
        help="save each task's consensus and flag tasks below the agreement threshold "
             "(a report cut by --guideline-version stores nothing)",
    ),
    guideline_version: list[int] = typer.Option(
        [], "--guideline-version",
        help="Count only annotations made under this guideline version; repeatable."),
    include_ai: bool = typer.Option(
        False, "--include-ai",
        help="Count AI judges' annotations in the figures (by default they are counted "
             "apart, in the judges section)."),
):
    """Agreement, annotator reliability, consensus, bias and fatigue monitors, and cost."""
    scope = Scope(guideline_versions=tuple(guideline_version), include_ai=include_ai)
    with transaction() as conn:
        report = build_report(conn, project_rules.get_project(conn, project), utcnow(),
                              store_consensus=store, scope=scope)
    if html is not None:
        with atomic_output(html) as file:
            file.write(render_html(report).encode("utf-8"))
    if json_output:
        print_json(report.as_json())
    else:
        typer.echo(render_text(report), nl=False)
