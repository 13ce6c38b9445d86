"""A real OpenID Connect provider for tests: ``oidc-provider-mock`` in a child process.

It signs ID tokens with its own RSA key, publishes discovery and JWKS, and shows an
authorization page where a browser (or a test's HTTP client) picks a subject, or denies.
Its predefined users carry the claims a test needs (``groups``, ``preferred_username``).
The provider is reached as ``localhost`` while Accord runs on ``127.0.0.1``: two different
sites to a browser, as in production, so cookie rules are tested as they will apply.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from tests.live import free_port

START_TIMEOUT_S = 60
CLIENT_ID = "accord-tests"
CLIENT_SECRET = "provider-test-secret"


@dataclass(frozen=True)
class Provider:
    issuer: str

    def settings(self, mapping: Mapping[str, Any] | None = None,
                 **extra: str) -> dict[str, str]:
        """The environment that points an Accord server at this provider."""
        return {
            "ACCORD_OIDC_ISSUER": self.issuer,
            "ACCORD_OIDC_CLIENT_ID": CLIENT_ID,
            "ACCORD_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "ACCORD_OIDC_ROLE_MAPPING": json.dumps(mapping or {}),
            "ACCORD_OIDC_BUTTON_LABEL": "Sign in with TestID",
            **extra,
        }


def person(sub: str, *groups: str, **claims: Any) -> dict[str, Any]:
    """A predefined user: their subject, groups and a ``preferred_username``."""
    return {"sub": sub, "groups": list(groups), "preferred_username": sub,
            "email": f"{sub}@example.org", **claims}


@contextmanager
def running_provider(users: Sequence[Mapping[str, Any]],
                     token_max_age_s: int = 3600) -> Iterator[Provider]:
    """The provider with ``users`` to pick from; its ID tokens expire ``token_max_age_s``
    after they are issued (a negative age issues tokens that have already expired)."""
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
            "--port", str(port), f"--token-max-age={token_max_age_s}"]
    for user in users:
        args += ["--user-claims", json.dumps(user)]
    issuer = f"http://localhost:{port}"
    # Its log goes to a file: a pipe nobody reads would fill and stall the provider.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_until_ready(process, issuer, log)
            yield Provider(issuer)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_ready(process: subprocess.Popen, issuer: str, log: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"oidc-provider-mock exited with {process.returncode}: "
                               f"{log.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration",
                         timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"oidc-provider-mock at {issuer} did not answer in {START_TIMEOUT_S} s")
