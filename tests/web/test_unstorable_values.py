"""Values no database stores are refused where the request is parsed, on every route.

Swept over the app's own route table, so a new route is covered the day it is added: every
integer in a path or a query gets 2**63, every string of every JSON body schema gets a lone
UTF-16 surrogate (sent as the JSON escape ``\\ud800``), every string in a path gets a NUL.
No answer may be a 5xx; the integers and surrogates must be 422 naming the field; every
answer, errors included, carries the security headers.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from accord.settings import Settings
from accord.web.app import create_app
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import log_in
from tests.web.test_security import assert_secure_headers

TOO_BIG = str(2**63)
SURROGATE = "\ud800"
PLACEHOLDER = re.compile(r"\{(\w+)(?::\w+)?\}")
VALUES = {"project": "prefs", "assignment_id": "1", "task_id": "item-0", "escalation_id": "1",
          "version": "1", "judge": "judge-1", "job_id": "1", "format": "raw",
          "name": "prefs.raw.jsonl", "user": "boss",
          "secret": "no-such-secret", "demonstration_id": "1"}
"""A value for each path parameter, naming things of the project the tests build."""
ROLES = ("annotator", "reviewer", "safety_specialist", "manager")
PAGE_FILTERS = [
    "/projects/prefs/digest?guideline_version=" + TOO_BIG,
    "/projects/prefs/digest?guideline_version=%C2%B2",  # "²": a digit to isdigit, not to int
    "/projects/prefs/escalations?severity=" + TOO_BIG,
    "/projects/prefs/guidelines/changes?from=" + TOO_BIG,
]
"""Page filters read from text rather than typed parameters."""

APP = create_app(Settings(database_url="sqlite://"))
SCHEMA = APP.openapi()
ROUTES = [(context.path, method, context.original_route)
          for context in iter_route_contexts(APP.routes)
          if isinstance(context.original_route, APIRoute)
          for method in sorted(context.methods or ())]


def _takes_integers(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType, list):
        return any(_takes_integers(arg) for arg in get_args(annotation))
    return bool(get_args(annotation)) and _takes_integers(get_args(annotation)[0])


def _url(path: str, **values: str) -> str:
    return PLACEHOLDER.sub(lambda m: {**VALUES, **values}[m.group(1)], path)


def _integer_requests() -> Iterator[tuple[str, str, str]]:
    """(method, url, the field's place) with 2**63 in each integer of a path or a query."""
    for path, method, route in ROUTES:
        for param in route.dependant.path_params:
            if _takes_integers(param.field_info.annotation):
                yield method, _url(path, **{param.name: TOO_BIG}), f"path.{param.name}"
        for param in route.dependant.query_params:
            if _takes_integers(param.field_info.annotation):
                yield method, f"{_url(path)}?{param.alias}={TOO_BIG}", f"query.{param.alias}"


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema


def _plain(schema: dict[str, Any]) -> Any:
    """The plainest value of a schema: its required fields only, meaning nothing."""
    schema = _resolve(schema)
    kind = schema.get("type", "object")
    if kind == "object":
        return {name: _plain(schema["properties"][name]) for name in schema.get("required", ())}
    return {"string": "x", "integer": 1, "number": 1.0, "boolean": False, "array": []}[kind]


def _with_surrogate(schema: dict[str, Any], place: str) -> Iterator[tuple[str, Any]]:
    """A value of ``schema`` for each string in it, that string a lone surrogate."""
    schema = _resolve(schema)
    kind = schema.get("type", "object")
    if kind == "string":
        yield place, SURROGATE
    elif kind == "array":
        for where, item in _with_surrogate(schema["items"], f"{place}.0"):
            yield where, [item]
    elif kind == "object" and schema.get("properties"):
        plain = _plain(schema)
        for name, inner in schema["properties"].items():
            for where, value in _with_surrogate(inner, f"{place}.{name}"):
                yield where, {**plain, name: value}
    elif kind == "object":  # a map or a free-form object: its keys and its values
        values = schema.get("additionalProperties")
        typed = isinstance(values, dict) and bool(values)
        yield place, {SURROGATE: _plain(values) if typed else "x"}
        if typed:
            for where, value in _with_surrogate(values, place):
                yield where, {"x": value}
        else:
            yield place, {"x": SURROGATE}


def _body_requests() -> Iterator[tuple[str, str, str, str]]:
    """(method, url, JSON text, the field's place) for each string of each body schema."""
    for path, method, _ in ROUTES:
        body = SCHEMA["paths"].get(path, {}).get(method.lower(), {}).get("requestBody")
        if body is None or "application/json" not in body["content"]:
            continue  # a file upload: its lines are checked by the import, numbered
        schema = body["content"]["application/json"]["schema"]
        for place, value in _with_surrogate(schema, "body"):
            yield method, _url(path), json.dumps(value), place


INTEGERS = list(_integer_requests())
BODIES = list(_body_requests())


@pytest.fixture
def site(db_url, engine) -> Iterator[TestClient]:
    """A person with every role in the project, logged in: pages and API alike answer."""
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    make_user(engine, "boss", project=project, roles=ROLES, password="pw")
    with TestClient(create_app(Settings(database_url=db_url)), base_url="http://accord.test",
                    raise_server_exceptions=False) as client:
        log_in(client, "boss", "pw")
        yield client


def _message(answer) -> str:
    if answer.headers["content-type"].startswith("application/json"):
        return answer.json()["error"]["message"]
    return answer.text


def test_the_sweep_reaches_every_kind_of_route():
    assert {url.split("/")[1] for _, url, _ in INTEGERS} == {"api", "projects"}
    assert len(INTEGERS) >= 15 and len(BODIES) >= 30


def test_integers_beyond_64_bits_are_422_naming_the_field(site):
    for method, url, place in INTEGERS:
        answer = site.request(method, url, follow_redirects=False)
        assert answer.status_code == 422, f"{method} {url}: {answer.status_code}"
        assert place in _message(answer), f"{method} {url}"
        assert_secure_headers(answer, url)


def test_a_lone_surrogate_in_any_string_of_any_body_is_422_naming_the_field(site):
    for method, url, text, place in BODIES:
        answer = site.request(method, url, content=text,
                              headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, f"{method} {url} {place}: {answer.text[:200]}"
        field = ".".join(place.split(".")[:2])
        assert field in _message(answer), f"{method} {url} {place}: {_message(answer)}"
        assert_secure_headers(answer, url)


def test_a_nul_in_any_path_is_never_a_server_error(site):
    for path, method, route in ROUTES:
        for param in route.dependant.path_params:
            if not _takes_integers(param.field_info.annotation):
                url = _url(path, **{param.name: "a%00b"})
                answer = site.request(method, url, follow_redirects=False)
                assert answer.status_code < 500, f"{method} {url}: {answer.status_code}"
                assert_secure_headers(answer, url)


@pytest.mark.parametrize("url", PAGE_FILTERS)
def test_page_filters_refuse_numbers_they_cannot_use(site, url):
    answer = site.get(url)
    assert answer.status_code == 422, answer.status_code
    assert_secure_headers(answer, url)


def test_a_surrogate_in_a_json_key_is_answered_without_failing_to_encode(site):
    answer = site.post("/api/v1/assignments/1/submit",
                       content='{"ratings": {"\\ud800": {"helpfulness": 1}}}',
                       headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert "body.ratings" in answer.json()["error"]["message"]


def test_an_unexpected_failure_is_a_500_with_the_error_body_and_the_headers(db_url):
    app = create_app(Settings(database_url=db_url))

    @app.get("/api/v1/broken")
    async def broken() -> None:
        raise RuntimeError("a stored secret")

    @app.get("/broken")
    async def broken_page() -> None:
        raise RuntimeError("a stored secret")

    with TestClient(app, raise_server_exceptions=False) as client:
        api, page = client.get("/api/v1/broken"), client.get("/broken")
    assert api.status_code == page.status_code == 500
    assert api.json()["error"]["code"] == "internal"
    assert "secret" not in api.text and "secret" not in page.text
    assert page.headers["content-type"].startswith("text/html")
    for answer in (api, page):
        assert_secure_headers(answer, "a 500")


@pytest.mark.parametrize(("method", "url", "status", "code"), [
    ("GET", "/api/v1/nowhere", 404, "not_found"),
    ("DELETE", "/api/v1/me", 405, "method_not_allowed"),
])
def test_starlettes_own_answers_have_the_error_body_and_the_headers(site, method, url, status,
                                                                    code):
    answer = site.request(method, url)
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert_secure_headers(answer, url)
