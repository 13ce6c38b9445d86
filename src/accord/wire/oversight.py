"""Oversight as it travels: the audit trail's events and the disagreement digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from accord.wire.paging import Paged


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: str | None = Field(description="who decided (None: the command line)")
    action: str = Field(description="adjudication.decided, escalation.opened, "
                        "escalation.in_review, escalation.resolved, guideline.published")
    subject: str
    details: dict[str, Any] = Field(description="why and what: rationale, note, ranking, …")


AuditPage = Paged[AuditEventOut]


class JudgmentOut(BaseModel):
    annotator: str
    ranking: list[list[str]]
    ratings: dict[str, dict[str, int]]
    rationale: str
    flags: list[str]
    guideline_version: int | None
    created_at: datetime


class DigestEntryOut(BaseModel):
    task_id: str
    category: str
    status: str
    agreement: float | None = Field(description="percent agreement on the ranking's pairs")
    dimensions: dict[str, float | None] = Field(description="percent agreement per dimension")
    judgments: list[JudgmentOut]
    messages: list[dict]
    responses: list[tuple[str, str]]
    category_label: str = Field(description="the category as the source wrote it; category "
                                "is its key")


class CategoryOut(BaseModel):
    category: str = Field(description="the key categories are matched on")
    tasks: int
    agreement: float | None
    dimensions: dict[str, float | None]
    category_label: str = Field(description="the label shown for the key")


class DigestOut(BaseModel):
    entries: list[DigestEntryOut]
    categories: list[CategoryOut]
    dimensions: list[str]
