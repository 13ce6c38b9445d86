"""Accord against a live OpenAI-compatible server, beside a bare ``openai`` client, in one run.

    .venv/bin/python bench/real_server.py http://127.0.0.1:8080/v1 MODEL
    .venv/bin/python bench/real_server.py URL MODEL --prompts 40 --concurrency 4 --max-tokens 64

Any server that speaks the chat-completions API will do: llama.cpp's (``python -m
llama_cpp.server --model FILE.gguf``), vLLM (``vllm serve MODEL``), SGLang, TGI, Ollama,
OpenAI itself. On a temporary SQLite database the benchmark makes a pairwise project of N
pool prompts (the demo's prompts, cycled), then measures two phases, each with the bare
client, then Accord, then the bare client again (so that a server which speeds up or slows
down as it runs favours neither; Accord is compared with the mean of the two bare runs):

- generation: two candidates per prompt. The bare client sends the requests ``accord
  generate`` sends (same messages, temperature, top-p, length limit and seeds) on a thread
  pool of ``--concurrency`` threads; then ``accord generate`` runs end to end through its
  command line (the Typer app, in this process, so the interpreter's start-up is not
  counted): sampling, the bounded pool, every answer stored with its ledger entry, the tasks.
- judging: both display orders of every pair that generation made. The bare client sends the
  judge's questions (Accord's prompt template and principle for each task, greedy, with
  first-token log-probabilities); then ``accord judge`` judges the same pairs, storing every
  verdict. Accord asks again when a reply names no verdict, so it may make more calls.

Printed for each: calls, wall time, calls/s, prompts (or pairs)/s and completion tokens/s,
then Accord's time per call and tokens/s as multiples of the bare client's. Accord's figures
come from its own ledger (``model_calls``), the bare client's from the server's ``usage``.
Not part of ``make test``; ``tests/llm/test_real_server_bench.py`` runs it against the fake
server with a few prompts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import openai
import orjson
from sqlalchemy import Engine

from accord.cli.main import app
from accord.core.importing import import_items
from accord.core.judging.ai_judges import ComparisonTask, ensure_judge, walk_pending
from accord.core.judging.model_calls import call_totals
from accord.core.projects.project import Project, create_project
from accord.db import migrate
from accord.db.engine import make_engine
from accord.llm import constitution
from accord.llm.backend_choice import BackendOptions, open_backend
from accord.llm.chat import Sampling
from accord.llm.generation_plan import Plan, make_plan
from accord.llm.judge import TOP_LOGPROBS, JudgeSetup, PairJudge, greedy
from accord.llm.openai_backend import length_field
from accord.llm.verdict import judge_messages

PROJECT = "bench"
JUDGE = "bench-judge"
CANDIDATES = 2
SEED = 0
TEMPERATURE = 0.7


@dataclass(frozen=True)
class Measured:
    """One phase's run by one client: calls made, completion tokens, wall seconds, and
    the units of work done (prompts or pairs)."""

    calls: int
    completion_tokens: int
    seconds: float
    units: int

    def mean(self, other: Measured) -> Measured:
        """The mean of two runs of the same calls."""
        return Measured(self.calls, (self.completion_tokens + other.completion_tokens) // 2,
                        (self.seconds + other.seconds) / 2, self.units)

    @property
    def seconds_per_call(self) -> float:
        return self.seconds / self.calls

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.seconds

    def line(self, phase: str, client: str, unit: str) -> str:
        return (f"{phase}, {client}: {self.calls} calls in {self.seconds:.2f} s: "
                f"{self.calls / self.seconds:.2f} calls/s, {self.units / self.seconds:.2f} "
                f"{unit}/s, {self.tokens_per_second:.1f} tokens/s")


@dataclass(frozen=True)
class Server:
    base_url: str
    model: str
    api_key: str
    concurrency: int
    max_tokens: int

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=0)

    def arguments(self) -> list[str]:
        """The options every Accord command of the run is given."""
        return ["--model", self.model, "--base-url", self.base_url, "--api-key", self.api_key,
                "--concurrency", str(self.concurrency), "--max-tokens", str(self.max_tokens),
                "--quiet", "--json"]


def demo_prompts(count: int) -> list[dict]:
    """``count`` pool prompts: the demo's, cycled, each with an id of its own."""
    lines = files("accord.demo").joinpath("items.jsonl").read_text().splitlines()
    found = [item for item in map(orjson.loads, filter(None, lines))
             if item.get("kind") == "prompt"]
    return [{**found[n % len(found)], "id": f"p-{n}"} for n in range(count)]


