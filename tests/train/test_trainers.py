"""TRL's own trainers on a project's exports, with a tiny random Llama built offline.

RewardTrainer and DPOTrainer must learn the project's signal (the logged loss goes down);
KTOTrainer and SFTTrainer must run on their sets; GRPOTrainer must run with the reward model
trained here as its reward function. Every run goes through :func:`accord.train.run.train`,
as ``accord train`` does.
"""

from __future__ import annotations

import math
from dataclasses import replace
from statistics import mean

import orjson
import pytest

from accord.core.errors import InvalidInput
from accord.train.run import REPORT_FILE, TrainSettings, train

pytestmark = pytest.mark.slow

FAST = TrainSettings(batch_size=8, logging_steps=1, eval_share=0.25, seed=0,
                     activation_checkpointing=False)


def went_down(losses: list[float], k: int = 5) -> bool:
    return mean(losses[-k:]) < mean(losses[:k])


def settings(**changes) -> TrainSettings:
    return replace(FAST, **changes)


def test_reward_model_learns_the_signal_and_reports_held_out_accuracy(
        polite_project, tiny_model, tmp_path):
    out = tmp_path / "rm"
    report = train(polite_project, "polite", "reward", tiny_model, out,
                   settings(steps=30, learning_rate=1e-3))
    assert report.steps == 30 and len(report.losses) == 30
    assert went_down(report.losses), report.losses
    assert report.train_rows + report.eval_rows == 96 and report.rows_used == report.train_rows
    assert report.accuracy is not None and report.accuracy.eval_pairs == report.eval_rows
    assert report.accuracy.accuracy > 0.7
    assert set(report.accuracy.by_agreement) == {"0.67", "1.00"}
    assert set(report.accuracy.by_category) == {"qa", "coding", "creative"}
    assert {"eval_loss", "eval_accuracy"} <= set(report.eval_metrics)
    saved = orjson.loads((out / REPORT_FILE).read_bytes())
    assert saved["accuracy"] == report.accuracy.accuracy and saved["kind"] == "reward"
    assert (out / "config.json").is_file() and (out / "tokenizer_config.json").is_file()


def test_dpo_lowers_its_loss_on_the_preference_pairs(polite_project, tiny_model, tmp_path):
    report = train(polite_project, "polite", "dpo", tiny_model, tmp_path / "dpo",
                   settings(steps=30, learning_rate=1e-3))
    assert report.losses[0] == pytest.approx(math.log(2), abs=1e-3)  # policy == reference
    assert went_down(report.losses), report.losses
    assert report.eval_metrics["eval_rewards/accuracies"] > 0.5


def test_kto_and_sft_run_on_their_sets(polite_project, tiny_model, tmp_path):
    kto = train(polite_project, "polite", "kto", tiny_model, tmp_path / "kto",
                settings(steps=4, learning_rate=1e-3))
    assert kto.train_rows + kto.eval_rows == 2 * 96 and kto.steps == 4
    assert all(math.isfinite(loss) for loss in kto.losses) and len(kto.losses) == 4
    sft = train(polite_project, "polite", "sft", tiny_model, tmp_path / "sft",
                settings(steps=4, learning_rate=1e-3, eval_share=0.5))
    assert sft.train_rows + sft.eval_rows == 30 and sft.steps == 4
    assert all(math.isfinite(loss) for loss in sft.losses) and len(sft.losses) == 4
    assert math.isfinite(sft.eval_metrics["eval_loss"])


def test_grpo_is_rewarded_by_the_trained_reward_model(polite_project, tiny_model, tmp_path):
    reward_model = tmp_path / "rm"
    train(polite_project, "polite", "reward", tiny_model, reward_model,
          settings(steps=4, learning_rate=1e-3))
    report = train(polite_project, "polite", "grpo", tiny_model, tmp_path / "grpo",
                   settings(steps=2, batch_size=4, num_generations=2,
                            max_completion_length=8, reward_model=reward_model))
    assert report.steps == 2 and all(math.isfinite(loss) for loss in report.losses)
    assert report.train_rows == report.train_prompts  # one row per distinct prompt
    assert (tmp_path / "grpo" / "config.json").is_file()


def test_grpo_without_a_reward_model_and_kto_with_batches_of_one_are_refused(
        polite_project, tiny_model, tmp_path):
    with pytest.raises(InvalidInput, match="grpo needs --reward-model"):
        train(polite_project, "polite", "grpo", tiny_model, tmp_path / "g", settings(steps=1))
    with pytest.raises(InvalidInput, match=r"kto: .*batch size must be > 1"):
        train(polite_project, "polite", "kto", tiny_model, tmp_path / "k",
              settings(steps=1, batch_size=1))


def test_resume_goes_on_from_the_last_checkpoint(polite_project, tiny_model, tmp_path):
    out = tmp_path / "rm"
    with pytest.raises(InvalidInput, match="no checkpoint"):
        train(polite_project, "polite", "reward", tiny_model, out,
              settings(steps=2, resume=True))
    train(polite_project, "polite", "reward", tiny_model, out, settings(steps=2, save_steps=2))
    resumed = train(polite_project, "polite", "reward", tiny_model, out,
                    settings(steps=4, save_steps=2, resume=True))
    assert resumed.steps == 4
    assert len(resumed.losses) == 4  # the first two were logged before the checkpoint
