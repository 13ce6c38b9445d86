"""A real server (tests/live.py) on a fresh SQLite database, and Chromium driven by
Playwright. Every test's page is watched: a dialog, a CSP violation, a script error or a
request to another host fails the test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from accord.db.engine import make_engine
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, Watch
from tests.live import running_servers


@dataclass(frozen=True)
class Site:
    base: str
    engine: Engine


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One Chromium per test module. Not per session: while Playwright's sync API runs, its
    event loop counts as running in this process, and later tests in the same pytest-xdist
    worker that call ``asyncio.run`` (the concurrency tests) would fail."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def site(tmp_path, sqlite_template) -> Iterator[Site]:
    path = tmp_path / "accord.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with running_servers(url) as (base,):
        yield Site(base, engine)
    engine.dispose()


@pytest.fixture
def watch(site) -> Watch:
    return Watch(site.base)


@pytest.fixture
def page(chromium, watch) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch.attach(page)
    yield page
    context.close()
    watch.assert_clean()
