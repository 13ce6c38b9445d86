"""``GET /api/v1/projects/{project}/report?guideline_version=N&include_ai=true``."""

from __future__ import annotations

from tests.factories import add_comparison, make_project, make_user, publish_guideline
from tests.web.conftest import bearer


def _annotate(api, tokens, best: str) -> None:
    """Every annotator judges every task open to them, putting response ``best`` first."""
    for token in tokens:
        while (claim := api.get("/api/v1/projects/prefs/tasks/next",
                                headers=bearer(token))).status_code == 200:
            body = claim.json()
            other = next(r["id"] for r in body["task"]["responses"] if r["id"] != best)
            answer = api.post(f"/api/v1/assignments/{body['assignment_id']}/submit",
                              json={"ranking": [[best], [other]], "active_ms": 3000},
                              headers=bearer(token))
            assert answer.status_code in (200, 201), answer.text


def test_the_report_api_cuts_by_guideline_version(api, engine):
    project = make_project(engine, overlap=2)
    tokens = [make_user(engine, n, project=project, roles=("annotator",)).token
              for n in ("x", "y")]
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    for version, prefix in ((1, "early"), (2, "late")):
        assert publish_guideline(engine, project, f"version {version}") == version
        with engine.begin() as conn:
            for i in range(3):
                add_comparison(conn, project, f"{prefix}-{i}")
        # x always prefers a; y agrees under version 1 and disagrees under version 2
        _annotate(api, tokens[:1], "a")
        _annotate(api, tokens[1:], "a" if version == 1 else "b")

    def report(query: str) -> dict:
        answer = api.get(f"/api/v1/projects/prefs/report{query}", headers=bearer(lead))
        assert answer.status_code == 200, answer.text
        return answer.json()

    whole, first, second = (report(""), report("?guideline_version=1"),
                            report("?guideline_version=2"))
    both = report("?guideline_version=1&guideline_version=2&include_ai=true")

    def agreement(r: dict) -> float:
        return r["agreement"]["percent_agreement"]["ties_counted"]

    assert [agreement(r) for r in (first, second, whole, both)] == [1.0, 0.0, 0.5, 0.5]
    assert [r["counts"]["annotations"] for r in (whole, first, second, both)] == [12, 6, 6, 12]
    assert first["scope"] == {"guideline_versions": [1], "include_ai": False}
    assert both["scope"] == {"guideline_versions": [1, 2], "include_ai": True}


def test_an_unknown_guideline_version_is_refused_with_a_reason(api, engine):
    project = make_project(engine)
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    answer = api.get("/api/v1/projects/prefs/report?guideline_version=3", headers=bearer(lead))
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == (
        'guideline version 3 does not exist in project "prefs" (versions: none published)')
