"""Write docs/cli.md, the reference of every ``accord`` command, from the Typer app itself.

The reference is generated, not written by hand, so that it cannot drift from the commands:
``tests/docs/test_cli_docs.py`` renders it again and fails while the committed file differs.
It walks Typer's own command objects (``typer.main.get_command``) rather than parsing
``--help`` text, and shows what ``--help`` shows: hidden commands and options are left out,
defaults appear where the option shows them. Run it after changing a command:

    .venv/bin/python scripts/cli_docs.py
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli.md"
REGENERATE = ".venv/bin/python scripts/cli_docs.py"

Command = TyperCommand | TyperGroup
Parameter = TyperArgument | TyperOption


def subcommands(command: Command, ctx: typer.Context) -> Iterator[tuple[typer.Context, Command]]:
    """A group's visible commands, in the order the app registered them, each with its context."""
    if not isinstance(command, TyperGroup):
        return
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            yield typer.Context(sub, parent=ctx, info_name=name), sub


def every_command(ctx: typer.Context) -> Iterator[typer.Context]:
    """Every visible command below ``ctx``, depth first: a group, then its commands."""
    for sub_ctx, _sub in subcommands(ctx.command, ctx):
        yield sub_ctx
        yield from every_command(sub_ctx)


def table_cell(text: str) -> str:
    """One line of Markdown table cell: newlines become spaces, pipes are escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def parameter_name(param: Parameter) -> str:
    """An argument by its name, an option by every flag that sets it (``--store / --no-store``)."""
    if isinstance(param, TyperArgument):
        return f"`{param.display_name_raw}`"
    names = ", ".join(f"`{opt}`" for opt in param.opts)
    if param.secondary_opts:
        names += " / " + ", ".join(f"`{opt}`" for opt in param.secondary_opts)
    return names


def parameter_type(param: Parameter, ctx: typer.Context) -> str:
    """The value's type as ``--help`` names it, with its bounds (``int ≥ 1``); flags take none."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return "count" if param.count else "flag"
    label = param.display_type(ctx).strip("<>").removesuffix(" range")
    bounds = [f"≥ {param.min}" if param.min is not None else "",
              f"≤ {param.max}" if param.max is not None else ""]
    return " ".join([label, *(bound for bound in bounds if bound)])


def default_value(param: Parameter, ctx: typer.Context) -> str:
    """The default as ``--help`` shows it; empty where there is none to show."""
    if param.required:
        return "required"
    if isinstance(param.show_default, str):
        return param.show_default
    default = param.get_default(ctx, call=False)
    if not param.show_default or default is None or default in ((), []):
        return ""
    if isinstance(param, TyperOption) and param.is_bool_flag:
        if param.secondary_opts:
            return f"`{param.opts[0] if default else param.secondary_opts[0]}`"
        return "" if not default else "on"
    if callable(default):
        return "(computed)"
    values = default if isinstance(default, list | tuple) else [default]
    shown = ", ".join(str(v.value if isinstance(v, Enum) else v) for v in values)
    return f"`{shown}`" if shown else ""


def parameter_rows(command: Command, ctx: typer.Context) -> list[str]:
    """One table row per visible argument and option; ``--help``, which every command takes,
    is left out."""
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, TyperArgument | TyperOption) or param.hidden:
            continue
        if isinstance(param, TyperOption) and "--help" in param.opts:
            continue
        default = default_value(param, ctx)
        if param.envvar:
            default = f"{default} (env `{param.envvar}`)".strip()
        rows.append(f"| {parameter_name(param)} | {parameter_type(param, ctx)} | "
                    f"{table_cell(default)} | {table_cell(param.help or '')} |")
    return rows


def anchor(ctx: typer.Context) -> str:
    """The heading's anchor as GitHub and most Markdown renderers make it."""
    return ctx.command_path.replace(" ", "-")


def command_section(ctx: typer.Context) -> list[str]:
    """A command's heading (one level deeper per group), its help, usage and parameters."""
    command = ctx.command
    level = "#" * (ctx.command_path.count(" ") + 1)
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = [f"{level} `{ctx.command_path}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    lines += ["```text", usage, "```", ""]
    rows = parameter_rows(command, ctx)
    if rows:
        lines += ["| argument or option | type | default | what it does |",
                  "| --- | --- | --- | --- |", *rows, ""]
    return lines


def render_reference(app: typer.Typer) -> str:
    """docs/cli.md's text for ``app``: an index of the commands, then one section each."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="accord")
    commands = list(every_command(ctx))
    lines = [
        "# Command-line reference",
        "",
        "Every `accord` command with its arguments and options. This file is generated from the",
        f"Typer app by `scripts/cli_docs.py`; do not edit it by hand, run `{REGENERATE}`",
        "after changing a command (a test fails while this file differs from what it writes).",
        "Every command also takes `--help`.",
        "",
        (root.help or "").strip(),
        "",
        "| command | what it does |",
        "| --- | --- |",
        *(f"| [`{sub.command_path}`](#{anchor(sub)}) | "
          f"{table_cell(sub.command.get_short_help_str(200))} |" for sub in commands),
        "",
    ]
    for sub in commands:
        lines += command_section(sub)
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    from accord.cli.main import app

    REFERENCE.write_text(render_reference(app), encoding="utf-8")
    print(f"wrote {REFERENCE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
