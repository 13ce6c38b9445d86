"""``accord user …``: people and AI judges, their expertise and their API tokens."""

from __future__ import annotations

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.cli.user_admin import register
from accord.core.admin import accounts
from accord.core.people import users as user_rules
from accord.core.people.passwords import hash_password
from accord.db.types import utcnow

app = typer.Typer(help="Add users, issue API tokens, set passwords.")


@app.command("add")
@reports_errors
def add(
    name: str = typer.Argument(..., help="login name"),
    project: str | None = typer.Option(None, "--project", help="make them a member of this"),
    role: list[str] = typer.Option([], "--role", help="role in --project (repeatable)"),
    expertise: str = typer.Option("", "--expertise", help="tags, e.g. coding,stem.math"),
    password: str | None = typer.Option(None, "--password", help="for logging in to pages"),
    admin: bool = typer.Option(False, "--admin", help="may see and manage every project"),
    kind: str = typer.Option("human", "--kind", help="human, ai or imported"),
    pay_rate: float | None = typer.Option(None, "--pay-rate", help="per hour, for cost reports"),
    json_output: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Add a user and print their API token (shown this once; only its hash is kept)."""
    if role and not project:
        raise typer.BadParameter("--role needs --project")
    with transaction() as conn:
        new = accounts.create_account(
            conn, None, name, utcnow(), kind=kind,
            password_hash=hash_password(password) if password else None, is_admin=admin,
            expertise=user_rules.parse_expertise(expertise), pay_rate_per_hour=pay_rate,
            project=project, roles=role,
        )
    if json_output:
        print_json({"name": name, "kind": kind, "admin": admin, "token": new.token,
                    "project": project, "roles": (role or ["annotator"]) if project else []})
    else:
        typer.echo(f"user {name} added; API token (shown once): {new.token}")


@app.command("token")
@reports_errors
def token(
    name: str,
    label: str = typer.Option("", "--label"),
    revoke_others: bool = typer.Option(False, "--revoke-others",
                                       help="revoke every other token of the user"),
    json_output: bool = typer.Option(False, "--json"),
):
    """Issue another API token for an existing user (POST /api/v1/users/{user}/tokens)."""
    with transaction() as conn:
        _, value, revoked = accounts.reset_tokens(conn, None, name, utcnow(), label=label,
                                                  revoke_others=revoke_others)
    if json_output:
        print_json({"name": name, "token": value, "revoked": revoked})
    else:
        typer.echo(value)


@app.command("set-password")
@reports_errors
def set_password(name: str, password: str = typer.Option(..., "--password", prompt=True,
                                                          hide_input=True)):
    """Set the password a user logs in to the pages with."""
    with transaction() as conn:
        user_rules.set_password(conn, user_rules.get_user(conn, name).id, password)
    typer.echo(f"password set for {name}")


register(app)
