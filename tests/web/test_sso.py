"""Single sign-on over HTTP: the real app (in process) against a real OpenID Connect
provider process (``oidc-provider-mock``), on SQLite and PostgreSQL.

The browser's part is played by two HTTP clients: Accord's TestClient and a plain client
that answers the provider's authorization page (picks a subject, or denies). The browser
itself, with its cookie rules, is in tests/browser/test_sso.py.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import func, select, update

from accord.core.people.passwords import hash_token
from accord.db.tables import (
    audit_events,
    external_identities,
    login_sessions,
    memberships,
    oidc_logins,
    users,
)
from accord.settings import load_settings
from accord.web.app import create_app
from accord.web.sso import SingleSignOn
from tests.factories import make_project, make_user
from tests.live import free_port
from tests.oidc_provider import CLIENT_ID, Provider, person, running_provider
from tests.web.conftest import bearer

MAPPING = {"accord-admins": "admin",
           "rlhf-annotators": {"project": "demo", "role": "annotator"}}
PEOPLE = [person("grace", "rlhf-annotators"), person("root", "accord-admins"),
          person("nobody")]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(PEOPLE) as running:
        yield running


def accord(db_url: str, provider: Provider, **extra: str) -> TestClient:
    settings = load_settings({"ACCORD_DATABASE_URL": db_url, **provider.settings(MAPPING),
                              **extra})
    return TestClient(create_app(settings), base_url="http://accord.test")


@pytest.fixture
def app(db_url, engine, provider) -> Iterator[TestClient]:
    with accord(db_url, provider) as client:
        yield client


def begin(app: TestClient) -> httpx.Response:
    answer = app.get("/auth/oidc/login", params={"next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer


def at_provider(authorize_url: str, sub: str | None) -> str:
    """Answer the provider's authorization page as a person would; the callback URL it
    sends the browser to. ``sub=None`` presses Deny."""
    form = {"action": "deny"} if sub is None else {"sub": sub}
    answer = httpx.post(authorize_url, data=form, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in(app: TestClient, sub: str) -> httpx.Response:
    return app.get(callback_path(at_provider(begin(app).headers["location"], sub)))


def _with_client_id(sso: SingleSignOn, client_id: str) -> SingleSignOn:
    return dataclasses.replace(sso, client_id=client_id)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_sign_in_redirect_carries_state_nonce_and_an_s256_pkce_challenge(app, engine,
                                                                            provider):
    answer = begin(app)
    target = urlsplit(answer.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}" == provider.issuer
    assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://accord.test/auth/oidc/callback"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256"
    with engine.connect() as conn:
        row = conn.execute(select(oidc_logins)).one()
    assert row.state_hash == hash_token(query["state"])  # the state itself is not stored
    assert row.nonce == query["nonce"]
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(row.code_verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == challenge
    assert row.code_verifier not in answer.headers["location"]
    cookie = answer.headers["set-cookie"].lower()
    assert "accord_oidc_state=" in cookie and "samesite=lax" in cookie and "httponly" in cookie


def test_a_first_sign_in_creates_the_user_grants_the_mapped_role_and_starts_a_session(
        app, engine):
    make_project(engine, "demo")
    make_project(engine, "secret")
    answer = sign_in(app, "grace")
    assert answer.status_code == 200, answer.text
    assert "Signed in" in answer.text and 'url=/"' in answer.text
    cookie = answer.headers["set-cookie"].lower()
    assert "accord_session=" in cookie and "samesite=strict" in cookie and "httponly" in cookie
    home = app.get("/")
    assert home.status_code == 200
    assert 'data-project="demo"' in home.text and 'data-project="secret"' not in home.text
    with engine.connect() as conn:
        user = conn.execute(select(users).where(users.c.name == "grace")).one()
        roles = conn.execute(select(memberships.c.role).where(
            memberships.c.user_id == user.id)).scalars().all()
        events = conn.execute(select(audit_events.c.action).order_by(audit_events.c.id)
                              ).scalars().all()
    assert roles == ["annotator"] and not user.is_admin and user.password_hash is None
    assert events == ["login.sso", "membership.sso_granted"]
    assert count(engine, login_sessions) == 1 and count(engine, oidc_logins) == 0


def test_signing_in_again_finds_the_same_user_by_issuer_and_subject(app, engine):
    make_user(engine, "grace")  # a password user already holds the name
    assert sign_in(app, "grace").status_code == 200
    assert sign_in(app, "grace").status_code == 200
    with engine.connect() as conn:
        names = conn.execute(select(users.c.name).order_by(users.c.id)).scalars().all()
    assert names == ["grace", "grace-2"]
    assert count(engine, external_identities) == 1


def test_a_mapped_admin_sees_every_project(app, engine):
    make_project(engine, "demo")
    make_project(engine, "other")
    assert sign_in(app, "root").status_code == 200
    home = app.get("/")
    assert 'data-project="demo"' in home.text and 'data-project="other"' in home.text


def test_a_replayed_callback_is_refused_and_starts_no_second_session(app, engine):
    callback = callback_path(at_provider(begin(app).headers["location"], "grace"))
    assert app.get(callback).status_code == 200
    app.cookies.clear()
    replay = app.get(callback)
    assert replay.status_code == 400
    assert "not begun in this browser" in replay.text
    assert count(engine, login_sessions) == 1


def test_a_used_state_is_refused_even_with_its_cookie(app, engine):
    location = begin(app).headers["location"]
    callback = callback_path(at_provider(location, "grace"))
    state_cookie = app.cookies.get("accord_oidc_state")
    assert app.get(callback).status_code == 200
    app.cookies.set("accord_oidc_state", state_cookie or "", domain="accord.test",
                    path="/auth/oidc")
    replay = app.get(callback)
    assert replay.status_code == 400 and "already been used" in replay.text
    assert count(engine, login_sessions) == 1


def test_a_callback_with_a_state_this_browser_did_not_begin_is_refused(app, engine, provider):
    victim_callback = callback_path(at_provider(begin(app).headers["location"], "grace"))
    app.cookies.clear()  # another browser: it has no state cookie, or another one
    app.cookies.set("accord_oidc_state", "someone-elses-state", domain="accord.test",
                    path="/auth/oidc")
    answer = app.get(victim_callback)
    assert answer.status_code == 400 and "not begun in this browser" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0


def test_a_denied_consent_is_a_clear_page_and_changes_nothing(app, engine):
    callback = callback_path(at_provider(begin(app).headers["location"], None))
    assert "error=access_denied" in callback
    answer = app.get(callback)
    assert answer.status_code == 403
    assert "declined at the provider" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0
    assert "accord_oidc_state=" in answer.headers["set-cookie"]  # the cookie is cleared
    assert sign_in(app, "grace").status_code == 200  # and signing in again works


def test_an_issuer_other_than_the_configured_one_is_refused(db_url, engine, provider):
    # The provider calls itself http://localhost:PORT; configured with a trailing slash,
    # Accord finds another issuer in the discovery document and refuses it.
    with accord(db_url, provider, ACCORD_OIDC_ISSUER=provider.issuer + "/") as app:
        answer = app.get("/auth/oidc/login", follow_redirects=False)
    assert answer.status_code == 502
    assert "refuses an unknown issuer" in answer.text
    assert count(engine, oidc_logins) == 0


def test_an_unreachable_provider_is_a_clear_page_not_an_error(db_url, engine, provider):
    nowhere = f"http://127.0.0.1:{free_port()}"
    with accord(db_url, provider, ACCORD_OIDC_ISSUER=nowhere) as app:
        answer = app.get("/auth/oidc/login", follow_redirects=False)
    assert answer.status_code == 502
    assert "could not read the provider" in answer.text and nowhere in answer.text
    assert count(engine, oidc_logins) == 0


def test_an_id_token_for_another_client_is_refused(db_url, engine, provider):
    with accord(db_url, provider) as app:
        location = begin(app).headers["location"]
        callback = callback_path(at_provider(location, "grace"))
        app.app.state.sso = _with_client_id(app.app.state.sso, "another-client")
        answer = app.get(callback)
    assert answer.status_code == 400 and "ID token is not valid" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0


def test_an_id_token_with_another_nonce_is_refused(app, engine):
    location = begin(app).headers["location"]
    with engine.begin() as conn:
        conn.execute(update(oidc_logins).values(nonce="not-the-nonce-sent"))
    answer = app.get(callback_path(at_provider(location, "grace")))
    assert answer.status_code == 400 and "ID token is not valid" in answer.text
    assert "nonce" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0


def test_an_id_token_signed_by_another_key_is_refused(app, engine, provider):
    location = begin(app).headers["location"]
    published = httpx.get(f"{provider.issuer}/jwks").json()["keys"][0]
    impostor = RSAKey.generate_key(2048, parameters={"kid": published["kid"], "use": "sig"})
    sso = app.app.state.sso
    sso.client.server_metadata["jwks"] = {"keys": [impostor.as_dict(private=False)]}
    answer = app.get(callback_path(at_provider(location, "grace")))
    assert answer.status_code == 400 and "ID token is not valid" in answer.text
    assert "BadSignatureError" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0


def test_an_expired_id_token_is_refused(db_url, engine):
    with running_provider(PEOPLE, token_max_age_s=-600) as stale, accord(db_url, stale) as app:
        answer = sign_in(app, "grace")
    assert answer.status_code == 400 and "ID token is not valid" in answer.text
    assert "ExpiredTokenError" in answer.text
    assert count(engine, users) == 0 and count(engine, login_sessions) == 0


def test_with_password_login_off_only_single_sign_on_is_offered(db_url, engine, provider):
    new = make_user(engine, "ann", password="s3cret pass")
    with accord(db_url, provider, ACCORD_PASSWORD_LOGIN="false") as app:
        page = app.get("/login")
        refused = app.post("/login", data={"username": "ann", "password": "s3cret pass"},
                           follow_redirects=False)
        by_token = app.get("/api/v1/projects", headers=bearer(new.token))
    assert "Sign in with TestID" in page.text and 'name="password"' not in page.text
    assert refused.status_code == 403 and "Password login is switched off" in refused.text
    assert "accord_session" not in refused.headers.get("set-cookie", "")
    assert by_token.status_code == 200


def test_the_login_page_offers_both_when_both_are_on(app):
    page = app.get("/login", params={"next": "/projects/demo/annotate"})
    assert "Sign in with TestID" in page.text and 'name="password"' in page.text
    assert 'href="/auth/oidc/login?next=/projects/demo/annotate"' in page.text
