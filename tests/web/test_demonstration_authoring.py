"""Authoring modes of demonstrations over the real API: a project's mode and a task's own,
the draft handed out for post-editing, the edit distance and diff the server computes from
the stored draft, and multi-turn turns checked turn by turn. Nothing is stored from a
refused body."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.tasks import edits
from accord.db.tables import annotations
from tests.factories import import_lines, make_project, make_user, set_project_settings
from tests.web.conftest import bearer

DRAFT = "Paris is the capital of France. It has 2 million people."
EDITED = "Paris is the capital of France. About 2.1 million people live there."


def _demonstration(item_id: str, **fields) -> dict:
    prompt = {} if "messages" in fields else {"prompt": f"question {item_id}"}
    return {"id": item_id, "kind": "demonstration", **prompt, "category": "qa", **fields}


def _drafts() -> list[dict]:
    return [{"id": "d1", "content": DRAFT, "model": "smol-135m"},
            {"id": "d2", "content": "Another draft.", "model": "big-70b"}]


@pytest.fixture
def writer(api, engine):
    """A project of one-annotation tasks and a writer's token."""
    project = make_project(engine, overlap=1)
    token = make_user(engine, "wri", project=project, roles=("annotator",)).token
    return project, bearer(token)


def _claim(api, headers) -> dict:
    answer = api.get("/api/v1/projects/prefs/tasks/next", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _submit(api, headers, claimed: dict, body: dict):
    return api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit", json=body,
                    headers=headers)


def _stored(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(annotations.c.response_text, annotations.c.details)
                            .order_by(annotations.c.id)).all()


def test_a_demonstration_is_written_from_scratch_by_default(api, engine, writer):
    project, headers = writer
    import_lines(engine, project, _demonstration("w1", responses=_drafts()))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"] == {"mode": "write", "draft": None,
                                                "user_turns": []}
    assert _submit(api, headers, claimed, {"response": "Mine."}).status_code == 200
    assert _stored(engine) == [("Mine.", {"mode": "write"})]


def test_post_edit_hands_out_the_draft_and_stores_the_servers_distance_and_diff(
        api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project, demonstration={"mode": "post_edit"})
    import_lines(engine, project, _demonstration("p1", responses=_drafts()))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"]["mode"] == "post_edit"
    assert claimed["task"]["demonstration"]["draft"] == {"id": "d1", "content": DRAFT}
    answer = _submit(api, headers, claimed, {"response": EDITED, "active_ms": 1000})
    assert answer.status_code == 200, answer.text
    details = {"mode": "post_edit", "draft_response_id": "d1", "draft_model": "smol-135m",
               "edit_distance": edits.edit_distance(DRAFT, EDITED),
               "diff": edits.diff(DRAFT, EDITED), "unchanged": False}
    assert answer.json()["annotation"]["authoring"] == details
    assert _stored(engine) == [(EDITED, details)]
    assert edits.side(details["diff"], "delete") == DRAFT
    assert edits.side(details["diff"], "insert") == EDITED


def test_the_draft_rule_picks_the_named_models_response(api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project,
                         demonstration={"mode": "post_edit", "draft": "model:big-70b"})
    import_lines(engine, project, _demonstration("p2", responses=_drafts()))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"]["draft"]["id"] == "d2"
    _submit(api, headers, claimed, {"response": "Another draft, improved."})
    assert _stored(engine)[0].details["draft_model"] == "big-70b"


def test_an_unchanged_draft_is_accepted_and_flagged(api, engine, writer):
    project, headers = writer
    import_lines(engine, project, _demonstration(
        "p3", responses=_drafts(), demonstration={"mode": "post_edit", "draft": "response:d1"}))
    claimed = _claim(api, headers)
    assert _submit(api, headers, claimed, {"response": DRAFT}).status_code == 200
    details = _stored(engine)[0].details
    assert details["unchanged"] is True
    assert details["edit_distance"] == 0
    assert details["diff"] == [["equal", DRAFT]]


def test_a_post_edit_task_without_a_matching_draft_is_written_from_scratch(api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project,
                         demonstration={"mode": "post_edit", "draft": "model:absent"})
    import_lines(engine, project, _demonstration("p4", responses=_drafts()))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"] == {"mode": "post_edit", "draft": None,
                                                "user_turns": []}
    _submit(api, headers, claimed, {"response": "From scratch."})
    assert _stored(engine)[0].details == {"mode": "write"}


