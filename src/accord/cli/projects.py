"""``accord project …``: create projects, add members, see progress."""

from __future__ import annotations

import json

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.cli.project_admin import (
    AGREEMENT_TARGET_HELP,
    MIX_HELP,
    agreement_target,
    dimensions_of,
    mix_targets,
    register,
    settings_json,
)
from accord.core.admin import projects as admin_projects
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


HARM_HELP = "a red-team harm category of the project (repeatable; Accord's list when none)"


@app.command("create")
@reports_errors
def create(
    name: str,
    overlap: int | None = typer.Option(
        None, "--overlap", help="annotations wanted per task (default 3; with an adaptive "
        "overlap rule in --rules, its min)"),
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
    harm_category: list[str] = typer.Option([], "--harm-category", help=HARM_HELP),
    mix: str | None = typer.Option(None, "--mix", help=MIX_HELP),
    json_output: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Create a project (the same function as POST /api/v1/projects)."""
    given = {
        "allow_ties": allow_ties, "ranking_mode": ranking,
        "lease_seconds": max(1, round(lease_minutes * 60)),
        "require_rationale": require_rationale, "dimensions": dimensions_of(dimension),
        "agreement_threshold": agreement_threshold, "budget": budget,
        "description": description, "gold_rate": gold_rate, "rules": _parse_rules(rules),
        "harm_categories": list(harm_category) or None, "mix": mix_targets(mix) or {},
    }
    if overlap is not None:
        given["overlap"] = overlap
    with transaction() as conn:
        project = admin_projects.create(conn, None, name, given, utcnow())
    if json_output:
        print_json(settings_json(project))
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


@app.command("set")
@reports_errors
def set_settings(
    name: str,
    gold_rate: float | None = typer.Option(
        None, "--gold-rate", help=GOLD_RATE_HELP),
    rules: str | None = typer.Option(None, "--rules", help=RULES_HELP),
    overlap: int | None = typer.Option(None, "--overlap", help="annotations wanted per task"),
    lease_minutes: float | None = typer.Option(None, "--lease-minutes"),
    ranking: str | None = typer.Option(None, "--ranking", help="pairwise or kway"),
    allow_ties: bool | None = typer.Option(None, "--allow-ties/--no-ties"),
    require_rationale: bool | None = typer.Option(
        None, "--require-rationale/--no-rationale-needed"),
    dimension: list[str] = typer.Option(
        [], "--dimension", help="replaces the dimensions: name:min-max, in priority order"),
    agreement_threshold: float | None = typer.Option(None, "--agreement-threshold"),
    budget: float | None = typer.Option(None, "--budget"),
    description: str | None = typer.Option(None, "--description"),
    harm_category: list[str] = typer.Option([], "--harm-category", help=HARM_HELP),
    demonstration: str | None = typer.Option(
        None, "--demonstration", help="how demonstrations are authored: write, post_edit or "
        "multi_turn (replaces the mode and the draft rule)"),
    draft: str | None = typer.Option(
        None, "--draft", help="with --demonstration post_edit: the draft, first or model:NAME"),
    agreement_target_band: str | None = typer.Option(
        None, "--agreement-target", help=AGREEMENT_TARGET_HELP),
    mix: str | None = typer.Option(None, "--mix", help=MIX_HELP),
    prelabel: str | None = typer.Option(
        None, "--prelabel", help="pre-label with this AI judge: its ranking is shown as a "
        "suggestion on a seeded share of assignments (--show-rate), nothing on the rest"),
    show_rate: float | None = typer.Option(
        None, "--show-rate", help="with --prelabel: the share of assignments shown the "
        "suggestion, 0 to 1 (default 0.5)"),
    prelabel_seed: int | None = typer.Option(
        None, "--prelabel-seed", help="with --prelabel: the seed of the draw (default 0)"),
    no_prelabel: bool = typer.Option(False, "--no-prelabel", help="turn pre-labelling off"),
    json_output: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Change a project's settings (only those given), as PATCH /api/v1/projects/{project}.

    A change the stored work forbids (lowering the overlap once tasks have annotators,
    removing a dimension stored ratings use…) is refused with the reason.
    """
    options = {
        "gold_rate": gold_rate, "overlap": overlap, "ranking_mode": ranking,
        "allow_ties": allow_ties, "require_rationale": require_rationale,
        "agreement_threshold": agreement_threshold, "budget": budget,
        "description": description,
        "lease_seconds": None if lease_minutes is None else max(1, round(lease_minutes * 60)),
        "rules": None if rules is None else _parse_rules(rules),
        "dimensions": dimensions_of(dimension) or None,
        "harm_categories": list(harm_category) or None,
        "demonstration": _demonstration(demonstration, draft),
        "mix": mix_targets(mix),
    }
    changes = {k: v for k, v in options.items() if v is not None}
    changes.update(_prelabel(prelabel, show_rate, prelabel_seed, off=no_prelabel))
    if agreement_target_band is not None:  # "default" clears the project's own band
        changes["agreement_target"] = agreement_target(agreement_target_band)
    with transaction() as conn:
        project = admin_projects.change(conn, None, name, changes, utcnow())
    if json_output:
        print_json(settings_json(project))
        return
    shown = admin_projects.rules_in_force(project)
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
def list_projects(
    archived: bool = typer.Option(False, "--archived", help="include archived projects"),
    json_output: bool = typer.Option(False, "--json"),
):
    """List every project with its task counts (archived ones with --archived)."""
    with transaction() as conn:
        admin = user_rules.User(id=0, name="cli", kind="human", is_admin=True)
        rows = [(p, progress_rules.progress(conn, p, utcnow()))
                for p in project_rules.projects_of(conn, admin, archived=archived)]
    if json_output:
        print_json([{"name": p.name, "tasks": g.tasks, "by_status": g.by_status,
                     "annotations": g.annotations} for p, g in rows])
        return
    for project, got in rows:
        typer.echo(f"{project.name}: {got.tasks} tasks, {got.annotations} annotations, "
                   + ", ".join(f"{k} {v}" for k, v in sorted(got.by_status.items())))


register(app)


def _demonstration(mode: str | None, draft: str | None) -> dict | None:
    """``--demonstration`` and ``--draft`` as the ``demonstration`` setting."""
    if mode is None and draft is None:
        return None
    if mode is None:
        raise InvalidInput("--draft goes with --demonstration post_edit")
    return {"mode": mode} if draft is None else {"mode": mode, "draft": draft}


def _prelabel(judge: str | None, show_rate: float | None, seed: int | None, *,
              off: bool) -> dict:
    """``--prelabel`` and its options as the ``prelabel`` setting's change (none given: no
    change; ``--no-prelabel``: None, which turns it off). The setting's own check words the
    errors about its values, as for the API."""
    if off:
        if judge is not None or show_rate is not None or seed is not None:
            raise InvalidInput("--no-prelabel turns pre-labelling off: give it alone, without "
                               "--prelabel, --show-rate or --prelabel-seed")
        return {"prelabel": None}
    if judge is None:
        for flag, value in (("--show-rate", show_rate), ("--prelabel-seed", seed)):
            if value is not None:
                raise InvalidInput(f"{flag} goes with --prelabel JUDGE")
        return {}
    return {"prelabel": {"judge": judge, "show_rate": 0.5 if show_rate is None else show_rate,
                         "seed": 0 if seed is None else seed}}
