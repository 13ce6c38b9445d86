"""Logging in and out of the pages: the cookie, the session behind it, where you land."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from accord.db.tables import login_sessions, users
from accord.db.types import utcnow
from accord.settings import Settings
from accord.web.app import create_app
from tests.factories import make_project, make_user
from tests.web.conftest import log_in


def test_pages_send_you_to_log_in_first(api, engine):
    answer = api.get("/projects/prefs/annotate", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fprojects%2Fprefs%2Fannotate"
    assert api.get("/", follow_redirects=False).headers["location"] == "/login"


def test_logging_in_sets_a_strict_http_only_cookie_and_opens_home(api, engine):
    project = make_project(engine, "helpful")
    make_user(engine, "ann", project=project, roles=("annotator",), password="s3cret pass")
    answer = api.post("/login", data={"username": "ann", "password": "s3cret pass"},
                      follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "accord_session=" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http here; see the https test
    home = api.get("/")
    assert home.status_code == 200
    assert "ann" in home.text and "helpful" in home.text


def test_the_cookie_is_secure_when_served_over_https(db_url, engine):
    make_user(engine, "ann", password="pw")
    with TestClient(create_app(Settings(database_url=db_url)),
                    base_url="https://accord.test") as client:
        answer = client.post("/login", data={"username": "ann", "password": "pw"},
                             follow_redirects=False)
    assert "secure" in answer.headers["set-cookie"].lower()
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(api, engine):
    make_user(engine, "ann", password="right")
    wrong = api.post("/login", data={"username": "ann", "password": "wrong"})
    unknown = api.post("/login", data={"username": "nobody", "password": "wrong"})
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "Unknown user name or wrong password." in answer.text
        assert "set-cookie" not in answer.headers
    assert wrong.text.replace("ann", "nobody") == unknown.text


def test_login_returns_to_the_page_asked_for_and_never_to_another_site(api, engine):
    make_user(engine, "ann", password="pw")
    for asked, landed in (("/projects/p/annotate", "/projects/p/annotate"),
                          ("//evil.example/", "/"), ("https://evil.example/", "/"),
                          ("/\\evil.example", "/")):
        answer = api.post("/login", data={"username": "ann", "password": "pw", "next": asked},
                          follow_redirects=False)
        assert answer.headers["location"] == landed, asked


def test_logging_out_ends_the_session_on_the_server(api, engine):
    make_user(engine, "ann", password="pw")
    log_in(api, "ann", "pw")
    token = api.cookies.get("accord_session")
    answer = api.post("/logout", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(login_sessions)).scalar_one() == 0
    api.cookies.set("accord_session", token)  # a copy of the cookie kept somewhere
    assert api.get("/", follow_redirects=False).status_code == 303
    assert api.get("/api/v1/me").status_code == 401


def test_an_expired_session_is_refused_and_its_cookie_cleared(api, engine):
    make_user(engine, "ann", password="pw")
    log_in(api, "ann", "pw")
    token = api.cookies.get("accord_session")
    assert api.get("/api/v1/me").json()["name"] == "ann"
    with engine.begin() as conn:
        conn.execute(update(login_sessions).values(expires_at=utcnow() - timedelta(seconds=1)))
    page = api.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert "max-age=0" in page.headers["set-cookie"].lower()
    api.cookies.set("accord_session", token)
    answer = api.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "your session has ended; log in again"


def test_the_api_accepts_the_session_cookie_and_bearer_tokens_still_win(api, engine):
    make_user(engine, "ann", password="pw")
    other = make_user(engine, "other").token
    log_in(api, "ann", "pw")
    assert api.get("/api/v1/me").json()["name"] == "ann"
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert me.json()["name"] == "other"


def test_a_deactivated_user_is_logged_out(api, engine):
    new = make_user(engine, "ann", password="pw")
    log_in(api, "ann", "pw")
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == new.user.id).values(active=False))
    assert api.get("/", follow_redirects=False).status_code == 303
