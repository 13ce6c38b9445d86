"""A trained reward model as a signal about pairs: suspect labels and active selection.

``accord train reward`` saves a sequence-classification model with one output (the reward)
and its tokenizer. Here each response is rendered as training rendered it (the prompt's
messages plus the response as the assistant's turn, through the saved chat template),
scored in batches like the held-out accuracy (:mod:`accord.train.accuracy`), and a pair
becomes a probability by the Bradley-Terry model the reward trainer fits:
``P(first is better) = sigmoid(reward(first) - reward(second))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from accord.core.curation.settled import TaskPair
from accord.core.errors import InvalidInput
from accord.core.projects.project import Project
from accord.train.models import load_tokenizer, model_dir

SCORE_BATCH = 16
MAX_LENGTH = 1024


def _conversation(messages: list[dict], response: str) -> list[dict]:
    return [*messages, {"role": "assistant", "content": response}]


@dataclass
class RewardModelSignal:
    """The reward model saved at ``path`` (a folder written by ``accord train reward``)."""

    path: Path
    _loaded: tuple[Any, Any] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # A wrong folder is one clear error before any work, not after the pairs are read.
        model_dir(Path(self.path), "reward-model")

    @property
    def name(self) -> str:
        return f"reward-model:{self.path}"

    def _model(self) -> tuple[Any, Any]:
        if self._loaded is None:
            from transformers import AutoModelForSequenceClassification

            folder = model_dir(Path(self.path), "reward-model")
            tokenizer = load_tokenizer(folder)
            try:
                model = AutoModelForSequenceClassification.from_pretrained(str(folder))
            except (OSError, ValueError) as error:
                raise InvalidInput(f'no reward model could be loaded from "{folder}": '
                                   f"{str(error).splitlines()[0]}") from error
            if model.config.num_labels != 1:
                raise InvalidInput(f'"{folder}" has {model.config.num_labels} outputs, not the '
                                   "one reward that accord train reward saves")
            model.eval()
            self._loaded = (model, tokenizer)
        return self._loaded

    def rewards(self, conversations: Sequence[list[dict]]) -> NDArray[np.float64]:
        """One reward per conversation (the last turn being the response scored)."""
        import torch

        model, tokenizer = self._model()
        texts = [tokenizer.apply_chat_template(c, tokenize=False) for c in conversations]
        found: list[float] = []
        with torch.no_grad():
            for start in range(0, len(texts), SCORE_BATCH):
                batch = tokenizer(texts[start:start + SCORE_BATCH], padding=True,
                                  truncation=True, max_length=MAX_LENGTH,
                                  add_special_tokens=False, return_tensors="pt")
                logits = model(input_ids=batch["input_ids"],
                               attention_mask=batch["attention_mask"]).logits
                found += logits.squeeze(-1).float().reshape(-1).tolist()
        return np.asarray(found, dtype=np.float64)

    def first_probability(self, conn: Connection, project: Project,
                          pairs: Sequence[TaskPair]) -> NDArray[np.float64]:
        if not pairs:
            return np.zeros(0)
        scores = self.rewards([_conversation(p.messages, text) for p in pairs
                               for text in (p.first_text, p.second_text)])
        margin = scores[0::2] - scores[1::2]
        return 1.0 / (1.0 + np.exp(-margin))
