"""The ``accord`` command: one Typer app gathering the command groups."""

from __future__ import annotations

import typer

from accord.cli import (
    calibration,
    database,
    demonstrations,
    guidelines,
    projects,
    server,
    train,
    users,
)
from accord.cli.curation import prioritize_command, suspects_command
from accord.cli.exporting import export_command
from accord.cli.generate import generate_command
from accord.cli.importing import import_command
from accord.cli.judge import judge_audit_command, judge_command, judge_route_command
from accord.cli.report import report_command

app = typer.Typer(
    name="accord",
    help="Accord: human feedback data for aligning language models.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("init")(database.init_command)
app.add_typer(database.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(projects.app, name="project")
app.add_typer(guidelines.app, name="guideline")
app.add_typer(calibration.app, name="calibration")
app.add_typer(demonstrations.app, name="demonstrations")
app.command("import")(import_command)
app.command("generate")(generate_command)
app.command("export")(export_command)
app.command("report")(report_command)
app.command("judge")(judge_command)
app.command("judge-audit")(judge_audit_command)
app.command("judge-route")(judge_route_command)
app.command("suspects")(suspects_command)
app.command("prioritize")(prioritize_command)
app.add_typer(train.app, name="train")
app.command("serve")(server.serve_command)
app.command("demo")(server.demo_command)

if __name__ == "__main__":
    app()
