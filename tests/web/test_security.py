"""Security headers on every response; cross-site writes refused (CSRF)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from accord.db.tables import annotations
from accord.web.security import CONTENT_SECURITY_POLICY
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer, log_in

EVIL = "https://evil.example"


def assert_secure_headers(answer, path):
    headers = answer.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
    assert headers["x-content-type-options"] == "nosniff", path
    assert headers["x-frame-options"] == "DENY", path
    assert headers["referrer-policy"] == "same-origin", path


def test_the_policy_enforces_without_inline_script_or_eval():
    policy = CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "img-src 'self' data:", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in policy


def test_every_response_carries_the_security_headers(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    make_user(engine, "ann", project=project, roles=("annotator",), password="pw")
    anonymous = ["/login", "/", "/api/v1/projects", "/healthz", "/docs", "/openapi.json",
                 "/static/css/accord.css", "/static/js/workbench.js",
                 "/static/swagger/swagger-ui.css", "/no/such/page", "/static/missing.js"]
    for path in anonymous:
        assert_secure_headers(api.get(path, follow_redirects=False), path)
    log_in(api, "ann", "pw")
    for path in ("/", "/projects/prefs/annotate", "/projects/other/annotate", "/api/v1/me"):
        assert_secure_headers(api.get(path), path)
    assert_secure_headers(api.post("/login", data={"username": "x", "password": "y"}), "login")


def test_pages_are_not_cached_and_scripts_are_revalidated(api, engine):
    assert api.get("/login").headers["cache-control"] == "no-store"
    assert api.get("/static/js/workbench.js").headers["cache-control"] == "no-cache"
    assert api.get("/static/js/workbench.js").headers["content-type"].split(";")[0] in (
        "text/javascript", "application/javascript")


def test_the_api_docs_page_runs_no_inline_script(api):
    page = api.get("/docs").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)


@pytest.mark.parametrize("headers", [{"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}, {"Sec-Fetch-Site": "same-site"}])
def test_a_cross_site_form_post_is_refused(api, engine, headers):
    make_user(engine, "ann", password="pw")
    answer = api.post("/login", data={"username": "ann", "password": "pw"}, headers=headers,
                      follow_redirects=False)
    assert answer.status_code == 403
    assert "another site" in answer.text
    assert "set-cookie" not in answer.headers
    assert_secure_headers(answer, "refusal")


def test_a_cross_site_logout_is_refused_and_the_session_lives_on(api, engine):
    make_user(engine, "ann", password="pw")
    log_in(api, "ann", "pw")
    assert api.post("/logout", headers={"Origin": EVIL}).status_code == 403
    assert api.get("/api/v1/me").json()["name"] == "ann"


def test_a_cross_site_api_write_with_the_session_cookie_is_refused(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    make_user(engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(api, "ann", "pw")
    claim = api.get("/api/v1/projects/prefs/tasks/next").json()
    path = f"/api/v1/assignments/{claim['assignment_id']}/submit"
    body = {"ranking": [["a"], ["b"]], "active_ms": 1000}
    refused = api.post(path, json=body, headers={"Origin": EVIL})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "cross_origin"
    assert "Origin: https://evil.example" in refused.json()["error"]["message"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(annotations)).scalar_one() == 0
    same_site = api.post(path, json=body, headers={"Origin": "http://accord.test",
                                                     "Sec-Fetch-Site": "same-origin"})
    assert same_site.status_code == 200


def test_bearer_token_calls_are_not_origin_checked(api, engine):
    """No site can make a browser send an Authorization header, so tokens need no check."""
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
    answer = api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit",
                      json={"ranking": [["a"], ["b"]]},
                      headers={**bearer(token), "Origin": EVIL})
    assert answer.status_code == 200


def test_reading_is_never_refused_for_its_origin(api, engine):
    make_user(engine, "ann", password="pw")
    log_in(api, "ann", "pw")
    assert api.get("/", headers={"Origin": EVIL, "Sec-Fetch-Site": "cross-site"}).status_code \
        == 200
