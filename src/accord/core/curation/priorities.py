"""``accord prioritize``: set the priority of a project's open tasks by active selection.

The claim engine hands out started tasks before fresh ones and, within each, the highest
``tasks.priority`` first (:mod:`accord.core.work.claims`); this module only sets that number,
``round(1000 x informativeness)`` from one strategy (:mod:`accord.quality.selection`):

- ``uncertainty``: the posterior uncertainty of the consensus so far (a task nobody judged
  is most uncertain);
- ``disagreement``: the annotators' split so far (a task without a split gets 0);
- ``judge``: an AI judge's soft preference, closest to indifference first;
- ``reward-model``: a reward model's predicted margin, smallest first.

Open comparison tasks are the ones considered (not gold items, whose place is the rules'). A
task without a signal (the judge has not judged it) gets priority 0. Every change is one
``priority_changes`` row (run, strategy, old and new priority, score, reason in words) and
one audit event sums up the run; a rerun that changes nothing writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, bindparam, insert, select, update

from accord.core.admin.authority import Actor, managed_project, record
from accord.core.curation.settled import TaskPair, responses_by_task
from accord.core.curation.signals import Signal
from accord.core.errors import InvalidInput
from accord.core.projects.project import Project
from accord.core.tasks.judgments import pairs_from_ranking
from accord.db.tables import annotations, priority_changes, prompts, tasks, users
from accord.quality.selection import (
    indifference,
    posterior_uncertainty,
    priorities,
    split_share,
)

STRATEGIES = ("uncertainty", "disagreement", "judge", "reward-model")
SIGNALLED = ("judge", "reward-model")


@dataclass(frozen=True)
class PriorityChange:
    task_id: str
    old_priority: int
    new_priority: int
    score: float | None
    reason: str


@dataclass(frozen=True)
class PriorityRun:
    run_id: str
    project: str
    strategy: str
    signal: str | None
    open_tasks: int
    changed: int
    unchanged: int
    changes: list[PriorityChange] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _open_pairs(conn: Connection, project: Project) -> tuple[Sequence[Any], list[TaskPair]]:
    """The open comparison tasks (id, external id, priority) and all their response pairs."""
    rows = conn.execute(
        select(tasks.c.id, tasks.c.external_id, tasks.c.priority, prompts.c.messages)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project.id, tasks.c.status == "open",
               tasks.c.kind == "comparison", tasks.c.is_gold.is_(False))
        .order_by(tasks.c.id)).all()
    texts = responses_by_task(conn, [r.id for r in rows])
    pairs = [TaskPair(r.id, r.external_id, a[0], b[0], r.messages, a[1], b[1])
             for r in rows for a, b in combinations(texts.get(r.id, []), 2)]
    return rows, pairs


def _votes(conn: Connection, pairs: Sequence[TaskPair]) -> tuple[NDArray, NDArray]:
    """Per pair: the people's votes so far for its first and its second response (a tie
    counts half to each; AI judges' verdicts are not votes)."""
    tally: dict[tuple[int, str, str], float] = {}
    task_ids = sorted({p.task_db_id for p in pairs})
    for start in range(0, len(task_ids), 500):
        for task_id, ranking in conn.execute(
                select(annotations.c.task_id, annotations.c.ranking)
                .join(users, users.c.id == annotations.c.annotator_id)
                .where(annotations.c.task_id.in_(task_ids[start:start + 500]),
                       users.c.kind == "human")):
            for pair in pairs_from_ranking(ranking or []):
                share = 0.5 if pair.tie else 1.0
                tally[(task_id, pair.winner, pair.loser)] = \
                    tally.get((task_id, pair.winner, pair.loser), 0.0) + share
                if pair.tie:
                    tally[(task_id, pair.loser, pair.winner)] = \
                        tally.get((task_id, pair.loser, pair.winner), 0.0) + share
    first = np.array([tally.get((p.task_db_id, p.first, p.second), 0.0) for p in pairs])
    second = np.array([tally.get((p.task_db_id, p.second, p.first), 0.0) for p in pairs])
    return first, second


