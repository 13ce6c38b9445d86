"""``accord serve`` and ``accord demo``: run the web app."""

from __future__ import annotations

import typer
import uvicorn

from accord.cli.context import open_engine, reports_errors
from accord.db import migrate
from accord.demo import seed as demo_seed
from accord.settings import SettingError, Settings, load_settings
from accord.web.sso import single_sign_on


def _run(host: str, port: int, workers: int, access_log: bool) -> None:
    uvicorn.run(
        "accord.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
        # Longer than clients' idle expiry (httpx: 5 s), so a reused connection is never
        # closed under a request in flight.
        timeout_keep_alive=30,
    )


def checked_settings() -> Settings:
    """The settings, single sign-on's checked before any server starts: a wrong one is one
    line here, not a traceback from every worker process."""
    try:
        settings = load_settings()
        single_sign_on(settings)
    except SettingError as error:
        raise typer.BadParameter(str(error)) from None
    return settings


@reports_errors
def serve_command(
    host: str = typer.Option(None, "--host", help="default ACCORD_HOST or 127.0.0.1"),
    port: int = typer.Option(None, "--port", help="default ACCORD_PORT or 8000"),
    workers: int = typer.Option(
        1, "--workers", min=1,
        help="server processes sharing one address, each with its own database pool "
             "(PostgreSQL: 2 or more; SQLite has one writer, so 1 serves it best)"),
    access_log: bool = typer.Option(False, "--access-log/--no-access-log"),
):
    """Serve the API on ACCORD_DATABASE_URL (run `accord init` first)."""
    settings = checked_settings()
    engine = open_engine()
    try:
        if migrate.current_revision(engine) != migrate.head_revision(engine):
            raise typer.BadParameter("the database is not up to date; run `accord init` first")
    finally:
        engine.dispose()
    _run(host or settings.host, port or settings.port, workers, access_log)


@reports_errors
def demo_command(
    host: str = typer.Option(None, "--host"),
    port: int = typer.Option(None, "--port"),
    no_serve: bool = typer.Option(False, "--no-serve", help="set up and print, do not serve"),
):
    """Set up the demo project on ACCORD_DATABASE_URL, print the logins, and serve it."""
    settings = checked_settings()
    host, port = host or settings.host, port or settings.port
    engine = open_engine()
    try:
        migrate.upgrade(engine)
        logins = demo_seed.seed(engine)
    finally:
        engine.dispose()
    base = f"http://{host}:{port}"
    typer.echo(f"\nAccord demo: project '{demo_seed.PROJECT}' on {settings.database_url}")
    typer.echo(f"  server    {base}")
    typer.echo(f"  log in    {base}/login  (as an annotator below, to annotate in the browser)")
    typer.echo(f"  API docs  {base}/docs  (Authorize with a token below)\n")
    typer.echo(f"  {'user':<9} {'roles':<18} {'password':<18} token")
    for login in logins:
        typer.echo(f"  {login.name:<9} {','.join(login.roles):<18} {login.password:<18} "
                   f"{login.token}")
    annotator = next(x for x in logins if "annotator" in x.roles)
    typer.echo("\nTry it:")
    typer.echo(f"  curl -H 'Authorization: Bearer {annotator.token}' "
               f"{base}/api/v1/projects/{demo_seed.PROJECT}/tasks/next\n")
    if not no_serve:
        _run(host, port, 1, False)
