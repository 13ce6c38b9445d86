"""``accord suspects`` and ``accord prioritize``: curation from an independent signal.

Both run as the database's owner, like every other command, in one transaction; a
``reward-model:PATH`` signal loads the model through the training extra
(:mod:`accord.train.reward_scores`), ``judge:NAME`` reads that judge's stored verdicts.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.context import print_json, reports_errors, transaction
from accord.core.curation import priorities, signals, suspects
from accord.core.curation.signals import JudgeSignal, Signal
from accord.core.errors import InvalidInput
from accord.db.types import utcnow


def signal_named(text: str) -> Signal:
    """The signal ``judge:NAME`` or ``reward-model:PATH`` names."""
    kind, value = signals.parse(text)
    if kind == "judge":
        return JudgeSignal(value)
    try:
        from accord.train.reward_scores import RewardModelSignal
    except ImportError as error:
        raise InvalidInput("reward-model signals need the training extra "
                           f"(pip install 'accord[train]'): {error}") from error
    return RewardModelSignal(Path(value))


@reports_errors
def suspects_command(
    project: str = typer.Argument(..., help="Name of the project."),
    signal: str = typer.Option(
        ..., "--signal", help="judge:NAME (an AI judge's stored verdicts) or "
                              "reward-model:PATH (a folder written by accord train reward)."),
    top: int = typer.Option(suspects.DEFAULT_TOP, "--top",
                            help="Store at most this many suspects, most doubtful first."),
    json_output: bool = typer.Option(False, "--json", help="Print the run as one JSON object."),
) -> None:
    """Rank the settled labels most likely wrong (confident learning against the signal,
    weighted by the consensus' confidence); store them for review and --exclude-suspect."""
    chosen = signal_named(signal)
    with transaction() as conn:
        run = suspects.find_suspects(conn, None, project, chosen, top, now=utcnow())
    if json_output:
        print_json(run.as_dict())
        return
    typer.echo(f"run {run.run_id}: {run.signal} gave an opinion on {run.signalled_pairs:,} of "
               f"{run.settled_pairs:,} settled pairs; {run.issues:,} doubted, "
               f"{len(run.suspects):,} stored for review"
               + (f" ({run.superseded:,} earlier suspects superseded)" if run.superseded else ""))
    for s in run.suspects:
        typer.echo(f"{s.rank:>4}. task {s.task_id}: {s.chosen} over {s.rejected}; signal gives "
                   f"{s.signal_probability:.3f} to {s.chosen}, P(wrong) = {s.score:.3f}")


@reports_errors
def prioritize_command(
    project: str = typer.Argument(..., help="Name of the project."),
    by: str = typer.Option(..., "--by", help=f"Strategy: {', '.join(priorities.STRATEGIES)}."),
    signal: str | None = typer.Option(
        None, "--signal", help="For --by judge: judge:NAME or just NAME; for --by "
                               "reward-model: reward-model:PATH or just PATH."),
    json_output: bool = typer.Option(False, "--json", help="Print the run as one JSON object."),
) -> None:
    """Set the priorities of the project's open tasks by active selection; every change is
    recorded with its reason, and a rerun that changes nothing writes nothing."""
    chosen: Signal | None = None
    if by in priorities.SIGNALLED:
        if signal is None:
            raise InvalidInput(f"--by {by} needs --signal")
        chosen = signal_named(signal if signal.startswith(f"{by}:") else f"{by}:{signal}")
    elif signal is not None:
        raise InvalidInput(f"--by {by} takes no --signal")
    with transaction() as conn:
        run = priorities.prioritize(conn, None, project, by, chosen, now=utcnow())
    if json_output:
        print_json(run.as_dict())
        return
    typer.echo(f"{run.changed:,} of {run.open_tasks:,} open tasks changed priority by {by}"
               + (f" (run {run.run_id})" if run.changed else "; nothing to record"))
