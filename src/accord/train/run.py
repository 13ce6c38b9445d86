"""Train on a project with TRL's own trainers: the launcher behind ``accord train``.

Accord's part is only what TRL cannot know: which rows a project gives (read from the
export streams, split by prompt — :mod:`accord.train.data`), where the model is (a local
directory — :mod:`accord.train.models`), and, after reward training, how well the model
predicts the held-out human consensus (:mod:`accord.train.accuracy`). Everything else — the
tokenization, the losses, the optimiser, checkpoints, logging, devices and multi-GPU runs
under ``accelerate launch`` — is TRL's and transformers' own, configured through TRL 1.16's
config classes:

========  ====================  ======================================================
kind      TRL trainer           rows it gets
========  ====================  ======================================================
reward    ``RewardTrainer``     preference pairs (``margin`` kept unless turned off)
dpo       ``DPOTrainer``        preference pairs; the reference model is a frozen copy
kto       ``KTOTrainer``        unpaired completions with labels, shuffled by the seed
sft       ``SFTTrainer``        demonstrations as ``messages``
grpo      ``GRPOTrainer``       distinct prompts; the reward is a trained reward model
========  ====================  ======================================================

TRL's defaults stand unless a setting overrides them (learning rates differ per trainer:
1e-4 reward, 1e-6 DPO and KTO, 2e-5 SFT, 1e-6 GRPO). Mixed precision (bf16) is used only on
a GPU that supports it: on a CPU it is slower and less precise than float32.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine

from accord.core.errors import InvalidInput
from accord.train.accuracy import RewardAccuracy, reward_accuracy
from accord.train.data import Split, load_split
from accord.train.models import load_tokenizer, model_dir

KINDS = ("reward", "dpo", "kto", "sft", "grpo")
SET_FOR = {"reward": "preference", "dpo": "preference", "kto": "kto", "sft": "sft",
           "grpo": "prompts"}
REPORT_FILE = "accord-train.json"

Log = Callable[[str], None]


@dataclass(frozen=True)
class TrainSettings:
    """What a user may set; ``None`` leaves TRL's default for the trainer."""

    steps: int | None = None
    """Optimiser steps; ``None`` trains for ``epochs`` instead."""
    epochs: float = 1.0
    learning_rate: float | None = None
    batch_size: int = 8
    """Per device; TRL's KTO needs at least 2 (its KL estimate pairs rows within a batch)."""
    max_length: int | None = None
    """Tokens. RewardTrainer drops longer pairs, DPO/SFT/KTO truncate; TRL's default 1024."""
    eval_share: float = 0.1
    seed: int = 42
    logging_steps: int = 10
    save_steps: int = 500
    """A checkpoint every this many steps in the output folder, so ``resume`` can go on."""
    resume: bool = False
    """Go on from the last checkpoint in the output folder."""
    use_margin: bool = True
    """Reward: pass the export's ``margin`` to RewardTrainer's margin loss."""
    activation_checkpointing: bool = True
    """Recompute activations in the backward pass (TRL's default): less memory, more time."""
    reward_model: Path | None = None
    """GRPO: the trained reward model (a folder written by ``accord train reward``)."""
    num_generations: int = 4
    """GRPO: completions sampled per prompt; the batch size must be a multiple of it."""
    max_completion_length: int = 64
    """GRPO: tokens generated per completion."""


@dataclass(frozen=True)
class TrainReport:
    """What a run did: the split, the losses TRL logged, and for reward models the accuracy."""

    kind: str
    project: str
    model: Path
    out: Path
    train_rows: int
    eval_rows: int
    train_prompts: int
    eval_prompts: int
    rows_used: int
    """Train rows left after TRL's preparation (RewardTrainer drops pairs over max_length)."""
    steps: int
    losses: list[float]
    """Every training loss TRL logged, in order."""
    train_loss: float | None
    eval_metrics: dict[str, float]
    accuracy: RewardAccuracy | None
    main_process: bool = True
    """False on the other ranks of a multi-process (``accelerate launch``) run."""

    def as_dict(self) -> dict[str, Any]:
        found = {
            "kind": self.kind, "project": self.project, "model": str(self.model),
            "out": str(self.out), "train_rows": self.train_rows, "eval_rows": self.eval_rows,
            "train_prompts": self.train_prompts, "eval_prompts": self.eval_prompts,
            "rows_used": self.rows_used, "steps": self.steps,
            "first_loss": self.losses[0] if self.losses else None,
            "last_loss": self.losses[-1] if self.losses else None,
            "train_loss": self.train_loss, "eval": self.eval_metrics,
        }
        if self.accuracy is not None:
            found |= self.accuracy.as_dict()
        return found


def _config_arguments(kind: str, settings: TrainSettings, out: Path) -> dict[str, Any]:
    import torch

    arguments: dict[str, Any] = {
        "output_dir": str(out), "seed": settings.seed, "data_seed": settings.seed,
        "per_device_train_batch_size": settings.batch_size,
        "per_device_eval_batch_size": settings.batch_size,
        "max_steps": settings.steps if settings.steps is not None else -1,
        "num_train_epochs": settings.epochs, "logging_steps": settings.logging_steps,
        "save_strategy": "steps", "save_steps": settings.save_steps, "save_total_limit": 2,
        "eval_strategy": "no", "report_to": "none",
        "activation_checkpointing": settings.activation_checkpointing,
        "bf16": torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
        "dataloader_pin_memory": torch.cuda.is_available(),
    }
    if settings.learning_rate is not None:
        arguments["learning_rate"] = settings.learning_rate
    if settings.max_length is not None and kind != "grpo":
        arguments["max_length"] = settings.max_length
    if kind == "grpo":
        arguments |= {"num_generations": settings.num_generations,
                      "max_completion_length": settings.max_completion_length}
    return arguments


