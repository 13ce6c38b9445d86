"""Who the caller is, the projects they can see, and how far along those are."""

from __future__ import annotations

from pydantic import BaseModel, Field


class UserOut(BaseModel):
    name: str
    kind: str
    is_admin: bool


class DimensionOut(BaseModel):
    name: str
    min: int
    max: int
    description: str = ""


class ProjectOut(BaseModel):
    name: str
    overlap: int
    lease_seconds: int
    ranking_mode: str
    allow_ties: bool
    require_rationale: bool
    dimensions: list[DimensionOut]
    roles: list[str]
    archived: bool = Field(False, description="archived: kept and exported, hands out no work")


class ProgressOut(BaseModel):
    tasks: int
    by_status: dict[str, int]
    annotations: int
    active_leases: int