def bare_calls(server: Server, requests: Sequence[dict]) -> tuple[int, float]:
    """Send ``requests`` (``chat.completions.create`` arguments) ``concurrency`` at a time;
    (completion tokens, wall seconds)."""
    client = server.client()

    def ask(request: dict) -> int:
        completion = client.chat.completions.create(model=server.model, **request)
        if not completion.choices[0].message.content:
            raise RuntimeError(f"the server answered with empty text: {completion}")
        return completion.usage.completion_tokens if completion.usage else 0

    started = time.perf_counter()
    with ThreadPoolExecutor(server.concurrency) as pool:
        tokens = sum(pool.map(ask, requests))
    seconds = time.perf_counter() - started
    client.close()
    return tokens, seconds


def request(server: Server, messages: list[dict], sampling: Sampling,
            top_logprobs: int = 0) -> dict:
    """The arguments Accord's OpenAI backend sends for one call."""
    arguments: dict = {"messages": messages, "temperature": sampling.temperature,
                       "top_p": sampling.top_p,
                       length_field(server.base_url): sampling.max_tokens}
    if sampling.seed is not None:
        arguments["seed"] = sampling.seed
    if top_logprobs:
        arguments.update(logprobs=True, top_logprobs=top_logprobs)
    return arguments


def accord_command(engine: Engine, project: Project, purpose: str,
                   arguments: list[str]) -> Measured:
    """Run ``accord ARGUMENTS`` in this process; its calls and tokens from the ledger."""
    with engine.connect() as conn:
        before = call_totals(conn, project.id, purpose)
    printed = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        status = app(arguments, prog_name="accord", standalone_mode=False)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"accord {arguments[0]} failed ({status}): {printed.getvalue()}")
    with engine.connect() as conn:
        after = call_totals(conn, project.id, purpose)
    summary = orjson.loads(printed.getvalue())
    units = summary["prompts"] if purpose == "generate" else summary["judged"]
    return Measured(after.calls - before.calls, after.completion_tokens
                    - before.completion_tokens, seconds, units)


def generation(server: Server, engine: Engine, project: Project,
               prompts: list[dict]) -> tuple[Measured, Measured, Measured]:
    plan: Plan = make_plan([server.model], CANDIDATES, temperatures=[TEMPERATURE],
                           max_tokens=server.max_tokens, seed=SEED)
    requests = [request(server, [{"role": "user", "content": item["prompt"]}], slot.sampling)
                for item in prompts for slot in plan.slots]
    return around(server, requests, len(prompts), lambda: accord_command(
        engine, project, "generate", [
            "generate", PROJECT, "-n", str(CANDIDATES), "--temperature", str(TEMPERATURE),
            "--seed", str(SEED), *server.arguments()]))


def judging(server: Server, engine: Engine, project: Project,
            ) -> tuple[Measured, Measured, Measured]:
    setup = JudgeSetup(constitution=constitution.load(), backend="openai", seed=SEED,
                       sampling=replace(greedy(), max_tokens=server.max_tokens))
    pairs = _pairs_to_judge(engine, project, setup, server.model)
    asking = open_backend("openai", server.model, BackendOptions(base_url=server.base_url,
                                                                  api_key=server.api_key))
    judge = PairJudge(asking, setup)  # only for each task's principle and display orders
    requests = []
    for task in pairs:
        contents = dict(task.responses)
        principle = judge.principle_for(task)
        requests += [request(server, judge_messages(task.messages, contents[first],
                                                    contents[second], principle),
                             setup.sampling, TOP_LOGPROBS)
                     for first, second in judge.orders(task)]
    asking.close()
    return around(server, requests, len(pairs), lambda: accord_command(
        engine, project, "judge", [
            "judge", PROJECT, "--judge", JUDGE, "--seed", str(SEED), *server.arguments()]))


