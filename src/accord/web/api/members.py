"""A project's members and roles over the API (its managers; administrators everywhere):
``/api/v1/projects/{project}/members[/{user}]``, one call of ``core.admin.members`` each."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response

from accord.core.admin import members as admin_members
from accord.core.admin.paging import DEFAULT_LIMIT
from accord.core.errors import ErrorKind
from accord.web.api.admin_schemas import MemberOut, MemberRolesIn, MembersPage
from accord.web.api.documented import caller_errors
from accord.web.api.paging import After, Limit
from accord.web.deps import Caller
from accord.web.sources import Now

router = APIRouter(tags=["members"])
READ = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
WRITE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)


@router.get("/projects/{project}/members", summary="List a project's members",
            response_model=MembersPage, responses=READ)
async def list_members(project: str, me: Caller, limit: Limit = DEFAULT_LIMIT,
                       after: After = None) -> MembersPage:
    """Members by name with their roles, a page at a time."""
    page = await me.run(admin_members.list_members, project, limit=limit, after=after)
    return MembersPage(items=[MemberOut(**asdict(m)) for m in page.items], next=page.next)


@router.get("/projects/{project}/members/{user}", summary="Read a member's roles",
            response_model=MemberOut, responses=READ)
async def read_member(project: str, user: str, me: Caller) -> MemberOut:
    return MemberOut(**asdict(await me.run(admin_members.member, project, user)))


@router.put("/projects/{project}/members/{user}", summary="Set a member's roles",
            response_model=MemberOut, responses=WRITE)
async def set_roles(project: str, user: str, body: MemberRolesIn, me: Caller,
                    at: Now) -> MemberOut:
    """The user's roles in the project from now on (making them a member if needed). A
    manager cannot take away their own manager role (403)."""
    changed = await me.run(admin_members.set_roles, project, user, list(body.roles), at)
    return MemberOut(**asdict(changed))


@router.delete("/projects/{project}/members/{user}", summary="Remove a member",
               status_code=204, response_class=Response, responses=WRITE)
async def remove_member(project: str, user: str, me: Caller, at: Now) -> Response:
    """Every role of the user in the project ends; their past work stays."""
    await me.run(admin_members.remove, project, user, at)
    return Response(status_code=204)