def test_a_tasks_own_mode_overrides_its_projects(api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project, demonstration={"mode": "post_edit"})
    import_lines(engine, project, _demonstration("w2", responses=_drafts(),
                                                 demonstration={"mode": "write"}))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"]["mode"] == "write"
    assert claimed["task"]["demonstration"]["draft"] is None


def test_a_repeated_post_edit_submission_answers_the_stored_details(api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project, demonstration={"mode": "post_edit"})
    import_lines(engine, project, _demonstration("p5", responses=_drafts()))
    claimed = _claim(api, headers)
    first = _submit(api, headers, claimed, {"response": EDITED}).json()
    again = _submit(api, headers, claimed, {"response": EDITED})
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["annotation"]["authoring"] == first["annotation"]["authoring"]
    assert again.json()["annotation"]["response"] == EDITED


MULTI = {"mode": "multi_turn", "user_turns": ["And in winter?", "Thanks!"]}
TURNS = [{"role": "assistant", "content": "It is mild."},
         {"role": "user", "content": "And in winter?"},
         {"role": "assistant", "content": "Cold and grey."},
         {"role": "user", "content": "Thanks!"},
         {"role": "assistant", "content": "You are welcome."}]


def test_a_multi_turn_demonstration_stores_its_turns_and_its_final_text(api, engine, writer):
    project, headers = writer
    import_lines(engine, project, _demonstration("m1", demonstration=MULTI))
    claimed = _claim(api, headers)
    assert claimed["task"]["demonstration"] == {"mode": "multi_turn", "draft": None,
                                                "user_turns": MULTI["user_turns"]}
    answer = _submit(api, headers, claimed, {"turns": TURNS})
    assert answer.status_code == 200, answer.text
    assert answer.json()["annotation"]["turns"] == TURNS
    assert _stored(engine) == [("You are welcome.", {"mode": "multi_turn", "turns": TURNS})]
    again = _submit(api, headers, claimed, {"turns": TURNS}).json()
    assert again["annotation"]["turns"] == TURNS


def test_a_writer_may_continue_a_conversation_past_its_scripted_turns(api, engine, writer):
    project, headers = writer
    set_project_settings(engine, project, demonstration={"mode": "multi_turn"})
    import_lines(engine, project, _demonstration("m2", messages=[
        {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "Weather in Oslo?"}]))
    claimed = _claim(api, headers)
    assert _submit(api, headers, claimed, {"turns": TURNS[:3]}).status_code == 200
    assert _stored(engine)[0].response_text == "Cold and grey."


@pytest.mark.parametrize(("turns", "named"), [
    ([], "a multi-turn demonstration needs turns"),
    ([{"role": "user", "content": "x"}], 'turns[0].role must be "assistant"'),
    ([{"role": "assistant", "content": "a"}, {"role": "assistant", "content": "b"}],
     'turns[1].role must be "user"'),
    ([{"role": "system", "content": "a"}], "turns[0].role must be user or assistant"),
    ([{"role": "assistant", "content": "  "}], "turns[0].content must not be empty"),
    (TURNS[:2], "turns ends before the task's user turn 2"),
    ([TURNS[0], {"role": "user", "content": "Something else"}, TURNS[2]],
     "turns[1] must be the task's user turn 1 as given"),
    ([*TURNS, {"role": "user", "content": "More?"}], "turns[5] is the user's"),
])
def test_bad_turns_are_refused_naming_the_turn_and_nothing_is_stored(api, engine, writer,
                                                                     turns, named):
    project, headers = writer
    import_lines(engine, project, _demonstration("m3", demonstration=MULTI))
    claimed = _claim(api, headers)
    answer = _submit(api, headers, claimed, {"turns": turns})
    assert answer.status_code == 422, answer.text
    assert named in answer.json()["error"]["message"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(annotations)).scalar_one() == 0
    assert _submit(api, headers, claimed, {"turns": TURNS}).status_code == 200


def test_a_response_on_a_multi_turn_task_and_turns_on_a_single_turn_one_are_refused(
        api, engine, writer):
    project, headers = writer
    import_lines(engine, project, _demonstration("m4", demonstration=MULTI),
                 _demonstration("w3", priority=-1))
    multi = _claim(api, headers)
    answer = _submit(api, headers, multi, {"response": "One reply."})
    assert answer.status_code == 422
    assert 'send "turns"' in answer.json()["error"]["message"]
    single = _claim(api, headers)
    answer = _submit(api, headers, single, {"turns": TURNS})
    assert answer.status_code == 422
    assert "turns is for multi-turn demonstrations" in answer.json()["error"]["message"]
