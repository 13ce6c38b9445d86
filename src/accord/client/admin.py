"""Administration from the SDK, sync and async: project settings and archiving, members,
users and invites. Requests come from ``admin_routes``; the async classes mirror the sync
ones method for method (each sync method says what it does)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Unpack

from accord.client import admin_routes as routes
from accord.client.admin_routes import ProjectSettings
from accord.client.calls import Call
from accord.client.streams import AsyncPages, Pages
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

Run = Callable[[Call[Any]], Any]
AsyncRun = Callable[[Call[Any]], Awaitable[Any]]


class ProjectAdministration:
    """The managing half of ``client.projects`` (managers; ``create`` administrators)."""

    _run: Run

    def create(self, name: str, **settings: Unpack[ProjectSettings]) -> ProjectSettingsOut:
        """A new project with the settings given (``accord project create``'s defaults for
        the others); ``Conflict`` when the name is taken."""
        return self._run(routes.create_project(name, settings))

    def settings(self, project: str) -> ProjectSettingsOut:
        """Every setting, the work rules in force and the harm categories."""
        return self._run(routes.project_settings(project))

    def update(self, project: str, **settings: Unpack[ProjectSettings]) -> ProjectSettingsOut:
        """Change the settings given and keep the others."""
        return self._run(routes.change_project(project, settings))

    def archive(self, project: str) -> ProjectSettingsOut:
        """Keep its data, reports and exports; hand out no more work."""
        return self._run(routes.archive(project, True))

    def unarchive(self, project: str) -> ProjectSettingsOut:
        return self._run(routes.archive(project, False))


class AsyncProjectAdministration:
    _run: AsyncRun

    async def create(self, name: str,
                     **settings: Unpack[ProjectSettings]) -> ProjectSettingsOut:
        return await self._run(routes.create_project(name, settings))

    async def settings(self, project: str) -> ProjectSettingsOut:
        return await self._run(routes.project_settings(project))

    async def update(self, project: str,
                     **settings: Unpack[ProjectSettings]) -> ProjectSettingsOut:
        return await self._run(routes.change_project(project, settings))

    async def archive(self, project: str) -> ProjectSettingsOut:
        return await self._run(routes.archive(project, True))

    async def unarchive(self, project: str) -> ProjectSettingsOut:
        return await self._run(routes.archive(project, False))


class Members:
    """``client.members``: a project's members and their roles (its managers)."""

    def __init__(self, run: Run) -> None:
        self._run = run

    def list(self, project: str, *, page_size: int = 100) -> Pages[MemberOut]:
        """Members by name, fetched a page at a time as the iteration goes."""
        return Pages(self._run, lambda after: routes.members_page(project, page_size, after))

    def get(self, project: str, user: str) -> MemberOut:
        return self._run(routes.member(project, user))

    def set_roles(self, project: str, user: str, roles: list[str]) -> MemberOut:
        """The user's roles from now on (making them a member if needed)."""
        return self._run(routes.set_roles(project, user, list(roles)))

    def remove(self, project: str, user: str) -> None:
        """Every role ends; their past work stays."""
        self._run(routes.remove_member(project, user))


class AsyncMembers:
    def __init__(self, run: AsyncRun) -> None:
        self._run = run

    def list(self, project: str, *, page_size: int = 100) -> AsyncPages[MemberOut]:
        return AsyncPages(self._run,
                          lambda after: routes.members_page(project, page_size, after))

    async def get(self, project: str, user: str) -> MemberOut:
        return await self._run(routes.member(project, user))

    async def set_roles(self, project: str, user: str, roles: list[str]) -> MemberOut:
        return await self._run(routes.set_roles(project, user, list(roles)))

    async def remove(self, project: str, user: str) -> None:
        await self._run(routes.remove_member(project, user))


