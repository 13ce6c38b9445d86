"""The administration routes as ``Call``s: projects (create, settings, archive), members,
users, invites. Bodies are plain dicts of the fields the caller gave; the server checks
them against its bounds and answers 422 naming the field, so nothing is checked twice."""

from __future__ import annotations

from typing import Any, TypedDict

from accord.client.calls import Call, Page, get, many, nothing, one, paged, present, segment
from accord.wire.admin import (
    AccountOut,
    DeactivationOut,
    IdentityLinkOut,
    IdentityOut,
    InviteOut,
    MemberOut,
    ProjectSettingsOut,
    TokenOut,
    UserCreatedOut,
)


class ProjectSettings(TypedDict, total=False):
    """Settings of a project (``docs/api.md``); those left out keep their value (a new
    project: the defaults of ``accord project create``)."""

    description: str
    overlap: int
    lease_seconds: int
    ranking_mode: str
    allow_ties: bool
    require_rationale: bool
    dimensions: list[dict[str, Any]]
    agreement_threshold: float
    gold_rate: float
    budget: float | None
    harm_categories: list[str] | None
    rules: dict[str, Any]
    agreement_target: dict[str, float] | None


def _project(name: str) -> str:
    return f"/projects/{segment(name)}"


def create_project(name: str, settings: ProjectSettings) -> Call[ProjectSettingsOut]:
    return Call("POST", "/projects", one(ProjectSettingsOut), body={"name": name, **settings})


def project_settings(name: str) -> Call[ProjectSettingsOut]:
    return get(f"{_project(name)}/settings", one(ProjectSettingsOut))


def change_project(name: str, settings: ProjectSettings) -> Call[ProjectSettingsOut]:
    """Idempotent: the same settings written twice leave the project as once."""
    return Call("PATCH", _project(name), one(ProjectSettingsOut), body=dict(settings),
                idempotent=True)


def archive(name: str, archived: bool) -> Call[ProjectSettingsOut]:
    action = "archive" if archived else "unarchive"
    return Call("POST", f"{_project(name)}/{action}", one(ProjectSettingsOut))


def members_page(name: str, limit: int, after: str | None) -> Call[Page[MemberOut]]:
    return get(f"{_project(name)}/members", paged(MemberOut),
               list(present(limit=limit, after=after).items()))


def member(name: str, user: str) -> Call[MemberOut]:
    return get(f"{_project(name)}/members/{segment(user)}", one(MemberOut))


def set_roles(name: str, user: str, roles: list[str]) -> Call[MemberOut]:
    """Idempotent: a PUT of the same roles leaves the membership as once."""
    return Call("PUT", f"{_project(name)}/members/{segment(user)}", one(MemberOut),
                body={"roles": roles}, idempotent=True)


def remove_member(name: str, user: str) -> Call[None]:
    return Call("DELETE", f"{_project(name)}/members/{segment(user)}", nothing)


def users_page(limit: int, after: str | None) -> Call[Page[AccountOut]]:
    return get("/users", paged(AccountOut), list(present(limit=limit, after=after).items()))


def user(name: str) -> Call[AccountOut]:
    return get(f"/users/{segment(name)}", one(AccountOut))


def create_user(fields: dict[str, Any]) -> Call[UserCreatedOut]:
    return Call("POST", "/users", one(UserCreatedOut), body=present(**fields))


def set_expertise(name: str, expertise: list[str]) -> Call[AccountOut]:
    return Call("PUT", f"/users/{segment(name)}/expertise", one(AccountOut),
                body={"expertise": expertise}, idempotent=True)


def deactivate(name: str) -> Call[DeactivationOut]:
    return Call("POST", f"/users/{segment(name)}/deactivate", one(DeactivationOut))


def reactivate(name: str) -> Call[AccountOut]:
    return Call("POST", f"/users/{segment(name)}/reactivate", one(AccountOut))


def new_token(name: str, label: str, revoke_others: bool) -> Call[TokenOut]:
    return Call("POST", f"/users/{segment(name)}/tokens", one(TokenOut),
                body={"label": label, "revoke_others": revoke_others})


def invite(fields: dict[str, Any]) -> Call[InviteOut]:
    return Call("POST", "/invites", one(InviteOut), body=present(**fields))


def identities(name: str) -> Call[list[IdentityOut]]:
    return get(f"/users/{segment(name)}/identities", many(IdentityOut))


def link_identity(name: str, issuer: str, subject: str) -> Call[IdentityLinkOut]:
    """Idempotent: linking the same pair to the same user again changes nothing."""
    return Call("POST", f"/users/{segment(name)}/identities", one(IdentityLinkOut),
                body={"issuer": issuer, "subject": subject}, idempotent=True)


def unlink_identity(name: str, issuer: str, subject: str) -> Call[None]:
    return Call("DELETE", f"/users/{segment(name)}/identities", nothing,
                params=[("issuer", issuer), ("subject", subject)])
