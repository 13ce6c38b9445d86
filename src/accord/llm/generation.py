"""Candidate generation: K responses per sampled pool prompt, then a task each — a
comparison of them, or (a drafts plan) a demonstration whose writer post-edits the draft.

A run applies a ``Plan`` (``generation_plan``: K slots, each a model and its sampling) to a
sample of the pool (``prompt_sample.choose``). Ids come from the plan, so a rerun of the
same command finds the candidates already stored and asks the models only for the missing
ones; a prompt's task is created with its last candidate. Calls run on ``concurrency``
threads (``pool.run_bounded``); the run's own thread writes their outcomes in batches
(``generation_writer``). Every call, answered or failed, goes into ``model_calls`` with
its cost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine

from accord.core.admin.settings import demonstration_of
from accord.core.errors import InvalidInput
from accord.core.judging.generated import (
    PoolPrompt,
    pool_prompts,
    prompt_texts,
    stored_candidates,
    stored_tasks,
)
from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project, get_project
from accord.core.report.mix import generated_by_category
from accord.core.tasks.authoring import MODEL_DRAFT, POST_EDIT
from accord.llm.chat import ChatBackend, ChatRequest, ChatResult
from accord.llm.costs import Prices, answered_call, failed_call
from accord.llm.generation_plan import DEMONSTRATION, Plan, make_plan
from accord.llm.generation_writer import CandidateWriter, Job, OpenPrompt, Written
from accord.llm.pool import JobsDone, Outcome, run_bounded
from accord.llm.prompt_sample import choose, gap_mix

__all__ = ["GenerationReport", "Plan", "generate_candidates", "make_plan"]

CHUNK_PROMPTS = 5000
OnFailure = Callable[[str, str], None]


@dataclass(kw_only=True)
class GenerationReport(Written):
    """What a run did: the writer's counters (``Written``: candidates generated, tasks,
    calls, tokens, cost), which it adds to as it writes, and the run's own."""

    project: str
    prompts: int = 0
    wanted: int = 0  # candidates the sample needs
    already_stored: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # prompt id -> first error
    short: dict[str, int] = field(default_factory=dict)  # category -> prompts missing
    # The weights the sample followed toward the project's mix targets (none: --mix or no
    # targets)
    toward_targets: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "project": self.project, "prompts": self.prompts, "candidates": self.wanted,
            "generated": self.generated, "already_stored": self.already_stored,
            "truncated": self.truncated, "truncated_left_out": self.truncated_left_out,
            "tasks_created": self.tasks_created, "tasks_existing": self.tasks_existing,
            "prompts_without_task": self.without_task,
            "calls": self.calls, "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens, "cost": self.cost,
            "failed_prompts": [{"prompt": p, "error": e} for p, e in self.failed.items()],
            "short": self.short, "toward_targets": self.toward_targets,
        }

    def summary(self) -> str:
        cut_off = f", {self.truncated} cut off at the length limit" if self.truncated else ""
        left_out = (f" ({self.truncated_left_out} cut-off candidates left out)"
                    if self.truncated_left_out else "")
        without = (f", {_prompts(len(self.without_task))} without a task (too few candidates "
                   "not cut off)" if self.without_task else "")
        failed = f", {len(self.failed)} prompts failed" if self.failed else ""
        return (f"{self.prompts} prompts: {self.generated} candidates generated "
                f"({self.already_stored} already stored{cut_off}), {self.tasks_created} tasks "
                f"created{left_out}{without}{failed}; {self.calls} calls, "
                f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens, "
                f"cost {self.cost:.6g}")


def _prompts(count: int) -> str:
    return f"{count} prompt{'' if count == 1 else 's'}"


def generate_candidates(
    engine: Engine, project: str, backends: Mapping[str, ChatBackend], plan: Plan, *,
    mix: dict[str, float] | None = None, limit: int | None = None, sample_seed: int = 0,
    concurrency: int = 4, prices: Prices | None = None, progress: JobsDone | None = None,
    on_failure: OnFailure | None = None, chunk_prompts: int = CHUNK_PROMPTS,
    drop_truncated: bool = False,
) -> GenerationReport:
    """Fill ``project`` with the plan's candidates for a sample of its pool, and their tasks.

    A failed call is reported through ``on_failure(prompt id, message)`` (once per prompt)
    and in the report; the other prompts go on. Interrupted (Ctrl-C), the answers received
    are written before the exception goes on. ``progress(done, total)`` counts candidates,
    those found stored included. Every candidate is stored with why it ended; with
    ``drop_truncated`` the cut-off ones stay out of the tasks (see ``CandidateWriter``).
    """
    missing_backends = [m for m in plan.models if m not in backends]
    if missing_backends:
        raise InvalidInput(f"no backend for model {', '.join(missing_backends)}")
    prices = prices or Prices()
    with engine.connect() as conn:
        target = get_project(conn, project)
        _check_fits(target, plan)
        pool = pool_prompts(conn, target.id)
        toward: dict[str, float] = {}
        if mix is None and mix_of(target):
            # Toward the project's targets by default; an explicit mix wins.
            mix = gap_mix(mix_of(target), generated_by_category(conn, target.id), pool, limit)
            toward = {name: round(weight, 6) for name, weight in (mix or {}).items()}
        selection = choose(pool, mix, limit, sample_seed)
    report = GenerationReport(project=target.name, prompts=len(selection.prompts),
                              toward_targets=toward,
                              wanted=len(selection.prompts) * len(plan.slots),
                              short=selection.short)
    writer = CandidateWriter(engine, target, plan, report, drop_truncated=drop_truncated)
    handled = 0

    def ask(job: Job) -> ChatResult:
        result = backends[job.slot.model].complete(ChatRequest(job.messages, job.slot.sampling))
        if not result.text.strip():
            raise _EmptyAnswer(result)
        return result

    try:
        # A chunk of prompts at a time: memory and the writer's bookkeeping stay bounded
        # however large the sample; the pool drains once per chunk, a call's wait at most.
        for start in range(0, len(selection.prompts), chunk_prompts):
            with engine.connect() as conn:
                open_prompts, jobs = _outstanding(
                    conn, target, plan, selection.prompts[start:start + chunk_prompts], report)
            writer.track(open_prompts)
            writer.flush()  # tasks of prompts whose candidates a killed run stored
            if progress:
                progress(report.already_stored + handled, report.wanted)
            for outcome in run_bounded(jobs, ask, concurrency):
                _take(outcome, writer, report, prices, on_failure, plan.purpose)
                handled += 1
                if progress:
                    progress(report.already_stored + handled, report.wanted)
    finally:
        writer.flush()
    return report