class Users:
    """``client.users``: accounts (administrators; anyone their own account and tokens)."""

    def __init__(self, run: Run) -> None:
        self._run = run

    def list(self, *, page_size: int = 100) -> Pages[AccountOut]:
        """Every account by name, fetched a page at a time."""
        return Pages(self._run, lambda after: routes.users_page(page_size, after))

    def get(self, name: str) -> AccountOut:
        return self._run(routes.user(name))

    def create(self, name: str, *, kind: str = "human", password: str | None = None,
               is_admin: bool = False, expertise: list[str] | None = None,
               pay_rate_per_hour: float | None = None, project: str | None = None,
               roles: list[str] | None = None) -> UserCreatedOut:
        """Like ``accord user add``; the answer's ``token`` is shown this once."""
        return self._run(routes.create_user(dict(
            name=name, kind=kind, password=password, is_admin=is_admin,
            expertise=expertise, pay_rate_per_hour=pay_rate_per_hour, project=project,
            roles=roles)))

    def set_expertise(self, name: str, expertise: list[str]) -> AccountOut:
        """Replace the user's expertise tags (what tasks' required domains match)."""
        return self._run(routes.set_expertise(name, list(expertise)))

    def deactivate(self, name: str) -> DeactivationOut:
        """No more logins or tokens; their leases go back to the pool, their work stays."""
        return self._run(routes.deactivate(name))

    def reactivate(self, name: str) -> AccountOut:
        return self._run(routes.reactivate(name))

    def reset_tokens(self, name: str, *, label: str = "",
                     revoke_others: bool = True) -> TokenOut:
        """A new API token (shown once); by default every other token is revoked."""
        return self._run(routes.new_token(name, label, revoke_others))

    def identities(self, name: str) -> list[IdentityOut]:
        """The single sign-on identities that sign in as this user."""
        return self._run(routes.identities(name))

    def link_identity(self, name: str, issuer: str, subject: str) -> IdentityLinkOut:
        """Let the provider's ``subject`` sign in as this existing user (409 when it signs
        in as someone else, or the user is deactivated)."""
        return self._run(routes.link_identity(name, issuer, subject))

    def unlink_identity(self, name: str, issuer: str, subject: str) -> None:
        return self._run(routes.unlink_identity(name, issuer, subject))


class AsyncUsers:
    def __init__(self, run: AsyncRun) -> None:
        self._run = run

    def list(self, *, page_size: int = 100) -> AsyncPages[AccountOut]:
        return AsyncPages(self._run, lambda after: routes.users_page(page_size, after))

    async def get(self, name: str) -> AccountOut:
        return await self._run(routes.user(name))

    async def create(self, name: str, *, kind: str = "human", password: str | None = None,
                     is_admin: bool = False, expertise: list[str] | None = None,
                     pay_rate_per_hour: float | None = None, project: str | None = None,
                     roles: list[str] | None = None) -> UserCreatedOut:
        return await self._run(routes.create_user(dict(
            name=name, kind=kind, password=password, is_admin=is_admin,
            expertise=expertise, pay_rate_per_hour=pay_rate_per_hour, project=project,
            roles=roles)))

    async def set_expertise(self, name: str, expertise: list[str]) -> AccountOut:
        return await self._run(routes.set_expertise(name, list(expertise)))

    async def deactivate(self, name: str) -> DeactivationOut:
        return await self._run(routes.deactivate(name))

    async def reactivate(self, name: str) -> AccountOut:
        return await self._run(routes.reactivate(name))

    async def reset_tokens(self, name: str, *, label: str = "",
                           revoke_others: bool = True) -> TokenOut:
        return await self._run(routes.new_token(name, label, revoke_others))

    async def identities(self, name: str) -> list[IdentityOut]:
        return await self._run(routes.identities(name))

    async def link_identity(self, name: str, issuer: str, subject: str) -> IdentityLinkOut:
        return await self._run(routes.link_identity(name, issuer, subject))

    async def unlink_identity(self, name: str, issuer: str, subject: str) -> None:
        return await self._run(routes.unlink_identity(name, issuer, subject))


class Invites:
    """``client.invites``."""

    def __init__(self, run: Run) -> None:
        self._run = run

    def create(self, *, name: str | None = None, project: str | None = None,
               roles: list[str] | None = None, expertise: list[str] | None = None,
               is_admin: bool = False, valid_hours: float | None = None) -> InviteOut:
        """A one-time link for a new person (administrators): ``name`` binds the login
        name, ``project`` and ``roles`` make them a member, ``valid_hours`` bounds the
        link (the server's ``ACCORD_INVITE_HOURS`` when left out)."""
        return self._run(routes.invite(dict(
            name=name, project=project, roles=roles, expertise=expertise,
            is_admin=is_admin, valid_hours=valid_hours)))


class AsyncInvites:
    def __init__(self, run: AsyncRun) -> None:
        self._run = run

    async def create(self, *, name: str | None = None, project: str | None = None,
                     roles: list[str] | None = None, expertise: list[str] | None = None,
                     is_admin: bool = False, valid_hours: float | None = None) -> InviteOut:
        return await self._run(routes.invite(dict(
            name=name, project=project, roles=roles, expertise=expertise,
            is_admin=is_admin, valid_hours=valid_hours)))
