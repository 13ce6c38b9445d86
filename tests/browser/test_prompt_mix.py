"""The prompt mix on the dashboard, in Chromium: a manager follows the dashboard's link to
the section and reads each category's target against what each stage holds, as text in a
table and as bars with the target marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import make_user
from tests.mix_world import build_mixed

pytestmark = pytest.mark.browser


def test_a_manager_reads_target_against_actual(site, page):
    project = build_mixed(site.engine)
    make_user(site.engine, "boss", project=project, roles=("manager",), password="pw")
    log_in(page, site.base, "boss", "pw")
    page.goto(f"{site.base}/projects/mixed/dashboard")
    page.get_by_role("link", name="Prompt mix").click()
    assert page.url.endswith("#prompt-mix")
    section = page.get_by_role("region", name="Prompt mix")
    expect(section).to_be_visible()
    table = section.get_by_role("table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:4] == ["Category", "Target", "Imported", "Gap imported"]
    rows = {row.locator("th").inner_text(): row.locator("td").all_inner_texts()
            for row in table.locator("tbody tr").all()}
    assert rows["coding"] == ["50.0%", "4 (50.0%)", "+0.0 pts", "0 (0.0%)", "+50.0 pts",
                              "2 (50.0%)", "+0.0 pts", "2 (50.0%)", "+0.0 pts"]
    assert rows["q-a"] == ["30.0%", "3 (37.5%)", "-7.5 pts", "0 (0.0%)", "+30.0 pts",
                           "2 (50.0%)", "-20.0 pts", "2 (50.0%)", "-20.0 pts"]
    assert rows["creative"][0] == "—"
    chart = section.get_by_role("img", name="accepted share of each category against its "
                                              "target")
    expect(chart).to_contain_text("50.0% of 50.0%")
    expect(chart).to_contain_text("50.0% of 30.0%")
    expect(chart.locator("line")).to_have_count(2)  # one target tick per targeted category


def test_the_dashboard_shows_the_complete_cost(site, page):
    project = build_mixed(site.engine)
    make_user(site.engine, "boss", project=project, roles=("manager",), password="pw")
    log_in(page, site.base, "boss", "pw")
    page.goto(f"{site.base}/projects/mixed/dashboard")
    page.get_by_role("link", name="Cost").click()
    section = page.get_by_role("region", name="Cost")
    # nobody has a pay rate and no model was called: the work is counted, and costs nothing
    expect(section).to_contain_text("0.00 spent (0.00 annotators, 0.00 reviewers, 0.00 model "
                                    "calls), no budget")
    kinds = {row.locator("th").inner_text(): row.locator("td").all_inner_texts()
             for row in section.locator(".cost-kind-table tbody tr").all()}
    assert kinds == {"comparison": ["0.00", "3", "3", "0.00", "0.00"],
                     "demonstration": ["0.00", "1", "0", "0.00", "0.00"]}
