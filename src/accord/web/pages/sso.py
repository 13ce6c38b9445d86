"""``/auth/oidc/login`` and ``/auth/oidc/callback``: signing in through the OpenID Connect
provider (``web.sso``), authorization code flow with PKCE.

The begun sign-in is bound to the browser that began it by a short-lived cookie holding its
``state`` (SameSite=Lax, so it comes back on the provider's redirect): a callback whose state
is not this browser's own is refused, which stops someone from logging a victim into the
attacker's account. Every failure (the provider's ``error=access_denied``, a state that is
missing, foreign or already used, a code the provider will not exchange, an ID token that
does not validate, an issuer Accord does not know) is a page saying what happened, with no
session started and no user created.

The session cookie is SameSite=Strict, and a browser withholds it from a navigation that
another site began, even after a redirect: the redirect from the provider back to Accord is
one. So the callback answers with a page that moves on by itself (a same-site navigation,
which carries the cookie) rather than with a redirect.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from accord.core.errors import AccordError
from accord.core.people import oidc_logins, sessions
from accord.core.people.oidc_logins import PENDING_LIFETIME, PendingLogin
from accord.core.projects.single_sign_on import sign_in
from accord.web.pages.errors import error_page, safe_next
from accord.web.pages.rendering import render
from accord.web.sessions import session_token, set_session_cookie
from accord.web.sources import Now
from accord.web.sso import ProviderRefused, SingleSignOn
from accord.web.statuses import status_of

router = APIRouter()

STATE_COOKIE = "accord_oidc_state"
CALLBACK_PATH = "/auth/oidc/callback"
STATE_MISMATCH = ("This sign-in was not begun in this browser, or it was begun again "
                  "since. Nothing was changed; sign in again.")
STATE_USED = ("This sign-in has already been used or has expired. Nothing was changed; "
              "sign in again.")


def _provider(request: Request) -> SingleSignOn | None:
    return request.app.state.sso


def _not_configured(request: Request) -> Response:
    return error_page(request, 404, "Single sign-on is not configured on this Accord server; "
                                    "log in with your user name and password.")


def _redirect_uri(request: Request, sso: SingleSignOn) -> str:
    return sso.redirect_uri or str(request.url_for("oidc_callback"))


def _refused(request: Request, status: int, message: str) -> Response:
    page = error_page(request, status, message)
    page.delete_cookie(STATE_COOKIE, path="/auth/oidc", httponly=True, samesite="lax",
                       secure=request.url.scheme == "https")
    return page


@router.get("/auth/oidc/login")
async def oidc_login(request: Request, at: Now, next: str = "/") -> Response:
    """Send the browser to the provider, remembering the sign-in it begins."""
    sso = _provider(request)
    if sso is None:
        return _not_configured(request)
    redirect_uri = _redirect_uri(request, sso)
    try:
        begun = await sso.authorization(redirect_uri)
    except ProviderRefused as refusal:
        return _refused(request, 502, str(refusal))
    pending = PendingLogin(begun.nonce, begun.code_verifier, redirect_uri, safe_next(next))
    await request.app.state.database.run(oidc_logins.begin, begun.state, pending, at)
    response = RedirectResponse(begun.url, status_code=303)
    response.set_cookie(STATE_COOKIE, begun.state, max_age=int(PENDING_LIFETIME.total_seconds()),
                        path="/auth/oidc", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


@router.get(CALLBACK_PATH, name="oidc_callback")
async def oidc_callback(request: Request, at: Now) -> Response:
    sso = _provider(request)
    if sso is None:
        return _not_configured(request)
    query = request.query_params
    state, cookie = query.get("state", ""), request.cookies.get(STATE_COOKIE, "")
    bound = bool(state) and secrets.compare_digest(state.encode(), cookie.encode())
    pending = await request.app.state.database.run(oidc_logins.take, state, at) if bound else None
    if "error" in query:
        return _provider_error(request, query.get("error", ""),
                               query.get("error_description", ""))
    if not bound:
        return _refused(request, 400, STATE_MISMATCH)
    if pending is None:
        return _refused(request, 400, STATE_USED)
    code = query.get("code", "")
    if not code:
        return _refused(request, 400, "The provider sent no sign-in code. Nothing was "
                                      "changed; sign in again.")
    try:
        validated = await sso.id_token_claims(code, pending.redirect_uri,
                                              pending.code_verifier, pending.nonce)
        signed_in = await request.app.state.database.run(
            sign_in, sso.issuer, validated.claims, sso.mapping, sso.roles_claim, at,
            id_token=validated.id_token)
    except ProviderRefused as refusal:
        return _refused(request, 400, f"{refusal} Nothing was changed; sign in again.")
    except AccordError as error:
        return _refused(request, status_of(error), error.message)
    return await _signed_in(request, signed_in.session, pending.next_path)


def _provider_error(request: Request, error: str, description: str) -> Response:
    if error == "access_denied":
        message = ("The sign-in was declined at the provider, so you are not logged in. "
                   "Nothing was changed.")
        return _refused(request, 403, message)
    detail = f" ({description[:300]})" if description else ""
    return _refused(request, 400, f"The provider could not sign you in: {error[:100]}{detail}. "
                                  "Nothing was changed.")


async def _signed_in(request: Request, started: sessions.NewSession, next_path: str) -> Response:
    previous = session_token(request)
    if previous is not None:
        await request.app.state.database.run(sessions.log_out, previous)
    target = safe_next(next_path)
    page = await render(request, "signed_in.html", started.user, target=target)
    set_session_cookie(page, request, started.token)
    page.delete_cookie(STATE_COOKIE, path="/auth/oidc", httponly=True, samesite="lax",
                       secure=request.url.scheme == "https")
    return page
