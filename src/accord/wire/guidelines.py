"""Guideline versions as they travel, their rendered previews, and rendered Markdown."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class GuidelineDimensionOut(BaseModel):
    name: str
    min: int
    max: int
    definition: str


class EntryOut(BaseModel):
    title: str
    text: str


class ExampleOut(BaseModel):
    task: str | None
    title: str
    better_response: str
    explanation: str


class GuidelineOut(BaseModel):
    version: int
    status: str = Field(description="draft or published")
    text: str
    dimensions: list[GuidelineDimensionOut] = Field(
        description="in priority order, most important first")
    priority: list[str]
    edge_cases: list[EntryOut]
    escalation_rules: list[EntryOut]
    examples: list[ExampleOut]
    change_note: str
    requires_recalibration: bool
    created_by: str | None
    created_at: datetime
    published_at: datetime | None


class PreviewOut(BaseModel):
    version: int
    html: str = Field(description="the guideline panel as annotators will see it (sanitised)")


class MarkdownOut(BaseModel):
    html: str = Field(description="sanitised HTML, safe to insert into a page")
