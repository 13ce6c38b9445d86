"""``GET /api/v1/projects/{project}/report``: for reviewers and managers, and read-only."""

from __future__ import annotations

from sqlalchemy import func, select

from accord.db.tables import task_consensus
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer


def _annotate_everything(api, tokens):
    for token in tokens:
        while (claim := api.get("/api/v1/projects/prefs/tasks/next",
                                headers=bearer(token))).status_code == 200:
            body = claim.json()
            first = body["task"]["responses"][0]["id"]
            other = body["task"]["responses"][1]["id"]
            api.post(f"/api/v1/assignments/{body['assignment_id']}/submit",
                     json={"ranking": [[first], [other]], "active_ms": 3000},
                     headers=bearer(token))


def test_managers_get_the_report_and_it_changes_nothing(api, engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 6)
    annotators = [make_user(engine, n, project=project, roles=("annotator",)).token
                  for n in ("x", "y")]
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    _annotate_everything(api, annotators)

    answer = api.get("/api/v1/projects/prefs/report", headers=bearer(lead))

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert {"agreement", "annotators", "consensus", "monitors", "cost"} <= set(report)
    assert sorted(row["name"] for row in report["annotators"]) == ["x", "y"]
    assert report["counts"]["annotations"] == 12
    assert report["consensus"]["tasks_settled"] == 6
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(task_consensus)).scalar_one() == 0


def test_annotators_and_outsiders_do_not_get_the_report(api, engine):
    project = make_project(engine)
    make_project(engine, "other")
    member = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assert api.get("/api/v1/projects/prefs/report", headers=bearer(member)).status_code == 403
    assert api.get("/api/v1/projects/other/report", headers=bearer(member)).status_code == 404


def _references(spec) -> list[str]:
    """The names of the component schemas a piece of OpenAPI schema refers to."""
    if isinstance(spec, dict):
        found = [spec["$ref"].rsplit("/", 1)[1]] if "$ref" in spec else []
        return found + [name for value in spec.values() for name in _references(value)]
    if isinstance(spec, list):
        return [name for value in spec for name in _references(value)]
    return []


def test_the_openapi_schema_documents_every_section_and_field_of_the_report(api):
    schema = api.get("/openapi.json").json()
    route = schema["paths"]["/api/v1/projects/{project}/report"]["get"]
    components = schema["components"]["schemas"]
    waiting = _references(route["responses"]["200"])
    seen: set[str] = set()
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        model = components[name]
        assert model.get("description"), f"{name} has no description"
        for field, spec in model["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
            waiting += _references(spec)
    assert {"QualityReport", "AgreementSection", "AnnotatorRow", "ConsensusSection",
            "MonitorsSection", "CostFigures", "JudgesSection", "JudgeAudit"} <= seen
