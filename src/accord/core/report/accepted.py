"""Accepted examples per category: what the prompt mix's last stage and the cost per
accepted example count.

An accepted example is one the training exports take: a decided pair of a settled comparison
task (the report's ``counts.accepted_pairs``: the consensus pairs a preference export would
hold) and an accepted demonstration. Both are counted per category key and handed on as one
``AcceptedExamples`` value, so the mix and the cost never decide for themselves what
"accepted" means.

``accepted_demonstrations`` is the one place that says which demonstrations are accepted:
those the review stage (``core.demonstrations``) accepted, the ones the SFT export writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, func, select

from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus import Consensus
from accord.db.tables import demonstrations, prompts, tasks


@dataclass(frozen=True)
class AcceptedExamples:
    """Accepted examples per category key."""

    pairs: dict[str, int] = field(default_factory=dict)
    """Decided pairs of settled comparison tasks."""
    demonstrations: dict[str, int] = field(default_factory=dict)
    """Accepted demonstrations."""

    @property
    def total_pairs(self) -> int:
        return sum(self.pairs.values())

    @property
    def total_demonstrations(self) -> int:
        return sum(self.demonstrations.values())

    def by_category(self) -> dict[str, int]:
        """Pairs and demonstrations together, per category key."""
        found = dict(self.pairs)
        for key, count in self.demonstrations.items():
            found[key] = found.get(key, 0) + count
        return found


def accepted_pairs(arrays: ProjectArrays, agreed: Consensus) -> dict[str, int]:
    """Per category key, the decided pairs of settled tasks (as ``counts.accepted_pairs``)."""
    majorities = agreed.majorities
    taken = majorities.decided & agreed.settled[majorities.task]
    names = arrays.tasks.category_names
    counts = np.bincount(arrays.tasks.category[majorities.task[taken]], minlength=len(names))
    return {name: int(count) for name, count in zip(names, counts.tolist(), strict=True)
            if count}


def accepted_demonstrations(conn: Connection, project_id: int) -> dict[str, int]:
    """Per category key, the project's demonstrations that review accepted (status
    ``accepted`` in ``demonstrations``: accepted, or accepted with the reviewer's edits, with
    every review a double review needs); one written, sent back, pending or rejected is not
    an example the SFT export takes."""
    rows = conn.execute(
        select(prompts.c.category, func.count())
        .select_from(demonstrations)
        .join(tasks, tasks.c.id == demonstrations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(demonstrations.c.project_id == project_id,
               demonstrations.c.status == "accepted")
        .group_by(prompts.c.category)
    )
    return {category: int(count) for category, count in rows}


def accepted_examples(conn: Connection, project_id: int, arrays: ProjectArrays,
                      agreed: Consensus) -> AcceptedExamples:
    """The project's accepted pairs and demonstrations per category."""
    return AcceptedExamples(accepted_pairs(arrays, agreed),
                            accepted_demonstrations(conn, project_id))
