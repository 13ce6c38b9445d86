"""The arrays the quality engine reads, one dataclass per kind of row, all NumPy columns.

``core.report.inputs`` fills them from the database; benchmarks and tests build them in
memory. Entries are dense indices (``0..n-1``) where a docstring says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE = 0, 1, 2
FLAGS = ("unsafe", "both_bad", "contested_fact", "outside_expertise")


@dataclass(frozen=True)
class Annotators:
    ids: NDArray[np.int64]
    names: list[str]
    kinds: list[str]
    pay_rate_per_hour: NDArray[np.float64]
    consented: NDArray[np.bool_]
    demographics: list[dict]
    """Self-reported attributes; empty for people who did not consent."""


@dataclass(frozen=True)
class Tasks:
    ids: NDArray[np.int64]
    category: NDArray[np.int64]
    category_names: list[str]
    status: list[str]
    is_gold: NDArray[np.bool_]
    overlap: NDArray[np.int64]
    submitted: NDArray[np.int64]


@dataclass(frozen=True)
class Responses:
    ids: NDArray[np.int64]
    length: NDArray[np.int64]
    model: NDArray[np.int64]
    model_names: list[str]
    external_ids: list[str]
    is_refusal: NDArray[np.bool_]
    """Whether the response opens like a refusal (``core.tasks.refusals.REFUSAL_OPENINGS``)."""


@dataclass(frozen=True)
class Annotations:
    """One entry per annotation; ``task`` and ``annotator`` are dense indices."""

    ids: NDArray[np.int64]
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    created_at: NDArray[np.float64]
    active_ms: NDArray[np.int64]
    guideline_version_id: NDArray[np.int64]
    late: NDArray[np.bool_]
    refusal_appropriate: NDArray[np.int8]
    """1 judged right, 0 judged wrong, -1 not asked."""
    severity: NDArray[np.int8]
    """Red-team severity 0 to 4, -1 when not given."""
    flags: NDArray[np.uint8]
    """Bit ``i`` set when flag ``FLAGS[i]`` was raised."""
    ratings: Ratings
    preference: NDArray[np.float64] | None = None
    """Soft preference: P(the first-ranked response is better); NaN for a plain ranking.
    ``None`` when the arrays were built without it (as if all NaN)."""


@dataclass(frozen=True)
class Ratings:
    """One entry per rating: annotation ``row`` rated ``response`` on ``dimension``."""

    row: NDArray[np.int64]
    response_key: NDArray[np.int64]
    """A dense code of the rated (task, response external id): equal codes, same response."""
    dimension: NDArray[np.int64]
    dimension_names: list[str]
    value: NDArray[np.float64]


@dataclass(frozen=True)
class Outcomes:
    """One entry per pairwise outcome: the pair as (first, second) with first < second;
    ``annotation``, ``task`` and ``annotator`` are dense indices."""

    annotation: NDArray[np.int64]
    """The outcome's annotation: its entry in :class:`Annotations`."""
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    first: NDArray[np.int64]
    """Dense response index of the pair's lower response id."""
    second: NDArray[np.int64]
    outcome: NDArray[np.int8]
    """OUTCOME_FIRST, OUTCOME_SECOND or OUTCOME_TIE."""
    winner_position: NDArray[np.int64]
    loser_position: NDArray[np.int64]
    strength: NDArray[np.int64]

    # Derived columns, computed once for everything that reads these outcomes.

    @cached_property
    def tie(self) -> NDArray[np.bool_]:
        """Whether the two responses were judged equal."""
        return self.outcome == OUTCOME_TIE

    @cached_property
    def winner(self) -> NDArray[np.int64]:
        """The preferred response (for a tie, ``first``)."""
        return np.where(self.outcome == OUTCOME_SECOND, self.second, self.first)

    @cached_property
    def loser(self) -> NDArray[np.int64]:
        """The other response (for a tie, ``second``)."""
        return np.where(self.outcome == OUTCOME_SECOND, self.first, self.second)


@dataclass(frozen=True)
class ProjectArrays:
    annotators: Annotators
    tasks: Tasks
    responses: Responses
    annotations: Annotations
    outcomes: Outcomes
