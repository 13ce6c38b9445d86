"""Sign-ins begun with the OpenID Connect provider and not yet finished.

``/auth/oidc/login`` sends the browser to the provider with a random ``state``, ``nonce``
and PKCE challenge; the callback must present the same ``state``. What the callback needs
to finish (the nonce the ID token must carry, the PKCE verifier the code exchange proves
possession with) stays here, on the server, keyed by the state's SHA-256, and the callback
*takes* it: the row is gone after one use, so a replayed callback finds nothing. Rows live
for ``PENDING_LIFETIME``, long enough to type a password and answer a second factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert

from accord.core.people.passwords import hash_token
from accord.db.tables import oidc_logins

PENDING_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class PendingLogin:
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_path: str
    """The local page the person was going to; they land there once signed in."""


def begin(conn: Connection, state: str, pending: PendingLogin, now: datetime) -> None:
    """Remember a sign-in sent to the provider; ended ones are deleted on the way."""
    conn.execute(delete(oidc_logins).where(oidc_logins.c.expires_at <= now))
    conn.execute(insert(oidc_logins).values(
        state_hash=hash_token(state), nonce=pending.nonce, code_verifier=pending.code_verifier,
        redirect_uri=pending.redirect_uri, next_path=pending.next_path,
        expires_at=now + PENDING_LIFETIME,
    ))


def take(conn: Connection, state: str, now: datetime) -> PendingLogin | None:
    """The unexpired sign-in ``state`` names, removed so that it is used once; None when
    there is none (never begun, already finished, or too old)."""
    row = conn.execute(
        delete(oidc_logins).where(oidc_logins.c.state_hash == hash_token(state))
        .returning(oidc_logins.c.nonce, oidc_logins.c.code_verifier, oidc_logins.c.redirect_uri,
                   oidc_logins.c.next_path, oidc_logins.c.expires_at)
    ).first()  # one atomic statement: two callbacks racing with one state cannot both get it
    if row is None or row.expires_at <= now:
        return None
    return PendingLogin(row.nonce, row.code_verifier, row.redirect_uri, row.next_path)
