"""``accord demonstrations …``: a project's demonstration review rules, and where its
demonstrations stand."""

from __future__ import annotations

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.demonstrations import reading, rubric
from accord.core.projects.project import get_project
from accord.db.types import utcnow

app = typer.Typer(help="Demonstration review: the rubric's checks, double review, status.")


@app.command("rules")
@reports_errors
def rules(
    project: str,
    check: list[str] = typer.Option(
        [], "--check", help="A required check of the rubric; repeatable. Given, they replace "
                            "the checks; without any, the checks stay."),
    double_share: float | None = typer.Option(
        None, "--double-share", help="Share of demonstrations reviewed twice, blind (0-1)."),
    two_accepts_for: list[str] = typer.Option(
        [], "--two-accepts-for", help="A category whose demonstrations need two accepts; "
                                      "repeatable; replaces the list."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the double-review draw."),
    json_output: bool = typer.Option(False, "--json"),
):
    """Show the review rules, or change the ones given (audited)."""
    with transaction() as conn:
        current = rubric.rules_of(get_project(conn, project))
        if check or double_share is not None or two_accepts_for or seed is not None:
            document = current.as_dict()
            if check:
                document["rubric_checks"] = list(check)
            if double_share is not None:
                document["double_share"] = double_share
            if two_accepts_for:
                document["two_accepts_for"] = list(two_accepts_for)
            if seed is not None:
                document["seed"] = seed
            current = rubric.configure(conn, None, project, document, utcnow())
    if json_output:
        print_json(current.as_dict())
        return
    typer.echo(f"checks: {'; '.join(current.checks) or 'none'}")
    typer.echo(f"double review: {current.double_share:.0%} of demonstrations (seed "
               f"{current.seed}); two accepts for: "
               f"{', '.join(sorted(current.two_accepts_for)) or 'no category'}")


@app.command("status")
@reports_errors
def status(project: str, json_output: bool = typer.Option(False, "--json")):
    """How many of the project's demonstrations are in each state."""
    with transaction() as conn:
        counts = reading.status_counts(conn, get_project(conn, project).id)
    if json_output:
        print_json(counts)
        return
    typer.echo(", ".join(f"{n} {state.replace('_', ' ')}" for state, n in counts.items()))
