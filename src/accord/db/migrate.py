"""Schema changes go through Alembic migrations only; this runs them from Python."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def _config(engine: Engine, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", "accord.db:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` up to ``revision`` (the newest by default)."""
    with engine.connect() as connection:
        command.upgrade(_config(engine, connection), revision)
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_config(engine)).get_current_head()


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the tables and ``engine``'s schema."""
    with engine.connect() as connection:
        command.revision(_config(engine, connection), message=message, autogenerate=True)
