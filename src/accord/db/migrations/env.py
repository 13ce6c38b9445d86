"""Alembic environment: runs Accord's migrations on the engine ``accord.db.migrate`` passes."""

from __future__ import annotations

from alembic import context

from accord.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run Accord's migrations through `accord db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
