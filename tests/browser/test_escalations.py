"""The safety specialists' queue in Chromium: filter by severity, take an item into review,
then resolve it with a resolution text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accord.db.tables import escalations
from tests.browser.helpers import log_in
from tests.factories import add_comparison, make_project, make_user
from tests.review_helpers import annotate

pytestmark = pytest.mark.browser


def test_a_safety_specialist_reviews_and_resolves_an_item(site, page):
    project = make_project(site.engine, overlap=1)
    with site.engine.begin() as conn:
        add_comparison(conn, project, "bad", contents={"a": "HARMFUL-TEXT", "b": "fine"})
    annotate(site.engine, project, {"ann1": [["a"], ["b"]]}, flags={"ann1": ["unsafe"]})
    make_user(site.engine, "safe", project=project, roles=("safety_specialist",), password="pw")

    log_in(page, site.base, "safe", "pw")
    page.get_by_role("link", name="Escalations").click()
    item = page.locator('.escalation[data-task="bad"]')
    expect(item.locator(".escalation-status")).to_have_text("open")
    expect(item.locator(".reveal")).not_to_have_attribute("open", "")
    expect(page.get_by_text("HARMFUL-TEXT")).to_be_hidden()  # folded behind the warning

    page.locator(".escalation-filters").get_by_label("Severity").select_option("4")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".empty-queue")).to_have_text("Nothing matches these filters.")
    page.locator(".escalation-filters").get_by_label("Status").select_option("open")
    page.locator(".escalation-filters").get_by_label("Severity").select_option("")
    page.get_by_role("button", name="Filter").click()
    item = page.locator('.escalation[data-task="bad"]')
    item.get_by_label("Severity").select_option("3")
    item.get_by_role("button", name="Mark in review").click()

    item = page.locator('.escalation[data-task="bad"]')
    expect(item.locator(".escalation-status")).to_have_text("in review")
    expect(item.locator(".tier")).to_have_text("high")
    item.get_by_label("Resolution or note").fill("Reported to the model team; kept out.")
    item.get_by_role("button", name="Resolve").click()
    item = page.locator('.escalation[data-task="bad"]')
    expect(item.locator(".escalation-status")).to_have_text("resolved")
    expect(item.locator(".resolution")).to_have_text(
        "Resolution: Reported to the model team; kept out.")
    expect(item.locator("form")).to_have_count(0)
    with site.engine.connect() as conn:
        row = conn.execute(select(escalations.c.status, escalations.c.severity,
                                  escalations.c.resolution)).one()
    assert tuple(row) == ("resolved", 3, "Reported to the model team; kept out.")
