"""The workbench page of a demonstration in each authoring mode, as the server renders it:
the draft in the editor (escaped: model output never becomes markup), a post-edit task
without a draft written from scratch, and a conversation's given user turns fixed."""

from __future__ import annotations

from markupsafe import escape

from tests.factories import import_lines, make_project, make_user, set_project_settings
from tests.web.conftest import log_in

HOSTILE = 'Fine.\n<script>alert("x")</script> <img src=x onerror=alert(1)>'


def _page(api, engine, *items: dict, **settings) -> str:
    project = make_project(engine, overlap=1)
    if settings:
        set_project_settings(engine, project, **settings)
    import_lines(engine, project, *items)
    make_user(engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(api, "ann", "pw")
    answer = api.get("/projects/prefs/annotate")
    assert answer.status_code == 200
    return answer.text


def test_the_draft_fills_the_editor_as_escaped_text(api, engine):
    page = _page(api, engine, {
        "id": "d-1", "kind": "demonstration", "prompt": "Say something.",
        "responses": [{"id": "a", "content": HOSTILE, "model": "secret-model"}],
        "demonstration": {"mode": "post_edit"}})
    assert 'data-mode="post_edit"' in page
    assert f'aria-describedby="response-length">\n{escape(HOSTILE)}</textarea>' in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'id="reset-draft"' in page and 'id="draft-diff"' in page
    assert "secret-model" not in page  # the writer is not told which model wrote it


def test_a_post_edit_task_without_a_draft_says_so_and_opens_empty(api, engine):
    page = _page(api, engine, {"id": "d-2", "kind": "demonstration", "prompt": "Hi"},
                 demonstration={"mode": "post_edit"})
    assert 'id="no-draft"' in page
    assert 'aria-describedby="response-length">\n</textarea>' in page
    assert 'id="reset-draft"' not in page


def test_a_conversation_shows_its_given_user_turns_between_the_writers(api, engine):
    page = _page(api, engine, {
        "id": "m-1", "kind": "demonstration", "prompt": "Hi",
        "demonstration": {"mode": "multi_turn", "user_turns": ["Why <b>so</b>?", "Ok"]}})
    assert page.count('data-role="assistant"') == 3
    assert page.count('data-given="true"') == 2
    assert "Why &lt;b&gt;so&lt;/b&gt;?" in page
    assert "Alt</kbd>+<kbd>Enter</kbd></th>" in page  # in the keys dialog
