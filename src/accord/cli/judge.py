"""``accord judge``, ``accord judge-audit`` and ``accord judge-route``: the AI judge (RLAIF).

``judge`` has a model compare every pair of responses in a project that the judge has not
compared yet, both orders each time, and stores each verdict as an annotation by a user of
kind ``ai``; rerun it and it picks up where it stopped. ``judge-audit`` measures the judge
against people (agreement, Cohen's κ) and against itself (swap consistency). ``judge-route``
sets which tasks the judge may settle and settles them; people keep the rest.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import typer
from sqlalchemy import Connection

from accord.cli.context import open_engine, print_json, reports_errors, transaction
from accord.cli.interruptions import judging_interruption, reports_interruption
from accord.cli.progress import counting_bar
from accord.core.errors import InvalidInput
from accord.core.judging import hybrid
from accord.core.judging.judge_audit import judge_audit
from accord.core.projects.project import Project, get_project
from accord.db.types import utcnow
from accord.llm import constitution as constitutions
from accord.llm.backend_choice import (
    BackendOptions,
    backend_models,
    open_backends,
    unlisted_warnings,
)
from accord.llm.costs import Prices
from accord.llm.judge import TOP_LOGPROBS, JudgeSetup, PairJudge, greedy
from accord.llm.judge_run import JudgeRun, run_judge
from accord.llm.local_models import SMOLLM2
from accord.llm.model_names import name_models
from accord.llm.openai_backend import DEFAULT_TIMEOUT_S
from accord.llm.retries import Retries

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._@-]+")


def default_judge_name(model: str) -> str:
    """``judge-`` and the model's name, with characters a user name cannot hold replaced."""
    return ("judge-" + _UNSAFE_NAME.sub("-", model).strip("-"))[:120]


def _route(conn: Connection, project: Project, rule: hybrid.HybridRule) -> dict:
    """Route the project's tasks by ``rule``, auditing the judge only when the rule asks
    for a κ."""
    kappa = judge_audit(conn, project, rule.judge)["kappa"] if rule.min_kappa is not None \
        else None
    return hybrid.route(conn, project, utcnow(), kappa).as_dict()


def _route_after(project_name: str, judge: str) -> dict | None:
    """Route the project's tasks when its hybrid rule names this judge."""
    with transaction() as conn:
        project = get_project(conn, project_name)
        rule = hybrid.rule_of(project)
        if rule is None or rule.judge != judge:
            return None
        return _route(conn, project, rule)


