"""The request bodies of project and people administration; the answers are in
``accord.wire.admin`` (shared with the Python SDK) and named here too.

Bodies carry the bounds that ``core.admin`` enforces, so OpenAPI states them and a value out
of bounds answers 422 naming the field before anything runs. Lists answer one shape: a page
of ``items`` and ``next``, the cursor to pass as ``?after=`` for the following page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from accord.core.admin.invites import MAX_VALID
from accord.core.admin.settings import (
    MAX_DESCRIPTION,
    MAX_DIMENSION_DESCRIPTION,
    MAX_LEASE_SECONDS,
    MAX_OVERLAP,
    MAX_SCALE,
)
from accord.core.projects.mix import MAX_CATEGORIES as MAX_MIX_CATEGORIES
from accord.core.tasks.judgments import MAX_DIMENSIONS, MAX_HARM_CATEGORIES
from accord.web.api.schemas import Strict
from accord.web.values import STORABLE, WHOLE, CategoryFilter, Document
from accord.wire.admin import (  # the answers live in accord.wire; named here as before
    AccountOut,
    DeactivationOut,
    DimensionOut,
    IdentityLinkOut,
    IdentityOut,
    InviteOut,
    MemberOut,
    MembersPage,
    ProjectSettingsOut,
    TokenOut,
    UserCreatedOut,
    UsersPage,
)
from accord.wire.paging import Paged

Role = Literal["annotator", "reviewer", "safety_specialist", "manager"]
RankingMode = Literal["pairwise", "kway"]
UserKind = Literal["human", "ai", "imported"]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120,
                                        pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$"), STORABLE]
"""A user's login name."""
ProjectName = Annotated[str, StringConstraints(min_length=1, max_length=120,
                                               pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
                        STORABLE]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=64), STORABLE]
Category = Annotated[str, StringConstraints(min_length=1, max_length=120,
                                            pattern=r"^[a-z0-9][a-z0-9_.-]*$"), STORABLE]
MixCategory = CategoryFilter
"""A mix target's category, as a label or its key."""
Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION), STORABLE]
Short = Annotated[str, StringConstraints(max_length=120), STORABLE]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024), STORABLE]


# ── projects ──────────────────────────────────────────────────────────────────────────────

class DimensionIn(Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    min: Annotated[int, Field(ge=-MAX_SCALE, le=MAX_SCALE), WHOLE]
    max: Annotated[int, Field(ge=-MAX_SCALE, le=MAX_SCALE), WHOLE]
    description: Annotated[str, StringConstraints(max_length=MAX_DIMENSION_DESCRIPTION),
                           STORABLE] = ""


SETTINGS_EXAMPLE = {
    "overlap": 3, "ranking_mode": "pairwise", "allow_ties": True,
    "dimensions": [{"name": "helpfulness", "min": 1, "max": 7},
                   {"name": "honesty", "min": 1, "max": 7}],
    "rules": {"calibration": {"tasks": 5, "pass_threshold": 0.8}},
}


class DemonstrationSettingIn(Strict):
    """How the project's demonstrations are authored (a task's import may say otherwise)."""

    mode: Literal["write", "post_edit", "multi_turn"] | None = Field(
        None, description="write from scratch, post-edit a model draft, or multi-turn")
    draft: Annotated[str, StringConstraints(max_length=300), STORABLE] | None = Field(
        None, description='post_edit: which response is the draft: "first" or "model:NAME"')


class PrelabelIn(Strict):
    """Pre-labelling with a control arm: ``judge`` names an AI judge of the project."""

    judge: Annotated[str, StringConstraints(max_length=120), STORABLE]
    show_rate: float = Field(ge=0, le=1, description="share of assignments shown the "
                                                      "judge's ranking")
    seed: Annotated[int, Field(ge=0, le=2**63 - 1), WHOLE] = Field(
        0, description="seeds each assignment's draw")


class AgreementTargetIn(Strict):
    """The band percent agreement (ties counted) should sit in: below ``low`` the guidelines
    or the people need work; above ``high`` the tasks may be too easy. ``low`` < ``high``."""

    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)


