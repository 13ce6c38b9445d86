"""Candidate generation: K responses per sampled pool prompt, then a comparison task each.

A run is a ``Plan`` (K slots, each a model and its sampling settings) applied to a sample of
the pool (``prompt_sample.choose``). Every slot's response has an id derived from its model,
sampling and position, so a rerun of the same command finds the candidates already stored
and asks the models only for the missing ones; a prompt's task is created in the same
transaction as its last candidate. Calls run on ``concurrency`` threads; this thread alone
writes, one short transaction per answer, so a killed run loses at most the calls in flight.
Every call, answered or failed, is recorded in ``model_calls`` with its cost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import product

from sqlalchemy import Connection, Engine

from accord.core.errors import InvalidInput
from accord.core.generated import (
    Candidate,
    PoolPrompt,
    PromptText,
    create_task,
    pool_prompts,
    prompt_texts,
    store_candidate,
    stored_candidates,
    stored_tasks,
)
from accord.core.importing.items import MAX_RESPONSES, MIN_RESPONSES, canonical_hash
from accord.core.model_calls import ModelCall, record_call
from accord.core.projects import Project, get_project
from accord.llm.backend import ChatBackend, ChatRequest, ChatResult, Sampling
from accord.llm.costs import Prices, answered_call, failed_call
from accord.llm.pool import run_bounded
from accord.llm.prompt_sample import choose

PURPOSE = "generate"
MAX_EXTERNAL_ID = 255
Progress = Callable[[int, int], None]
OnFailure = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class Slot:
    """One candidate of every prompt: which model, how sampled, which position."""

    index: int
    model: str
    sampling: Sampling

    @property
    def response_id(self) -> str:
        """Neutral (annotators must not learn the model from it) and stable across runs."""
        return "g" + canonical_hash([self.model, self.sampling.as_record(), self.index])[:12]


@dataclass(frozen=True)
class Plan:
    slots: tuple[Slot, ...]

    @property
    def response_ids(self) -> list[str]:
        return [slot.response_id for slot in self.slots]

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(slot.model for slot in self.slots))

    def task_id(self, prompt_external_id: str) -> str:
        """The task of a prompt under this plan: the prompt's id and the plan's digest."""
        digest = canonical_hash(self.response_ids)
        task_id = f"{prompt_external_id}~gen-{digest[:10]}"
        if len(task_id) > MAX_EXTERNAL_ID:
            task_id = f"gen-{canonical_hash([prompt_external_id, digest])[:40]}"
        return task_id


def make_plan(models: Sequence[str], n: int, *, temperatures: Sequence[float] = (0.7,),
              top_p: float = 1.0, max_tokens: int = 256, seed: int | None = None) -> Plan:
    """``n`` slots cycling through every (model, temperature) pair; with ``seed``, slot i
    samples with seed + i, so repeated settings still give different candidates."""
    if not models:
        raise InvalidInput("name at least one --model")
    if not MIN_RESPONSES <= n <= MAX_RESPONSES:
        raise InvalidInput(f"-n must be between {MIN_RESPONSES} and {MAX_RESPONSES} "
                           f"candidates per prompt, not {n}")
    for temperature in temperatures:
        if not 0 <= temperature <= 2:
            raise InvalidInput(f"--temperature must be between 0 and 2, not {temperature}")
    if not 0 < top_p <= 1:
        raise InvalidInput(f"--top-p must be above 0 and at most 1, not {top_p}")
    if max_tokens < 1:
        raise InvalidInput(f"--max-tokens must be at least 1, not {max_tokens}")
    settings = [(model, temperature) for temperature, model in product(temperatures, models)]
    slots = tuple(
        Slot(i, settings[i % len(settings)][0],
             Sampling(temperature=settings[i % len(settings)][1], top_p=top_p,
                      max_tokens=max_tokens, seed=None if seed is None else seed + i))
        for i in range(n)
    )
    return Plan(slots)


@dataclass
class GenerationReport:
    project: str
    prompts: int = 0
    wanted: int = 0  # candidates the sample needs
    generated: int = 0
    already_stored: int = 0
    tasks_created: int = 0
    tasks_existing: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # prompt id -> first error
    short: dict[str, int] = field(default_factory=dict)  # category -> prompts missing

    def as_dict(self) -> dict:
        return {
            "project": self.project, "prompts": self.prompts, "candidates": self.wanted,
            "generated": self.generated, "already_stored": self.already_stored,
            "tasks_created": self.tasks_created, "tasks_existing": self.tasks_existing,
            "calls": self.calls, "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens, "cost": self.cost,
            "failed_prompts": [{"prompt": p, "error": e} for p, e in self.failed.items()],
            "short": self.short,
        }

    def summary(self) -> str:
        failed = f", {len(self.failed)} prompts failed" if self.failed else ""
        return (f"{self.prompts} prompts: {self.generated} candidates generated "
                f"({self.already_stored} already stored), {self.tasks_created} tasks created"
                f"{failed}; {self.calls} calls, {self.prompt_tokens} prompt + "
                f"{self.completion_tokens} completion tokens, cost {self.cost:.6g}")


@dataclass(frozen=True, slots=True)
class Job:
    prompt: PoolPrompt
    slot: Slot


@dataclass
class _Prompt:
    """A prompt's progress within the run: its text and the candidates it has."""

    prompt: PoolPrompt
    text: PromptText
    have: dict[int, int]  # slot index -> responses.id


