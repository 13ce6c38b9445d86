"""What schemathesis found at the API's edge, each pinned as a specification: the OpenAPI
document says exactly what the validators take, and a wrong method is told every method the
path has."""

from __future__ import annotations

from accord.settings import Settings
from accord.web.app import create_app
from accord.web.values import INT64_MAX, INT64_MIN, STORABLE_PATTERN
from tests.factories import add_comparisons, make_project, make_user, publish_guideline
from tests.web.conftest import bearer

DOCUMENT = create_app(Settings(database_url="sqlite://")).openapi()
SCHEMAS = DOCUMENT["components"]["schemas"]


def test_64_bit_bounds_are_documented_as_exact_integers():
    severity = SCHEMAS["AnnotationIn"]["properties"]["severity"]["anyOf"][0]
    assert severity["maximum"] == INT64_MAX and isinstance(severity["maximum"], int)
    assert severity["minimum"] == INT64_MIN and isinstance(severity["minimum"], int)


def test_every_operation_with_a_body_documents_400_for_an_unreadable_one():
    with_body = [(path, method) for path, operations in DOCUMENT["paths"].items()
                 for method, operation in operations.items() if "requestBody" in operation]
    assert with_body
    for path, method in with_body:
        assert "400" in DOCUMENT["paths"][path][method]["responses"], (method, path)


def test_text_and_json_documents_are_described_as_the_validators_take_them():
    assert SCHEMAS["MarkdownIn"]["properties"]["text"]["pattern"] == STORABLE_PATTERN
    rules = SCHEMAS["WorkRulesIn"]["properties"]["rules"]["anyOf"][0]
    assert rules["additionalProperties"] is False
    assert list(rules["patternProperties"]) == [STORABLE_PATTERN]
    assert SCHEMAS["SkipIn"]["properties"]["reason"]["enum"] == [
        "outside_expertise", "unsafe", "broken", "unclear", "other"]


def test_unreadable_bodies_answer_400_with_the_error_body(api, engine):
    token = make_user(engine, "ann").token
    answer = api.post("/api/v1/markdown", content=b"\xff\xfe{",
                      headers={**bearer(token), "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


def test_a_whole_number_written_as_a_float_counts_as_an_integer(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
    body = {"ranking": [["a"], ["b"]], "strength": 2.0, "active_ms": 1500.0}
    stored = api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit", json=body,
                      headers=bearer(token))
    assert stored.status_code == 200, stored.text
    assert stored.json()["annotation"]["strength"] == 2
    half = api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit",
                    json={**body, "strength": 2.5}, headers=bearer(token))
    assert half.status_code == 422 and "body.strength" in half.json()["error"]["message"]


def test_a_wrong_method_is_told_every_method_of_the_path(api, engine):
    token = make_user(engine, "ann").token
    for path, methods in (("/api/v1/projects/prefs/calibrations", "GET, POST"),
                          ("/api/v1/projects/prefs/rules", "GET, PUT"),
                          ("/api/v1/projects/prefs/guidelines/3", "GET, PATCH"),
                          ("/login", "GET, POST")):
        answer = api.delete(path, headers=bearer(token))
        assert answer.status_code == 405, path
        assert answer.headers["allow"] == methods, path


def test_a_guideline_version_is_a_number_so_other_words_are_not_versions(api, engine):
    project = make_project(engine)
    publish_guideline(engine, project)
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    answer = api.patch("/api/v1/projects/prefs/guidelines/diff", json={"text": "x"},
                       headers=bearer(lead))
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    too_big = api.get(f"/api/v1/projects/prefs/guidelines/{2**64}", headers=bearer(lead))
    assert too_big.status_code == 422 and "path.version" in too_big.json()["error"]["message"]
    assert api.get("/api/v1/projects/prefs/guidelines/1", headers=bearer(lead)).status_code \
        == 200
