"""``accord train``: one JSON object on stdout, TRL's progress on stderr, one-line errors."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from accord.cli.main import app

pytestmark = pytest.mark.slow


@pytest.fixture
def cli(polite_project, monkeypatch) -> CliRunner:
    monkeypatch.setenv("ACCORD_DATABASE_URL", str(polite_project.url))
    return CliRunner()


def test_reward_json_is_one_object_with_the_held_out_accuracy(cli, tiny_model, tmp_path):
    out = tmp_path / "rm"
    result = cli.invoke(app, [
        "train", "reward", "polite", "--model", str(tiny_model), "--out", str(out),
        "--steps", "6", "--learning-rate", "1e-3", "--eval-share", "0.25", "--seed", "0",
        "--logging-steps", "2", "--no-activation-checkpointing", "--json",
    ])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert {"accuracy", "by_category", "by_agreement", "eval_pairs", "human_agreement"} <= set(
        report)
    assert report["kind"] == "reward" and report["steps"] == 6
    assert report["eval_pairs"] == report["eval_rows"] > 0
    assert set(report["by_agreement"]) == {"0.67", "1.00"}
    assert "'loss'" in result.stderr  # TRL's own logging, kept off stdout
    assert "reward on polite:" in result.stderr
    assert (out / "model.safetensors").is_file()


def test_plain_output_summarises_the_run(cli, tiny_model, tmp_path):
    result = cli.invoke(app, [
        "train", "sft", "polite", "--model", str(tiny_model), "--out", str(tmp_path / "sft"),
        "--steps", "2", "--eval-share", "0.5", "--no-activation-checkpointing",
    ])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("trained sft on polite: 2 steps, ")
    assert lines[1].startswith("eval loss ")


@pytest.mark.parametrize(("arguments", "message"), [
    (["reward", "polite", "--model", "/no/such/model"],
     'error: --model "/no/such/model" is not a directory'),
    (["reward", "nope", "--model", "{model}"], 'error: project "nope" does not exist'),
    (["grpo", "polite", "--model", "{model}"], "error: grpo needs --reward-model"),
    (["dpo", "polite", "--model", "{model}", "--reward-model", "{model}"],
     "error: --reward-model is for grpo only"),
])
def test_mistakes_are_one_clear_line_and_exit_1(cli, tiny_model, tmp_path, arguments, message):
    arguments = [a.replace("{model}", str(tiny_model)) for a in arguments]
    result = cli.invoke(app, ["train", *arguments, "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(message), result.stderr
    assert result.stdout == ""
