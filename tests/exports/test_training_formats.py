"""The training formats: preference options, KTO, prompts, the data card, splits, token
checks and Hugging Face datasets."""

from __future__ import annotations

import datasets
import pytest
from sqlalchemy import insert, select

from accord.core.errors import InvalidInput
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from accord.exports import ExportOptions, export
from tests.exports.conftest import read_rows


def _pairs(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["chosen"][0]["content"], r["rejected"][0]["content"]) for r in rows]


def test_best_vs_rest_keeps_the_pairs_of_the_best_response(world, out_dir):
    every = export(world.engine, "ranks", "preference", out_dir / "all.jsonl")
    best = export(world.engine, "ranks", "preference", out_dir / "best.jsonl",
                  options=ExportOptions(pairs="best-vs-rest"))

    assert (every.rows, best.rows) == (3, 2)
    assert _pairs(read_rows(out_dir / "best.jsonl")) == [("alpha", "beta"), ("alpha", "gamma")]


def test_a_stored_consensus_decides_chosen_and_keeps_the_votes_margin(world, out_dir):
    with world.engine.begin() as conn:
        task_id = conn.execute(select(tasks.c.id).where(tasks.c.external_id == "k3")).scalar_one()
        conn.execute(insert(task_consensus).values(
            task_id=task_id, method="bradley_terry", ranking=[["c"], ["b"], ["a"]],
            computed_at=utcnow()))

    export(world.engine, "ranks", "preference", out_dir / "p.jsonl")

    rows = read_rows(out_dir / "p.jsonl")
    assert sorted(_pairs(rows)) == [("beta", "alpha"), ("gamma", "alpha"), ("gamma", "beta")]
    by_pair = {pair: row for pair, row in zip(_pairs(rows), rows, strict=True)}
    assert by_pair["gamma", "alpha"]["margin"] < 0  # the votes preferred alpha


def test_kto_labels_completions_by_their_net_wins(world, out_dir):
    export(world.engine, "ranks", "kto", out_dir / "kto.parquet")

    rows = read_rows(out_dir / "kto.parquet")
    assert [(r["completion"][0]["content"], r["label"]) for r in rows] == [
        ("alpha", True), ("gamma", False)]
    assert rows[0]["prompt"] == [{"role": "user", "content": "question k3"}]


def test_prompts_export_gives_each_distinct_prompt_once(world, out_dir):
    export(world.engine, "prefs", "prompts", out_dir / "prompts.jsonl")

    rows = read_rows(out_dir / "prompts.jsonl")
    texts = [r["prompt"][0]["content"] for r in rows]
    assert len(texts) == len(set(texts)) and "question split" in texts
    assert set(rows[0]) == {"prompt", "category", "prompt_id"}


def test_filters_narrow_the_preference_rows(world, out_dir):
    def rows(**options) -> list[str]:
        path = out_dir / "f.jsonl"
        export(world.engine, "prefs", "preference", path, options=ExportOptions(**options))
        return [r["task_id"] for r in read_rows(path)]

    assert rows() == ["split", "unanimous"]
    assert rows(min_agreement=0.9) == ["unanimous"]
    assert rows(categories=("coding",)) == ["split"]
    assert rows(sources=("ai",)) == []
    assert rows(guideline_versions=(1,)) == []
    assert rows(since=utcnow()) == []


def test_unknown_options_are_refused():
    with pytest.raises(InvalidInput, match="--pairs must be one of all, best-vs-rest"):
        ExportOptions(pairs="some")
    with pytest.raises(InvalidInput, match='source "robot"'):
        ExportOptions(sources=("robot",))


def test_the_token_check_counts_long_rows_approximately_without_a_tokenizer(world, out_dir):
    report = export(world.engine, "prefs", "preference", out_dir / "p.jsonl", max_tokens=3)

    assert report.over_max_tokens == 2 and report.token_count == "characters/4"
    assert report.as_dict()["over_max_tokens"] == 2


def test_the_data_card_names_counts_sources_and_filters(world, out_dir):
    out = out_dir / "card.md"

    export(world.engine, "prefs", "card", out, options=ExportOptions(min_agreement=0.5))

    text = out.read_text()
    for expected in ("# Data card: prefs", "| coding | 1 |", "| human | 2 |",
                     "## Agreement", "## Annotator pool", "| 2 | published |",
                     "`min_agreement`: 0.5", "## Known caveats"):
        assert expected in text


def test_the_hf_export_loads_with_load_from_disk(world, out_dir):
    out = out_dir / "prefs-hf"

    report = export(world.engine, "prefs", "hf", out, split=0.5)

    loaded = datasets.load_from_disk(str(out))
    assert set(loaded) == {"train", "test"}
    assert len(loaded["train"]) + len(loaded["test"]) == report.rows == 2
    assert set(loaded["train"].column_names) >= {"prompt", "chosen", "rejected", "source"}


def test_the_token_check_counts_with_a_local_tokenizer(world, out_dir, tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    words = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(["question split unanimous answer a b to longer"],
                              trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    folder = tmp_path / "tokenizer"
    PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]").save_pretrained(folder)

    def over(limit: int) -> int | None:
        return export(world.engine, "prefs", "preference", out_dir / "p.jsonl",
                      max_tokens=limit, tokenizer=str(folder)).over_max_tokens

    # Each row: "question X" and "longer answer b to X", 2 + 5 words by this tokenizer.
    assert (over(6), over(7)) == (2, 0)
