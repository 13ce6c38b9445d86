"""The workbench in Chromium shows a task's category as its source wrote it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, wait_for_workbench
from tests.factories import import_lines, make_project, make_user

pytestmark = pytest.mark.browser


def test_the_workbench_shows_the_category_label_and_keeps_the_key(site, page):
    project = make_project(site.engine)
    import_lines(site.engine, project, {
        "id": "q-1", "prompt": "Which upscaler keeps faces?", "category": "AI Image Upscaling",
        "responses": [{"id": "a", "content": "Alpha."}, {"id": "b", "content": "Bravo."}]})
    make_user(site.engine, "ann", project=project, roles=("annotator",), password="pw")
    log_in(page, site.base, "ann", "pw")
    page.goto(f"{site.base}/projects/prefs/annotate")
    wait_for_workbench(page, "q-1")
    shown = page.locator("dd.category")
    expect(shown).to_have_text("AI Image Upscaling")
    expect(shown).to_have_attribute("data-key", "ai-image-upscaling")
