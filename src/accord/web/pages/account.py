"""``/account``: a signed-in person's own account, where they create their API token.

People who join by invite or through single sign-on get no API token at creation (nobody
would ever see it); the Python SDK, the command line against a server and scripts need one,
so they make it here. A new token is shown once, on the answer to the form that made it,
never stored in clear, and replaces every other token of theirs (``accounts.reset_tokens``
with ``revoke_others``): one token per person is the simple rule, and a lost one is
replaced rather than recovered.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy import Connection
from starlette.responses import Response

from accord.core.admin import accounts
from accord.core.people.users import User
from accord.web.deps import Viewer
from accord.web.pages.rendering import render
from accord.web.sources import Now

router = APIRouter()
TOKEN_LABEL = "account page"


def _summary(conn: Connection, user: User) -> tuple[User, accounts.TokenSummary]:
    return user, accounts.token_summary(conn, user.id)


def _new_token(conn: Connection, user: User,
               now: datetime) -> tuple[User, accounts.TokenSummary, str, int]:
    _, token, revoked = accounts.reset_tokens(conn, user, user.name, now, label=TOKEN_LABEL,
                                              revoke_others=True)
    return user, accounts.token_summary(conn, user.id), token, revoked


@router.get("/account")
async def account_page(request: Request, viewer: Viewer) -> Response:
    user, tokens = await viewer.run(_summary)
    return await render(request, "account.html", user, tokens=tokens, new_token=None,
                        revoked=0)


@router.post("/account/token")
async def create_token(request: Request, viewer: Viewer, at: Now) -> Response:
    """A new API token, shown on this answer only (``no-store``, like every page)."""
    user, tokens, token, revoked = await viewer.run(_new_token, at)
    return await render(request, "account.html", user, tokens=tokens, new_token=token,
                        revoked=revoked)
