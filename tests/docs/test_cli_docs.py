"""docs/cli.md is exactly what ``scripts/cli_docs.py`` generates from the Typer app, so a
command or option added, removed or changed without regenerating it fails here, with the
command that regenerates it."""

from __future__ import annotations

import difflib

import typer
from scripts.cli_docs import REFERENCE, REGENERATE, render_reference

from accord.cli.main import app

DIFF_LINES_SHOWN = 60


def test_docs_cli_is_the_reference_the_typer_app_generates():
    committed = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    generated = render_reference(app)
    diff = list(difflib.unified_diff(
        committed.splitlines(), generated.splitlines(),
        "docs/cli.md (committed)", "docs/cli.md (from the commands)", n=1, lineterm="",
    ))
    assert not diff, (
        f"docs/cli.md is out of date: run `{REGENERATE}` and commit docs/cli.md.\n"
        + "\n".join(diff[:DIFF_LINES_SHOWN])
    )


def _small_app() -> typer.Typer:
    small = typer.Typer(help="A small app.", rich_markup_mode=None)
    people = typer.Typer(help="People.")

    @people.command("add")
    def add(
        name: str = typer.Argument(..., help="Login | name."),
        retries: int = typer.Option(3, "--retries", "-r", min=1, help="Tries."),
        store: bool = typer.Option(True, "--store/--no-store", help="Keep it."),
        quiet: bool = typer.Option(False, "--quiet"),
        secret: str = typer.Option("", "--secret", hidden=True),
    ) -> None:
        """Add a person.

        Second paragraph.
        """

    @small.command("hidden", hidden=True)
    def hidden() -> None:
        """Never shown."""

    small.add_typer(people, name="people")
    return small


def test_the_reference_shows_every_visible_command_and_option_as_help_shows_them():
    text = render_reference(_small_app())
    assert "| [`accord people add`](#accord-people-add) | Add a person. |" in text
    assert "### `accord people add`\n\nAdd a person.\n\nSecond paragraph.\n" in text
    assert "```text\naccord people add [OPTIONS] {name}\n```" in text
    assert "| `name` | str | required | Login \\| name. |" in text
    assert "| `--retries`, `-r` | int ≥ 1 | `3` | Tries. |" in text
    assert "| `--store` / `--no-store` | flag | `--store` | Keep it. |" in text
    assert "| `--quiet` | flag |  |  |" in text
    assert "--secret" not in text
    assert "hidden" not in text
    assert "| `--help`" not in text
