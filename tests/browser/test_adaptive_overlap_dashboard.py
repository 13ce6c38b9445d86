"""The dashboard in Chromium draws adaptive overlap's card: what the rule spent against a
fixed overlap of ``max``, and the tasks by judgments taken as bars."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import make_user
from tests.web.test_adaptive_overlap_report import worked_project

pytestmark = pytest.mark.browser


def test_a_manager_reads_adaptive_overlap_on_the_dashboard(site, page, watch):
    project = worked_project(site.engine)
    make_user(site.engine, "boss", project=project, roles=("manager",), password="pw")
    log_in(page, site.base, "boss", "pw")
    page.goto(f"{site.base}/projects/prefs/dashboard")
    card = page.locator('section[aria-labelledby="overlap-title"]')
    expect(card.locator("h2")).to_have_text("Adaptive overlap")
    expect(card).to_contain_text("3 tasks decided (2 settled, 1 at max) with 8 judgments, "
                                 "4 (33.3%) fewer than a fixed overlap of 4")
    chart = card.locator('svg[aria-label="share of decided tasks by judgments taken"]')
    expect(chart.locator("rect")).to_have_count(2)
    expect(chart).to_contain_text("2 judgments")
    expect(chart).to_contain_text("0.667")
    watch.assert_clean()