@reports_errors
def judge_command(
    project: str = typer.Argument(..., help="Name of the project whose pairs to judge."),
    backend: str = typer.Option("openai", "--backend", help="openai (any OpenAI-compatible "
                                "server: OpenAI, vLLM, SGLang, TGI, Ollama, llama.cpp) or "
                                "local (a transformers model in this process)."),
    model: str | None = typer.Option(
        None, "--model", "-m", help="The model that judges, as the backend names it. Default "
                                    f"for --backend local: {SMOLLM2}."),
    model_name: str | None = typer.Option(
        None, "--model-name", help="What verdicts, the ledger and the default judge name call "
                                   "the model; default: its id, or for a file path the file's "
                                   "name without directories, extension and quantisation tag."),
    judge: str | None = typer.Option(None, "--judge", help="The judge's user name (default: "
                                     "judge-MODEL-NAME). One name stands for one model."),
    constitution: Path | None = typer.Option(
        None, "--constitution", dir_okay=False,
        help="A constitution file (TOML: name, version, [[principles]]); default: Accord's "
             "helpful-harmless-v1."),
    seed: int = typer.Option(0, "--seed", help="Seeds each task's principle and which order "
                             "is shown first (same seed, same draws)."),
    concurrency: int = typer.Option(4, "--concurrency", "-c", help="Calls in flight at once."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Judge at most this many "
                                     "tasks in this run."),
    parse_attempts: int = typer.Option(3, "--parse-attempts", help="Replies asked for, per "
                                       "order, until one names a verdict."),
    max_tokens: int = typer.Option(256, "--max-tokens", min=1, help="Longest reply (verdict "
                                   "and reasons) per call."),
    logprobs: bool = typer.Option(True, "--logprobs/--no-logprobs", help="Ask for the first "
                                  "token's log-probabilities (a soft preference)."),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Server URL (…/v1); default OPENAI_BASE_URL, else OpenAI."),
    api_key: str | None = typer.Option(None, "--api-key", help="Default: OPENAI_API_KEY."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT_S, "--timeout",
                                  help="Seconds to wait for one answer."),
    attempts: int = typer.Option(5, "--attempts",
                                 help="Tries per call (429, 5xx and timeouts are retried)."),
    price_input: float = typer.Option(0.0, "--price-input",
                                      help="Price per million prompt tokens."),
    price_output: float = typer.Option(0.0, "--price-output",
                                       help="Price per million completion tokens."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
):
    """Judge a project's pairs with an AI judge, in both orders each.

    A task of more than two responses is judged on every pair and ranked by Bradley-Terry
    over the pairs' soft preferences (a K-way judgment).

    Running the same command again judges only the tasks this judge has not judged. A task
    that fails is reported on stderr and left for the next run, and the exit status is 1.
    When the project lets this judge settle tasks (accord judge-route), it routes them after.
    """
    model = backend_models(backend, [model] if model else None)[0]
    named = name_models([model], [model_name] if model_name is not None else None)[0]
    setup = JudgeSetup(
        constitution=constitutions.load(constitution), backend=backend, seed=seed,
        parse_attempts=parse_attempts, sampling=replace(greedy(), max_tokens=max_tokens),
        top_logprobs=TOP_LOGPROBS if logprobs else 0, prices=Prices(price_input, price_output),
    )
    name = judge or default_judge_name(named.name)
    options = BackendOptions(base_url=base_url, api_key=api_key, timeout_s=timeout,
                             retries=Retries(attempts=attempts, seed=seed))
    engine = open_engine()
    try:
        with (reports_interruption(judging_interruption(project, name), json_output=json_output),
              open_backends(backend, [model], options) as chats):
            for warning in unlisted_warnings(chats):
                typer.echo(warning, err=True)
            with counting_bar("Judging", enabled=not quiet and not json_output
                              and sys.stderr.isatty()) as progress:
                run = run_judge(engine, project, name,
                                PairJudge(chats[model], setup, named.name),
                                concurrency=concurrency, limit=limit, progress=progress)
    finally:
        engine.dispose()
    routing = _route_after(project, name)
    _print_run(run, routing, json_output)
    if run.failed:
        raise typer.Exit(1)


def _print_run(run: JudgeRun, routing: dict | None, json_output: bool) -> None:
    """The run on stdout (one JSON object with ``--json``); its failures on stderr in both
    modes, as ``accord generate`` reports them, so a script reading the JSON sees them too
    and a person watching stderr does not miss them."""
    if json_output:
        print_json({**run.as_dict(), "routing": routing})
    else:
        typer.echo(run.summary())
    for failure in run.failures:
        typer.echo(f"  {failure['task']}: {failure['error']}", err=True)
    if run.failed:
        tasks = "task" if run.failed == 1 else "tasks"
        typer.echo(f"{run.failed} {tasks} failed; run the command again to retry them",
                   err=True)
    if routing is not None and not json_output:
        typer.echo(_routing_line(routing))


def _routing_line(routing: dict) -> str:
    reasons = ", ".join(f"{count} {reason.replace('_', ' ')}"
                        for reason, count in routing["to_humans"].items()) or "none"
    return (f"routing: {routing['settled']} settled by {routing['judge']}, "
            f"{routing['returned']} returned to people; to people: {reasons}")


@reports_errors
def judge_audit_command(
    project: str = typer.Argument(..., help="Name of the project."),
    judge: str = typer.Option(..., "--judge", help="The AI judge's user name."),
    min_votes: int = typer.Option(1, "--min-votes", help="Human votes a pair needs before "
                                  "their consensus is a reference."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """How far to trust an AI judge: agreement and Cohen's κ with people, swap consistency."""
    with transaction() as conn:
        result = judge_audit(conn, get_project(conn, project), judge, min_votes=min_votes)
    if json_output:
        print_json(result)
        return
    typer.echo(_audit_text(result))


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _audit_text(result: dict) -> str:
    return "\n".join([
        f"judge {result['judge']} ({result['model'] or 'model unknown'}) on {result['project']}",
        f"  judgments: {result['judgments']}; compared with a reference: {result['pairs']} "
        f"pairs ({result['gold']['pairs']} gold, {result['human_consensus']['pairs']} human "
        "consensus)",
        f"  agreement: {_figure(result['agreement'])}, Cohen's kappa: {_figure(result['kappa'])}",
        f"  swap consistency: {_figure(result['swap_consistency'])} "
        f"over {result['swap_measured']} judgments; mean confidence "
        f"{_figure(result['mean_confidence'])}",
    ]) + "\n"


@reports_errors
def judge_route_command(
    project: str = typer.Argument(..., help="Name of the project."),
    judge: str | None = typer.Option(None, "--judge", help="Let this AI judge settle tasks "
                                     "(stored in the project's settings)."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", help="Settle only "
                                                "verdicts at least this confident (0-1)."),
    settle: bool | None = typer.Option(None, "--settle/--no-settle", help="Whether the judge "
                                       "may settle tasks at all."),
    human_category: list[str] | None = typer.Option(
        None, "--human-category", help="A category people always judge (repeat; default "
                                       "safety)."),
    min_kappa: float | None = typer.Option(None, "--min-kappa", help="Settle only while the "
                                           "judge's audit kappa reaches this."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Let the AI judge settle the tasks it is sure of; send the rest to people."""
    with transaction() as conn:
        found = get_project(conn, project)
        current = hybrid.rule_of(found)
        if judge is None and current is None:
            raise InvalidInput(f'project "{found.name}" has no AI judge rule yet: pass --judge')
        base = current.as_setting() if current else {}
        given = {"judge": judge, "min_confidence": min_confidence, "settle": settle,
                 "human_categories": human_category or None, "min_kappa": min_kappa}
        rule = hybrid.parse_rule({**base, **{k: v for k, v in given.items() if v is not None}})
        hybrid.configure(conn, found, rule)
        found = get_project(conn, project)
        routing = _route(conn, found, rule)
    if json_output:
        print_json({"project": found.name, "rule": rule.as_setting(), "routing": routing})
    else:
        typer.echo(_routing_line(routing))
