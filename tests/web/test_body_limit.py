"""Request bodies over ``ACCORD_MAX_BODY_BYTES`` are refused with 413 while they arrive:
declared too large, or counted past the limit as a chunked body streams; nothing changes."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.responses import JSONResponse

from accord.db.tables import annotations, assignments
from accord.settings import Settings, load_settings
from accord.web.app import create_app
from accord.web.body_limit import BodyLimitMiddleware
from accord.web.security import CONTENT_SECURITY_POLICY
from tests.factories import add_comparisons, make_project, make_user
from tests.live import running_servers
from tests.web.conftest import bearer, log_in

LIMIT = 4096


@pytest.fixture
def small_api(db_url, engine) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url, max_body_bytes=LIMIT))
    with TestClient(app, base_url="http://accord.test") as client:
        yield client


def claimed(api, engine) -> tuple[str, int]:
    """An annotator's token and the id of the assignment they hold."""
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",), password="pw").token
    got = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token))
    assert got.status_code == 200, got.text
    return token, got.json()["assignment_id"]


def stored_annotations(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(annotations))


def oversized_submission() -> bytes:
    body = {"ranking": [["a"], ["b"]], "strength": 2, "flags": [], "active_ms": 1000,
            "rationale": "x" * (2 * LIMIT)}
    return json.dumps(body).encode()


def assert_too_large(answer) -> None:
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "too_large"
    assert f"{LIMIT:,} bytes" in answer.json()["error"]["message"]
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_body_declared_over_the_limit_is_refused_and_stores_nothing(small_api, engine):
    token, assignment = claimed(small_api, engine)
    answer = small_api.post(f"/api/v1/assignments/{assignment}/submit",
                            content=oversized_submission(),
                            headers={**bearer(token), "Content-Type": "application/json"})
    assert_too_large(answer)
    assert stored_annotations(engine) == 0
    with engine.connect() as conn:
        assert conn.scalar(select(assignments.c.status)) == "active"


def test_a_chunked_body_is_counted_as_it_streams_and_refused_past_the_limit(small_api, engine):
    token, assignment = claimed(small_api, engine)
    payload = oversized_submission()
    chunks = (payload[i:i + 1000] for i in range(0, len(payload), 1000))  # no Content-Length
    answer = small_api.post(f"/api/v1/assignments/{assignment}/submit", content=chunks,
                            headers={**bearer(token), "Content-Type": "application/json"})
    assert_too_large(answer)
    assert stored_annotations(engine) == 0


def test_a_body_of_exactly_the_limit_is_read(small_api, engine):
    token, _ = claimed(small_api, engine)
    body = json.dumps({"text": "*fine*"}).encode()
    body += b" " * (LIMIT - len(body))  # JSON allows trailing whitespace
    answer = small_api.post("/api/v1/markdown", content=body,
                            headers={**bearer(token), "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert "<em>fine</em>" in answer.json()["html"]


def test_an_oversized_form_gets_a_page_saying_so(small_api, engine):
    project = make_project(engine)
    make_user(engine, "lead", project=project, roles=("manager",), password="pw")
    log_in(small_api, "lead", "pw")
    answer = small_api.post("/projects/prefs/guidelines/new",
                            data={"text": "y" * (2 * LIMIT)}, follow_redirects=False)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "4,096 bytes" in answer.text
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_limit_is_a_setting_read_from_the_environment():
    assert load_settings({"ACCORD_MAX_BODY_BYTES": "1024"}).max_body_bytes == 1024
    assert load_settings({}).max_body_bytes == 4 * 1024 * 1024


async def _echo_length(scope, receive, send) -> None:
    """An app that reads the whole body and says how long it was."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await JSONResponse({"read": size})(scope, receive, send)


def test_exempt_paths_take_bodies_of_any_size_and_others_do_not():
    limited = BodyLimitMiddleware(_echo_length, limit=LIMIT,
                                  exempt=("/api/v1/projects/{project}/imports",))
    client = TestClient(limited)  # no lifespan: the echo app has none
    big = b"z" * (10 * LIMIT)
    assert client.post("/api/v1/projects/prefs/imports", content=big).json() == {
        "read": 10 * LIMIT}
    assert client.post("/api/v1/projects/prefs/imports/", content=big).status_code == 200
    assert client.post("/api/v1/projects/prefs/other", content=big).status_code == 413
    assert client.post("/api/v1/projects/a/b/imports", content=big).status_code == 413


def test_a_limit_below_one_byte_is_refused():
    with pytest.raises(ValueError, match="at least 1 byte"):
        BodyLimitMiddleware(_echo_length, limit=0)


def _read_head(sock: socket.socket) -> bytes:
    """Bytes from the server up to the end of its response's headers."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return head


def test_a_real_server_answers_413_before_an_endless_chunked_body_ends(db_url, engine, tmp_path):
    """Over real HTTP: the client sends chunks past the limit and never the final one; the
    server's 413 arrives anyway, so nothing waited for (or buffered) the whole body."""
    project = make_project(engine)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    with running_servers(db_url, settings={"ACCORD_MAX_BODY_BYTES": str(LIMIT)}) as (base,):
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(
                b"POST /api/v1/markdown HTTP/1.1\r\nHost: accord.test\r\n"
                + f"Authorization: Bearer {token}\r\n".encode()
                + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"[" * 1024
            for _ in range(LIMIT // len(chunk) + 1):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            head = _read_head(sock)
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"content-security-policy" in head.lower()


def test_an_oversized_login_form_is_refused_before_any_password_is_checked(small_api, engine):
    make_user(engine, "ann", password="pw")
    answer = small_api.post("/login", content=b"username=ann&password=" + b"p" * LIMIT,
                            headers={"Content-Type": "application/x-www-form-urlencoded"},
                            follow_redirects=False)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "set-cookie" not in answer.headers
