"""Independent signals about a pair: the probability that its first response is better.

A signal is named as on the command line: ``judge:NAME`` (an AI judge's stored verdicts,
:class:`JudgeSignal`, read here) or ``reward-model:PATH`` (a reward model trained by
``accord train reward``, scored by :mod:`accord.train.reward_scores`, which lives with the
training code because only it loads models). Core code takes any :class:`Signal`, so the
statistics never know where a probability came from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from accord.core.curation.settled import TaskPair
from accord.core.errors import InvalidInput, NotFound
from accord.core.projects.project import Project
from accord.db.tables import annotations, users

KINDS = ("judge", "reward-model")


class Signal(Protocol):
    """Something that gives, per pair, ``P(first response is better)`` (NaN: no opinion)."""

    @property
    def name(self) -> str: ...

    def first_probability(self, conn: Connection, project: Project,
                          pairs: Sequence[TaskPair]) -> NDArray[np.float64]: ...


def parse(text: str) -> tuple[str, str]:
    """``judge:NAME`` → ("judge", "NAME"); anything else is one clear error."""
    kind, _, value = text.partition(":")
    if kind not in KINDS or not value.strip():
        raise InvalidInput(f'signal "{text}" must be judge:NAME or reward-model:PATH')
    return kind, value.strip()


def _first_probability(ranking: list[list[str]], preference: float | None, first: str,
                       second: str) -> float:
    """From one verdict: the probability that ``first`` beats ``second``.

    ``preference`` is the judge's probability that its first-ranked response is better
    (token probabilities of both display orders); a verdict without it counts as certain.
    """
    place = {rid: i for i, group in enumerate(ranking) for rid in group}
    if first not in place or second not in place:
        return math.nan
    if place[first] == place[second]:
        return 0.5
    sure = 1.0 if preference is None else float(preference)
    return sure if place[first] < place[second] else 1.0 - sure


@dataclass(frozen=True)
class JudgeSignal:
    """The stored verdicts of the project's AI judge ``judge`` (``accord judge``)."""

    judge: str

    @property
    def name(self) -> str:
        return f"judge:{self.judge}"

    def _judge_id(self, conn: Connection) -> int:
        row = conn.execute(select(users.c.id, users.c.kind)
                           .where(users.c.name == self.judge)).first()
        if row is None or row.kind != "ai":
            raise NotFound(f'no AI judge is named "{self.judge}"')
        return row.id

    def first_probability(self, conn: Connection, project: Project,
                          pairs: Sequence[TaskPair]) -> NDArray[np.float64]:
        judge_id = self._judge_id(conn)
        verdicts: dict[int, tuple[list[list[str]], float | None]] = {}
        for row in conn.execute(
                select(annotations.c.task_id, annotations.c.ranking, annotations.c.preference)
                .where(annotations.c.project_id == project.id,
                       annotations.c.annotator_id == judge_id)):
            verdicts[row.task_id] = (row.ranking or [], row.preference)
        found = np.full(len(pairs), np.nan)
        for i, pair in enumerate(pairs):
            verdict = verdicts.get(pair.task_db_id)
            if verdict is not None:
                found[i] = _first_probability(verdict[0], verdict[1], pair.first, pair.second)
        return found
