"""``accord generate PROJECT``: candidate responses from models for a sample of the project's
prompt pool, stored with their model, sampling and cost, then one task each: a comparison,
or with ``--drafts`` a demonstration whose writer post-edits the draft."""

from __future__ import annotations

import sys

import typer

from accord.cli.context import open_engine, print_json, reports_errors
from accord.cli.interruptions import GenerationSample, reports_interruption
from accord.cli.progress import counting_bar
from accord.llm.backend_choice import (
    BackendOptions,
    backend_models,
    open_backends,
    unlisted_warnings,
)
from accord.llm.costs import Prices
from accord.llm.generation import generate_candidates, make_plan
from accord.llm.generation_plan import COMPARISON, DEMONSTRATION
from accord.llm.local_models import SMOLLM2
from accord.llm.openai_backend import DEFAULT_TIMEOUT_S
from accord.llm.prompt_sample import parse_mix
from accord.llm.retries import Retries


@reports_errors
def generate_command(
    project: str = typer.Argument(..., help="Name of the project whose prompt pool to use."),
    backend: str = typer.Option(
        "openai", "--backend",
        help="openai (any OpenAI-compatible server: OpenAI, vLLM, SGLang, TGI, Ollama, "
             "llama.cpp) or local (a transformers model in this process).",
    ),
    models: list[str] = typer.Option(
        None, "--model", "-m",
        help="Model to generate with; repeat for several (candidates cycle through them). "
             f"Default for --backend local: {SMOLLM2}.",
    ),
    model_names: list[str] = typer.Option(
        None, "--model-name",
        help="The name responses and exports give the --model at the same position (repeat "
             "once per --model); default: its id, or for a file path the file's name without "
             "directories, extension and quantisation tag. The exact id is kept too.",
    ),
    n: int | None = typer.Option(
        None, "-n", help="Candidates per prompt (2 to 16; 2 for pairwise projects; the "
                         "default). With --drafts: drafts per prompt, 1 to 16, default 1."),
    drafts: bool = typer.Option(
        False, "--drafts",
        help="Make demonstration tasks whose candidates are drafts for writers to post-edit "
             "(the project must author demonstrations in post_edit mode; its draft rule picks "
             "the draft). Their calls are recorded as purpose draft."),
    temperatures: list[float] = typer.Option(
        None, "--temperature", "-t",
        help="Sampling temperature; repeat for several (candidates cycle through every model "
             "and temperature). Default 0.7.",
    ),
    top_p: float = typer.Option(1.0, "--top-p", help="Nucleus sampling threshold."),
    max_tokens: int = typer.Option(256, "--max-tokens", help="Longest candidate, in tokens."),
    drop_truncated: bool = typer.Option(
        False, "--drop-truncated",
        help="Leave candidates cut off at --max-tokens out of the tasks (they are stored and "
             "counted); a prompt left with fewer than 2 gets no task. Default: keep them, "
             "marked 'cut off' for annotators."),
    seed: int | None = typer.Option(
        None, "--seed", help="Sampling seed; candidate i uses seed + i (reproducible where the "
                             "backend honours seeds)."),
    mix: str | None = typer.Option(
        None, "--mix",
        help="Target share of prompts per category, e.g. coding=0.3,qa=0.7; default: toward "
             "the project's mix targets (accord project set --mix), else the pool's own "
             "proportions.",
    ),
    limit: int | None = typer.Option(
        None, "--limit", help="Prompts to take from the pool; default: as many as the mix "
                              "allows."),
    sample_seed: int = typer.Option(0, "--sample-seed",
                                    help="Which prompts the sample takes (same seed, same "
                                         "prompts: a rerun resumes)."),
    concurrency: int = typer.Option(4, "--concurrency", "-c", help="Calls in flight at once."),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Server URL (…/v1); default OPENAI_BASE_URL, else OpenAI."),
    api_key: str | None = typer.Option(None, "--api-key",
                                       help="Default: OPENAI_API_KEY."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT_S, "--timeout",
                                  help="Seconds to wait for one answer."),
    attempts: int = typer.Option(5, "--attempts",
                                 help="Tries per call (429, 5xx and timeouts are retried)."),
    price_input: float = typer.Option(0.0, "--price-input",
                                      help="Price per million prompt tokens."),
    price_output: float = typer.Option(0.0, "--price-output",
                                       help="Price per million completion tokens."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as one JSON "
                                                           "object."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Generate candidates for pool prompts (items of kind prompt) and create their tasks:
    comparisons, or with --drafts demonstrations to post-edit.

    Running the same command again fills only what is missing. A prompt whose call fails for
    good is reported on stderr as one line, the others go on, and the exit status is 1.
    """
    plan = make_plan(backend_models(backend, models), (1 if drafts else 2) if n is None else n,
                     temperatures=temperatures or [0.7], top_p=top_p, max_tokens=max_tokens,
                     seed=seed, names=model_names, kind=DEMONSTRATION if drafts else COMPARISON)
    prices = Prices(price_input, price_output)
    options = BackendOptions(base_url=base_url, api_key=api_key, timeout_s=timeout,
                             retries=Retries(attempts=attempts))
    mix_shares = parse_mix(mix)
    sample = GenerationSample(project, plan, mix_shares, limit, sample_seed)
    engine = open_engine()
    try:
        with (reports_interruption(sample.interruption, json_output=json_output),
              open_backends(backend, plan.models, options) as backends):
            for warning in unlisted_warnings(backends):
                typer.echo(warning, err=True)
            with counting_bar("Generating",
                              enabled=not quiet and sys.stderr.isatty()) as progress:
                report = generate_candidates(
                    engine, project, backends, plan, mix=mix_shares, limit=limit,
                    sample_seed=sample_seed, concurrency=concurrency, prices=prices,
                    progress=progress, drop_truncated=drop_truncated,
                    on_failure=lambda prompt, error: typer.echo(
                        f"error: prompt {prompt}: {error}", err=True),
                )
    finally:
        engine.dispose()
    for category, missing in report.short.items():
        typer.echo(f"warning: category {category} is {missing} prompts short of its share",
                   err=True)
    if report.truncated and not drop_truncated:
        typer.echo(f"warning: {report.truncated} of {report.generated} candidates were cut off "
                   f"at --max-tokens {max_tokens}; they are in their tasks, marked 'cut off', "
                   "and exports leave their pairs out unless --include-truncated (raise "
                   "--max-tokens, or --drop-truncated keeps them out of tasks)", err=True)
    if report.without_task:
        count = len(report.without_task)
        shown = ", ".join(report.without_task[:5]) + (f" and {count - 5} more"
                                                      if count > 5 else "")
        typer.echo(f"warning: {count} prompt{'' if count == 1 else 's'} got no task: fewer "
                   f"than 2 of their candidates were not cut off ({shown})", err=True)
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(f"{project}: {report.summary()}")
    if report.failed:
        raise typer.Exit(1)


