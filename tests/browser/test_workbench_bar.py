"""The workbench for a long day: the action bar stays in view, errors show where the annotator
looks, ratings take number keys, long responses are read in place, and a tie carries no
strength — what the page shows is what is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accord.core.projects.project import Dimension
from accord.db.tables import annotations, tasks
from tests.browser.helpers import log_in, tab_to, wait_for_workbench
from tests.factories import add_comparison, make_project, make_user

pytestmark = pytest.mark.browser

CODE = "    ".join(f"value_{i} = compute_long(argument_{i}, other_{i})" for i in range(12))
LONG = "\n\n".join(f"Paragraph {i}: " + "words that go on " * 40 for i in range(25))
LONG_PAIR = {"a": LONG, "b": f"Short answer.\n\n```python\n{CODE}\n```\n"}
PAIR = {"x": "X-ray answer, short.", "y": "Yankee answer, longer and wrong."}


def stored_annotation(engine, external_id):
    with engine.connect() as conn:
        return conn.execute(
            select(annotations.c.ranking, annotations.c.strength, annotations.c.ratings)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .where(tasks.c.external_id == external_id)
        ).one()


def in_viewport(page: Page, selector: str) -> bool:
    """Whether the element lies wholly inside the window as it is scrolled now."""
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.top >= 0 && r.left >= 0
                        && r.bottom <= innerHeight && r.right <= innerWidth; }""",
        selector,
    )


def open_task(site, page, contents, **project_settings) -> tuple[object, list[str]]:
    """An annotator opens the workbench on ``q-1``; returns the project and the ids in the
    order shown."""
    project = make_project(site.engine, **project_settings)
    with site.engine.begin() as conn:
        add_comparison(conn, project, "q-1", contents=contents)
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "q-1")
    texts = [t.strip() for t in page.locator(".response .response-body").all_inner_texts()]
    order = [next(rid for rid, c in contents.items() if c.split()[0] in text) for text in texts]
    return project, order


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)])
def test_the_action_bar_and_its_errors_stay_in_view_on_a_long_task(site, page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_task(site, page, LONG_PAIR)
    for selector in ("#submit-button", "#skip-button", "#ranking-status", "#strength"):
        assert in_viewport(page, selector), selector
    page.keyboard.press("Enter")  # nothing ranked yet
    status = page.locator("#form-status")
    expect(status).to_have_text("Rank every response first: press their numbers, best first.")
    expect(status).to_have_attribute("aria-live", "assertive")
    assert in_viewport(page, "#form-status")
    page.mouse.wheel(0, 4000)
    page.wait_for_function("() => scrollY > 1000")
    assert in_viewport(page, "#submit-button") and in_viewport(page, "#form-status")
    with site.engine.connect() as conn:
        assert conn.execute(select(annotations.c.id)).first() is None


def test_long_responses_are_read_in_place_and_marked_until_read_to_the_end(site, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    _, order = open_task(site, page, LONG_PAIR)
    long_position = order.index("a") + 1
    body = page.locator(f'.response[data-position="{long_position}"] .response-body')
    assert body.evaluate("(b) => b.scrollHeight <= b.clientHeight + 1")  # no inner scroll box
    code = page.locator(".response pre").first
    assert code.evaluate("(p) => getComputedStyle(p).whiteSpace") == "pre-wrap"
    assert code.evaluate("(p) => p.scrollWidth <= p.clientWidth + 1")  # no sideways scroll
    mark = page.locator(f'[data-unread="{long_position}"]')
    expect(mark).to_be_visible()
    page.locator(f'[data-read-end="{long_position}"]').scroll_into_view_if_needed()
    expect(mark).to_be_hidden()


def test_the_ranking_board_keeps_its_own_font_and_says_all_ranked_once(site, page):
    open_task(site, page, PAIR)
    page.keyboard.press("1")
    page.keyboard.press("2")
    expect(page.get_by_text("All responses ranked.")).to_have_count(1)
    board_font = page.locator("#ranking-board").evaluate("(b) => getComputedStyle(b).fontFamily")
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert board_font == body_font


def test_a_tie_clears_the_strength_and_the_stored_annotation_matches_the_page(site, page):
    _, order = open_task(site, page, PAIR, allow_ties=True)
    for key in ("2", "1", "s", "3"):
        page.keyboard.press(key)
    expect(page.locator('input[name="strength"][value="3"]')).to_be_checked()
    page.keyboard.press("Backspace")  # take response 1 out …
    page.keyboard.press("=")
    page.keyboard.press("1")  # … and tie it with response 2
    expect(page.locator('[data-rank-badge="1"]')).to_have_text("Rank 1 (tie)")
    expect(page.locator('input[name="strength"]').first).to_be_disabled()
    expect(page.locator('input[name="strength"]:checked')).to_have_count(0)
    expect(page.locator("#strength-tie")).to_be_visible()
    page.keyboard.press("s")
    page.keyboard.press("2")
    expect(page.locator("#ranking-status")).to_contain_text("No strength for a tie")
    expect(page.locator('input[name="strength"]:checked')).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page.locator(".nothing-waiting")).to_be_visible()
    row = stored_annotation(site.engine, "q-1")
    assert row.strength is None
    assert [sorted(group) for group in row.ranking] == [sorted([order[1], order[0]])]


def test_ratings_take_number_keys_and_tab_moves_to_the_next_scale(site, page):
    _, order = open_task(
        site, page, PAIR,
        dimensions=[Dimension("helpfulness", 1, 5, "Does what was asked."),
                    Dimension("honesty", 1, 7, "No invented facts.")],
    )
    page.keyboard.press("1")
    page.keyboard.press("2")
    tab_to(page, 'input[name="rating-1-1"]')
    page.keyboard.press("4")  # helpfulness of response 1
    expect(page.locator('input[name="rating-1-1"][value="4"]')).to_be_checked()
    expect(page.locator('#ranking-board [data-position]')).to_have_count(2)  # board untouched
    page.keyboard.press("Tab")  # helpfulness of response 2
    page.keyboard.press("2")
    page.keyboard.press("Tab")  # honesty of response 1
    page.keyboard.press("7")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("3")  # back to helpfulness of response 2: changed to 3
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # honesty of response 2
    page.keyboard.press("9")  # off the 1-7 scale: named, nothing set
    expect(page.locator("#ranking-status")).to_have_text("honesty takes 1\N{EN DASH}7.")
    page.keyboard.press("6")
    page.keyboard.press("Enter")
    expect(page.locator(".nothing-waiting")).to_be_visible()
    row = stored_annotation(site.engine, "q-1")
    assert row.ranking == [[order[0]], [order[1]]]
    assert row.ratings == {order[0]: {"helpfulness": 4, "honesty": 7},
                           order[1]: {"helpfulness": 3, "honesty": 6}}
