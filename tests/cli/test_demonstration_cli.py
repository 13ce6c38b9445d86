"""``accord project set --demonstration MODE [--draft RULE]``: how a project's
demonstrations are authored, from the command line; bad values are one clear line."""

from __future__ import annotations

import orjson
import pytest

from accord.core.projects.project import get_project


def test_project_set_chooses_post_edit_with_a_draft_rule(accord, engine):
    assert accord("project", "create", "p").exit_code == 0
    changed = accord("project", "set", "p", "--demonstration", "post_edit", "--draft",
                     "model:smol-135m", "--json")
    assert changed.exit_code == 0, changed.output
    assert orjson.loads(changed.stdout)["demonstration"] == {"mode": "post_edit",
                                                             "draft": "model:smol-135m"}
    back = accord("project", "set", "p", "--demonstration", "write", "--json")
    assert orjson.loads(back.stdout)["demonstration"] == {"mode": "write", "draft": "first"}


@pytest.mark.parametrize(("args", "message"), [
    (("--demonstration", "dictate"), "demonstration.mode must be one of write, post_edit"),
    (("--demonstration", "post_edit", "--draft", "best"), "demonstration.draft must be"),
    (("--draft", "first"), "--draft goes with --demonstration post_edit"),
])
def test_bad_demonstration_options_are_one_line_and_change_nothing(accord, engine, args,
                                                                   message):
    assert accord("project", "create", "p").exit_code == 0
    refused = accord("project", "set", "p", *args)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: ") and message in refused.stderr
    with engine.connect() as conn:
        assert get_project(conn, "p").settings == {}
