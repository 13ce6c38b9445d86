"""Password and API-token hashing with the standard library's scrypt and SHA-256.

Passwords are slow-hashed with a per-user salt (scrypt, RFC 7914). API tokens are long random
secrets, so one fast SHA-256 is enough and lets a request find its token by an index lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
TOKEN_PREFIX = "acc_"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


# Checked against when there is no real hash (unknown user, no password set), so a wrong
# user name costs the same scrypt run as a wrong password and timing tells nothing apart.
_NO_HASH = f"scrypt${'00' * 16}${'00' * 32}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; always runs scrypt once, whatever ``stored`` is."""
    usable = stored if stored and stored.startswith("scrypt$") and stored.count("$") == 2 \
        else None
    _, salt_hex, digest_hex = (usable or _NO_HASH).split("$")
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex) and usable is not None


def new_token() -> str:
    """A fresh API token; shown to its owner once and stored only as a hash."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_session_token() -> str:
    """A fresh login-session secret for a cookie (256 bits, like an API token)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    """A generated password for demo users: there are no default passwords in Accord."""
    return secrets.token_urlsafe(12)
