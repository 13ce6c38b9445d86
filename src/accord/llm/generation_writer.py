"""The one writer of a generation run: answers in, candidates, ledger entries and tasks out.

Calls finish on many threads; their outcomes are written here, on the run's own thread, in
batches (every ``FLUSH_EVERY`` calls or ``FLUSH_SECONDS``, whichever comes first, and at the
end), each batch one transaction with one statement per table. Writing every answer in its
own transaction kept the run's thread busy long enough to slow the HTTP threads by a sixth
(the GIL); batches cost a few per cent. A killed run loses the calls of its last fraction of
a second, which the rerun asks again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from accord.core.judging.generated import (
    Candidate,
    NewTask,
    PoolPrompt,
    PromptText,
    StoredCandidate,
    create_tasks,
    store_candidates,
)
from accord.core.judging.model_calls import ModelCall, record_calls
from accord.core.projects.project import Project
from accord.llm.chat import ChatResult
from accord.llm.generation_plan import Plan, Slot

FLUSH_EVERY = 200
FLUSH_SECONDS = 0.5
# Only a concurrent run of the same plan on PostgreSQL gets a unique-key error; the retry
# finds its rows and keeps them.
RETRIES = 3


@dataclass(frozen=True, slots=True)
class Job:
    """One call to make: a prompt's messages for one slot of the plan."""

    prompt: PoolPrompt
    slot: Slot
    messages: list[dict]


@dataclass
class OpenPrompt:
    """A sampled prompt whose task is still missing: its text and the candidates it has
    (slot index -> the stored candidate)."""

    prompt: PoolPrompt
    text: PromptText
    have: dict[int, StoredCandidate]


@dataclass
class Written:
    """What a writer has stored: the counters it adds to (a run's report holds them)."""

    generated: int = 0
    truncated: int = 0
    """Candidates generated that stopped at the length limit (``finish_reason`` length)."""
    truncated_left_out: int = 0
    """Cut-off candidates left out of the tasks written (``drop_truncated``)."""
    tasks_created: int = 0
    tasks_existing: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    without_task: list[str] = field(default_factory=list)
    """Prompts (external ids) whose candidates are all stored but that got no task: with
    ``drop_truncated``, fewer of their candidates than a task needs (two to compare, one
    draft) were not cut off."""


class CandidateWriter:
    """Writes a run's outcomes, adding what it stored to ``written``.

    With ``drop_truncated``, a task is made of its prompt's candidates that were not cut
    off, and a prompt left with fewer than a task needs gets none (it is listed in
    ``written.without_task``); its candidates stay stored, so a rerun without the option
    makes the task of all of them.
    """

    def __init__(self, engine: Engine, project: Project, plan: Plan, written: Written, *,
                 drop_truncated: bool = False) -> None:
        self._engine = engine
        self._project = project
        self._plan = plan
        self._slots = plan.slots
        self._drop_truncated = drop_truncated
        self._open: dict[int, OpenPrompt] = {}
        # Prompts with every candidate stored and their task still to write: only these are
        # looked at for tasks, never the whole of ``_open``.
        self._ready: set[int] = set()
        self._answers: list[tuple[Job, ChatResult, ModelCall]] = []
        self._calls: list[ModelCall] = []
        self._since = time.perf_counter()
        self.written = written

    def track(self, open_prompts: dict[int, OpenPrompt]) -> None:
        """Prompts whose task is missing; each leaves once its task is written."""
        self._open.update(open_prompts)
        self._ready.update(prompt_id for prompt_id, state in open_prompts.items()
                           if len(state.have) == len(self._slots))

    def answered(self, job: Job, result: ChatResult, call: ModelCall) -> None:
        self._answers.append((job, result, call))
        self._calls.append(call)
        self._flush_if_due()

    def failed(self, call: ModelCall) -> None:
        self._calls.append(call)
        self._flush_if_due()

    def _flush_if_due(self) -> None:
        if (len(self._calls) >= FLUSH_EVERY
                or time.perf_counter() - self._since >= FLUSH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Write what has come in, then the tasks of the prompts it completes."""
        if not self._calls and not self._ready:
            return
        rows = [(job.prompt.id, self._candidate(job, result, call))
                for job, result, call in self._answers]
        touched = {job.prompt.id for job, _, _ in self._answers}
        attempt = 1
        while True:  # until the batch is stored, or RETRIES unique-key errors (see RETRIES)
            try:
                with self._engine.begin() as conn:
                    ids, new = store_candidates(conn, rows)
                    record_calls(conn, self._project.id, self._calls)
                    have = {prompt_id: dict(self._open[prompt_id].have)
                            for prompt_id in touched}
                    for job, _, _ in self._answers:
                        have[job.prompt.id][job.slot.index] = ids[
                            (job.prompt.id, job.slot.response_id)]
                    done = self._ready | {prompt_id for prompt_id, slots in have.items()
                                          if len(slots) == len(self._slots)}
                    made = [self._task(self._open[prompt_id],
                                       have.get(prompt_id, self._open[prompt_id].have))
                            for prompt_id in sorted(done)]
                    tasks = [task for task in made if task is not None]
                    created = create_tasks(conn, self._project, tasks)
                break
            except IntegrityError:
                if attempt == RETRIES:
                    raise
                attempt += 1
        for prompt_id, slots in have.items():
            self._open[prompt_id].have = slots
        for prompt_id, task in zip(sorted(done), made, strict=True):
            if task is None:
                self.written.without_task.append(self._open[prompt_id].prompt.external_id)
            else:
                self.written.truncated_left_out += len(self._slots) - len(task.response_ids)
            del self._open[prompt_id]
        self._ready.clear()
        self._count(new, created, len(tasks) - created)
        self._answers, self._calls, self._since = [], [], time.perf_counter()

    def _count(self, new: list[Candidate], created: int, existing: int) -> None:
        written = self.written
        written.generated += len(new)
        written.truncated += sum(candidate.truncated for candidate in new)
        written.tasks_created += created
        written.tasks_existing += existing
        for call in self._calls:
            written.calls += 1
            written.prompt_tokens += call.prompt_tokens or 0
            written.completion_tokens += call.completion_tokens or 0
            written.cost += call.cost or 0.0

    def _candidate(self, job: Job, result: ChatResult, call: ModelCall) -> Candidate:
        slot = job.slot
        return Candidate(slot.response_id, result.text, slot.name, slot.sampling.as_record(),
                         result.prompt_tokens, result.completion_tokens, call.cost or 0.0,
                         finish_reason=result.finish_reason, model_id=slot.model)

    def _task(self, state: OpenPrompt, have: dict[int, StoredCandidate]) -> NewTask | None:
        """The prompt's task, or None when too few of its candidates may be in one."""
        kept = tuple(have[slot.index].id for slot in self._slots
                     if not (self._drop_truncated and have[slot.index].truncated))
        if len(kept) < self._plan.min_responses:
            return None
        external_id = state.prompt.external_id
        return NewTask(state.prompt.id, self._plan.task_id(external_id), kept,
                       tuple(state.text.domains), self._plan.task_metadata(external_id),
                       self._plan.kind)
