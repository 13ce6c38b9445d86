"""``accord project …``: create projects, add members, see progress."""

from __future__ import annotations

import json

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.errors import InvalidInput
from accord.core.people import users as user_rules
from accord.core.projects import progress as progress_rules
from accord.core.projects import project as project_rules
from accord.core.work import rules as work_rules
from accord.db.types import utcnow

app = typer.Typer(help="Create projects, add members, show progress.")


RULES_HELP = (
    'work rules as JSON, e.g. \'{"calibration": {"tasks": 5, "pass_threshold": 0.8}}\'; '
    f"sections {', '.join(work_rules.SECTIONS)} (null turns one off); see docs/calibration.md"
)
GOLD_RATE_HELP = "share of production claims that get a gold task (0 to 1)"


@app.command("create")
@reports_errors
def create(
    name: str,
    overlap: int = typer.Option(3, "--overlap", help="annotations wanted per task"),
    allow_ties: bool = typer.Option(False, "--allow-ties", help="rankings may tie responses"),
    ranking: str = typer.Option("pairwise", "--ranking", help="pairwise or kway"),
    lease_minutes: float = typer.Option(15, "--lease-minutes", help="how long a claim holds"),
    require_rationale: bool = typer.Option(False, "--require-rationale"),
    dimension: list[str] = typer.Option(
        [], "--dimension", help="quality dimension as name:min-max, in priority order"
    ),
    agreement_threshold: float = typer.Option(0.5, "--agreement-threshold"),
    budget: float | None = typer.Option(None, "--budget"),
    description: str = typer.Option("", "--description"),
    gold_rate: float = typer.Option(
        0.0, "--gold-rate", help=GOLD_RATE_HELP),
    rules: str | None = typer.Option(None, "--rules", help=RULES_HELP),
    json_output: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Create a project."""
    dims = [project_rules.parse_dimension(spec) for spec in dimension]
    changes = _parse_rules(rules)
    with transaction() as conn:
        project = project_rules.create_project(
            conn, name, overlap=overlap, allow_ties=allow_ties, ranking_mode=ranking,
            lease_seconds=max(1, round(lease_minutes * 60)), require_rationale=require_rationale,
            dimensions=dims, agreement_threshold=agreement_threshold, budget=budget,
            description=description, gold_rate=gold_rate,
        )
        if changes:
            project = work_rules.update_rules(conn, name, changes=changes)
    if json_output:
        print_json({"name": project.name, "overlap": project.overlap,
                    "ranking_mode": project.ranking_mode, "allow_ties": project.allow_ties,
                    "lease_seconds": project.lease_seconds,
                    "dimensions": [d.as_dict() for d in project.dimensions],
                    "gold_rate": project.gold_rate, "rules": _rules_of(project)})
    else:
        typer.echo(f"project {project.name} created (overlap {project.overlap})")


def _parse_rules(text: str | None) -> dict:
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"--rules is not JSON: {error.msg} at column {error.colno}") from None
    if not isinstance(value, dict):
        raise InvalidInput("--rules must be a JSON object of rule sections")
    return value


def _rules_of(project: project_rules.Project) -> dict:
    return work_rules.as_settings(work_rules.rules_of(project))


@app.command("set")
@reports_errors
def set_rules(
    name: str,
    gold_rate: float | None = typer.Option(
        None, "--gold-rate", help=GOLD_RATE_HELP),
    rules: str | None = typer.Option(None, "--rules", help=RULES_HELP),
    json_output: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Change a project's gold rate and work rules (calibration, exposure, breaks, rotation)."""
    changes = _parse_rules(rules)
    with transaction() as conn:
        project = work_rules.update_rules(conn, name, changes=changes, gold_rate=gold_rate)
    if json_output:
        print_json({"name": project.name, "gold_rate": project.gold_rate,
                    "rules": _rules_of(project)})
        return
    shown = _rules_of(project)
    typer.echo(f"project {project.name}: gold rate {project.gold_rate:g}; rules "
               + (json.dumps(shown, sort_keys=True) if shown else "none"))


@app.command("add-member")
@reports_errors
def add_member(
    project: str,
    user: str,
    role: str = typer.Option("annotator", "--role",
                             help="annotator, reviewer, safety_specialist or manager"),
    json_output: bool = typer.Option(False, "--json"),
):
    """Give a user a role in a project."""
    with transaction() as conn:
        target = project_rules.get_project(conn, project)
        project_rules.add_member(conn, target, user_rules.get_user(conn, user), role)
    if json_output:
        print_json({"project": project, "user": user, "role": role})
    else:
        typer.echo(f"{user} is now a {role} of {project}")


@app.command("list")
@reports_errors
def list_projects(json_output: bool = typer.Option(False, "--json")):
    """List every project with its task counts."""
    with transaction() as conn:
        admin = user_rules.User(id=0, name="cli", kind="human", is_admin=True)
        rows = [(p, progress_rules.progress(conn, p, utcnow()))
                for p in project_rules.projects_of(conn, admin)]
    if json_output:
        print_json([{"name": p.name, "tasks": g.tasks, "by_status": g.by_status,
                     "annotations": g.annotations} for p, g in rows])
        return
    for project, got in rows:
        typer.echo(f"{project.name}: {got.tasks} tasks, {got.annotations} annotations, "
                   + ", ".join(f"{k} {v}" for k, v in sorted(got.by_status.items())))
