"""Settings, declared once as data and read from the environment by ``load_settings()``.

Nothing reads the environment at import time, so tests and the CLI can point Accord at
another database just by calling the factory again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///./accord.db"


@dataclass(frozen=True)
class Settings:
    """Everything Accord can be told from outside; each field is one environment variable."""

    database_url: str = DEFAULT_DATABASE_URL
    """ACCORD_DATABASE_URL: SQLAlchemy URL of the database (SQLite or PostgreSQL)."""
    host: str = "127.0.0.1"
    """ACCORD_HOST: address the server listens on."""
    port: int = 8000
    """ACCORD_PORT: port the server listens on."""
    model_cache: str = ""
    """ACCORD_MODEL_CACHE: folder for local models converted to safetensors (default
    ~/.cache/accord/models)."""
    login_failures_per_account: int = 10
    """ACCORD_LOGIN_FAILURES_PER_ACCOUNT: wrong passwords an account name gets in one window
    before every login to it is refused until the window ends."""
    login_failures_per_address: int = 100
    """ACCORD_LOGIN_FAILURES_PER_ADDRESS: wrong passwords one client address gets in one
    window, whatever accounts it tries."""
    login_window_seconds: int = 900
    """ACCORD_LOGIN_WINDOW_SECONDS: how long a window of failed logins lasts, from its first
    failure."""
    upload_dir: str = ""
    """ACCORD_UPLOAD_DIR: folder for files uploaded to import jobs (each removed when its job
    ends) and the files export jobs write (default ~/.cache/accord/jobs)."""
    upload_max_bytes: int = 10 * 1024**3
    """ACCORD_UPLOAD_MAX_BYTES: the largest file an import job takes over HTTP; a larger one
    is refused with 413 as soon as the limit is passed."""

    invite_hours: int = 72
    """ACCORD_INVITE_HOURS: how long an invite link works when its creator names no time."""

    max_body_bytes: int = 4 * 1024 * 1024
    """ACCORD_MAX_BODY_BYTES: the largest request body the server reads (413 beyond it);
    the import upload sets its own."""


def upload_folder(settings: Settings) -> str:
    """``upload_dir``, or its default under the user's cache."""
    return settings.upload_dir or os.path.expanduser("~/.cache/accord/jobs")


ENVIRONMENT = {f.name: "ACCORD_" + f.name.upper() for f in fields(Settings)}


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (the process environment by default)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}  # each of its field's type: int fields are converted
    for field in fields(Settings):
        raw = env.get(ENVIRONMENT[field.name])
        if raw is None or raw == "":
            continue
        values[field.name] = int(raw) if field.type in (int, "int") else raw
    return Settings(**values)
