"""Typed dependencies that read like prose: ``db: Db``, ``me: Caller``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from accord.core import users
from accord.core.errors import Unauthenticated
from accord.core.users import User
from accord.web.database import Database


async def get_database(request: Request) -> Database:
    return request.app.state.database


async def current_user(request: Request) -> User:
    """The user whose bearer token came with the request."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send an API token as 'Authorization: Bearer TOKEN'")
    database: Database = request.app.state.database
    return await database.run(users.authenticate_token, token.strip())


Db = Annotated[Database, Depends(get_database)]
Caller = Annotated[User, Depends(current_user)]
