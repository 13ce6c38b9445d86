"""The guideline cycle in Chromium: a manager drafts, previews and publishes a version on
the editor page; an annotator then opens "What changed" and sees the diff."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accord.db.tables import guideline_versions
from tests.browser.helpers import log_in
from tests.factories import add_comparisons, make_project, make_user, publish_guideline

pytestmark = pytest.mark.browser

DIMS = [{"name": "helpfulness", "min": 1, "max": 5, "definition": "Does the task."},
        {"name": "honesty", "min": 1, "max": 5, "definition": "True things only."}]


def test_a_manager_publishes_a_version_and_an_annotator_sees_what_changed(site, page):
    project = make_project(site.engine)
    add_comparisons(site.engine, project, 1)
    publish_guideline(site.engine, project, "Read the prompt.\nRank best first.",
                      dimensions=DIMS, edge_cases={"ties": "Tie rarely."})
    make_user(site.engine, "boss", project=project, roles=("manager",), password="pw")
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")

    log_in(page, site.base, "boss", "pw")
    page.get_by_role("link", name="Guidelines").click()
    page.get_by_role("button", name="Start a new draft").click()
    page.wait_for_url(f"{site.base}/projects/prefs/guidelines/2/edit")
    expect(page.locator("#g-text")).to_have_value("Read the prompt.\nRank best first.")
    page.locator("#g-text").fill("Read the **whole** prompt.\nRank best first.")
    page.locator('input[name="priority"]').fill("honesty, helpfulness")
    page.locator('input[name="edge_cases-1-title"]').fill("Refusals")
    page.locator('textarea[name="edge_cases-1-text"]').fill("Refuse only what would harm.")
    page.locator("#g-note").fill("Honesty now comes first.")

    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".guideline-preview")
    expect(preview).to_contain_text("Preview (unsaved")
    expect(preview.locator(".guideline-text strong")).to_have_text("whole")
    expect(preview.locator(".dimensions li").first).to_contain_text("honesty")
    with site.engine.connect() as conn:  # a preview stores nothing
        assert conn.execute(select(guideline_versions.c.change_note).where(
            guideline_versions.c.version == 2)).scalar_one() == ""

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".notice.success")).to_have_text("Draft saved.")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".notice.success")).to_contain_text("Version 2 is published")
    expect(page.locator('tr[data-version="2"] .version-status')).to_have_text("published")

    page.context.clear_cookies()
    log_in(page, site.base, "ann", "pw")
    page.get_by_role("link", name="What changed").click()
    page.wait_for_url(f"{site.base}/projects/prefs/guidelines/changes")
    expect(page.locator(".to-version")).to_have_text("2")
    expect(page.locator(".text-diff .added")).to_have_text("+ Read the **whole** prompt.")
    expect(page.locator(".text-diff .removed")).to_have_text("- Read the prompt.")
    expect(page.locator(".priority-after")).to_have_text("honesty > helpfulness")
    expect(page.locator(".edge-case-changes .added")).to_contain_text("Refusals")
    expect(page.locator(".change-note")).to_contain_text("Honesty now comes first.")
