"""The OpenID Connect provider Accord signs people in with, configured by settings only.

Built on Authlib's Starlette client: discovery from the issuer's
``/.well-known/openid-configuration``, the authorization URL with ``state``, ``nonce`` and a
PKCE challenge (S256), the code exchange, and the ID token's validation (signature against the
provider's published keys, issuer, audience, expiry, nonce). Authlib would keep the state in
a signed session cookie; Accord keeps it on the server instead (``core.people.oidc_logins``),
so it is used once and any server process can finish a sign-in another began.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from joserfc.errors import JoseError

from accord.core.errors import InvalidInput
from accord.core.projects.role_mapping import RoleMapping, parse_role_mapping
from accord.settings import ENVIRONMENT, SettingError, Settings

DISCOVERY = "/.well-known/openid-configuration"
PROVIDER_TIMEOUT_S = 10
ID_TOKEN_LEEWAY_S = 60
"""Clock difference tolerated between Accord and the provider when checking expiry."""


def _transport_errors() -> tuple[type[Exception], ...]:
    """What a failed HTTP call to the provider raises: Authlib's client runs on ``httpx2``
    when that is installed (other dependencies bring it) and on ``httpx`` otherwise."""
    errors: list[type[Exception]] = [httpx.HTTPError]
    with contextlib.suppress(ImportError):
        errors.append(importlib.import_module("httpx2").HTTPError)
    return tuple(errors)


TRANSPORT_ERRORS = _transport_errors()


class ProviderRefused(Exception):
    """The provider, or what it sent, ended a sign-in; the message says what, for the page."""


@dataclass(frozen=True)
class Authorization:
    """Where to send the browser, and what its callback must match."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class ValidatedToken:
    """An ID token that passed every check: its claims, and the token itself (sent back as
    ``id_token_hint`` when the person signs out)."""

    claims: dict[str, Any]
    id_token: str


@dataclass(frozen=True)
class SingleSignOn:
    issuer: str
    client_id: str
    client: StarletteOAuth2App
    mapping: RoleMapping
    roles_claim: str
    button_label: str
    redirect_uri: str
    """Empty: the callback URL is derived from the request that begins the sign-in."""
    provider_logout: bool = True
    """Whether signing out of Accord also ends the session at the provider."""

    async def _metadata(self) -> dict[str, Any]:
        """The provider's discovery document, whose issuer must be the configured one
        (OpenID Connect Discovery 1.0, section 4.3)."""
        try:
            metadata = await self.client.load_server_metadata()
        except (*TRANSPORT_ERRORS, ValueError) as error:
            raise ProviderRefused(f"Accord could not read the provider's configuration at "
                                  f"{self.issuer}{DISCOVERY} ({error}).") from None
        if metadata.get("issuer") != self.issuer:
            raise ProviderRefused(
                f"The provider says it is {metadata.get('issuer')!r}, not the issuer Accord "
                f"is configured with ({self.issuer!r}); Accord refuses an unknown issuer.")
        return metadata

    async def authorization(self, redirect_uri: str) -> Authorization:
        await self._metadata()
        try:
            created = await self.client.create_authorization_url(redirect_uri)
        except RuntimeError as error:  # Authlib's word for metadata that lacks an endpoint
            raise ProviderRefused(f"The provider's configuration is incomplete ({error})."
                                  ) from None
        return Authorization(created["url"], created["state"], created["nonce"],
                             created["code_verifier"])

    async def id_token_claims(self, code: str, redirect_uri: str, code_verifier: str,
                              nonce: str) -> ValidatedToken:
        """Exchange ``code`` (with the PKCE verifier) and return the validated ID token."""
        await self._metadata()
        try:
            token = await self.client.fetch_access_token(
                redirect_uri=redirect_uri, code=code, code_verifier=code_verifier)
        except OAuthError as error:
            raise ProviderRefused(f"The provider refused the sign-in code ({error.error}"
                                  f"{': ' + error.description if error.description else ''})."
                                  ) from None
        except (*TRANSPORT_ERRORS, RuntimeError) as error:
            raise ProviderRefused(f"Accord could not reach the provider ({error}).") from None
        if "id_token" not in token:
            raise ProviderRefused("The provider answered without an ID token; is the "
                                  "'openid' scope allowed for this client?")
        options = {"iss": {"essential": True, "value": self.issuer},
                   "aud": {"essential": True, "value": self.client_id},
                   "exp": {"essential": True}}
        try:
            claims = await self.client.parse_id_token(token, nonce=nonce, claims_options=options,
                                                      leeway=ID_TOKEN_LEEWAY_S)
        except (JoseError, ValueError) as error:
            raise ProviderRefused(f"The provider's ID token is not valid "
                                  f"({type(error).__name__}: {error}).") from None
        except (*TRANSPORT_ERRORS, RuntimeError) as error:
            raise ProviderRefused(f"Accord could not read the provider's keys ({error})."
                                  ) from None
        return ValidatedToken(dict(claims), str(token["id_token"]))

    async def end_session_url(self, id_token: str, post_logout_redirect_uri: str) -> str | None:
        """Where to send a browser signing out, so that the provider ends its session too
        (OpenID Connect RP-Initiated Logout 1.0, section 2): the provider's
        ``end_session_endpoint`` with the ID token as ``id_token_hint`` and the page to come
        back to. None when that is switched off, when the provider offers no such endpoint,
        or when its configuration cannot be read: the sign-out is then Accord's alone, and
        never fails for the provider's sake."""
        if not self.provider_logout:
            return None
        try:
            endpoint = (await self._metadata()).get("end_session_endpoint")
        except ProviderRefused:
            return None
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            return None
        query = urlencode({"id_token_hint": id_token, "client_id": self.client_id,
                           "post_logout_redirect_uri": post_logout_redirect_uri})
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def read_role_mapping(value: str) -> RoleMapping:
    """``ACCORD_OIDC_ROLE_MAPPING``: the JSON itself, or the path of a file that holds it."""
    variable = ENVIRONMENT["oidc_role_mapping"]
    if not value.strip() or value.lstrip().startswith("{"):
        text, source = value, variable
    else:
        path = Path(value).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SettingError(f"{variable}: cannot read the mapping file {path} "
                               f"({error.strerror})") from None
        source = f"{variable} file {path}"
    try:
        return parse_role_mapping(text, source)
    except InvalidInput as error:
        raise SettingError(error.message) from None


