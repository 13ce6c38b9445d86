"""``accord init`` and ``accord db …``: the schema, through migrations only."""

from __future__ import annotations

import typer

from accord.cli.context import open_engine, print_json, reports_errors
from accord.db import migrate
from accord.settings import load_settings

app = typer.Typer(help="Database schema: upgrade to the newest migration, show the current one.")


def _upgrade() -> dict:
    engine = open_engine()
    try:
        before = migrate.current_revision(engine)
        migrate.upgrade(engine)
        return {"database": load_settings().database_url, "from": before,
                "revision": migrate.current_revision(engine)}
    finally:
        engine.dispose()


@reports_errors
def init_command(json_output: bool = typer.Option(False, "--json", help="print one JSON object")):
    """Create Accord's tables in ACCORD_DATABASE_URL (or bring them up to date)."""
    result = _upgrade()
    if json_output:
        print_json(result)
    else:
        typer.echo(f"database ready at {result['database']} (schema {result['revision']})")


@app.command("upgrade")
@reports_errors
def upgrade_command(json_output: bool = typer.Option(False, "--json")):
    """Apply every migration not yet applied."""
    result = _upgrade()
    if json_output:
        print_json(result)
    else:
        typer.echo(f"schema {result['from'] or 'empty'} → {result['revision']}")


@app.command("current")
@reports_errors
def current_command():
    """Print the schema revision the database is at, and the newest one Accord knows."""
    engine = open_engine()
    try:
        typer.echo(f"current {migrate.current_revision(engine) or 'empty'}, "
                   f"newest {migrate.head_revision(engine)}")
    finally:
        engine.dispose()
