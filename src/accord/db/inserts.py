"""One-row inserts that hand back the new row's id.

SQLAlchemy types ``CursorResult.inserted_primary_key`` as optional, since a statement that
inserted nothing has no key; a one-row ``INSERT … VALUES`` that returns at all has inserted
its row, so here the key is read once and the id comes back as an ``int``.
"""

from __future__ import annotations

from sqlalchemy import Connection, Insert


def insert_one(conn: Connection, statement: Insert) -> int:
    """Run ``statement`` (one row) and return the primary key it gave that row."""
    key = conn.execute(statement).inserted_primary_key
    if key is None:
        raise RuntimeError(f"no row inserted into {statement.table}")
    return key[0]
