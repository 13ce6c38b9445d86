"""Project and people administration as it travels: a project's settings, members,
accounts, new tokens and invites.

Answers only: request bodies carry bounds that ``core.admin`` defines and stay in
``web/api/admin_schemas.py``; the SDK sends plain dicts the server checks.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from accord.wire.paging import Paged
from accord.wire.projects import DimensionOut

__all__ = ["AccountOut", "DeactivationOut", "DimensionOut", "InviteOut", "MemberOut",
           "MembersPage", "ProjectSettingsOut", "TokenOut", "UserCreatedOut", "UsersPage"]


class ProjectSettingsOut(BaseModel):
    """A project with every setting, as its managers see it."""

    name: str
    description: str
    overlap: int
    lease_seconds: int
    ranking_mode: str
    allow_ties: bool
    require_rationale: bool
    dimensions: list[DimensionOut]
    agreement_threshold: float
    gold_rate: float
    budget: float | None
    harm_categories: list[str] = Field(description="the project's own, else Accord's list")
    rules: dict = Field(description="the work rules in force")
    demonstration: dict = Field(
        default_factory=lambda: {"mode": "write", "draft": "first"},
        description='how demonstrations are authored: {"mode": write | post_edit | '
                    'multi_turn, "draft": "first" | "model:NAME"} (a task may say otherwise)')
    prelabel: dict | None = Field(None, description="pre-labelling: judge, show_rate, seed "
                                  "(null: off)")
    mix: dict[str, float] = Field(default_factory=dict,
                                  description="prompt-mix targets: category key → share")
    agreement_target: dict[str, float] = Field(
        default_factory=lambda: {"low": 0.7, "high": 0.8},
        description="the percent-agreement band the dashboard draws: low and high shares")
    archived: bool
    archived_at: datetime | None


class MemberOut(BaseModel):
    name: str
    kind: str
    active: bool
    roles: list[str]


MembersPage = Paged[MemberOut]


class AccountOut(BaseModel):
    name: str
    kind: str
    is_admin: bool
    active: bool
    expertise: list[str]
    created_at: datetime
    deactivated_at: datetime | None


UsersPage = Paged[AccountOut]


class UserCreatedOut(BaseModel):
    user: AccountOut
    token: str = Field(description="the API token, shown this once; only its hash is kept")


class TokenOut(BaseModel):
    user: AccountOut
    token: str = Field(description="the new API token, shown this once")
    revoked: int = Field(description="how many other tokens were revoked")


class DeactivationOut(BaseModel):
    user: AccountOut
    leases_released: int
    tokens_revoked: int
    sessions_ended: int


class InviteOut(BaseModel):
    url: str = Field(description="the one-time link, shown this once")
    name: str | None
    project: str | None
    roles: list[str]
    expires_at: datetime


class IdentityOut(BaseModel):
    user: str = Field(description="the Accord user this identity signs in as")
    issuer: str = Field(description="the provider's issuer URL, as its ID tokens name it")
    subject: str = Field(description="the provider's subject (sub) for the person")
    created_at: datetime
    last_login_at: datetime | None = Field(
        description="the last sign-in through this identity; null before the first")


class IdentityLinkOut(BaseModel):
    identity: IdentityOut
    linked: bool = Field(description="true when this request made the link; false when the "
                                     "identity was already linked to this user")
