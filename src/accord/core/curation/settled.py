"""The settled preference pairs of a project, as suspect-label detection reads them.

A pair is settled when its task is ``complete`` with a stored consensus that people made
(the report's reliability-weighted ranking, method other than ``ai_judge``): a split task is
already before a reviewer, a ``resolved`` one carries a reviewer's final word, and a label
the AI judge gave cannot be checked by the same judge. Each non-tied pair of the consensus
ranking is oriented by the responses' positions in the task (first = imported first), which
is how :func:`accord.quality.suspects.suspect_pairs` wants it. The consensus' ``confidence``
(the fitted probability that its best response beats the runner-up, under the annotators'
estimated reliabilities) weighs every pair of the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from accord.core.projects.project import Project
from accord.core.tasks.judgments import pairs_from_ranking
from accord.db.tables import prompts, responses, task_consensus, task_responses, tasks

SETTLED_STATUS = "complete"
MODEL_METHOD = "ai_judge"


@dataclass(frozen=True)
class TaskPair:
    """Two responses of one task, ``first`` being the one imported first."""

    task_db_id: int
    task_id: str
    first: str
    second: str
    messages: list[dict]
    first_text: str
    second_text: str


@dataclass(frozen=True)
class SettledPair:
    pair: TaskPair
    first_wins: bool
    """Whether the consensus prefers ``first``."""
    confidence: float | None
    """The task's consensus confidence under the annotators' reliabilities (None: unknown)."""

    @property
    def chosen(self) -> str:
        return self.pair.first if self.first_wins else self.pair.second

    @property
    def rejected(self) -> str:
        return self.pair.second if self.first_wins else self.pair.first


def responses_by_task(conn: Connection, task_db_ids: list[int]
                      ) -> dict[int, list[tuple[str, str]]]:
    """Per task: (response external id, content) in imported order."""
    found: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(task_db_ids), 500):
        rows = conn.execute(
            select(task_responses.c.task_id, responses.c.external_id, responses.c.content)
            .join(responses, responses.c.id == task_responses.c.response_id)
            .where(task_responses.c.task_id.in_(task_db_ids[start:start + 500]))
            .order_by(task_responses.c.task_id, task_responses.c.position)).all()
        for task_id, external_id, content in rows:
            found.setdefault(task_id, []).append((external_id, content))
    return found


def settled_pairs(conn: Connection, project: Project) -> list[SettledPair]:
    """Every decided pair of the project's settled comparison tasks, by task id."""
    rows = conn.execute(
        select(tasks.c.id, tasks.c.external_id, prompts.c.messages, task_consensus.c.ranking,
               task_consensus.c.confidence)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .join(task_consensus, task_consensus.c.task_id == tasks.c.id)
        .where(tasks.c.project_id == project.id, tasks.c.kind == "comparison",
               tasks.c.status == SETTLED_STATUS, tasks.c.is_gold.is_(False),
               task_consensus.c.method != MODEL_METHOD)
        .order_by(tasks.c.id)).all()
    texts = responses_by_task(conn, [r.id for r in rows])
    settled: list[SettledPair] = []
    for row in rows:
        ordered = texts.get(row.id, [])
        position = {rid: i for i, (rid, _) in enumerate(ordered)}
        for pair in pairs_from_ranking(row.ranking or []):
            if pair.tie or pair.winner not in position or pair.loser not in position:
                continue
            first, second = sorted((pair.winner, pair.loser), key=position.__getitem__)
            settled.append(SettledPair(
                TaskPair(row.id, row.external_id, first, second, row.messages,
                         ordered[position[first]][1], ordered[position[second]][1]),
                first_wins=pair.winner == first, confidence=row.confidence))
    return settled
