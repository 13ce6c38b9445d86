"""A calibration round in Chromium: the annotator ranks the gold tasks by keyboard, sees the
reference ranking and its explanation after each answer, and then reaches production work,
or the message that they did not pass."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accord.core.work.rules import update_rules
from tests.browser.helpers import log_in, wait_for_workbench
from tests.factories import import_lines, make_project, make_user

pytestmark = pytest.mark.browser

WHY = {"c-1": "Response a gives the **date**; b guesses.",
       "c-2": "Response a cites its **source**; b invents one."}


def gold(external_id: str) -> dict:
    return {"id": external_id, "prompt": f"Calibration question {external_id}",
            "responses": [{"id": "a", "content": f"Right answer to {external_id}."},
                          {"id": "b", "content": f"Wrong answer to {external_id}."}],
            "gold": {"ranking": [["a"], ["b"]], "explanation": WHY[external_id]},
            "priority": 1}


def production(external_id: str) -> dict:
    return {"id": external_id, "prompt": f"Question {external_id}",
            "responses": [{"id": "a", "content": "First answer."},
                          {"id": "b", "content": "Second answer."}]}


def calibrated_site(site):
    project = make_project(site.engine)
    import_lines(site.engine, project, gold("c-1"), gold("c-2"), production("p-1"))
    with site.engine.begin() as conn:
        update_rules(conn, project.name,
                     changes={"calibration": {"tasks": 2, "pass_threshold": 1.0}})
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")


def rank(page, *, right: bool) -> int:
    """Rank the response whose text is right (or wrong) first, by its number on screen;
    returns the number of the right one."""
    bodies = page.locator(".response .response-body").all_inner_texts()
    right_position = next(i for i, text in enumerate(bodies, start=1) if "Right" in text)
    first = right_position if right else 3 - right_position
    page.keyboard.press(str(first))
    page.keyboard.press(str(3 - first))
    expect(page.locator("#ranking-status")).to_have_text("All responses ranked.")
    page.keyboard.press("Control+Enter")
    return right_position


def test_a_calibration_round_with_feedback_then_production_work(site, page):
    calibrated_site(site)
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")

    for position, (external_id, lesson) in enumerate(
            (("c-1", "date"), ("c-2", "source")), start=1):
        wait_for_workbench(page, external_id)
        expect(page.locator(".calibration-banner")).to_contain_text(f"task {position} of 2")
        right = rank(page, right=True)
        page.wait_for_url(f"{site.base}/projects/prefs/calibration/*")
        expect(page.locator("#reference-ranking li")).to_have_text(
            [f"Response {right}", f"Response {3 - right}"])
        expect(page.locator("#your-ranking li")).to_have_text(
            [f"Response {right}", f"Response {3 - right}"])
        expect(page.locator("#reference-explanation strong")).to_have_text(lesson)
        if position == 2:
            expect(page.locator(".calibration-result")).to_contain_text(
                "Calibration passed: 100 %")
        page.locator("#next-task").focus()
        page.keyboard.press("Enter")
    wait_for_workbench(page, "p-1")
    expect(page.locator(".calibration-banner")).to_have_count(0)


def test_a_failed_round_ends_with_the_not_passed_message(site, page):
    calibrated_site(site)
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")

    wait_for_workbench(page, "c-1")
    right = rank(page, right=False)
    page.wait_for_url(f"{site.base}/projects/prefs/calibration/*")
    expect(page.locator("#your-ranking li")).to_have_text(
        [f"Response {3 - right}", f"Response {right}"])
    expect(page.locator("#reference-explanation")).to_contain_text("gives the date")
    page.locator("#next-task").click()
    wait_for_workbench(page, "c-2")
    rank(page, right=True)
    page.wait_for_url(f"{site.base}/projects/prefs/calibration/*")
    expect(page.locator(".calibration-result")).to_contain_text("Calibration not passed: 50 %")
    page.locator("#next-task").click()
    expect(page.locator(".calibration-wait")).to_contain_text("did not pass the calibration")
