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
