"""``accord export``: files, counts as JSON, and one-line errors."""

from __future__ import annotations

import orjson
import pytest
import typer
from typer.testing import CliRunner

from accord.cli.exporting import export_command
from tests.exports.conftest import read_rows


@pytest.fixture
def cli(world, db_url, monkeypatch) -> CliRunner:
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    return CliRunner()


def app() -> typer.Typer:
    """The export command registered as the main app registers it."""
    application = typer.Typer()
    application.callback()(lambda: None)  # keep "export" a subcommand, as in the real app
    application.command("export")(export_command)
    return application


def test_json_output_is_one_object_with_the_counts_and_the_path(cli, out_dir):
    out = out_dir / "prefs.parquet"
    result = cli.invoke(app(), ["export", "prefs", "--format", "preference", "--out", str(out),
                                "--json"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == {
        "project": "prefs", "format": "preference", "file_format": "parquet",
        "path": str(out), "rows": 2, "tasks": 4, "ties_dropped": 2,
    }
    assert len(read_rows(out)) == 2


def test_plain_output_is_a_one_line_summary(cli, out_dir):
    out = out_dir / "demos.data"
    result = cli.invoke(app(), ["export", "prefs", "--format", "sft", "--out", str(out),
                                "--file-format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote 3 sft rows to {out} (jsonl; 1 tasks considered, 0 pairs dropped as ties)"
    ]
    assert out.read_bytes().count(b"\n") == 3


def test_an_unknown_format_is_one_clear_line_and_exit_1(cli, out_dir):
    result = cli.invoke(app(), ["export", "prefs", "--format", "dpo", "--out",
                                str(out_dir / "x.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'error: export format "dpo" is not one of preference, kto, prompts, raw, sft, card, hf'
    ]
    assert list(out_dir.iterdir()) == []


def test_an_unknown_project_is_one_clear_line_and_exit_1(cli, out_dir):
    result = cli.invoke(app(), ["export", "ghost", "--format", "raw", "--out",
                                str(out_dir / "x.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ['error: project "ghost" does not exist']
