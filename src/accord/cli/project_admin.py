"""``accord project set / archive / unarchive / members / set-roles / remove-member``: the
same functions of ``core.admin`` as ``PATCH /api/v1/projects/{project}`` and the members
routes, run as the database's owner."""

from __future__ import annotations

from dataclasses import asdict

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.admin import members as admin_members
from accord.core.admin import projects as admin_projects
from accord.core.admin.settings import (
    agreement_target_of,
    demonstration_of,
    harm_categories_of,
)
from accord.core.errors import InvalidInput
from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project, parse_dimension
from accord.db.types import utcnow


def settings_json(project: Project) -> dict:
    """Every setting, as ``GET /api/v1/projects/{project}/settings`` answers them."""
    return {"name": project.name, "description": project.description,
            "overlap": project.overlap, "lease_seconds": project.lease_seconds,
            "ranking_mode": project.ranking_mode, "allow_ties": project.allow_ties,
            "require_rationale": project.require_rationale,
            "dimensions": [d.as_dict() for d in project.dimensions],
            "agreement_threshold": project.agreement_threshold,
            "gold_rate": project.gold_rate, "budget": project.budget,
            "harm_categories": harm_categories_of(project),
            "rules": admin_projects.rules_in_force(project), "mix": mix_of(project),
            "demonstration": demonstration_of(project),
            "prelabel": project.settings.get("prelabel"),
            "agreement_target": agreement_target_of(project),
            "archived": project.archived_at is not None}


MIX_HELP = ("prompt-mix targets as category=share, comma-separated (coding=0.3,qa=0.4): "
            "shares in (0, 1] summing to at most 1; replaces the targets, none clears them")


def mix_targets(text: str | None) -> dict[str, float] | None:
    """``--mix coding=0.3,qa=0.4`` → ``{"coding": 0.3, "qa": 0.4}`` (checked by core);
    ``none`` → ``{}`` (no targets); not given → None (unchanged)."""
    if text is None:
        return None
    if text.strip().lower() in ("", "none"):
        return {}
    found: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f'--mix: "{part.strip()}" must look like category=share')
        try:
            found[name.strip()] = float(value)
        except ValueError:
            raise InvalidInput(f'--mix: the share of {name.strip()} must be a number, '
                               f'not "{value}"') from None
    return found


def register(app: typer.Typer) -> None:
    """Add the administration commands to ``accord project``."""
    app.command("archive")(archive)
    app.command("unarchive")(unarchive)
    app.command("members")(list_members)
    app.command("set-roles")(set_roles)
    app.command("remove-member")(remove_member)


def _print(project: Project, json_output: bool, said: str) -> None:
    if json_output:
        print_json(settings_json(project))
    else:
        typer.echo(said)


@reports_errors
def archive(name: str, json_output: bool = typer.Option(False, "--json")):
    """Archive a project: its data and exports stay; it hands out no new tasks."""
    with transaction() as conn:
        project = admin_projects.archive(conn, None, name, utcnow())
    _print(project, json_output, f"project {name} archived")


@reports_errors
def unarchive(name: str, json_output: bool = typer.Option(False, "--json")):
    """Bring an archived project back into work."""
    with transaction() as conn:
        project = admin_projects.unarchive(conn, None, name, utcnow())
    _print(project, json_output, f"project {name} is in work again")


@reports_errors
def list_members(
    project: str,
    limit: int = typer.Option(100, "--limit", help="members per page (1 to 500)"),
    after: str | None = typer.Option(None, "--after", help="the next cursor of a page"),
    json_output: bool = typer.Option(False, "--json"),
):
    """List a project's members and their roles."""
    with transaction() as conn:
        page = admin_members.list_members(conn, None, project, limit=limit, after=after)
    if json_output:
        print_json({"items": [asdict(m) for m in page.items], "next": page.next})
        return
    for member in page.items:
        typer.echo(f"{member.name}: {', '.join(member.roles)}"
                   + ("" if member.active else " (deactivated)"))
    if page.next is not None:
        typer.echo(f"more: --after {page.next}")


@reports_errors
def set_roles(
    project: str, user: str,
    role: list[str] = typer.Option(..., "--role", help="a role from now on (repeatable)"),
    json_output: bool = typer.Option(False, "--json"),
):
    """Make these the user's roles in the project (adding them as a member if needed)."""
    with transaction() as conn:
        member = admin_members.set_roles(conn, None, project, user, role, utcnow())
    if json_output:
        print_json({"project": project, **asdict(member)})
    else:
        typer.echo(f"{user} in {project}: {', '.join(member.roles)}")


@reports_errors
def remove_member(project: str, user: str):
    """End a user's membership of a project (their past work stays)."""
    with transaction() as conn:
        admin_members.remove(conn, None, project, user, utcnow())
    typer.echo(f"{user} is no longer a member of {project}")


def dimensions_of(specs: list[str]) -> list[dict]:
    return [parse_dimension(spec).as_dict() for spec in specs]


AGREEMENT_TARGET_HELP = ("the percent-agreement band the dashboard draws, as low-high "
                         "(0.7-0.8); default restores 0.7-0.8")


def agreement_target(text: str) -> dict[str, float] | None:
    """``0.7-0.8`` → ``{"low": 0.7, "high": 0.8}`` (checked by the settings), ``default`` →
    None (the default band)."""
    if text.strip() == "default":
        return None
    low, sep, high = text.strip().partition("-")
    try:
        if not sep:
            raise ValueError
        return {"low": float(low), "high": float(high)}
    except ValueError:
        raise InvalidInput(f'--agreement-target: "{text}" must look like 0.7-0.8 '
                           "(low-high shares) or default") from None
