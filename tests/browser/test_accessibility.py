"""axe-core over every page of the app: 0 serious or critical violations.

The pages come from the app's routes (``accessibility_pages``), so a new page is checked
without anyone listing it. One server and one Chromium serve them all, on the route test's
world: a split comparison waiting for adjudication, an escalation, a demonstration under
review, a published guideline with a draft (later published: "what changed" has two
versions), finished import and export jobs and an audit trail. axe-core is the copy bundled
with axe-playwright-python, injected into the page: nothing is fetched.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser
from sqlalchemy import Engine, update

from accord.db.engine import make_engine
from accord.db.tables import responses
from accord.web.sessions import COOKIE
from tests.browser.accessibility_pages import Visit, visits
from tests.browser.helpers import Watch
from tests.live import running_servers
from tests.web.route_world import ANONYMOUS, World, build_world

WIDE_MARKDOWN = (
    "\n\n```python\n" + "x = [" + ", ".join(str(n) for n in range(200)) + "]\n```\n\n"
    "| " + " | ".join(f"column {n}" for n in range(30)) + " |\n"
    "|" + "---|" * 30 + "\n| " + " | ".join(f"value {n}" for n in range(30)) + " |\n"
)
"""Appended to every response: a code block and a table wider than any page, the regions
that must scroll by keyboard."""
BLOCKING = frozenset({"serious", "critical"})
VISITS = visits()


@dataclass
class Site:
    base: str
    engine: Engine
    world: World


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("axe")
    path = folder / "accord.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    jobs = folder / "jobs"
    jobs.mkdir()
    world = build_world(engine, jobs)
    with engine.begin() as conn:
        conn.execute(update(responses).values(content=responses.c.content + WIDE_MARKDOWN))
    with running_servers(url, settings={"ACCORD_UPLOAD_DIR": str(jobs)}) as (base,):
        yield Site(base, engine, world)
    engine.dispose()


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def describe(violations: list[dict]) -> str:
    """Each blocking violation as rule, impact and the elements it was found on."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: f"{visit.route} as {visit.actor}")
def test_the_page_has_no_serious_or_critical_violation(
        chromium: Browser, site: Site, axe: Axe, visit: Visit):
    if visit.spec.prepare is not None:
        visit.spec.prepare(site.engine, site.world)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    if visit.actor != ANONYMOUS:
        context.add_cookies([{"name": COOKIE, "url": site.base,
                              "value": site.world.people[visit.actor].cookie}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(site.base)
    watch.attach(page)
    try:
        answer = page.goto(site.base + visit.path(site.world))
        assert answer is not None and answer.status == 200, (
            f"{visit.route} as {visit.actor}: {answer and answer.status}")
        assert "text/html" in answer.headers.get("content-type", "")
        page.wait_for_load_state("load")
        results = axe.run(page).response
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
        assert blocking == [], (f"{visit.route} as {visit.actor} "
                                f"({page.url}):\n{describe(blocking)}")
        watch.assert_clean()
    finally:
        context.close()


def test_every_page_is_visited():
    """The list is the app's, not a copy: the pages people use most are among them."""
    routes = {visit.route for visit in VISITS}
    for page in ("GET /", "GET /projects/{project}/annotate", "GET /projects/{project}/review",
                 "GET /projects/{project}/dashboard", "GET /projects/{project}/audit",
                 "GET /projects/{project}/guidelines/changes", "GET /login"):
        assert page in routes
