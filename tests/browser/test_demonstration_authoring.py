"""Authoring modes in Chromium, by keyboard: a model's draft post-edited with its changes
shown live and stored as the server computes them from the stored draft, and a multi-turn
demonstration written, grown and trimmed turn by turn."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accord.core.tasks import edits
from accord.core.work.demonstrations import post_edit_details
from accord.db.tables import annotations, tasks
from tests.browser.helpers import log_in, tab_to, wait_for_workbench
from tests.factories import import_lines, make_project, make_user, set_project_settings

pytestmark = pytest.mark.browser

DRAFT = "Paris is the capital of France.\nIt has 2 million people."


def _annotation(engine, external_id: str):
    with engine.connect() as conn:
        return conn.execute(
            select(annotations.c.response_text, annotations.c.details)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .where(tasks.c.external_id == external_id)
        ).one()



def _shown_diff(page: Page) -> list[list[str]]:
    """The highlighted changes as the page shows them, as [op, text] segments."""
    return page.eval_on_selector("#draft-diff", """(box) => [...box.children].map((e) =>
        [e.tagName === "DEL" ? "delete" : e.tagName === "INS" ? "insert" : "equal",
         e.textContent])""")


def test_a_model_draft_is_post_edited_by_keyboard_and_the_server_stores_its_changes(
        site, page):
    project = make_project(site.engine, overlap=1)
    set_project_settings(site.engine, project, demonstration={"mode": "post_edit"})
    import_lines(site.engine, project, {
        "id": "d-1", "kind": "demonstration", "prompt": "What is the capital of France?",
        "category": "qa", "responses": [{"id": "a", "content": DRAFT, "model": "smol-135m"}]})
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "d-1")

    editor = page.locator("#response-text")
    expect(editor).to_be_focused()
    expect(editor).to_have_value(DRAFT)
    expect(page.locator("#edit-summary")).to_contain_text("Unchanged from the draft")
    expect(page.locator("#draft-diff del, #draft-diff ins")).to_have_count(0)

    page.keyboard.press("Control+Home")
    page.keyboard.press("Shift+Control+ArrowRight")  # selects "Paris"
    page.keyboard.type("Lutetia")
    expect(page.locator("#draft-diff del")).to_have_text("Paris")
    expect(page.locator("#draft-diff ins")).to_have_text("Lutetia")

    tab_to(page, "#reset-draft")
    page.keyboard.press("Enter")
    expect(editor).to_have_value(DRAFT)
    expect(editor).to_be_focused()
    expect(page.locator("#draft-diff del, #draft-diff ins")).to_have_count(0)

    page.keyboard.press("Control+End")
    page.keyboard.press("Shift+Control+ArrowLeft")
    page.keyboard.press("Shift+Control+ArrowLeft")  # selects "people."
    page.keyboard.type("inhabitants, about 2.1 million in 2023.")
    final = DRAFT.replace("people.", "inhabitants, about 2.1 million in 2023.")
    expect(editor).to_have_value(final)
    expected = post_edit_details("a", "smol-135m", DRAFT, final)
    expect(page.locator("#edit-summary")).to_have_text(
        f"{expected['edit_distance']} characters changed")
    assert _shown_diff(page) == expected["diff"]  # the page and the server agree
    page.keyboard.press("Control+Enter")

    expect(page.locator(".nothing-waiting")).to_be_visible()
    stored = _annotation(site.engine, "d-1")
    assert stored.response_text == final
    assert stored.details == expected


def test_a_multi_turn_demonstration_is_written_turn_by_turn(site, page):
    project = make_project(site.engine, overlap=1)
    import_lines(site.engine, project, {
        "id": "m-1", "kind": "demonstration", "category": "qa",
        "messages": [{"role": "user", "content": "Hi!"},
                     {"role": "assistant", "content": "Hello, how can I help?"},
                     {"role": "user", "content": "What is the weather like in Oslo?"}],
        "demonstration": {"mode": "multi_turn", "user_turns": ["And in *winter*?"]}})
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "m-1")

    expect(page.locator("#turn-0")).to_be_focused()
    expect(page.locator(".turn.given em")).to_have_text("winter")  # rendered Markdown
    page.keyboard.type("Mild and rainy in autumn.")
    page.keyboard.press("Tab")
    expect(page.locator("#turn-1")).to_be_focused()
    page.keyboard.type("Cold, dark and snowy.")
    page.keyboard.press("Alt+Enter")  # the writer's own user turn
    expect(page.locator(".turn")).to_have_count(4)
    expect(page.locator(".turn").last).to_have_attribute("data-role", "user")
    page.keyboard.type("Should I pack boots?")
    page.keyboard.press("Alt+Enter")
    page.keyboard.type("Yes: waterproof ones.")
    page.keyboard.press("Alt+Enter")  # one too many, then taken back
    expect(page.locator(".turn")).to_have_count(6)
    page.keyboard.press("Alt+Backspace")
    expect(page.locator(".turn")).to_have_count(5)
    expect(page.locator(".turn").last.locator("textarea")).to_be_focused()
    page.keyboard.press("Alt+Backspace")  # the last turn is the writer's: removed too
    expect(page.locator(".turn")).to_have_count(4)
    page.keyboard.press("Control+Enter")  # ends with the user's turn: refused on the page
    expect(page.locator("#form-status")).to_contain_text("End the conversation with an "
                                                         "assistant turn")
    page.keyboard.press("Alt+Enter")
    page.keyboard.type("Yes: waterproof ones.")
    page.keyboard.press("Control+Enter")

    expect(page.locator(".nothing-waiting")).to_be_visible()
    stored = _annotation(site.engine, "m-1")
    turns = [{"role": "assistant", "content": "Mild and rainy in autumn."},
             {"role": "user", "content": "And in *winter*?"},
             {"role": "assistant", "content": "Cold, dark and snowy."},
             {"role": "user", "content": "Should I pack boots?"},
             {"role": "assistant", "content": "Yes: waterproof ones."}]
    assert stored.details == {"mode": "multi_turn", "turns": turns}
    assert stored.response_text == "Yes: waterproof ones."


def test_the_pages_live_diff_matches_the_servers_on_varied_edits(site, page):
    """The workbench's diff (draft-diff.js) against ``core.tasks.edits`` on seeded random
    edits of words, spaces, punctuation and accented letters: the same segments every time,
    so the page never shows a change the server would store differently."""
    rng = random.Random(20261207)
    words = ["the", "cat", "sat", " ", "  ", "\n", ",", ".", "é", "naïve", "2.1", "_x", "!"]
    pairs = []
    for _ in range(150):
        draft = "".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        edited = list(draft)
        for _ in range(rng.randint(0, 6)):
            spot = rng.randint(0, len(edited))
            if rng.random() < 0.5 and spot < len(edited):
                del edited[spot:spot + rng.randint(1, 6)]
            else:
                edited[spot:spot] = rng.choice(words)
        pairs.append([draft, "".join(edited)])
    page.goto(f"{site.base}/login")
    shown = page.evaluate("""async (pairs) => {
        const diff = await import("/static/js/draft-diff.js");
        return pairs.map(([a, b]) => [diff.diffSegments(a, b), diff.editDistance(a, b)]);
    }""", pairs)
    for (draft, final), (segments, distance) in zip(pairs, shown, strict=True):
        assert segments == edits.diff(draft, final), (draft, final)
        assert distance == edits.edit_distance(draft, final), (draft, final)
