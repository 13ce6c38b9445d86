"""``accord guideline draft|publish|show|diff``: guideline versions from files.

A guideline file is Markdown with a TOML front matter (``core.guidelines.markdown_file`` describes
it; docs/guidelines.md has an example). The command line runs as the database's owner, so
it may write drafts and publish without a manager's login; its audit events name no person.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.context import fail, print_json, reports_errors, transaction
from accord.core.errors import NotFound
from accord.core.guidelines import diff as guideline_diff
from accord.core.guidelines import drafts as guideline_drafts
from accord.core.guidelines import markdown_file as guideline_file
from accord.core.projects.project import get_project
from accord.db.types import utcnow

app = typer.Typer(help="Draft, publish, show and compare guideline versions.")


def _summary(version: guideline_drafts.GuidelineVersion) -> dict:
    doc = version.document
    return {"version": version.version, "status": version.status, "text": doc.text,
            "dimensions": doc.dimensions, "priority": doc.priority,
            "edge_cases": doc.edge_cases, "escalation_rules": doc.escalation_rules,
            "examples": doc.examples, "change_note": doc.change_note,
            "requires_recalibration": doc.requires_recalibration,
            "published_at": version.guideline.published_at.isoformat()
            if version.guideline.published_at else None}


@app.command("draft")
@reports_errors
def draft(
    project: str,
    file: Path = typer.Argument(..., help="Markdown with a TOML front matter (see docs)"),
    json_output: bool = typer.Option(False, "--json", help="print the draft as JSON"),
):
    """Create the project's draft from FILE, or update the open draft with FILE's fields."""
    try:
        content = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: {error.strerror if isinstance(error, OSError) else error}")
    fields = guideline_file.parse(content, str(file))
    with transaction() as conn:
        found = get_project(conn, project)
        open_draft = guideline_drafts.current_draft(conn, found)
        if open_draft is None:
            saved = guideline_drafts.draft_in(conn, found, fields, utcnow(), None)
        else:
            saved = guideline_drafts.edit_in(conn, found, open_draft.version, fields, utcnow())
    if json_output:
        print_json(_summary(saved))
    else:
        typer.echo(f"draft version {saved.version} of {project} saved; preview it on the "
                   f"guidelines page, then: accord guideline publish {project}")


@app.command("publish")
@reports_errors
def publish(
    project: str,
    json_output: bool = typer.Option(False, "--json", help="print the version as JSON"),
):
    """Publish the project's draft: it becomes the current version and never changes."""
    with transaction() as conn:
        found = get_project(conn, project)
        open_draft = guideline_drafts.current_draft(conn, found)
        if open_draft is None:
            raise NotFound(f'"{project}" has no draft to publish: '
                           f"accord guideline draft {project} FILE")
        done = guideline_drafts.publish_in(conn, found, open_draft.version, utcnow(), None)
    if json_output:
        print_json(_summary(done))
    else:
        typer.echo(f"version {done.version} of {project} published")


@app.command("show")
@reports_errors
def show(
    project: str,
    version: int | None = typer.Option(None, "--version", help="default: the current one"),
    json_output: bool = typer.Option(False, "--json", help="print JSON, not the file format"),
):
    """Print a version in the guideline file format (or JSON); the draft if none is current."""
    with transaction() as conn:
        found = get_project(conn, project)
        if version is None:
            every = guideline_drafts.all_versions(conn, found, drafts=True)
            chosen = next((v for v in every if v.status == "published"),
                          every[0] if every else None)
            if chosen is None:
                raise NotFound(f'"{project}" has no guideline yet')
        else:
            chosen = guideline_drafts.stored_version(conn, found, version, drafts=True)
    if json_output:
        print_json(_summary(chosen))
    else:
        typer.echo(guideline_file.render(chosen.document), nl=not
                   chosen.document.text.endswith("\n"))


@app.command("diff")
@reports_errors
def diff(
    project: str,
    since: int | None = typer.Option(None, "--from", help="default: the previous version"),
    target: int | None = typer.Option(None, "--to", help="default: the current version"),
    json_output: bool = typer.Option(False, "--json"),
):
    """What changed between two versions: text hunks, dimensions, priority, edge cases."""
    with transaction() as conn:
        changes = guideline_diff.between(conn, get_project(conn, project), since=since,
                                         target=target, drafts=True)
    if changes is None:
        fail(f'"{project}" has no published guideline to compare')
    if json_output:
        print_json(guideline_diff.as_dict(changes))
        return
    typer.echo(f"version {changes.base or '(none)'} → {changes.target}")
    for line in changes.text:
        prefix = {"added": "+", "removed": "-", "context": " "}.get(line.kind, "")
        typer.echo(f"{prefix}{line.text}")
    if changes.priority:
        typer.echo(f"priority: {' > '.join(changes.priority[0])} → "
                   f"{' > '.join(changes.priority[1])}")
    for label, part in (("dimension", changes.dimensions), ("edge case", changes.edge_cases),
                        ("escalation rule", changes.escalation_rules),
                        ("worked example", changes.examples)):
        for name in part.added:
            typer.echo(f"new {label}: {name}")
        for name in part.removed:
            typer.echo(f"removed {label}: {name}")
        for change in part.changed:
            typer.echo(f"changed {label}: {change.name}")
