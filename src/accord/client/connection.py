"""Where the server is and who is asking: the base URL, the token, and the environment
variables a notebook or a pipeline sets them with."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import accord

API_PREFIX = "/api/v1"
URL_VARIABLE = "ACCORD_URL"
TOKEN_VARIABLE = "ACCORD_TOKEN"


class MissingSetting(ValueError):
    """``Client.from_env()`` found no value for a variable it needs."""


@dataclass(frozen=True)
class Connection:
    api_url: str
    """The server's ``/api/v1``, without a trailing slash."""
    token: str

    @classmethod
    def of(cls, base_url: str, token: str) -> Connection:
        """``base_url`` is the server (``http://127.0.0.1:8000``), its ``/api/v1`` accepted."""
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http:// or https:// URL such as "
                             f"http://127.0.0.1:8000, not {base_url!r}")
        if not token or not token.strip():
            raise ValueError("token is empty: pass the API token `accord user add` printed")
        root = base_url.strip().rstrip("/")
        if root.endswith(API_PREFIX):
            root = root[: -len(API_PREFIX)]
        return cls(root + API_PREFIX, token.strip())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Connection:
        environ = os.environ if environ is None else environ
        missing = [name for name in (URL_VARIABLE, TOKEN_VARIABLE)
                   if not environ.get(name, "").strip()]
        if missing:
            raise MissingSetting(
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
                f"export {URL_VARIABLE} (the server, e.g. http://127.0.0.1:8000) and "
                f"{TOKEN_VARIABLE} (an API token from `accord user add`)")
        return cls.of(environ[URL_VARIABLE], environ[TOKEN_VARIABLE])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}",
                "User-Agent": f"accord-client/{accord.__version__}",
                "Accept": "application/json"}