def generate_candidates(
    engine: Engine, project: str, backends: Mapping[str, ChatBackend], plan: Plan, *,
    mix: dict[str, float] | None = None, limit: int | None = None, sample_seed: int = 0,
    concurrency: int = 4, prices: Prices | None = None, progress: Progress | None = None,
    on_failure: OnFailure | None = None,
) -> GenerationReport:
    """Fill ``project`` with the plan's candidates for a sample of its pool, and their tasks.

    A failed call is reported through ``on_failure(prompt id, message)`` (once per prompt)
    and in the report; the other prompts go on.
    """
    missing_backends = [m for m in plan.models if m not in backends]
    if missing_backends:
        raise InvalidInput(f"no backend for model {', '.join(missing_backends)}")
    prices = prices or Prices()
    with engine.connect() as conn:
        target = get_project(conn, project)
        _check_fits(target, plan)
        selection = choose(pool_prompts(conn, target.id), mix, limit, sample_seed)
        report = GenerationReport(target.name, prompts=len(selection.prompts),
                                  wanted=len(selection.prompts) * len(plan.slots),
                                  short=selection.short)
        open_prompts, jobs = _outstanding(conn, target, plan, selection.prompts, report)
    with engine.begin() as conn:
        for prompt_id, state in list(open_prompts.items()):
            if len(state.have) == len(plan.slots):  # a run died between answer and task
                _finish(conn, target, plan, open_prompts.pop(prompt_id), report)

    def ask(job: Job) -> ChatResult:
        request = ChatRequest(open_prompts[job.prompt.id].text.messages, job.slot.sampling)
        result = backends[job.slot.model].complete(request)
        if not result.text.strip():
            raise _EmptyAnswer(result)
        return result

    if progress:
        progress(0, len(jobs))
    for done, outcome in enumerate(run_bounded(jobs, ask, concurrency), start=1):
        job = outcome.job
        with engine.begin() as conn:
            if outcome.error is None:
                _store(conn, target, plan, job, outcome.result, open_prompts, prices, report)
            else:
                message = _failure_message(outcome.error)
                result = outcome.error.result if isinstance(outcome.error, _EmptyAnswer) else None
                call = (answered_call(PURPOSE, result, prices) if result is not None
                        else failed_call(PURPOSE, job.slot.model, message, outcome.elapsed_ms))
                record_call(conn, target.id, _with_error(call, message))
                _count_call(report, call)
        if outcome.error is not None and job.prompt.external_id not in report.failed:
            report.failed[job.prompt.external_id] = message
            if on_failure:
                on_failure(job.prompt.external_id, message)
        if progress:
            progress(done, len(jobs))
    return report


