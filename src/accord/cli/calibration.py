"""``accord calibration …``: see calibration rounds, start a new one for an annotator."""

from __future__ import annotations

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.projects.project import get_project
from accord.core.work import calibration as calibration_rules
from accord.core.work.calibration import Round
from accord.db.types import utcnow

app = typer.Typer(help="Calibration rounds: list them, start a new one for an annotator.")


def _as_json(found: Round) -> dict:
    return {"id": found.id, "user": found.user, "status": found.status, "score": found.score,
            "guideline_version": found.guideline_version,
            "created_at": found.created_at.isoformat(),
            "finished_at": found.finished_at.isoformat() if found.finished_at else None}


def _line(found: Round) -> str:
    score = "not scored" if found.score is None else f"score {found.score:.0%}"
    version = found.guideline_version or "none"
    return (f"{found.user}: {found.status}, {score}, guideline version {version}, "
            f"started {found.created_at:%Y-%m-%d %H:%M} UTC")


@app.command("start")
@reports_errors
def start(project: str, user: str, json_output: bool = typer.Option(False, "--json")):
    """Send an annotator through a new calibration round (after a failed one, say)."""
    with transaction() as conn:
        started = calibration_rules.start_for(conn, get_project(conn, project), user, utcnow())
    if json_output:
        print_json(_as_json(started))
    else:
        typer.echo(f"{user} starts a new calibration round in {project}")


@app.command("list")
@reports_errors
def list_rounds(project: str, json_output: bool = typer.Option(False, "--json")):
    """Every calibration round in a project, newest first."""
    with transaction() as conn:
        found = calibration_rules.rounds_in(conn, get_project(conn, project))
    if json_output:
        print_json([_as_json(r) for r in found])
        return
    for one in found:
        typer.echo(_line(one))
    if not found:
        typer.echo(f"no calibration rounds in {project} yet")