def around(server: Server, requests: Sequence[dict], units: int,
           accord: Callable[[], Measured]) -> tuple[Measured, Measured, Measured]:
    """The bare client before Accord and again after it: a server that speeds up or slows
    down as it runs (caches, other load) then favours neither, compared with their mean."""
    before = Measured(len(requests), *bare_calls(server, requests), units)
    ours = accord()
    after = Measured(len(requests), *bare_calls(server, requests), units)
    return before, ours, after


def _pairs_to_judge(engine: Engine, project: Project, setup: JudgeSetup,
                    model: str) -> list[ComparisonTask]:
    """The pairs ``accord judge`` will judge: set its judge up first, as the command
    would, and list what it has left."""
    with engine.begin() as conn:
        judge = ensure_judge(conn, project, JUDGE, setup.ai_settings(model))
    passed_over: list[str] = []
    pairs = list(walk_pending(engine.begin, project.id, judge.id, passed_over))
    assert not passed_over, passed_over
    return pairs


@contextlib.contextmanager
def database_for_commands(url: str) -> Iterator[Engine]:
    """A migrated database at ``url``, which the Accord commands run here use too."""
    previous = os.environ.get("ACCORD_DATABASE_URL")
    os.environ["ACCORD_DATABASE_URL"] = url
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if previous is None:
            del os.environ["ACCORD_DATABASE_URL"]
        else:
            os.environ["ACCORD_DATABASE_URL"] = previous


def ratio_line(phase: str, bare: Measured, ours: Measured) -> str:
    tokens = (ours.tokens_per_second / bare.tokens_per_second if bare.completion_tokens
              else float("nan"))
    return (f"{phase}: accord takes {ours.seconds_per_call / bare.seconds_per_call:.2f}x the "
            f"bare client's time per call (the mean of its two runs), at {tokens:.2f}x its "
            "tokens/s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server's base URL (…/v1)")
    parser.add_argument("model", help="the model, as the server names it")
    parser.add_argument("--prompts", type=int, default=20, help="pool prompts (default 20)")
    parser.add_argument("--concurrency", type=int, default=4, help="calls in flight")
    parser.add_argument("--max-tokens", type=int, default=64, help="longest reply, in tokens")
    parser.add_argument("--api-key", default=os.environ.get("OPENAI_API_KEY", "bench"))
    arguments = parser.parse_args(argv)
    server = Server(arguments.url, arguments.model, arguments.api_key, arguments.concurrency,
                    arguments.max_tokens)
    prompts = demo_prompts(arguments.prompts)
    print(f"{server.base_url}, model {server.model}: {len(prompts)} prompts, concurrency "
          f"{server.concurrency}, at most {server.max_tokens} tokens a reply", flush=True)
    with (tempfile.TemporaryDirectory() as folder,
          database_for_commands(f"sqlite:///{Path(folder) / 'bench.db'}") as engine):
        with engine.begin() as conn:
            project = create_project(conn, PROJECT)
        import_items(engine, project, prompts)
        bare_calls(server, [request(server, [{"role": "user", "content": "Hello"}],
                                    Sampling(max_tokens=8))])  # wake the server up
        for phase, unit, measure in (
                ("generate", "prompts", lambda: generation(server, engine, project, prompts)),
                ("judge", "pairs", lambda: judging(server, engine, project))):
            before, ours, after = measure()
            print(before.line(phase, "bare openai before", unit))
            print(ours.line(phase, "accord", unit))
            print(after.line(phase, "bare openai after", unit))
            print(ratio_line(phase, before.mean(after), ours), flush=True)


if __name__ == "__main__":
    main()