class _EmptyAnswer(Exception):
    """The model answered with nothing to compare; billed, but not stored."""

    def __init__(self, result: ChatResult) -> None:
        super().__init__(f"{result.model}: answered with empty text")
        self.result = result


def _check_fits(project: Project, plan: Plan) -> None:
    if project.ranking_mode == "pairwise" and len(plan.slots) != 2:
        raise InvalidInput(f"project {project.name} compares pairs: use -n 2, "
                           f"not -n {len(plan.slots)}")


def _outstanding(conn: Connection, project: Project, plan: Plan, prompts: list[PoolPrompt],
                 report: GenerationReport) -> tuple[dict[int, _Prompt], list[Job]]:
    """The sampled prompts whose task is missing, with the candidates they still need."""
    task_ids = [plan.task_id(p.external_id) for p in prompts]
    done = stored_tasks(conn, project.id, task_ids)
    todo = [p for p, task_id in zip(prompts, task_ids, strict=True) if task_id not in done]
    report.tasks_existing = len(prompts) - len(todo)
    stored = stored_candidates(conn, [p.id for p in todo], plan.response_ids)
    report.already_stored = report.tasks_existing * len(plan.slots)
    texts = prompt_texts(conn, [p.id for p in todo])
    open_prompts: dict[int, _Prompt] = {}
    jobs: list[Job] = []
    for prompt in todo:
        have = {slot.index: stored[(prompt.id, slot.response_id)] for slot in plan.slots
                if (prompt.id, slot.response_id) in stored}
        report.already_stored += len(have)
        open_prompts[prompt.id] = _Prompt(prompt, texts[prompt.id], have)
        jobs.extend(Job(prompt, slot) for slot in plan.slots if slot.index not in have)
    return open_prompts, jobs


def _store(conn: Connection, project: Project, plan: Plan, job: Job, result: ChatResult,
           open_prompts: dict[int, _Prompt], prices: Prices, report: GenerationReport) -> None:
    call = answered_call(PURPOSE, result, prices)
    record_call(conn, project.id, call)
    _count_call(report, call)
    slot = job.slot
    candidate = Candidate(slot.response_id, result.text, slot.model, slot.sampling.as_record(),
                          result.prompt_tokens, result.completion_tokens, call.cost or 0.0)
    response_id = store_candidate(conn, job.prompt.id, candidate)
    if response_id is None:  # a concurrent run stored it first
        response_id = stored_candidates(conn, [job.prompt.id], [slot.response_id])[
            (job.prompt.id, slot.response_id)]
    else:
        report.generated += 1
    state = open_prompts[job.prompt.id]
    state.have[slot.index] = response_id
    if len(state.have) == len(plan.slots):
        _finish(conn, project, plan, state, report)


def _finish(conn: Connection, project: Project, plan: Plan, state: _Prompt,
            report: GenerationReport) -> None:
    prompt = state.prompt
    metadata = {"generated": {"prompt": prompt.external_id, "models": plan.models}}
    created = create_task(conn, project, prompt.id, plan.task_id(prompt.external_id),
                          [state.have[slot.index] for slot in plan.slots],
                          state.text.domains, metadata)
    if created is None:
        report.tasks_existing += 1
    else:
        report.tasks_created += 1


def _count_call(report: GenerationReport, call: ModelCall) -> None:
    report.calls += 1
    report.prompt_tokens += call.prompt_tokens or 0
    report.completion_tokens += call.completion_tokens or 0
    report.cost += call.cost or 0.0


def _with_error(call: ModelCall, message: str) -> ModelCall:
    return replace(call, error=message)


def _failure_message(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return text or type(error).__name__