def _check(settings: Settings) -> None:
    if not settings.oidc_issuer:
        if not settings.password_login:
            raise SettingError(f"{ENVIRONMENT['password_login']}=false needs single sign-on "
                               f"({ENVIRONMENT['oidc_issuer']}), or nobody could log in")
        return
    if not settings.oidc_issuer.startswith(("https://", "http://")):
        raise SettingError(f"{ENVIRONMENT['oidc_issuer']} must be an http(s) URL, "
                           f"not {settings.oidc_issuer!r}")
    if not settings.oidc_client_id:
        raise SettingError(f"{ENVIRONMENT['oidc_client_id']} is needed with "
                           f"{ENVIRONMENT['oidc_issuer']}")
    if "openid" not in settings.oidc_scopes.split():
        raise SettingError(f"{ENVIRONMENT['oidc_scopes']} must include openid, "
                           f"not {settings.oidc_scopes!r}")


def single_sign_on(settings: Settings) -> SingleSignOn | None:
    """The configured provider, or None when single sign-on is off; a setting that cannot
    work is refused here, when the server starts, not at someone's first login."""
    _check(settings)
    if not settings.oidc_issuer:
        return None
    mapping = read_role_mapping(settings.oidc_role_mapping)
    issuer = settings.oidc_issuer  # compared exactly: some issuers end in "/"
    public = not settings.oidc_client_secret
    client = OAuth().register(
        "accord_sso", client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret or None,
        server_metadata_url=issuer.rstrip("/") + DISCOVERY,
        client_kwargs={
            "scope": settings.oidc_scopes, "code_challenge_method": "S256",
            "timeout": PROVIDER_TIMEOUT_S,
            "token_endpoint_auth_method": "none" if public else "client_secret_basic",
        },
    )
    assert isinstance(client, StarletteOAuth2App)
    return SingleSignOn(issuer, settings.oidc_client_id, client, mapping,
                        settings.oidc_roles_claim, settings.oidc_button_label,
                        settings.oidc_redirect_uri, settings.oidc_provider_logout)
