"""Signing out after a single sign-on login ends the session at the provider too
(RP-initiated logout), against the real provider process (``oidc-provider-mock``): Accord's
session ends, and the browser is sent to the provider's ``end_session_endpoint`` with the
ID token it issued and the way back to ``/login``."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accord.db.tables import login_sessions
from tests.factories import make_user
from tests.oidc_provider import CLIENT_ID, Provider, person, running_provider
from tests.web.conftest import log_in
from tests.web.test_sso import accord, at_provider, callback_path, sign_in

PEOPLE = [person("grace")]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(PEOPLE) as running:
        yield running


@pytest.fixture
def app(db_url, engine, provider) -> Iterator[TestClient]:
    with accord(db_url, provider) as client:
        yield client


def sessions_left(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(login_sessions)).scalar_one()


def claims_of(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def provider_link(answer) -> str:
    """The page signing out answers with moves on to the provider by itself."""
    assert answer.status_code == 200, answer.text
    link = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', answer.text)
    assert link is not None, answer.text
    return html.unescape(link.group(1))


def end_session_endpoint(provider: Provider) -> str:
    discovery = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()
    return discovery["end_session_endpoint"]


def test_signing_out_sends_the_browser_to_end_the_providers_session(app, engine, provider):
    assert sign_in(app, "grace").status_code == 200
    answer = app.post("/logout", follow_redirects=False)
    location = provider_link(answer)
    target = urlsplit(location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == end_session_endpoint(provider)
    query = {name: values[0] for name, values in parse_qs(target.query).items()}
    assert query["post_logout_redirect_uri"] == "http://accord.test/login"
    assert query["client_id"] == CLIENT_ID
    hint = claims_of(query["id_token_hint"])
    assert (hint["sub"], hint["iss"]) == ("grace", provider.issuer)
    assert CLIENT_ID in (hint["aud"] if isinstance(hint["aud"], list) else [hint["aud"]])
    assert sessions_left(engine) == 0
    assert "accord_session=" in answer.headers["set-cookie"]
    assert app.get("/", follow_redirects=False).headers["location"].startswith("/login")
    # The provider's page ends its session and sends the browser back to Accord's login.
    page = httpx.get(location)
    assert page.status_code == 200 and "End Session" in page.text
    assert "id_token_hint</code> not set" not in page.text
    back = httpx.post(f"{provider.issuer}/oauth2/end_session/confirm",
                      data={"redirect_uri": query["post_logout_redirect_uri"]},
                      follow_redirects=False)
    assert back.status_code == 302 and back.headers["location"] == "http://accord.test/login"


def test_a_password_login_signs_out_locally(app, engine):
    make_user(engine, "ada", password="a long enough password")
    log_in(app, "ada", "a long enough password")
    answer = app.post("/logout", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert sessions_left(engine) == 0


def test_with_provider_logout_off_signing_out_stays_local(db_url, engine, provider):
    with accord(db_url, provider, ACCORD_OIDC_PROVIDER_LOGOUT="false") as app:
        assert sign_in(app, "grace").status_code == 200
        answer = app.post("/logout", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert sessions_left(engine) == 0


def test_a_provider_without_an_end_session_endpoint_gets_a_local_sign_out(app, engine):
    assert sign_in(app, "grace").status_code == 200
    # The real provider's discovery document, as Accord read it, less the endpoint: what a
    # provider that does not support RP-initiated logout publishes.
    metadata = app.app.state.sso.client.server_metadata  # type: ignore[attr-defined]
    assert metadata.pop("end_session_endpoint")
    answer = app.post("/logout", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert sessions_left(engine) == 0


def test_behind_a_proxy_the_provider_sends_the_browser_back_to_the_public_address(
        db_url, engine, provider):
    public = "https://accord.example.com/auth/oidc/callback"
    with accord(db_url, provider, ACCORD_OIDC_REDIRECT_URI=public) as app:
        begun = app.get("/auth/oidc/login", follow_redirects=False)
        assert app.get(callback_path(at_provider(begun.headers["location"], "grace"))
                       ).status_code == 200
        answer = app.post("/logout", follow_redirects=False)
    query = parse_qs(urlsplit(provider_link(answer)).query)
    assert query["post_logout_redirect_uri"] == ["https://accord.example.com/login"]
