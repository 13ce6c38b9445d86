"""Accepted demonstrations as the SFT export reads them: the final text with its provenance.

Only demonstrations a reviewer accepted leave Accord for training; pending, sent back and
rejected ones stay behind. Each comes with who wrote it, who reviewed it in any round, how
many rounds it took, the rubric scores of the round that accepted it, the guideline version
it was written under and, when it was post-edited from a model's draft, that model
(``annotations.details["draft_model"]``). Streamed by demonstration id in chunks; the
reviews of each chunk are read in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from accord.db.tables import (
    annotations,
    demonstration_reviews,
    demonstration_versions,
    demonstrations,
    guideline_versions,
    prompts,
    tasks,
    users,
)

CHUNK = 1_000


@dataclass(frozen=True)
class AcceptedDemonstration:
    demonstration_id: int
    task_id: str
    category: str
    messages: list[dict]
    text: str
    turns: list | None
    writer: str
    version: int
    edited_by_reviewer: bool
    rounds: int
    reviewers: list[str]
    """Everyone who reviewed it, in the order of their first review."""
    scores: dict[str, float]
    """Each dimension's mean over the reviews of the round that accepted it."""
    guideline_version: int | None
    draft_model: str | None

    @property
    def rubric_score(self) -> float | None:
        """The mean of ``scores``: what ``--min-score`` compares."""
        return sum(self.scores.values()) / len(self.scores) if self.scores else None


def count_accepted_tasks(conn: Connection, project_id: int) -> int:
    return conn.execute(select(func.count(func.distinct(demonstrations.c.task_id))).where(
        demonstrations.c.project_id == project_id, demonstrations.c.status == "accepted")
    ).scalar_one()


def accepted_demonstrations(conn: Connection, project_id: int,
                            categories: tuple[str, ...] = ()) -> Iterator[AcceptedDemonstration]:
    """The project's accepted demonstrations (of ``categories``, when given), by id."""
    last = 0
    while True:
        query = (
            select(demonstrations.c.id, tasks.c.external_id, prompts.c.category,
                   prompts.c.messages, demonstration_versions.c.text,
                   demonstration_versions.c.turns, demonstration_versions.c.reason,
                   users.c.name, demonstrations.c.version, demonstrations.c.rounds,
                   guideline_versions.c.version.label("guideline_version"),
                   annotations.c.details)
            .join(tasks, tasks.c.id == demonstrations.c.task_id)
            .join(prompts, prompts.c.id == tasks.c.prompt_id)
            .join(users, users.c.id == demonstrations.c.writer_id)
            .join(annotations, annotations.c.id == demonstrations.c.annotation_id)
            .join(demonstration_versions, and_(
                demonstration_versions.c.demonstration_id == demonstrations.c.id,
                demonstration_versions.c.number == demonstrations.c.version))
            .outerjoin(guideline_versions,
                       guideline_versions.c.id == annotations.c.guideline_version_id)
            .where(demonstrations.c.project_id == project_id,
                   demonstrations.c.status == "accepted", demonstrations.c.id > last)
            .order_by(demonstrations.c.id).limit(CHUNK)
        )
        if categories:
            query = query.where(prompts.c.category.in_(categories))
        rows = conn.execute(query).all()
        if not rows:
            return
        reviewers, scores = _reviews_of(conn, [r.id for r in rows])
        for r in rows:
            details = r.details or {}
            yield AcceptedDemonstration(
                demonstration_id=r.id, task_id=r.external_id, category=r.category,
                messages=r.messages, text=r.text, turns=r.turns, writer=r.name,
                version=r.version, edited_by_reviewer=r.reason == "reviewer_edit",
                rounds=r.rounds, reviewers=reviewers.get(r.id, []),
                scores=scores.get(r.id, {}), guideline_version=r.guideline_version,
                draft_model=details.get("draft_model") if isinstance(details, dict) else None)
        last = rows[-1].id


def _reviews_of(conn: Connection, ids: list[int]):
    """Per demonstration: its reviewers in order, and the mean score per dimension of the
    reviews of its last reviewed version (the round that accepted it)."""
    rows = conn.execute(
        select(demonstration_reviews.c.demonstration_id, demonstration_reviews.c.version,
               demonstration_reviews.c.scores, users.c.name)
        .join(users, users.c.id == demonstration_reviews.c.reviewer_id)
        .where(demonstration_reviews.c.demonstration_id.in_(ids))
        .order_by(demonstration_reviews.c.demonstration_id, demonstration_reviews.c.id)).all()
    reviewers: dict[int, list[str]] = defaultdict(list)
    last_round: dict[int, int] = {}
    for r in rows:
        if r.name not in reviewers[r.demonstration_id]:
            reviewers[r.demonstration_id].append(r.name)
        last_round[r.demonstration_id] = max(last_round.get(r.demonstration_id, 0), r.version)
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.version == last_round[r.demonstration_id]:
            for name, value in (r.scores or {}).items():
                sums[r.demonstration_id][name].append(float(value))
    scores = {d: {name: sum(v) / len(v) for name, v in dims.items()} for d, dims in sums.items()}
    return reviewers, scores
