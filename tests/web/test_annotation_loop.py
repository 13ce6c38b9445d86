"""The comparison loop through the HTTP API: claim, submit, repeat, skip, expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from accord.db.tables import annotations, assignments, pairwise_outcomes
from accord.db.types import utcnow
from tests.factories import add_comparison, add_comparisons, make_project, make_user
from tests.web.conftest import bearer

RANK_A_OVER_B = {"ranking": [["a"], ["b"]], "strength": 2, "rationale": "a is right",
                 "flags": [], "active_ms": 41250}


def claim(api, token, project="prefs"):
    return api.get(f"/api/v1/projects/{project}/tasks/next", headers=bearer(token))


def submit(api, token, assignment_id, body=RANK_A_OVER_B):
    return api.post(f"/api/v1/assignments/{assignment_id}/submit", json=body,
                    headers=bearer(token))


def count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_next_task_follows_the_contract(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    got = claim(api, token)
    assert got.status_code == 200
    body = got.json()
    assert set(body) == {"assignment_id", "lease_expires_at", "task"}
    assert set(body["task"]) == {"id", "kind", "messages", "responses", "category",
                                 "guideline_version", "category_label", "demonstration",
                                 "suggestion"}
    assert body["task"]["demonstration"] is None  # only a demonstration has an authoring mode
    assert body["task"]["suggestion"] is None  # pre-labelling is off
    assert body["task"]["category"] == body["task"]["category_label"] == "qa"
    assert body["task"]["id"] == "item-0" and body["task"]["kind"] == "comparison"
    assert sorted(r["id"] for r in body["task"]["responses"]) == ["a", "b"]
    assert all(set(r) == {"id", "content", "truncated"} for r in body["task"]["responses"])
    assert not any(r["truncated"] for r in body["task"]["responses"])


def test_nothing_left_answers_204(api, engine):
    project = make_project(engine)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assert claim(api, token).status_code == 204


def test_submission_is_stored_with_its_pairs_and_time(api, engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "k", contents={"a": "1", "b": "2", "c": "3"})
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assignment = claim(api, token).json()["assignment_id"]
    body = {"ranking": [["c"], ["a"], ["b"]], "ratings": {"a": {"helpfulness": 4}},
            "rationale": "c cites sources", "flags": ["contested_fact"], "active_ms": 5000}
    stored = submit(api, token, assignment, body)
    assert stored.status_code == 200, stored.text
    assert stored.json()["late"] is False
    with engine.connect() as conn:
        row = conn.execute(select(annotations)).one()
        assert row.ranking == [["c"], ["a"], ["b"]]
        assert row.active_ms == 5000 and row.flags == ["contested_fact"]
        assert conn.execute(select(func.count()).select_from(pairwise_outcomes)).scalar_one() == 3


def test_repeated_submission_returns_the_first_and_stores_nothing(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assignment = claim(api, token).json()["assignment_id"]
    first = submit(api, token, assignment)
    again = submit(api, token, assignment, {**RANK_A_OVER_B, "ranking": [["b"], ["a"]]})
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert count(engine, annotations) == 1 and count(engine, pairwise_outcomes) == 1


def _expire(engine, assignment_id):
    with engine.begin() as conn:
        conn.execute(update(assignments).where(assignments.c.id == assignment_id)
                     .values(lease_expires_at=utcnow() - timedelta(seconds=1)))


def test_late_submission_after_lease_expiry_is_kept_while_the_task_needs_it(api, engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 1)
    slow = make_user(engine, "slow", project=project, roles=("annotator",)).token
    other = make_user(engine, "other", project=project, roles=("annotator",)).token
    assignment = claim(api, slow).json()["assignment_id"]
    _expire(engine, assignment)
    claim(api, other)  # the claim sweeps the expired lease back into the pool
    late = submit(api, slow, assignment)
    assert late.status_code == 200 and late.json()["late"] is True
    assert count(engine, annotations) == 1


def test_late_submission_to_a_filled_task_is_refused_with_the_annotation_echoed(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 1)
    slow = make_user(engine, "slow", project=project, roles=("annotator",)).token
    quick = make_user(engine, "quick", project=project, roles=("annotator",)).token
    assignment = claim(api, slow).json()["assignment_id"]
    _expire(engine, assignment)
    taken = claim(api, quick).json()["assignment_id"]
    assert submit(api, quick, taken).status_code == 200
    refused = submit(api, slow, assignment)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict"
    assert error["annotation"]["ranking"] == RANK_A_OVER_B["ranking"]
    assert error["annotation"]["rationale"] == "a is right"
    assert count(engine, annotations) == 1


def test_skip_frees_the_slot_for_someone_else(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 1)
    first = make_user(engine, "first", project=project, roles=("annotator",)).token
    second = make_user(engine, "second", project=project, roles=("annotator",)).token
    assignment = claim(api, first).json()["assignment_id"]
    assert claim(api, second).status_code == 204
    skipped = api.post(f"/api/v1/assignments/{assignment}/skip",
                       json={"reason": "outside_expertise"}, headers=bearer(first))
    assert skipped.status_code == 200
    assert claim(api, second).status_code == 200
    assert claim(api, first).status_code == 204  # never the same task twice


def test_invalid_submissions_name_the_problem_and_store_nothing(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assignment = claim(api, token).json()["assignment_id"]
    cases = {
        "ranking names \"c\"": {"ranking": [["a"], ["c"]]},
        "leaves out b": {"ranking": [["a"]]},
        "does not allow ties": {"ranking": [["a", "b"]]},
        "outside 1..5": {"ranking": [["a"], ["b"]], "ratings": {"a": {"helpfulness": 9}}},
        "dimension \"charm\"": {"ranking": [["a"], ["b"]], "ratings": {"a": {"charm": 3}}},
        "unknown flag": {"ranking": [["a"], ["b"]], "flags": ["boring"]},
        "strength must be": {"ranking": [["a"], ["b"]], "strength": 7},
        "strength": {"ranking": [["a"], ["b"]], "strength": "2"},
        "body.colour": {"ranking": [["a"], ["b"]], "colour": "red"},
    }
    for expected, body in cases.items():
        answer = submit(api, token, assignment, body)
        assert answer.status_code == 422, body
        assert expected in answer.json()["error"]["message"], answer.json()
    assert count(engine, annotations) == 0
    assert submit(api, token, assignment).status_code == 200


def test_rationale_is_required_where_the_project_says_so(api, engine):
    project = make_project(engine, require_rationale=True)
    add_comparisons(engine, project, 1)
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    assignment = claim(api, token).json()["assignment_id"]
    answer = submit(api, token, assignment, {"ranking": [["a"], ["b"]]})
    assert answer.status_code == 422 and "requires a rationale" in answer.text


def test_demonstration_and_red_team_store_what_was_written(api, engine):
    project = make_project(engine, overlap=1)
    with engine.begin() as conn:
        add_comparison(conn, project, "demo", contents={}, kind="demonstration")
        add_comparison(conn, project, "attack", contents={}, kind="red_team")
    token = make_user(engine, "writer", project=project, roles=("annotator",)).token
    for _ in range(2):
        task = claim(api, token).json()
        if task["task"]["kind"] == "demonstration":
            body = {"response": "The ideal answer.", "active_ms": 9000}
        else:
            body = {"attack": "Pretend you are…", "model_response": "I can't help.",
                    "harm_categories": ["fraud"], "severity": 2,
                    "refusal_appropriate": True, "active_ms": 7000}
        assert submit(api, token, task["assignment_id"], body).status_code == 200
    with engine.connect() as conn:
        rows = {r.kind: r for r in conn.execute(select(annotations))}
    assert rows["demonstration"].response_text == "The ideal answer."
    assert rows["red_team"].attack == "Pretend you are…"
    assert rows["red_team"].refusal_appropriate is True
