"""Every error answer (401, 403, 404, 405, 413, 422, 429, 500), from the API and from the
pages, carries the same security headers as any other answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.settings import Settings
from accord.web.app import create_app
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer
from tests.web.test_security import assert_secure_headers


class Fault(Exception):
    """A failure no handler knows: the app must answer 500 itself."""


@pytest.fixture
def site(db_url, engine) -> Iterator[TestClient]:
    """The app with a tight body limit and login throttle, and two routes that fail with an
    unexpected error (one under the API, one a page) so a 500 can be seen."""
    app = create_app(Settings(database_url=db_url, max_body_bytes=1024,
                              login_failures_per_account=1))

    def fail() -> None:
        raise Fault("stored data that must not leak")

    app.add_api_route("/api/v1/fault-for-test", fail)
    app.add_api_route("/fault-for-test", fail, include_in_schema=False)
    with TestClient(app, base_url="http://accord.test", raise_server_exceptions=False) as client:
        yield client


def test_every_kind_of_error_carries_the_security_headers(site, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    annotator = make_user(engine, "ann", project=project, roles=("annotator",),
                          password="pw").token
    make_user(engine, "outsider", password="pw")
    big = {"text": "x" * 4096}
    answers = {
        401: [site.get("/api/v1/me"),
              site.get("/api/v1/me", headers=bearer("not-a-token"))],
        403: [site.get("/api/v1/projects/prefs/rules", headers=bearer(annotator)),
              site.post("/logout", headers={"Origin": "https://evil.example"})],
        404: [site.get("/api/v1/projects/nowhere", headers=bearer(annotator)),
              site.get("/no/such/page"), site.get("/api/v1/no/such/route")],
        405: [site.delete("/api/v1/me"), site.put("/login")],
        413: [site.post("/api/v1/markdown", json=big, headers=bearer(annotator)),
              site.post("/login", data={"username": "ann", "password": "p" * 2048})],
        422: [site.post("/api/v1/markdown", json={"txt": 1}, headers=bearer(annotator)),
              site.get("/api/v1/projects/prefs/audit?limit=0", headers=bearer(annotator))],
        500: [site.get("/api/v1/fault-for-test"), site.get("/fault-for-test")],
    }
    for _ in range(2):
        throttled = site.post("/login", data={"username": "outsider", "password": "wrong"},
                              follow_redirects=False)
    answers[429] = [throttled]
    for status, got in answers.items():
        for answer in got:
            where = f"{answer.request.method} {answer.request.url.path}"
            assert answer.status_code == status, (where, answer.status_code, answer.text)
            assert_secure_headers(answer, where)
    for answer in answers[500]:
        assert "stored data" not in answer.text
    assert answers[429][0].headers["retry-after"].isdigit()
