"""People over the API: list and create users, edit expertise, deactivate and reactivate,
reset API tokens, link identities at the single sign-on provider, invite by one-time link.
Administrators, except that a user may read their own account and reset their own tokens.
One call of ``core.admin`` each."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request, Response

from accord.core.admin import accounts, deactivation, identities, invites
from accord.core.admin.accounts import Account
from accord.core.admin.paging import DEFAULT_LIMIT
from accord.core.errors import ErrorKind
from accord.core.people.passwords import hash_password
from accord.web.api.admin_schemas import (
    AccountOut,
    DeactivationOut,
    ExpertiseIn,
    IdentityIn,
    IdentityLinkOut,
    IdentityOut,
    InviteIn,
    InviteOut,
    IssuerUrl,
    Subject,
    TokenIn,
    TokenOut,
    UserCreatedOut,
    UserCreateIn,
    UsersPage,
)
from accord.web.api.documented import caller_errors
from accord.web.api.paging import After, Limit
from accord.web.deps import Caller
from accord.web.sources import Now

router = APIRouter(tags=["people"])
LIST = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.INVALID)
CREATE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                       ErrorKind.INVALID)
ONE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
CHANGE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                       ErrorKind.INVALID)


def account_out(account: Account) -> AccountOut:
    return AccountOut(**asdict(account))


async def _hashed(request: Request, password: str | None) -> str | None:
    """scrypt on a worker thread, as logins do, so the event loop never stalls on it."""
    if password is None:
        return None
    return await anyio.to_thread.run_sync(hash_password, password,
                                          limiter=request.app.state.password_checks)


@router.get("/users", summary="List users", response_model=UsersPage, responses=LIST)
async def list_users(me: Caller, limit: Limit = DEFAULT_LIMIT,
                     after: After = None) -> UsersPage:
    """Every account by name, a page at a time (administrators)."""
    page = await me.run(accounts.list_accounts, limit=limit, after=after)
    return UsersPage(items=[account_out(a) for a in page.items], next=page.next)


@router.post("/users", summary="Create a user", status_code=201,
             response_model=UserCreatedOut, responses=CREATE)
async def create_user(body: UserCreateIn, request: Request, me: Caller,
                      at: Now) -> UserCreatedOut:
    """Like `accord user add`: the answer holds the user's API token, this once. A taken
    name answers 409 `already_exists`; an unknown `project` 404."""
    password_hash = await _hashed(request, body.password)

    def add(conn, user):
        new = accounts.create_account(
            conn, user, body.name, at, kind=body.kind, password_hash=password_hash,
            is_admin=body.is_admin, expertise=list(body.expertise),
            pay_rate_per_hour=body.pay_rate_per_hour, project=body.project,
            roles=list(body.roles))
        return accounts.account(conn, new.user.name), new.token

    created, token = await me.run(add)
    return UserCreatedOut(user=account_out(created), token=token)


@router.get("/users/{user}", summary="Read a user", response_model=AccountOut, responses=ONE)
async def read_user(user: str, me: Caller) -> AccountOut:
    """Administrators read anyone; a user their own account."""
    return account_out(await me.run(accounts.read_account, user))


@router.put("/users/{user}/expertise", summary="Set a user's expertise",
            response_model=AccountOut, responses=ONE)
async def set_expertise(user: str, body: ExpertiseIn, me: Caller, at: Now) -> AccountOut:
    """Replace the tags that route tasks requiring expertise to this user."""
    return account_out(await me.run(accounts.set_expertise, user, list(body.expertise), at))


@router.post("/users/{user}/deactivate", summary="Deactivate a user",
             response_model=DeactivationOut, responses=CHANGE)
async def deactivate(user: str, me: Caller, at: Now) -> DeactivationOut:
    """At once: their tokens and sessions stop working and their open leases go back to
    the pool; their history stays. Yourself, or someone already inactive: 409."""
    done = await me.run(deactivation.deactivate, user, at)
    return DeactivationOut(user=account_out(done.account), leases_released=done.leases_released,
                           tokens_revoked=done.tokens_revoked, sessions_ended=done.sessions_ended)


@router.post("/users/{user}/reactivate", summary="Reactivate a user",
             response_model=AccountOut, responses=CHANGE)
async def reactivate(user: str, me: Caller, at: Now) -> AccountOut:
    """They may log in again with their password; issue them a token with `/tokens`."""
    return account_out(await me.run(deactivation.reactivate, user, at))


@router.post("/users/{user}/tokens", summary="Issue a new API token", status_code=201,
             response_model=TokenOut, responses=ONE)
async def reset_tokens(user: str, body: TokenIn, me: Caller, at: Now) -> TokenOut:
    """A new token, shown once; `revoke_others` revokes every other token of the user (the
    one this request came with included). Users may do this for themselves."""
    account, token, revoked = await me.run(accounts.reset_tokens, user, at, label=body.label,
                                           revoke_others=body.revoke_others)
    return TokenOut(user=account_out(account), token=token, revoked=revoked)


@router.post("/invites", summary="Invite someone by one-time link", status_code=201,
             response_model=InviteOut, responses=CREATE)
async def create_invite(body: InviteIn, request: Request, me: Caller, at: Now) -> InviteOut:
    """A link to `/invite/{secret}` where the person chooses their password (and their name,
    unless `name` binds it) and lands logged in. It works once, until it expires."""
    hours = body.valid_hours or request.app.state.invite_hours
    made = await me.run(invites.create_invite, at, valid_for=timedelta(hours=hours),
                        name=body.name, project=body.project, roles=list(body.roles),
                        expertise=list(body.expertise), is_admin=body.is_admin)
    url = str(request.base_url).rstrip("/") + f"/invite/{made.secret}"
    return InviteOut(url=url, name=made.invite.name, project=made.invite.project,
                     roles=made.invite.roles, expires_at=made.invite.expires_at)


@router.get("/users/{user}/identities", summary="List a user's provider identities",
            response_model=list[IdentityOut], responses=ONE)
async def list_identities(user: str, me: Caller) -> list[IdentityOut]:
    """The (issuer, subject) pairs that sign in as this user through single sign-on
    (administrators)."""
    found = await me.run(identities.read_identities, user)
    return [IdentityOut(**asdict(linked)) for linked in found]


@router.post("/users/{user}/identities", summary="Link a provider identity to a user",
             status_code=201, response_model=IdentityLinkOut, responses=CHANGE)
async def link_identity(user: str, body: IdentityIn, me: Caller, at: Now) -> IdentityLinkOut:
    """From now on, signing in through the provider as `subject` logs in as this existing
    user, instead of creating a new one. An identity linked to someone else answers 409
    naming them; a deactivated user 409. Accord never links by name or e-mail by itself."""
    found, made = await me.run(identities.link_identity, user, body.issuer, body.subject, at)
    return IdentityLinkOut(identity=IdentityOut(**asdict(found)), linked=made)


@router.delete("/users/{user}/identities", summary="Unlink a provider identity",
               status_code=204, response_class=Response, responses=ONE)
async def unlink_identity(
    user: str, me: Caller, at: Now,
    issuer: Annotated[IssuerUrl, Query(description="the provider's issuer URL")],
    subject: Annotated[Subject, Query(description="the provider's subject (sub)")],
) -> Response:
    """That identity no longer signs in as this user (a later sign-in through it creates a
    new user). 404 when it is not linked to them."""
    await me.run(identities.unlink_identity, user, issuer, subject, at)
    return Response(status_code=204)
