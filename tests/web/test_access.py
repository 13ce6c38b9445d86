"""Who sees what: tokens, membership, roles; anything outside one's projects is a 404."""

from __future__ import annotations

from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer


def test_requests_without_a_valid_token_are_401(api, engine):
    make_project(engine)
    assert api.get("/api/v1/projects").status_code == 401
    assert api.get("/api/v1/projects", headers=bearer("acc_wrong")).status_code == 401


def test_a_user_sees_only_their_projects(api, engine):
    mine = make_project(engine, "mine")
    make_project(engine, "theirs")
    token = make_user(engine, "ann", project=mine, roles=("annotator",)).token
    listed = api.get("/api/v1/projects", headers=bearer(token)).json()
    assert [p["name"] for p in listed] == ["mine"]
    assert listed[0]["roles"] == ["annotator"]
    for path in ("/api/v1/projects/theirs", "/api/v1/projects/theirs/tasks/next",
                 "/api/v1/projects/theirs/progress", "/api/v1/projects/nowhere"):
        answer = api.get(path, headers=bearer(token))
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"


def test_someone_elses_assignment_does_not_exist_for_you(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    owner = make_user(engine, "owner", project=project, roles=("annotator",)).token
    thief = make_user(engine, "thief", project=project, roles=("annotator",)).token
    assignment = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(owner)).json()
    answer = api.post(f"/api/v1/assignments/{assignment['assignment_id']}/submit",
                      json={"ranking": [["a"], ["b"]]}, headers=bearer(thief))
    assert answer.status_code == 404


def test_a_reviewer_is_not_handed_annotation_work(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "rev", project=project, roles=("reviewer",)).token
    answer = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token))
    assert answer.status_code == 403


def test_progress_counts_tasks_and_annotations(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 3)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assignment = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
    api.post(f"/api/v1/assignments/{assignment['assignment_id']}/submit",
             json={"ranking": [["a"], ["b"]]}, headers=bearer(token))
    progress = api.get("/api/v1/projects/prefs/progress", headers=bearer(token)).json()
    assert progress == {"tasks": 3, "by_status": {"complete": 1, "open": 2},
                        "annotations": 1, "active_leases": 0}
