"""``accord export --split`` for every row format: the same rows as the whole export, divided
by prompt (no prompt on both sides), with a test side the size of the fraction asked for.

The seeded project holds 90 comparisons (two annotators agree on each) and 60 demonstrations
written by both annotators, each on its own prompt: every format has several rows per prompt
somewhere (raw: two per task; SFT: two per demonstration; KTO: two per pair).
"""

from __future__ import annotations

import datasets
import orjson
import pytest
from sqlalchemy import Engine

from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.types import utcnow
from accord.exports.hygiene import prompt_key, row_prompt
from tests.demonstration_helpers import accept_every_demonstration
from tests.exports.conftest import read_rows
from tests.exports.test_cli import app
from tests.factories import add_comparison, make_project, make_user

COMPARISONS, DEMONSTRATIONS = 90, 60


def _seed(engine: Engine) -> None:
    project = make_project(engine, "seeded", overlap=2)
    people = [make_user(engine, f"writer{i}", project=project, roles=("annotator",)).user
              for i in range(2)]
    with engine.begin() as conn:
        for i in range(COMPARISONS):
            add_comparison(conn, project, f"c{i}", category="coding" if i % 3 else "qa")
        for i in range(DEMONSTRATIONS):
            add_comparison(conn, project, f"d{i}", contents={}, kind="demonstration",
                           category="summarization")
    for person in people:
        for _ in range(COMPARISONS + DEMONSTRATIONS):
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, utcnow())
                assert claim is not None
                judgment = (Judgment(response=f"{person.name} on {claim.task.id}")
                            if claim.task.kind == "demonstration"
                            else Judgment(ranking=[["a"], ["b"]]))
                submissions.submit(conn, person, claim.assignment_id, judgment, utcnow())
    # the SFT export holds accepted demonstrations: a reviewer accepts every one
    editor = make_user(engine, "editor", project=project, roles=("reviewer",)).user
    accept_every_demonstration(engine, project, editor)


@pytest.fixture
def seeded(engine, db_url, monkeypatch):
    from typer.testing import CliRunner

    _seed(engine)
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    return CliRunner()


def _run(cli, *args: str) -> dict:
    result = cli.invoke(app(), ["export", "seeded", *args, "--json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return orjson.loads(result.stdout)


def _rows(path) -> list[dict]:
    if path.suffix in (".jsonl", ".parquet"):
        return read_rows(path)
    return [dict(row) for row in datasets.load_from_disk(str(path))]


def _same_rows(first: list[dict], second: list[dict]) -> bool:
    def key(row: dict) -> bytes:
        return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)
    return sorted(map(key, first)) == sorted(map(key, second))


# format, file name, the number of distinct prompts its rows carry
FORMATS = [
    ("preference", "out.jsonl", COMPARISONS),
    ("kto", "out.parquet", COMPARISONS),
    ("prompts", "out.jsonl", COMPARISONS + DEMONSTRATIONS),
    ("raw", "out.parquet", COMPARISONS + DEMONSTRATIONS),
    ("sft", "out.jsonl", DEMONSTRATIONS),
]


@pytest.mark.parametrize(("fmt", "name", "prompts"), FORMATS)
@pytest.mark.parametrize("fraction", [0.5, 0.25])
def test_every_format_splits_by_prompt_to_the_fraction(seeded, tmp_path, fmt, name, prompts,
                                                       fraction):
    whole = tmp_path / name
    _run(seeded, "--format", fmt, "--out", str(whole))
    report = _run(seeded, "--format", fmt, "--out", str(tmp_path / f"split-{name}"),
                  "--split", str(fraction))
    sides = {side: _rows(tmp_path / f"split-out.{side}{whole.suffix}")
             for side in ("train", "test")}
    assert {side: found["rows"] for side, found in report["splits"].items()} == {
        side: len(rows) for side, rows in sides.items()}
    assert _same_rows(sides["train"] + sides["test"], _rows(whole))
    keys = {side: {prompt_key(row_prompt(row)) for row in rows} for side, rows in sides.items()}
    assert not keys["train"] & keys["test"], "a prompt is on both sides"
    assert len(keys["train"] | keys["test"]) == prompts
    # A hash of each prompt decides its side: the test share follows the fraction, within
    # what 60 to 150 independent draws allow (a fixed outcome here: the hash is stable).
    assert abs(len(keys["test"]) / prompts - fraction) < 0.1


def test_the_hf_format_splits_into_the_two_splits_of_one_dataset_dict(seeded, tmp_path):
    whole, split = tmp_path / "whole-hf", tmp_path / "split-hf"
    _run(seeded, "--format", "hf", "--out", str(whole))
    report = _run(seeded, "--format", "hf", "--out", str(split), "--split", "0.5")
    loaded = datasets.load_from_disk(str(split))
    assert set(loaded) == {"train", "test"}
    assert report["rows"] == len(loaded["train"]) + len(loaded["test"]) == COMPARISONS
    keys = {side: {prompt_key(row["prompt"]) for row in loaded[side]} for side in loaded}
    assert not keys["train"] & keys["test"]
    assert abs(len(keys["test"]) / COMPARISONS - 0.5) < 0.1
    assert _same_rows([dict(r) for r in loaded["train"]] + [dict(r) for r in loaded["test"]],
                      [dict(r) for r in datasets.load_from_disk(str(whole))["train"]])


def test_the_data_card_cannot_be_split_and_says_so(seeded, tmp_path):
    result = seeded.invoke(app(), ["export", "seeded", "--format", "card", "--out",
                                   str(tmp_path / "card.md"), "--split", "0.5"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "error: the data card is one document: it cannot be split"]


@pytest.mark.parametrize("fmt", ["sft", "raw", "prompts"])
def test_the_token_check_reads_every_format(seeded, tmp_path, fmt):
    report = _run(seeded, "--format", fmt, "--out", str(tmp_path / "out.jsonl"),
                  "--max-tokens", "1")
    assert report["over_max_tokens"] == report["rows"] > 0