class ProjectSettingsIn(Strict):
    """Settings to change; fields left out keep their value. ``dimensions`` replaces the
    whole list (priority order); ``budget`` and ``harm_categories`` take null to clear;
    ``rules`` replaces the sections it names (null turns a rule off)."""

    model_config = ConfigDict(extra="forbid", strict=True,
                              json_schema_extra={"examples": [SETTINGS_EXAMPLE]})

    description: Description | None = None
    overlap: Annotated[int, Field(ge=1, le=MAX_OVERLAP), WHOLE] | None = Field(None,
                                description="annotations wanted per task")
    lease_seconds: Annotated[int, Field(ge=1, le=MAX_LEASE_SECONDS), WHOLE] | None = Field(None,
                                      description="how long a claim holds")
    ranking_mode: RankingMode | None = None
    allow_ties: bool | None = None
    require_rationale: bool | None = None
    dimensions: list[DimensionIn] | None = Field(None, max_length=MAX_DIMENSIONS)
    agreement_threshold: float | None = Field(None, ge=0, le=1)
    gold_rate: float | None = Field(None, ge=0, le=1,
                                    description="share of claims that get a gold task")
    budget: float | None = Field(None, ge=0, le=1e12)
    harm_categories: list[Category] | None = Field(
        None, min_length=1, max_length=MAX_HARM_CATEGORIES,
        description="red-team categories; null for Accord's own list")
    rules: Document | None = Field(None, description="calibration, exposure, breaks, rotation, "
                                                     "overlap "
                                                     "(see docs/calibration.md)")
    demonstration: DemonstrationSettingIn | None = Field(
        None, description="how demonstrations are authored; null restores write from scratch")
    prelabel: PrelabelIn | None = Field(
        None, description="show an AI judge's ranking as a suggestion on a seeded share of "
                          "assignments; null turns it off (see docs/ai-judge.md)")
    agreement_target: AgreementTargetIn | None = Field(
        None, description="the percent agreement band the dashboard draws; null restores "
                          "0.70 to 0.80 (see docs/quality.md)")
    mix: dict[MixCategory, Annotated[float, Field(gt=0, le=1)]] | None = Field(
        None, max_length=MAX_MIX_CATEGORIES,
        description="prompt-mix targets, category → share in (0, 1], summing to at most 1; "
                    "replaces the targets ({} or null clears them; see docs/prompt-mix.md)")


class ProjectCreateIn(ProjectSettingsIn):
    """A new project: ``name`` and any settings (the defaults are `accord project create`'s:
    overlap 3, lease 900 s, pairwise, no ties, no rationale, no dimensions, agreement
    threshold 0.5, gold rate 0)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"name": "helpful-v2", **SETTINGS_EXAMPLE}]})

    name: ProjectName


# ── members ───────────────────────────────────────────────────────────────────────────────

class MemberRolesIn(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"roles": ["annotator", "reviewer"]}]})

    roles: list[Role] = Field(max_length=4, description="the member's roles from now on, "
                              "each once, at least one (DELETE removes a member)")


# ── people ────────────────────────────────────────────────────────────────────────────────

class UserCreateIn(Strict):
    """Like `accord user add`: the user gets an API token, shown once in the answer."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"name": "ana", "expertise": ["coding"], "project": "helpful",
                      "roles": ["annotator"]}]})

    name: Name
    kind: UserKind = "human"
    password: Password | None = Field(None, description="for logging in to the pages")
    is_admin: bool = False
    expertise: list[Tag] = Field([], max_length=64)
    pay_rate_per_hour: float | None = Field(None, ge=0, le=1_000_000)
    project: ProjectName | None = Field(None, description="make them a member of this")
    roles: list[Role] = Field([], max_length=4,
                              description="roles in `project` (annotator when empty)")


class ExpertiseIn(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"expertise": ["coding", "stem.math"]}]})

    expertise: list[Tag] = Field(max_length=64, description="replaces the user's tags")


class TokenIn(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"label": "laptop", "revoke_others": True}]})

    label: Short = ""
    revoke_others: bool = Field(False, description="revoke every other token of the user")


class InviteIn(Strict):
    """A one-time link for a new person; ``name`` binds the login name, else they choose."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"project": "helpful", "roles": ["annotator"], "valid_hours": 72}]})

    name: Name | None = None
    project: ProjectName | None = None
    roles: list[Role] = Field([], max_length=4)
    expertise: list[Tag] = Field([], max_length=64)
    is_admin: bool = False
    valid_hours: float | None = Field(
        None, gt=0, le=MAX_VALID.days * 24,
        description="how long the link works; ACCORD_INVITE_HOURS when left out")


IssuerUrl = Annotated[str, StringConstraints(min_length=8, max_length=255,
                                             pattern=r"^https?://[^\x00]*$"), STORABLE]
"""A provider's issuer, exactly as its ID tokens name it (compared as is)."""
Subject = Annotated[str, StringConstraints(min_length=1, max_length=255), STORABLE]


class IdentityIn(Strict):
    """A provider identity to link to an existing user, by the pair its ID tokens carry."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"issuer": "https://keycloak.example.com/realms/acme",
                      "subject": "f3c1e2a0-5b7d-4c1e-9a8b-2d6f0e4c7a19"}]})

    issuer: IssuerUrl
    subject: Subject


__all__ = ["AccountOut", "DeactivationOut", "DimensionOut", "IdentityIn", "IdentityLinkOut",
           "IdentityOut", "InviteOut", "MemberOut",
           "MembersPage", "Paged", "ProjectSettingsOut", "TokenOut", "UserCreatedOut",
           "UsersPage"]
