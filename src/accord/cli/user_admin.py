"""``accord user list / show / expertise / deactivate / reactivate / invite /
link-identity / unlink-identity``: the same functions of ``core.admin`` as
``/api/v1/users…`` and ``/api/v1/invites``, run as the database's owner."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.admin import accounts, deactivation, identities, invites
from accord.core.admin.accounts import Account
from accord.db.types import utcnow
from accord.settings import load_settings


def register(app: typer.Typer) -> None:
    """Add the administration commands to ``accord user``."""
    app.command("list")(list_users)
    app.command("show")(show)
    app.command("expertise")(expertise)
    app.command("deactivate")(deactivate)
    app.command("reactivate")(reactivate)
    app.command("invite")(invite)
    app.command("link-identity")(link_identity)
    app.command("unlink-identity")(unlink_identity)


def account_json(account: Account) -> dict:
    found = asdict(account)
    for key in ("created_at", "deactivated_at"):
        found[key] = None if found[key] is None else found[key].isoformat()
    return found


def _line(account: Account) -> str:
    flags = [f for f, on in (("admin", account.is_admin), ("deactivated", not account.active))
             if on]
    tags = ", ".join(account.expertise) or "no expertise"
    return f"{account.name} ({account.kind}{''.join(', ' + f for f in flags)}): {tags}"


def _say(account: Account, line: str, json_output: bool) -> None:
    if json_output:
        print_json(account_json(account))
    else:
        typer.echo(line)


@reports_errors
def list_users(
    limit: int = typer.Option(100, "--limit", help="users per page (1 to 500)"),
    after: str | None = typer.Option(None, "--after", help="the next cursor of a page"),
    json_output: bool = typer.Option(False, "--json"),
):
    """List users by name, a page at a time."""
    with transaction() as conn:
        page = accounts.list_accounts(conn, None, limit=limit, after=after)
    if json_output:
        print_json({"items": [account_json(a) for a in page.items], "next": page.next})
        return
    for account in page.items:
        typer.echo(_line(account))
    if page.next is not None:
        typer.echo(f"more: --after {page.next}")


@reports_errors
def show(name: str, json_output: bool = typer.Option(False, "--json")):
    """Show one user."""
    with transaction() as conn:
        account = accounts.read_account(conn, None, name)
    _say(account, _line(account), json_output)


@reports_errors
def expertise(
    name: str,
    tags: str = typer.Argument(..., help="the new tags, e.g. coding,stem.math ('' for none)"),
    json_output: bool = typer.Option(False, "--json"),
):
    """Replace a user's expertise tags (PUT /api/v1/users/{user}/expertise)."""
    with transaction() as conn:
        account = accounts.set_expertise(conn, None, name, tags.split(","), utcnow())
    _say(account, _line(account), json_output)


@reports_errors
def deactivate(name: str, json_output: bool = typer.Option(False, "--json")):
    """Stop a user acting at once: tokens and sessions end, leases go back to the pool."""
    with transaction() as conn:
        done = deactivation.deactivate(conn, None, name, utcnow())
    if json_output:
        print_json({"user": account_json(done.account), "leases_released": done.leases_released,
                    "tokens_revoked": done.tokens_revoked,
                    "sessions_ended": done.sessions_ended})
    else:
        typer.echo(f"{name} deactivated: {done.tokens_revoked} tokens revoked, "
                   f"{done.sessions_ended} sessions ended, {done.leases_released} leases "
                   "released")


@reports_errors
def reactivate(name: str, json_output: bool = typer.Option(False, "--json")):
    """Let a deactivated user log in again (issue a token with `accord user token`)."""
    with transaction() as conn:
        account = deactivation.reactivate(conn, None, name, utcnow())
    _say(account, f"{name} is active again", json_output)


@reports_errors
def invite(
    name: str | None = typer.Option(None, "--name", help="bind the login name"),
    project: str | None = typer.Option(None, "--project", help="make them a member of this"),
    role: list[str] = typer.Option([], "--role", help="role in --project (repeatable)"),
    tags: str = typer.Option("", "--expertise", help="tags, e.g. coding,stem.math"),
    admin: bool = typer.Option(False, "--admin"),
    valid_hours: float | None = typer.Option(
        None, "--valid-hours", help="how long the link works (ACCORD_INVITE_HOURS)"),
    base_url: str | None = typer.Option(
        None, "--base-url", help="the server's address as people reach it"),
    json_output: bool = typer.Option(False, "--json"),
):
    """Print a one-time link where a new person chooses their password and logs in."""
    settings = load_settings()
    hours = valid_hours if valid_hours is not None else settings.invite_hours
    with transaction() as conn:
        made = invites.create_invite(
            conn, None, utcnow(), valid_for=timedelta(hours=hours), name=name, project=project,
            roles=role, expertise=tags.split(",") if tags else [], is_admin=admin)
    base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    url = f"{base}/invite/{made.secret}"
    if json_output:
        print_json({"url": url, "name": made.invite.name, "project": made.invite.project,
                    "roles": made.invite.roles,
                    "expires_at": made.invite.expires_at.isoformat()})
    else:
        typer.echo(url)


ISSUER_HELP = "the provider's issuer URL, exactly as its ID tokens name it (ACCORD_OIDC_ISSUER)"
SUBJECT_HELP = "the person's subject (sub) at the provider"


@reports_errors
def link_identity(
    name: str,
    issuer: str = typer.Option(..., "--issuer", help=ISSUER_HELP),
    subject: str = typer.Option(..., "--subject", help=SUBJECT_HELP),
    json_output: bool = typer.Option(False, "--json"),
):
    """Let an existing user sign in through the single sign-on provider as themselves
    (never done by name or e-mail automatically)."""
    with transaction() as conn:
        found, made = identities.link_identity(conn, None, name, issuer, subject, utcnow())
    if json_output:
        print_json({"user": found.user, "issuer": found.issuer, "subject": found.subject,
                    "linked": made})
    elif made:
        typer.echo(f'{name} is linked to "{subject}" of {issuer}')
    else:
        typer.echo(f'{name} was already linked to "{subject}" of {issuer}; nothing changed')


@reports_errors
def unlink_identity(
    name: str,
    issuer: str = typer.Option(..., "--issuer", help=ISSUER_HELP),
    subject: str = typer.Option(..., "--subject", help=SUBJECT_HELP),
):
    """Stop a provider identity signing in as this user."""
    with transaction() as conn:
        identities.unlink_identity(conn, None, name, issuer, subject, utcnow())
    typer.echo(f'{name} is no longer linked to "{subject}" of {issuer}')