def _pair_scores(conn: Connection, project: Project, strategy: str, signal: Signal | None,
                 pairs: Sequence[TaskPair]) -> tuple[NDArray[np.float64], list[str]]:
    """Per pair: the informativeness and the reason in words."""
    if strategy in SIGNALLED:
        assert signal is not None
        p = signal.first_probability(conn, project, pairs)
        reasons = [f"{signal.name}: no opinion on {q.first} vs {q.second}" if np.isnan(v) else
                   f"{signal.name}: P({q.first} better than {q.second}) = {v:.3f}"
                   for q, v in zip(pairs, p.tolist(), strict=True)]
        return indifference(p), reasons
    first, second = _votes(conn, pairs)
    measure = posterior_uncertainty if strategy == "uncertainty" else split_share
    reasons = [f"{strategy}: votes {a:g}-{b:g} on {q.first} vs {q.second}"
               for q, a, b in zip(pairs, first.tolist(), second.tolist(), strict=True)]
    return measure(first, second), reasons


def _task_scores(rows: Sequence[Any], pairs: Sequence[TaskPair], scores: NDArray[np.float64],
                 reasons: list[str]) -> tuple[NDArray[np.float64], list[str]]:
    """Per task: its most informative pair's score and reason (NaN: no signal on any)."""
    index = {r.id: i for i, r in enumerate(rows)}
    best = np.full(len(rows), np.nan)
    why = ["no response pair to compare"] * len(rows)
    for pair, score, reason in zip(pairs, scores.tolist(), reasons, strict=True):
        i = index[pair.task_db_id]
        if not np.isnan(score) and (np.isnan(best[i]) or score > best[i]):
            best[i], why[i] = score, reason
        elif np.isnan(best[i]):
            why[i] = reason  # no opinion so far: say which
    return best, why


def prioritize(conn: Connection, actor: Actor, project_name: str, strategy: str,
               signal: Signal | None = None, *, now: datetime) -> PriorityRun:
    """Set the open tasks' priorities by ``strategy``; record every change (managers; the CLI
    as owner)."""
    if strategy not in STRATEGIES:
        raise InvalidInput(f'--by must be one of {", ".join(STRATEGIES)}, not "{strategy}"')
    if (strategy in SIGNALLED) != (signal is not None):
        raise InvalidInput(f"--by {strategy} needs a signal" if signal is None else
                           f"--by {strategy} takes no signal")
    project = managed_project(conn, actor, project_name, "setting task priorities")
    rows, pairs = _open_pairs(conn, project)
    scores, reasons = _pair_scores(conn, project, strategy, signal, pairs)
    best, why = _task_scores(rows, pairs, scores, reasons)
    wanted = priorities(best).tolist()
    run_id = uuid.uuid4().hex[:16]
    changes = [PriorityChange(r.external_id, r.priority, new,
                              None if np.isnan(score) else round(float(score), 6), reason)
               for r, new, score, reason in zip(rows, wanted, best.tolist(), why, strict=True)
               if new != r.priority]
    changed_ids = [r.id for r, new in zip(rows, wanted, strict=True) if new != r.priority]
    if changes:
        _write(conn, project, run_id, strategy, changed_ids, changes, now)
        record(conn, actor, "priorities.set", f"run {run_id}", now, project=project,
               run_id=run_id, strategy=strategy,
               signal=None if signal is None else signal.name,
               changed=len(changes), unchanged=len(rows) - len(changes))
    return PriorityRun(run_id=run_id, project=project.name, strategy=strategy,
                       signal=None if signal is None else signal.name, open_tasks=len(rows),
                       changed=len(changes), unchanged=len(rows) - len(changes),
                       changes=changes)


def _write(conn: Connection, project: Project, run_id: str, strategy: str,
           task_ids: list[int], changes: list[PriorityChange], now: datetime) -> None:
    conn.execute(
        update(tasks).where(tasks.c.id == bindparam("task"))
        .values(priority=bindparam("new")),
        [{"task": t, "new": c.new_priority} for t, c in zip(task_ids, changes, strict=True)])
    conn.execute(insert(priority_changes), [
        {"run_id": run_id, "project_id": project.id, "task_id": t, "strategy": strategy,
         "old_priority": c.old_priority, "new_priority": c.new_priority, "score": c.score,
         "reason": c.reason, "at": now}
        for t, c in zip(task_ids, changes, strict=True)])
