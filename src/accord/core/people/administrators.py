"""Who runs this Accord: the names a person with no project yet can ask for one."""

from __future__ import annotations

from sqlalchemy import Connection, select

from accord.db.tables import users

SHOWN = 5


def administrator_names(conn: Connection, limit: int = SHOWN) -> list[str]:
    """The active human administrators' names, alphabetically, at most ``limit``."""
    return list(conn.execute(
        select(users.c.name)
        .where(users.c.is_admin.is_(True), users.c.active.is_(True), users.c.kind == "human")
        .order_by(users.c.name).limit(limit)
    ).scalars())
