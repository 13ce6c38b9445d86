"""Settings, declared once as data and read from the environment by ``load_settings()``.

Nothing reads the environment at import time, so tests and the CLI can point Accord at
another database just by calling the factory again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import timedelta
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
    export_retention_days: float = 7.0
    """ACCORD_EXPORT_RETENTION_DAYS: how long an export job's files are kept after it
    finished; then the server deletes them and the job reads ``expired``."""
    upload_max_bytes: int = 10 * 1024**3
    """ACCORD_UPLOAD_MAX_BYTES: the largest file an import job takes over HTTP; a larger one
    is refused with 413 as soon as the limit is passed."""

    invite_hours: int = 72
    """ACCORD_INVITE_HOURS: how long an invite link works when its creator names no time."""

    max_body_bytes: int = 4 * 1024 * 1024
    """ACCORD_MAX_BODY_BYTES: the largest request body the server reads (413 beyond it);
    the import upload sets its own."""

    password_login: bool = True
    """ACCORD_PASSWORD_LOGIN: false turns the password form off; people then sign in only
    through the OpenID Connect provider (API tokens keep working)."""
    oidc_issuer: str = ""
    """ACCORD_OIDC_ISSUER: the OpenID Connect provider's issuer URL; empty turns single
    sign-on off. Its ``/.well-known/openid-configuration`` says everything else."""
    oidc_client_id: str = ""
    """ACCORD_OIDC_CLIENT_ID: the client id Accord is registered under at the provider."""
    oidc_client_secret: str = ""
    """ACCORD_OIDC_CLIENT_SECRET: the client secret (empty for a public client, which PKCE
    alone protects)."""
    oidc_scopes: str = "openid email profile"
    """ACCORD_OIDC_SCOPES: the scopes asked for, separated by spaces (``openid`` required)."""
    oidc_roles_claim: str = "groups"
    """ACCORD_OIDC_ROLES_CLAIM: the ID token claim whose values ``ACCORD_OIDC_ROLE_MAPPING``
    maps to roles."""
    oidc_role_mapping: str = ""
    """ACCORD_OIDC_ROLE_MAPPING: a JSON object from claim values to ``"admin"`` or
    ``{"project", "role"}`` grants, or the path of a file that holds one."""
    oidc_button_label: str = "Sign in with single sign-on"
    """ACCORD_OIDC_BUTTON_LABEL: the text of the sign-in button on ``/login``."""
    oidc_redirect_uri: str = ""
    """ACCORD_OIDC_REDIRECT_URI: the callback URL registered at the provider, when Accord is
    reached through a proxy that changes its address (default: derived from the request)."""
    oidc_provider_logout: bool = True
    """ACCORD_OIDC_PROVIDER_LOGOUT: false keeps signing out of Accord local; by default it
    also ends the provider's session when the provider offers ``end_session_endpoint``."""


def export_retention(settings: Settings) -> timedelta:
    """How long export files are kept; refuses a retention that would delete them at once
    or never (a typo such as ``-7`` or ``0`` must not silently wipe every export)."""
    days = settings.export_retention_days
    if not 0 < days <= 36500:
        raise SettingError(f"ACCORD_EXPORT_RETENTION_DAYS is {days:g}; give a number of days "
                         "above 0 (at most 36500)")
    return timedelta(days=days)


def upload_folder(settings: Settings) -> str:
    """``upload_dir``, or its default under the user's cache."""
    return settings.upload_dir or os.path.expanduser("~/.cache/accord/jobs")


ENVIRONMENT = {f.name: "ACCORD_" + f.name.upper() for f in fields(Settings)}
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class SettingError(ValueError):
    """A variable's value is not one its setting can take; the message names the variable."""


def _parse_bool(variable: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise SettingError(f"{variable} must be true or false (or 1/0, yes/no, on/off), not {raw!r}")


def _parse_int(variable: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{variable} must be a whole number, not {raw!r}") from None


def _parse_float(variable: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise SettingError(f"{variable} must be a number, not {raw!r}") from None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (the process environment by default)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}  # each of its field's type: int, float, bool are converted
    for field in fields(Settings):
        variable = ENVIRONMENT[field.name]
        raw = env.get(variable)
        if raw is None or raw == "":
            continue
        if field.type in (bool, "bool"):
            values[field.name] = _parse_bool(variable, raw)
        elif field.type in (int, "int"):
            values[field.name] = _parse_int(variable, raw)
        elif field.type in (float, "float"):
            values[field.name] = _parse_float(variable, raw)
        else:
            values[field.name] = raw
    return Settings(**values)
