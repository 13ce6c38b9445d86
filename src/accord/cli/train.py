"""``accord train reward|dpo|kto|sft|grpo PROJECT --model PATH --out DIR``: TRL on a project.

Each subcommand builds its training set from the project, split by prompt, and runs TRL's own
trainer (:mod:`accord.train.run`). TRL's progress and losses go to stderr, so that stdout holds
only the summary — or, with ``--json``, one JSON object. The training modules (and torch) are
imported only when a subcommand runs: ``accord`` works without the ``train`` extra.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli.context import fail, open_engine, print_json, reports_errors

if TYPE_CHECKING:
    from accord.train.run import TrainReport

app = typer.Typer(
    help="Train on a project's annotations with TRL (needs the train extra: "
         "pip install 'accord[train]').",
    no_args_is_help=True,
)

HELP = {
    "reward": "Train a reward model (TRL RewardTrainer) on the preference pairs, then report its "
              "accuracy on the held-out consensus pairs.",
    "dpo": "Align a causal LM with DPO (TRL DPOTrainer) on the preference pairs.",
    "kto": "Align a causal LM with KTO (TRL KTOTrainer): winners labelled desirable, losers "
           "undesirable.",
    "sft": "Fine-tune a causal LM (TRL SFTTrainer) on the demonstrations.",
    "grpo": "Run GRPO (TRL GRPOTrainer) on the project's prompts, rewarded by a reward model "
            "trained with 'accord train reward'.",
}


def _echo_err(line: str) -> None:
    typer.echo(line, err=True)


def _summary(report: TrainReport) -> list[str]:
    losses = (f"loss {report.losses[0]:.4f} -> {report.losses[-1]:.4f}" if report.losses
              else "no loss logged")
    lines = [f"trained {report.kind} on {report.project}: {report.steps} steps, "
             f"{report.rows_used:,} train rows, {losses}; saved to {report.out}"]
    if "eval_loss" in report.eval_metrics:
        lines.append(f"eval loss {report.eval_metrics['eval_loss']:.4f} on "
                     f"{report.eval_rows:,} held-out rows")
    accuracy = report.accuracy
    if accuracy is None:
        return lines
    if accuracy.accuracy is None:
        return [*lines, "no held-out pairs to measure accuracy on (raise --eval-share)"]
    lines.append(f"accuracy on {accuracy.eval_pairs:,} held-out consensus pairs: "
                 f"{accuracy.accuracy:.3f} (an annotator agrees with the consensus "
                 f"{accuracy.human_agreement:.3f})")
    for title, groups in (("by category", accuracy.by_category),
                          ("by human agreement", accuracy.by_agreement)):
        parts = [f"{name} {group.accuracy:.3f} ({group.pairs})" for name, group in groups.items()]
        lines.append(f"  {title}: {', '.join(parts)}")
    return lines


def _command(kind: str) -> Callable[..., None]:
    """The subcommand for ``kind``: one signature for all, kind-only options hidden elsewhere."""

    @reports_errors
    def command(
        project: str = typer.Argument(..., help="Name of the project to train on."),
        model: Path = typer.Option(
            ..., "--model", help="Local folder with a model and tokenizer (save_pretrained)."),
        out: Path = typer.Option(..., "--out", help="Folder to write the trained model to."),
        steps: int | None = typer.Option(
            None, "--steps", min=1, help="Optimiser steps (default: --epochs over the data)."),
        epochs: float = typer.Option(1.0, "--epochs", min=0.0),
        learning_rate: float | None = typer.Option(
            None, "--learning-rate", help="Default: TRL's for this trainer."),
        batch_size: int = typer.Option(8, "--batch-size", min=1, help="Per device."),
        max_length: int | None = typer.Option(
            None, "--max-length", min=1, hidden=kind == "grpo",
            help="Tokens per sequence (default: TRL's, 1024)."),
        eval_share: float = typer.Option(
            0.1, "--eval-share", help="Share of prompts held out for evaluation."),
        seed: int = typer.Option(42, "--seed"),
        logging_steps: int = typer.Option(10, "--logging-steps", min=1),
        save_steps: int = typer.Option(500, "--save-steps", min=1,
                                       help="Checkpoint every this many steps."),
        resume: bool = typer.Option(
            False, "--resume", help="Go on from the last checkpoint in --out."),
        activation_checkpointing: bool = typer.Option(
            True, "--activation-checkpointing/--no-activation-checkpointing",
            help="Recompute activations: less memory, slower (TRL's default: on)."),
        margin: bool = typer.Option(
            True, "--margin/--no-margin", hidden=kind != "reward",
            help="Use the export's margin in the reward loss."),
        reward_model: Path | None = typer.Option(
            None, "--reward-model", hidden=kind != "grpo",
            help="Reward model folder written by 'accord train reward' (required)."),
        num_generations: int = typer.Option(
            4, "--num-generations", min=2, hidden=kind != "grpo",
            help="Completions per prompt; --batch-size must be a multiple of it."),
        max_completion_length: int = typer.Option(
            64, "--max-completion-length", min=1, hidden=kind != "grpo"),
        json_output: bool = typer.Option(
            False, "--json", help="Print one JSON object with the split, losses and metrics."),
    ) -> None:
        if reward_model is not None and kind != "grpo":
            fail("--reward-model is for grpo only")
        try:
            from accord.train.run import TrainSettings, train
        except ImportError as error:
            fail(f"training needs the train extra: pip install 'accord[train]' ({error})")
        settings = TrainSettings(
            steps=steps, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size,
            max_length=max_length, eval_share=eval_share, seed=seed,
            logging_steps=logging_steps, save_steps=save_steps, resume=resume,
            use_margin=margin, activation_checkpointing=activation_checkpointing,
            reward_model=reward_model, num_generations=num_generations,
            max_completion_length=max_completion_length,
        )
        engine = open_engine()
        try:
            with redirect_stdout(sys.stderr):  # TRL prints its logs; stdout is the summary's
                report = train(engine, project, kind, model, out, settings, log=_echo_err)
        finally:
            engine.dispose()
        if not report.main_process:
            return
        if json_output:
            print_json(report.as_dict())
        else:
            typer.echo("\n".join(_summary(report)))

    command.__doc__ = HELP[kind]
    command.__name__ = f"train_{kind}"
    return command


for _kind in HELP:
    app.command(_kind)(_command(_kind))
