"""How well a trained reward model predicts held-out human consensus.

Each held-out pair is scored twice by the reward model (prompt + chosen, prompt + rejected);
the model is right when it scores the consensus-chosen response strictly higher (a tie counts
as wrong). Accuracy is reported overall, per prompt category, and per level of human
agreement (the export's ``agreement``: the share of the pair's annotators who sided with the
majority, e.g. 0.67 for a 2-1 split, 1.00 when unanimous).

``human_agreement`` beside each accuracy is the mean of that agreement over the same pairs:
the rate at which one of the project's annotators, drawn at random, agreed with the consensus.
A reward model at that level predicts consensus about as well as a single annotator does;
well below it, the model has not learnt what the annotators agree on. Accuracy that rises with
the agreement level is the expected shape: contested pairs are hard for people and models
alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

# trl exports its trainers lazily (no __all__), which pyright reads as private
if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedTokenizerBase
    from trl import RewardTrainer  # pyright: ignore[reportPrivateImportUsage]

SCORE_BATCH = 16  # pairs scored per forward pass (two sequences each)


@dataclass(frozen=True)
class GroupAccuracy:
    """Accuracy over one group of held-out pairs, beside the humans' agreement on them."""

    pairs: int
    accuracy: float
    human_agreement: float

    def as_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "accuracy": self.accuracy,
                "human_agreement": self.human_agreement}


@dataclass(frozen=True)
class RewardAccuracy:
    """A reward model's accuracy on the held-out consensus pairs (see the module doc)."""

    eval_pairs: int
    accuracy: float | None
    """``None`` when there was no held-out pair to score."""
    human_agreement: float | None
    by_category: dict[str, GroupAccuracy]
    by_agreement: dict[str, GroupAccuracy]
    """Keyed by the agreement level to two decimals (``"0.67"``, ``"1.00"``), ascending."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "eval_pairs": self.eval_pairs, "accuracy": self.accuracy,
            "human_agreement": self.human_agreement,
            "by_category": {k: v.as_dict() for k, v in self.by_category.items()},
            "by_agreement": {k: v.as_dict() for k, v in self.by_agreement.items()},
        }


def _group(correct: NDArray[np.bool_], agreement: NDArray[np.float64]) -> GroupAccuracy:
    return GroupAccuracy(int(correct.size), float(correct.mean()), float(agreement.mean()))


def accuracy_from_scores(
    chosen: Sequence[float], rejected: Sequence[float], categories: Sequence[str | None],
    agreements: Sequence[float],
) -> RewardAccuracy:
    """The accuracy report from the scores of each held-out pair's two responses."""
    chosen_scores = np.asarray(chosen, dtype=np.float64)
    correct = chosen_scores > np.asarray(rejected, dtype=np.float64)
    agreement = np.asarray(agreements, dtype=np.float64)
    if not correct.size:
        return RewardAccuracy(0, None, None, {}, {})
    labels = np.asarray([c if c is not None else "" for c in categories], dtype=object)
    by_category = {
        str(category): _group(correct[labels == category], agreement[labels == category])
        for category in sorted(set(labels.tolist()))
    }
    levels = np.round(agreement, 2)
    by_agreement = {
        f"{level:.2f}": _group(correct[levels == level], agreement[levels == level])
        for level in np.unique(levels).tolist()
    }
    overall = _group(correct, agreement)
    return RewardAccuracy(overall.pairs, overall.accuracy, overall.human_agreement,
                          by_category, by_agreement)


def score_pairs(model: Any, dataset: Dataset, pad_token_id: int) -> tuple[list[float], list[float]]:
    """The model's rewards for each row's ``chosen_ids`` and ``rejected_ids`` (as TRL
    tokenized them), batched with TRL's own preference collator."""
    import torch
    from trl.trainer.reward_trainer import DataCollatorForPreference

    collate = DataCollatorForPreference(pad_token_id=pad_token_id)
    device = next(model.parameters()).device
    chosen: list[float] = []
    rejected: list[float] = []
    ids = dataset.select_columns(["chosen_ids", "rejected_ids"])
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for start in range(0, ids.num_rows, SCORE_BATCH):
                rows = ids[start:start + SCORE_BATCH]
                batch = collate([{"chosen_ids": c, "rejected_ids": r}
                                 for c, r in zip(rows["chosen_ids"], rows["rejected_ids"],
                                                 strict=True)])
                logits = model(input_ids=batch["input_ids"].to(device),
                               attention_mask=batch["attention_mask"].to(device)).logits
                scores = logits.squeeze(-1).float().cpu().tolist()
                half = len(scores) // 2
                chosen += scores[:half]
                rejected += scores[half:]
    finally:
        model.train(was_training)
    return chosen, rejected


def reward_accuracy(trainer: RewardTrainer) -> RewardAccuracy:
    """Score the trainer's (already tokenized) eval split with its trained model."""
    # Accord gives the trainer a datasets.Dataset split and a tokenizer (train.run._trainer);
    # TRL's types allow any torch dataset and any processor.
    dataset = cast("Dataset | None", trainer.eval_dataset)
    if dataset is None or dataset.num_rows == 0:
        return RewardAccuracy(0, None, None, {}, {})
    model = trainer.accelerator.unwrap_model(trainer.model)
    tokenizer = cast("PreTrainedTokenizerBase", trainer.processing_class)
    # transformers reads every special token's id through one __getattr__, typed for all
    # of them at once (lists, strings, None); a pad token's id is an int
    pad_token_id: int = tokenizer.pad_token_id  # pyright: ignore[reportAssignmentType]
    chosen, rejected = score_pairs(model, dataset, pad_token_id)
    return accuracy_from_scores(chosen, rejected, dataset["category"], dataset["agreement"])
