"""Curation as it travels: a run of suspect labels and a run of active selection."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SuspectOut(BaseModel):
    rank: int = Field(description="1 = the most doubtful label of the run")
    task_id: str
    chosen: str = Field(description="the response the consensus prefers")
    rejected: str
    signal_probability: float = Field(
        description="the signal's probability that `chosen` is the better response")
    consensus_confidence: float | None = Field(
        description="the consensus' own confidence under the annotators' reliabilities")
    score: float = Field(description="the probability that the consensus label is wrong")


class SuspectRunOut(BaseModel):
    run_id: str
    project: str
    signal: str
    settled_pairs: int = Field(description="settled pairs considered")
    signalled_pairs: int = Field(description="settled pairs the signal had an opinion on")
    issues: int = Field(description="pairs confident learning doubts, before `top`")
    thresholds: list[float] = Field(
        description="per class (consensus prefers the first response, the second): the "
                    "signal's mean self-confidence")
    confident_joint: list[list[int]] = Field(
        description="counts of (consensus class, the signal's confident class)")
    superseded: int = Field(description="open suspects of earlier runs this run replaced")
    suspects: list[SuspectOut]


class PriorityChangeOut(BaseModel):
    task_id: str
    old_priority: int
    new_priority: int
    score: float | None = Field(description="the strategy's informativeness, 0 to 1; null "
                                            "without a signal")
    reason: str


class PriorityRunOut(BaseModel):
    run_id: str
    project: str
    strategy: str
    signal: str | None
    open_tasks: int
    changed: int
    unchanged: int
    changes: list[PriorityChangeOut]
