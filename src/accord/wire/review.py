"""Review as it travels: split decisions waiting for a reviewer, a reviewer's final
ranking, and escalated items for safety specialists."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class QueueItemOut(BaseModel):
    task_id: str
    category: str
    annotations: int
    agreement: float | None
    completed_at: datetime | None
    reason: str = Field("split", description='Why the task waits: "split" (its annotators '
                        'disagreed) or "suspect label" (an AI judge or a reward model doubts '
                        "its settled label; see `accord suspects`).")
    signal: str | None = Field(None, description="For a suspect label: the signal that doubts "
                               "it, `judge:NAME` or `reward-model:PATH`.")
    signal_probability: float | None = Field(
        None, description="For a suspect label: the signal's probability that the consensus' "
                          "chosen response is the better one.")


class AdjudicationOut(BaseModel):
    task_id: str
    status: str
    reviewer: str
    ranking: list[list[str]]
    rationale: str
    created_at: datetime


class EscalationOut(BaseModel):
    id: int
    task_id: str
    category: str
    severity: int
    status: str
    reason: str
    raised_by: str | None
    resolution: str | None
    created_at: datetime
    messages: list[dict]
    responses: list[tuple[str, str]]
    assigned_to: str | None
    resolved_at: datetime | None
    tier: str = Field(description="severity as a word: low, medium, high, critical")
