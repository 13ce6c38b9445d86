"""A project's ``demonstration`` setting over the real API and the CLI: managers set how
demonstrations are authored, bad values are refused naming the field and change nothing,
and null restores writing from scratch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.admin import projects as admin_projects
from accord.core.errors import InvalidInput
from accord.db.tables import projects
from accord.db.types import utcnow
from tests.factories import make_project, make_user
from tests.web.conftest import bearer


def _settings(engine) -> dict:
    with engine.connect() as conn:
        return conn.execute(select(projects.c.settings)).scalar_one() or {}


def test_a_manager_sets_post_edit_with_a_draft_rule_and_null_clears_it(api, engine):
    project = make_project(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    assert api.get("/api/v1/projects/prefs/settings", headers=boss).json()[
        "demonstration"] == {"mode": "write", "draft": "first"}
    changed = api.patch("/api/v1/projects/prefs", headers=boss, json={
        "demonstration": {"mode": "post_edit", "draft": "model:smol-135m"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["demonstration"] == {"mode": "post_edit", "draft": "model:smol-135m"}
    assert _settings(engine)["demonstration"] == {"mode": "post_edit",
                                                  "draft": "model:smol-135m"}
    cleared = api.patch("/api/v1/projects/prefs", headers=boss, json={"demonstration": None})
    assert cleared.json()["demonstration"] == {"mode": "write", "draft": "first"}
    assert "demonstration" not in _settings(engine)


@pytest.mark.parametrize(("value", "named"), [
    ({"mode": "dictate"}, "mode"),
    ({"mode": "post_edit", "draft": "best"}, "draft"),
    ({"mode": "post_edit", "draft": 3}, "draft"),
    ({"mode": "post_edit", "draft": "model:"}, "demonstration.draft 'model:' must name a model"),
    ({"mode": "write", "colour": "red"}, "colour"),
])
def test_bad_demonstration_settings_are_refused_naming_the_field(api, engine, value, named):
    project = make_project(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    before = _settings(engine)
    answer = api.patch("/api/v1/projects/prefs", headers=boss, json={"demonstration": value})
    assert answer.status_code == 422, answer.text
    assert named in answer.text
    assert _settings(engine) == before


@pytest.mark.parametrize(("value", "message"), [
    ({"mode": "dictate"}, "demonstration.mode must be one of write, post_edit, multi_turn, "
                          "not 'dictate'"),
    ({"mode": "post_edit", "draft": "response:a"}, 'demonstration.draft must be "first", '
                                                   '"model:NAME", not'),
    ({"user_turns": ["hi"]}, "demonstration.user_turns is not an authoring setting"),
    ("post_edit", "demonstration must be an object with mode, draft"),
])
def test_the_core_check_words_each_problem_with_its_field(engine, value, message):
    make_project(engine)
    with engine.begin() as conn, pytest.raises(InvalidInput) as refused:
        admin_projects.change(conn, None, "prefs", {"demonstration": value}, utcnow())
    assert message in refused.value.message
