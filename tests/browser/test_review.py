"""Reviewer, safety and manager pages in Chromium: a split settled with the keyboard only,
the dashboard's charts drawn, and the XSS corpus inert on every one of these pages."""

from __future__ import annotations

import orjson
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accord.db.tables import adjudications, tasks
from accord.exports import export
from tests.browser.helpers import Watch, log_in, tab_to
from tests.browser.xss_corpus import all_payloads
from tests.factories import add_comparison, make_project, make_user
from tests.review_helpers import annotate, split_task

pytestmark = pytest.mark.browser


def open_with_a_split(site, page, name: str, role: str, section: str) -> None:
    """A project with one split task; ``name`` (a ``role``) logs in and follows the home
    page's link to the project's ``section`` by keyboard."""
    project = make_project(site.engine)
    split_task(site.engine, project)
    make_user(site.engine, name, project=project, roles=(role,), password="pw")
    log_in(page, site.base, name, "pw")
    tab_to(page, f'a[href="/projects/prefs/{section}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base}/projects/prefs/{section}")


def test_a_reviewer_settles_a_split_with_the_keyboard(site, page, tmp_path):
    open_with_a_split(site, page, "rev", "reviewer", "review")
    tab_to(page, ".task-link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base}/projects/prefs/review/split-1")
    expect(page.locator(".task-id")).to_have_text("split-1")
    expect(page.locator(".judgment-card")).to_have_count(3)
    expect(page.locator('.judgment-card[data-annotator="ann2"] .ranking')).to_have_text("b > a")
    row = page.locator('.disagreement-matrix tr[data-pair="a|b"]')
    expect(row.locator(".first-wins")).to_have_text("2")
    expect(row.locator(".second-wins")).to_have_text("1")

    tab_to(page, 'input[name="place-0"]')
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("Bravo answers the question that was asked.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.success")).to_contain_text("split-1")
    expect(page.locator(".empty-queue")).to_be_visible()

    with site.engine.connect() as conn:
        row = conn.execute(select(adjudications.c.ranking, adjudications.c.rationale)).one()
        assert row == ([["b"], ["a"]], "Bravo answers the question that was asked.")
        assert conn.execute(select(tasks.c.status)).scalar_one() == "resolved"
    out = tmp_path / "prefs.jsonl"
    export(site.engine, "prefs", "preference", out)
    exported = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert [(r["source"], r["chosen"][-1]["content"]) for r in exported] == \
        [("adjudicated", "answer bravo")]


def test_a_manager_sees_the_dashboard_charts(site, page):
    open_with_a_split(site, page, "boss", "manager", "dashboard")
    expect(page.locator("svg.progress-chart rect.bar").first).to_be_visible()
    expect(page.locator("svg.agreement-chart circle.point")).to_have_count(1)
    assert page.locator("svg rect").count() >= 3  # the reliability bars and the legend too
    expect(page.locator(".risk-table tbody tr")).to_have_count(3)


def _inert(page: Page, watch: Watch) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") == 0, page.url
    watch.assert_clean()


def test_the_corpus_runs_nowhere_on_review_pages(site, page, watch):
    blocks = all_payloads()
    project = make_project(site.engine, description=blocks)
    split_task(site.engine, project, contents={"a": blocks, "b": all_payloads(" ")},
               rationale=blocks)
    with site.engine.begin() as conn:
        add_comparison(conn, project, "bad", contents={"a": blocks, "b": blocks})
    annotate(site.engine, project, {"flagger": [["a"], ["b"]]}, flags={"flagger": ["unsafe"]},
             rationale=blocks)
    make_user(site.engine, "boss", project=project,
              roles=("reviewer", "manager", "safety_specialist"), password="pw")
    log_in(page, site.base, "boss", "pw")
    for path in ("review", "review/split-1", "escalations", "dashboard"):
        page.goto(f"{site.base}/projects/prefs/{path}")
        _inert(page, watch)
    page.goto(f"{site.base}/projects/prefs/escalations")
    page.locator(".reveal summary").first.click()
    expect(page.locator(".reveal").first).to_contain_text("<script>alert(1)</script>")
    _inert(page, watch)