def _trainer(kind: str, model: Path, split: Split, settings: TrainSettings, out: Path) -> Any:
    """TRL's trainer for ``kind``, configured; TRL's own refusals become one clear error."""
    import trl

    # trl exports its trainers lazily (imports under TYPE_CHECKING, no __all__), which
    # pyright reads as private
    config_class, trainer_class = {
        "reward": (trl.RewardConfig, trl.RewardTrainer),  # pyright: ignore[reportPrivateImportUsage]
        "dpo": (trl.DPOConfig, trl.DPOTrainer),  # pyright: ignore[reportPrivateImportUsage]
        "kto": (trl.KTOConfig, trl.KTOTrainer),  # pyright: ignore[reportPrivateImportUsage]
        "sft": (trl.SFTConfig, trl.SFTTrainer),  # pyright: ignore[reportPrivateImportUsage]
        "grpo": (trl.GRPOConfig, trl.GRPOTrainer),  # pyright: ignore[reportPrivateImportUsage]
    }[kind]
    train, held_out = split.train, split.eval
    if kind == "reward" and not settings.use_margin:
        train = train.remove_columns("margin")
        held_out = held_out.remove_columns("margin") if held_out is not None else None
    if kind == "kto":
        # KTO samples sequentially and estimates its KL term from neighbouring rows, which
        # must not be the two answers to one prompt.
        train = train.shuffle(seed=settings.seed).flatten_indices()
    extra: dict[str, Any] = {}
    if kind == "grpo":
        if settings.reward_model is None:
            raise InvalidInput("grpo needs --reward-model: a folder written by accord train reward")
        reward_path = model_dir(settings.reward_model, "--reward-model")
        extra = {"reward_funcs": str(reward_path),
                 "reward_processing_classes": load_tokenizer(reward_path)}
        held_out = None  # evaluating GRPO means generating; it is left to the user
    try:
        args = config_class(**_config_arguments(kind, settings, out))
        return trainer_class(model=str(model), args=args, train_dataset=train,
                             eval_dataset=held_out, processing_class=load_tokenizer(model),
                             **extra)
    except ValueError as error:
        raise InvalidInput(f"{kind}: {str(error).strip().splitlines()[0]}") from error


def _checkpoint(out: Path, resume: bool) -> str | None:
    if not resume:
        return None
    from transformers.trainer_utils import get_last_checkpoint

    found = get_last_checkpoint(str(out)) if out.is_dir() else None
    if found is None:
        raise InvalidInput(f'--resume: there is no checkpoint in "{out}" to go on from')
    return found


def train(
    engine: Engine, project: str, kind: str, model: Path, out: Path,
    settings: TrainSettings | None = None, log: Log | None = None,
) -> TrainReport:
    """Train ``model`` on ``project``'s data with TRL's ``kind`` trainer; write it to ``out``.

    The model (and its tokenizer) is saved to ``out`` with ``save_model``, beside a JSON copy
    of the report (:data:`REPORT_FILE`). ``log`` gets a line about the split before training;
    TRL prints its own progress and losses.
    """
    settings = settings or TrainSettings()
    if int(os.environ.get("RANK", "0")) != 0:
        log = None  # under accelerate launch or torchrun, one process speaks for all
    if kind not in KINDS:
        raise InvalidInput(f'training kind "{kind}" is not one of {", ".join(KINDS)}')
    model = model_dir(model)
    out = Path(out)
    resume_from = _checkpoint(out, settings.resume)
    split = load_split(engine, project, SET_FOR[kind], settings.eval_share)
    if log is not None:
        log(f"{kind} on {project}: {split.train.num_rows:,} train rows "
            f"({split.train_prompts:,} prompts), {split.eval_rows:,} eval rows "
            f"({split.eval_prompts:,} prompts), split by prompt")
    trainer = _trainer(kind, model, split, settings, out)
    rows_used = trainer.train_dataset.num_rows
    if log is not None and rows_used < split.train.num_rows:
        log(f"TRL left out {split.train.num_rows - rows_used:,} train rows longer than "
            "max_length")
    result = trainer.train(resume_from_checkpoint=resume_from)
    trainer.save_model(str(out))
    eval_metrics = trainer.evaluate() if trainer.eval_dataset is not None else {}
    accuracy = reward_accuracy(trainer) if kind == "reward" else None
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    report = TrainReport(
        kind=kind, project=project, model=model, out=out, train_rows=split.train.num_rows,
        eval_rows=split.eval_rows, train_prompts=split.train_prompts,
        eval_prompts=split.eval_prompts, rows_used=rows_used, steps=trainer.state.global_step,
        losses=losses, train_loss=result.training_loss,
        eval_metrics={k: float(v) for k, v in eval_metrics.items()}, accuracy=accuracy,
        main_process=trainer.is_world_process_zero(),
    )
    if report.main_process:
        (out / REPORT_FILE).write_bytes(
            orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)
        )
    return report

