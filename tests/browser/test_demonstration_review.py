"""A demonstration's whole life in Chromium: a writer writes, a reviewer sends it back with a
comment, the writer reads it and revises, the reviewer accepts with edits; the SFT export then
holds the accepted final text with its provenance and leaves out a rejected and a pending
demonstration."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accord.db.tables import demonstration_reviews
from accord.exports import export
from tests.browser.helpers import log_in, tab_to, wait_for_workbench
from tests.exports.conftest import read_rows
from tests.factories import import_lines, make_project, make_user

pytestmark = pytest.mark.browser

FIRST = "Tides come from the Moon."
REVISED = "Tides come from the Moon's pull on the oceans."
FINAL = "Tides come from the pull of the Moon (and the Sun) on the oceans."


def write(page: Page, task_id: str, text: str) -> None:
    wait_for_workbench(page, task_id)
    expect(page.locator("#response-text")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")


def switch_to(page: Page, base: str, name: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, name, "pw")


def score_and_tick(page: Page) -> None:
    """The rubric by keyboard: a digit per dimension, Space on every check."""
    for name in ("helpfulness", "honesty"):
        tab_to(page, f'input[name="score-{name}"]')
        page.keyboard.type("4")
    for n in range(4):
        tab_to(page, f'input[name="check-{n}"]')
        page.keyboard.press("Space")


def open_from_queue(page: Page, base: str, task_id: str) -> None:
    page.goto(f"{base}/projects/prefs/demonstrations")
    page.locator("tr", has_text=task_id).locator("a.demonstration-link").click()
    expect(page.locator("h1")).to_contain_text(task_id)


def test_write_send_back_revise_accept_with_edits_then_export(site, page, tmp_path):
    project = make_project(site.engine, overlap=1)
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    make_user(site.engine, "rita", project=project, roles=("reviewer",), password="pw")
    import_lines(site.engine, project, *[
        {"id": task, "kind": "demonstration", "prompt": f"Explain {topic}.", "category": "qa",
         "priority": priority}
        for task, topic, priority in [("tides", "the tides", 3), ("wrong", "gravity", 2),
                                      ("pending", "seasons", 1)]])
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    write(page, "tides", FIRST)
    write(page, "wrong", "Gravity is magnetism.")
    write(page, "pending", "The axis is tilted.")
    expect(page.locator(".nothing-waiting")).to_be_visible()  # all three are stored

    switch_to(page, site.base, "rita")
    page.goto(f"{site.base}/projects/prefs/review")
    page.get_by_role("link", name="Demonstrations to review →").click()
    expect(page.locator("table.demonstration-queue tbody tr")).to_have_count(3)
    open_from_queue(page, site.base, "tides")
    score_and_tick(page)
    page.locator("#comment").fill("Say what pulls the water.")
    page.get_by_role("button", name="Send back").click()
    expect(page.locator(".notice.success")).to_contain_text("is recorded")
    open_from_queue(page, site.base, "wrong")
    score_and_tick(page)
    page.locator("#comment").fill("Gravity is not magnetism.")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("table.demonstration-queue tbody tr")).to_have_count(1)

    switch_to(page, site.base, "ann")
    page.goto(f"{site.base}/")
    page.get_by_role("link", name="My demonstrations").first.click()
    row = page.locator('tr[data-status="sent_back"]')
    expect(row).to_contain_text("sent back: revise")
    row.locator("a.demonstration-link").click()
    comment = page.locator(".review-card .review-comment")
    expect(comment).to_contain_text("Say what pulls the water.")
    page.locator("#revised_text").fill(REVISED)
    page.get_by_role("button", name="Send back to review").click()
    expect(page.locator(".notice.success")).to_contain_text("is back in review")
    expect(page.locator('tr[data-status="rejected"]')).to_have_count(1)

    switch_to(page, site.base, "rita")
    open_from_queue(page, site.base, "tides")
    expect(page.locator(".version-diff .added")).to_contain_text(REVISED)
    score_and_tick(page)
    page.locator("#edited_text").fill(FINAL)
    page.get_by_role("button", name="Accept with edits").click()
    expect(page.locator(".notice.success")).to_contain_text("is recorded")
    # The review page sends the reviewer's active time (review-time.js) with each decision.
    with site.engine.connect() as conn:
        times = conn.execute(select(demonstration_reviews.c.active_ms)).scalars().all()
    assert len(times) == 3 and all(ms > 0 for ms in times), times

    out = tmp_path / "sft.jsonl"
    export(site.engine, "prefs", "sft", out)
    rows = read_rows(out)
    assert [r["task_id"] for r in rows] == ["tides"]
    accepted = rows[0]
    assert accepted["messages"] == [{"role": "user", "content": "Explain the tides."},
                                    {"role": "assistant", "content": FINAL}]
    assert (accepted["writer"], accepted["reviewers"], accepted["rounds"], accepted["version"],
            accepted["edited_by_reviewer"], accepted["rubric_score"]) == (
        "ann", ["rita"], 2, 3, True, 4.0)
