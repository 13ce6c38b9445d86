"""Pre-labelling in Chromium: on an assignment drawn to show it, the AI judge's ranking is
shown, labelled as the AI's, and one key (``a``) puts it on the ranking board; submitted
unchanged, the assignment records that it was shown and accepted; changed after the accept,
it records that it was not. A control-arm assignment shows nothing, and ``a`` does nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from accord.db.tables import annotations, prelabel_draws, tasks
from tests.browser.helpers import log_in, wait_for_workbench
from tests.factories import add_comparison, make_project, make_user
from tests.prelabel_helpers import enable_prelabel, judge_tasks

pytestmark = pytest.mark.browser

CONTENTS = {"a": "Alpha answer: the tilt of the axis.", "b": "Bravo answer: distance.",
            "c": "Charlie answer: axial tilt, 23.4 degrees."}
AI_RANKING = [["c"], ["a"], ["b"]]


def recorded(engine, external_id):
    """The assignment's draw and the stored ranking for one task."""
    with engine.connect() as conn:
        return conn.execute(
            select(prelabel_draws.c.arm, prelabel_draws.c.matches_suggestion,
                   prelabel_draws.c.accepted, annotations.c.ranking)
            .join(annotations, annotations.c.assignment_id == prelabel_draws.c.assignment_id)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .where(tasks.c.external_id == external_id)).one()


def project_with_judged_tasks(site, show_rate: float):
    project = make_project(site.engine, overlap=1, ranking_mode="kway")
    with site.engine.begin() as conn:
        add_comparison(conn, project, "q-1", contents=CONTENTS, priority=2)
        add_comparison(conn, project, "q-2", contents=CONTENTS, priority=1)
    judge_tasks(site.engine, project, "judge-x", {"q-1": AI_RANKING, "q-2": AI_RANKING})
    project = enable_prelabel(site.engine, project, "judge-x", show_rate, seed=1)
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    return project


def shown_number(page, rid: str) -> str:
    """The number the page gives response ``rid`` (its place on screen)."""
    texts = [t.strip() for t in page.locator(".response .response-body").all_inner_texts()]
    return str(texts.index(CONTENTS[rid]) + 1)


def test_the_ai_suggestion_is_shown_accepted_by_one_key_and_recorded(site, page, watch):
    project_with_judged_tasks(site, show_rate=1.0)
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "q-1")

    suggestion = page.locator("#ai-suggestion")
    expect(suggestion.get_by_role("heading")).to_contain_text("AI suggestion")
    expect(suggestion).to_contain_text("judge-x")
    numbers = [shown_number(page, rid) for rid in ("c", "a", "b")]
    expect(suggestion.locator(".suggested-ranking li")).to_have_text(
        [f"Response {n}" for n in numbers])
    expect(page.locator("#ranking-help")).to_contain_text("accepts the AI's suggestion")
    page.keyboard.press("?")
    expect(page.locator("#keys-dialog")).to_contain_text("accept the AI's suggested ranking")
    page.keyboard.press("Escape")
    assert Axe().run(page, context="#ai-suggestion").violations_count == 0

    page.keyboard.press("a")
    expect(page.locator("#ranking-status")).to_contain_text("The AI's ranking is on the board")
    expect(page.locator(f'[data-rank-badge="{numbers[0]}"]')).to_have_text("Rank 1")
    expect(page.locator(f'[data-rank-badge="{numbers[2]}"]')).to_have_text("Rank 3")
    page.keyboard.press("Enter")

    wait_for_workbench(page, "q-2")
    last = shown_number(page, "b")  # the AI's last, in this task's order on screen
    page.keyboard.press("a")
    page.keyboard.press(last)  # select it and move it up: a change after the accept
    page.keyboard.press("ArrowUp")
    expect(page.locator(f'[data-rank-badge="{last}"]')).to_have_text("Rank 2")
    page.keyboard.press("Enter")
    expect(page.locator(".nothing-waiting")).to_be_visible()

    first = recorded(site.engine, "q-1")
    assert (first.arm, first.matches_suggestion, first.accepted) == ("shown", True, True)
    assert first.ranking == AI_RANKING
    second = recorded(site.engine, "q-2")
    assert (second.arm, second.matches_suggestion, second.accepted) == ("shown", False, False)
    assert second.ranking == [["c"], ["b"], ["a"]]
    watch.assert_clean()


def test_a_control_arm_assignment_shows_nothing_and_the_key_does_nothing(site, page, watch):
    project_with_judged_tasks(site, show_rate=0.0)
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "q-1")

    expect(page.locator("#ai-suggestion")).to_have_count(0)
    expect(page.locator("#ranking-help")).not_to_contain_text("AI")
    page.keyboard.press("a")
    expect(page.locator("#ranking-status")).to_have_text("0 of 3 ranked.")
    for rid in ("a", "b", "c"):
        page.keyboard.press(shown_number(page, rid))
    page.keyboard.press("Enter")
    wait_for_workbench(page, "q-2")

    first = recorded(site.engine, "q-1")
    assert (first.arm, first.matches_suggestion, first.accepted) == ("control", False, False)
    assert first.ranking == [["a"], ["b"], ["c"]]
    watch.assert_clean()
