"""Demonstration items at import: their drafts (``responses``) and their own authoring mode
(``demonstration``), kept with the task's prompt; a bad field is refused naming it, and
nothing is imported from a file with such a line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import ImportRejected
from accord.core.importing import import_items
from accord.db.tables import prompts
from tests.core.import_helpers import row_counts
from tests.factories import make_project


def _item(**fields) -> dict:
    return {"id": "d-1", "kind": "demonstration", "prompt": "Summarise this.", **fields}


DRAFTS = [{"id": "a", "content": "A draft.", "model": "m-1"}]


def test_a_demonstration_keeps_its_drafts_and_its_own_mode(engine):
    project = make_project(engine)
    mode = {"mode": "post_edit", "draft": "response:a"}
    report = import_items(engine, project, [_item(responses=DRAFTS, demonstration=mode)])
    assert report.new == 1
    assert row_counts(engine)["responses"] == 1
    with engine.connect() as conn:
        metadata = conn.execute(select(prompts.c.metadata)).scalar_one()
    assert metadata == {"demonstration": mode}
    # The same line again changes nothing; its mode is part of what the item is.
    assert import_items(engine, project, [_item(responses=DRAFTS, demonstration=mode)]).new == 0


def test_a_multi_turn_item_keeps_its_user_turns(engine):
    project = make_project(engine)
    mode = {"mode": "multi_turn", "user_turns": ["Why?", "And then?"]}
    import_items(engine, project, [_item(demonstration=mode)])
    with engine.connect() as conn:
        assert conn.execute(select(prompts.c.metadata)).scalar_one() == {"demonstration": mode}


@pytest.mark.parametrize(("fields", "named"), [
    ({"demonstration": {"mode": "dictate"}},
     "demonstration.mode must be one of write, post_edit, multi_turn"),
    ({"demonstration": {"mode": "post_edit"}},
     'demonstration.mode "post_edit" needs a draft: give the item "responses"'),
    ({"responses": DRAFTS, "demonstration": {"mode": "post_edit", "draft": "response:z"}},
     'demonstration.draft names response "z", which the item does not have (responses: a)'),
    ({"demonstration": {"mode": "write", "user_turns": ["x"]}},
     'demonstration.user_turns needs demonstration.mode "multi_turn"'),
    ({"demonstration": {"mode": "multi_turn", "user_turns": ["ok", " "]}},
     "demonstration.user_turns[1] must be a non-empty string"),
    ({"demonstration": {"mode": "multi_turn", "speaker": "x"}},
     "demonstration.speaker is not an authoring setting"),
    ({"demonstration": "post_edit"}, "demonstration must be an object"),
    ({"responses": []}, "has 0 responses; a demonstration takes 1 to 16 drafts"),
    ({"responses": [{"id": "a", "content": 3}]}, "responses[0].content must be a string"),
    ({"responses": [*DRAFTS, *DRAFTS]}, 'responses[1].id "a" repeats an earlier response'),
])
def test_a_bad_demonstration_line_is_refused_naming_the_field(engine, fields, named):
    project = make_project(engine)
    with pytest.raises(ImportRejected) as rejected:
        import_items(engine, project, [_item(**fields)])
    assert named in rejected.value.message
    assert row_counts(engine)["tasks"] == 0
