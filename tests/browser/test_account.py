"""An invited person's first API token, in Chromium: the invite page says where to make it;
the account is created with no token; the account page creates one, shows it once with a
copy button, and a second one replaces the first."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from accord.db.tables import api_tokens, users
from tests.factories import make_project, make_user

pytestmark = pytest.mark.browser


def tokens_of(site, name: str, *, active: bool = True) -> int:
    query = select(func.count()).select_from(api_tokens).join(
        users, users.c.id == api_tokens.c.user_id).where(users.c.name == name)
    if active:
        query = query.where(api_tokens.c.revoked_at.is_(None))
    with site.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def me(site, token: str) -> httpx.Response:
    return httpx.get(f"{site.base}/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_an_invited_person_creates_their_api_token_on_their_account_page(site, page):
    make_project(site.engine)
    admin = make_user(site.engine, "root", is_admin=True)
    made = httpx.post(f"{site.base}/api/v1/invites",
                      headers={"Authorization": f"Bearer {admin.token}"},
                      json={"project": "prefs", "roles": ["annotator"]})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
    page.goto(made.json()["url"])
    expect(page.locator(".invite-token-hint")).to_contain_text("Account page")
    page.get_by_label("User name").fill("nia")
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_label("Password again").fill("correct horse")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{site.base}/")
    assert tokens_of(site, "nia", active=False) == 0  # no token that nobody has seen

    page.get_by_role("link", name="Account").click()
    page.wait_for_url(f"{site.base}/account")
    expect(page.locator(".token-state")).to_have_text("You have no API token yet.")
    expect(page.get_by_text("replaces the old one")).to_be_visible()
    page.get_by_role("button", name="Create my API token").click()
    shown = page.get_by_label("New API token")
    first = shown.input_value()
    assert first.startswith("acc_") and me(site, first).json()["name"] == "nia"
    expect(page.locator(".token-replaced")).to_have_text("You had no other token.")
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == first

    page.goto(f"{site.base}/account")  # shown once: reading the page again shows no token
    expect(page.get_by_label("New API token")).to_have_count(0)
    expect(page.locator(".token-state")).to_contain_text("You have 1 active API token")
    page.get_by_role("button", name="Replace my API token").click()
    second = page.get_by_label("New API token").input_value()
    assert second != first
    expect(page.locator(".token-replaced")).to_contain_text("replaced your 1 earlier token")
    assert me(site, first).status_code == 401
    assert me(site, second).json()["name"] == "nia"
    assert tokens_of(site, "nia") == 1
