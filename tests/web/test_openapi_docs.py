"""The API's OpenAPI documentation cannot drift: every route under /api/v1 has a summary
written for it and documents the error statuses it can answer with, and real requests
(no token, an unknown project, a malformed body, a caller without the role) answer only
with statuses their route documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute

from accord.settings import Settings
from accord.web.app import API_PREFIX, API_ROUTERS, create_app
from accord.web.deps import caller_session
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer

WRITES = {"post", "put", "patch", "delete"}
ERROR_BODY = "#/components/schemas/ErrorOut"
PATH_VALUES = {"project": "prefs", "assignment_id": "1", "task_id": "item-0",
               "escalation_id": "1", "version": "1", "judge": "judge-1", "job_id": "1",
               "name": "preference.jsonl", "format": "preference",
               "user": "boss", "demonstration_id": "1"}
"""A value for each path parameter, naming things of the project the tests build."""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    route: APIRoute
    spec: dict[str, Any]

    @property
    def documented(self) -> set[int]:
        return {int(status) for status in self.spec["responses"]}

    def url(self, **values: str) -> str:
        return (API_PREFIX + self.route.path_format).format_map({**PATH_VALUES, **values})

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _schema() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://")).openapi()


SCHEMA = _schema()


def _operations() -> Iterator[Operation]:
    for router in API_ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            for method in sorted(route.methods):
                path = API_PREFIX + route.path_format
                yield Operation(method.lower(), path, route,
                                SCHEMA["paths"][path][method.lower()])


OPERATIONS = list(_operations())


def _depends_on(route: APIRoute, dependency) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        current = pending.pop()
        if current.call is dependency:
            return True
        pending.extend(current.dependencies)
    return False


# ── what the schema says ────────────────────────────────────────────────────────────────

def test_every_api_route_is_in_the_schema_and_nothing_else_is():
    listed = {(op.method, op.path) for op in OPERATIONS}
    published = {(method, path) for path, ops in SCHEMA["paths"].items() for method in ops}
    assert listed == published


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_every_route_has_a_summary_written_for_it(op: Operation):
    generated = op.route.name.replace("_", " ").title()  # FastAPI's fallback
    assert op.route.summary, f"{op}: give it summary='…'"
    assert op.spec["summary"] == op.route.summary != generated


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_authenticated_routes_document_401(op: Operation):
    if _depends_on(op.route, caller_session):
        assert 401 in op.documented, f"{op}: responses=caller_errors(…) documents 401"
        assert "WWW-Authenticate" in op.spec["responses"]["401"]["headers"]


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_routes_with_parameters_or_a_body_document_422(op: Operation):
    if op.spec.get("parameters") or "requestBody" in op.spec:
        assert 422 in op.documented, f"{op}: add ErrorKind.INVALID to its caller_errors"


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.method in WRITES], ids=str)
def test_writes_document_the_cross_site_refusal(op: Operation):
    """``web.security`` answers 403 to a cookie-borne write from another site."""
    assert 403 in op.documented, f"{op}: add ErrorKind.FORBIDDEN to its caller_errors"


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_every_error_answer_has_the_error_body(op: Operation):
    for status, answer in op.spec["responses"].items():
        if int(status) >= 400:
            assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_BODY}, \
                f"{op} {status}"
    detail = SCHEMA["components"]["schemas"]["ErrorDetail"]
    assert detail["required"] == ["code", "message"]


# ── what the app answers ────────────────────────────────────────────────────────────────

def _example(schema: dict[str, Any]) -> Any:
    """The plainest value of a JSON schema: enough to pass validation, meaning nothing."""
    if "$ref" in schema:
        return _example(SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return _example(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "oneOf" in schema:  # a union told apart by a discriminator: its first member
        return _example(schema["oneOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(schema["properties"][name]) for name in schema.get("required", ())}
    return {"string": "x", "integer": 1, "number": 1.0, "boolean": False, "array": []}[kind]


def _takes_a_file(op: Operation) -> bool:
    """An upload route: its body is a file (raw or a form's part), not a JSON document."""
    return "requestBody" in op.spec and "application/json" not in op.spec["requestBody"]["content"]


A_FILE = b'{"id": "openapi-1", "prompt": "Say hi.", "responses": ["Hi.", "Hello."]}\n'


def _call(api, op: Operation, headers: dict[str, str], body: Any = None, **values: str):
    if _takes_a_file(op):
        return api.request(op.method.upper(), op.url(**values),
                           headers={**headers, "Content-Type": "application/x-ndjson"},
                           content=A_FILE if body is None else body)
    if "requestBody" in op.spec and body is None:
        body = _example(op.spec["requestBody"]["content"]["application/json"]["schema"])
    return api.request(op.method.upper(), op.url(**values), headers=headers,
                       json=body if "requestBody" in op.spec else None)


@pytest.fixture
def callers(api, engine) -> dict[str, dict[str, str]]:
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    return {role: bearer(make_user(engine, role, project=project, roles=(role,)).token)
            for role in ("annotator", "reviewer", "safety_specialist", "manager")}


def _assert_documented(op: Operation, answer, caller: str = "") -> None:
    assert answer.status_code in op.documented, (
        f"{op} answered {caller} {answer.status_code} ({answer.text[:200]}), which its "
        f"OpenAPI entry does not document ({sorted(op.documented)})")


def test_without_a_token_every_authenticated_route_answers_401(api, callers):
    for op in OPERATIONS:
        if not _depends_on(op.route, caller_session):
            continue
        answer = _call(api, op, {})
        assert answer.status_code == 401, op
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        _assert_documented(op, answer)


def test_an_unknown_project_is_404_on_every_project_route(api, callers):
    for op in OPERATIONS:
        if "{project}" in op.path:
            answer = _call(api, op, callers["manager"], project="nowhere")
            assert answer.status_code == 404, op
            assert answer.json()["error"]["code"] == "not_found"
            _assert_documented(op, answer)


def test_a_malformed_body_is_422_on_every_route_that_takes_one(api, callers):
    for op in OPERATIONS:
        if "requestBody" in op.spec:
            # a file's content is checked by its import job; an empty one is refused at once
            malformed = b"" if _takes_a_file(op) else ["not", "an", "object"]
            answer = _call(api, op, callers["manager"], body=malformed)
            assert answer.status_code == 422, op
            assert answer.json()["error"]["code"] == "invalid"
            _assert_documented(op, answer)


@pytest.mark.parametrize("path", [
    "/api/v1/projects/{project}/rules", "/api/v1/projects/{project}/calibrations",
    "/api/v1/projects/{project}/audit", "/api/v1/projects/{project}/digest",
    "/api/v1/projects/{project}/adjudication",
    "/api/v1/projects/{project}/judges/{judge}/audit",
])
def test_an_annotator_on_a_reviewers_or_managers_route_is_403(api, callers, path):
    [op] = [op for op in OPERATIONS if op.path == path and op.method == "get"]
    answer = _call(api, op, callers["annotator"])
    assert answer.status_code == 403, answer.text
    _assert_documented(op, answer)


def test_every_role_gets_only_documented_answers_from_every_route(api, callers):
    """Whatever each role is told, success or refusal, its route documents that status."""
    for role, headers in callers.items():
        for op in OPERATIONS:
            _assert_documented(op, _call(api, op, headers), f"a {role}")