def _take(outcome: Outcome[Job, ChatResult], writer: CandidateWriter, report: GenerationReport,
          prices: Prices, on_failure: OnFailure | None, purpose: str) -> None:
    """Hand one finished call to the writer; report a prompt's first failure."""
    job = outcome.job
    name = job.slot.name
    if outcome.error is None:
        writer.answered(job, outcome.result,
                        answered_call(purpose, outcome.result, prices, name))
        return
    error = outcome.error
    message = _failure_message(error)
    call = (answered_call(purpose, error.result, prices, name)
            if isinstance(error, _EmptyAnswer)
            else failed_call(purpose, job.slot.model, message, outcome.elapsed_ms, name))
    writer.failed(replace(call, error=message))
    if job.prompt.external_id not in report.failed:
        report.failed[job.prompt.external_id] = message
        if on_failure:
            on_failure(job.prompt.external_id, message)


class _EmptyAnswer(Exception):
    """The model answered with nothing to compare; billed, but not stored."""

    def __init__(self, result: ChatResult) -> None:
        super().__init__(f"{result.model}: answered with empty text")
        self.result = result


def _check_fits(project: Project, plan: Plan) -> None:
    if plan.kind == DEMONSTRATION:
        _check_takes_drafts(project, plan)
        return
    if project.ranking_mode == "pairwise" and len(plan.slots) != 2:
        raise InvalidInput(f"project {project.name} compares pairs: use -n 2, "
                           f"not -n {len(plan.slots)}")


def _check_takes_drafts(project: Project, plan: Plan) -> None:
    """Drafts serve a project whose writers post-edit, and the model its draft rule names."""
    authoring = demonstration_of(project)
    if authoring["mode"] != POST_EDIT:
        raise InvalidInput(
            f'project {project.name} writes demonstrations in "{authoring["mode"]}" mode, '
            "where drafts are never shown: set it to post-edit first (accord project set "
            f"{project.name} --demonstration post_edit)")
    rule = str(authoring["draft"])
    if rule.startswith(MODEL_DRAFT):
        wanted = rule[len(MODEL_DRAFT):]
        names = sorted({slot.name for slot in plan.slots})
        if wanted not in names:
            raise InvalidInput(
                f"project {project.name} takes its drafts from model {wanted} (draft "
                f"{rule}), and this run generates with {', '.join(names)}: add --model or "
                f"--model-name {wanted}, or change the project's --draft")


def _outstanding(conn: Connection, project: Project, plan: Plan, prompts: list[PoolPrompt],
                 report: GenerationReport) -> tuple[dict[int, OpenPrompt], list[Job]]:
    """The sampled prompts whose task is missing, with the candidates they still need."""
    task_ids = [plan.task_id(p.external_id) for p in prompts]
    done = stored_tasks(conn, project.id, task_ids)
    todo = [p for p, task_id in zip(prompts, task_ids, strict=True) if task_id not in done]
    report.tasks_existing += len(prompts) - len(todo)
    report.already_stored += (len(prompts) - len(todo)) * len(plan.slots)
    stored = stored_candidates(conn, [p.id for p in todo], plan.response_ids)
    texts = prompt_texts(conn, [p.id for p in todo])
    open_prompts: dict[int, OpenPrompt] = {}
    jobs: list[Job] = []
    for prompt in todo:
        have = {slot.index: stored[(prompt.id, slot.response_id)] for slot in plan.slots
                if (prompt.id, slot.response_id) in stored}
        report.already_stored += len(have)
        text = texts[prompt.id]
        open_prompts[prompt.id] = OpenPrompt(prompt, text, have)
        jobs.extend(Job(prompt, slot, text.messages) for slot in plan.slots
                    if slot.index not in have)
    return open_prompts, jobs


def _failure_message(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
