"""``accord export`` with the training options: splits, filters, token warnings, card, hf."""

from __future__ import annotations

import datasets
import orjson
import pytest

from tests.exports.conftest import read_rows
from tests.exports.test_cli import app, cli  # noqa: F401 - the fixture is used by name


def test_split_writes_train_and_test_files_and_reports_both(cli, out_dir):  # noqa: F811
    out = out_dir / "prefs.jsonl"
    result = cli.invoke(app(), ["export", "prefs", "--format", "preference", "--out", str(out),
                                "--split", "0.5", "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert set(report["splits"]) == {"train", "test"}
    train, test = out_dir / "prefs.train.jsonl", out_dir / "prefs.test.jsonl"
    assert len(read_rows(train)) + len(read_rows(test)) == report["rows"] == 2
    assert not out.exists()


def test_long_rows_are_warned_about_on_stderr_and_counted(cli, out_dir):  # noqa: F811
    result = cli.invoke(app(), ["export", "prefs", "--format", "preference", "--out",
                                str(out_dir / "p.jsonl"), "--max-tokens", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: 2 rows exceed 3 tokens (counted by "
                                    "characters/4)")
    assert orjson.loads(result.stdout)["over_max_tokens"] == 2


def test_filters_are_applied_and_reported(cli, out_dir):  # noqa: F811
    out = out_dir / "p.jsonl"
    result = cli.invoke(app(), ["export", "prefs", "--format", "preference", "--out", str(out),
                                "--min-agreement", "0.9", "--category", "qa", "--json"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["filters"] == {"min_agreement": 0.9,
                                                      "categories": ["qa"]}
    assert [r["task_id"] for r in read_rows(out)] == ["unanimous"]


@pytest.mark.parametrize("args", [["--format", "card"], ["--format", "hf"]])
def test_card_and_hf_are_written(cli, out_dir, args):  # noqa: F811
    out = out_dir / ("card.md" if "card" in args else "prefs-hf")
    result = cli.invoke(app(), ["export", "prefs", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    if "card" in args:
        assert out.read_text().startswith("# Data card: prefs")
    else:
        assert len(datasets.load_from_disk(str(out))["train"]) == 2


def test_a_bad_pairs_option_is_one_clear_line(cli, out_dir):  # noqa: F811
    result = cli.invoke(app(), ["export", "prefs", "--format", "preference", "--out",
                                str(out_dir / "p.jsonl"), "--pairs", "some"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'error: --pairs must be one of all, best-vs-rest, not "some"']
