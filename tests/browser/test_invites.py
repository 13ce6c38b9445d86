"""An invite end to end in Chromium: an administrator creates the link through the API, the
person opens it, chooses a name and a password, lands logged in on the home page that lists
their project; the link then refuses, saying it was used."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.factories import make_project, make_user

pytestmark = pytest.mark.browser


def test_a_person_joins_by_invite_link_and_the_link_then_refuses(site, page, chromium, watch):
    watch.expected_statuses = {422, 409}  # the mistyped password; the used link
    make_project(site.engine)
    admin = make_user(site.engine, "root", is_admin=True)
    made = httpx.post(f"{site.base}/api/v1/invites",
                      headers={"Authorization": f"Bearer {admin.token}"},
                      json={"project": "prefs", "roles": ["annotator"]})
    assert made.status_code == 201, made.text
    link = made.json()["url"]
    assert link.startswith(site.base + "/invite/")

    page.goto(link)
    expect(page.locator(".invite-summary")).to_contain_text("prefs")
    page.get_by_label("User name").fill("nia")
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_label("Password again").fill("correct horsf")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#invite-error")).to_contain_text("differ")
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_label("Password again").fill("correct horse")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{site.base}/")
    expect(page.get_by_role("heading", name="prefs")).to_be_visible()
    expect(page.get_by_role("link", name="Annotate")).to_be_visible()

    again = chromium.new_context().new_page()
    watch.attach(again)
    again.goto(link)
    expect(again.locator("#invite-problem")).to_contain_text("already been used")
    expect(again.locator("form.invite-form")).to_have_count(0)
    again.context.close()
