"""Screenshots of the workbench, the reviewer screen, the dashboard, the disagreement digest
and the guidelines page, for the README.

Runs the demo project on a temporary SQLite database: the three demo annotators judge some
of its comparisons (one of them disagrees now and then, so there are split decisions), the
quality report moves the splits to adjudication, the reviewer settles one of them, and
Chromium (Debian's, driven by Playwright) saves 1280x800 PNGs to ``docs/screenshots/``.
Run it with ``make screenshots``; it needs no network.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select, update

from accord.core.people.users import get_user
from accord.core.projects.project import get_project
from accord.core.report import build_report
from accord.core.review import adjudication
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db import migrate
from accord.db.engine import make_engine
from accord.db.tables import projects, tasks
from accord.db.types import utcnow
from accord.demo import seed as demo_seed

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
SUBMISSIONS_EACH = 9


def _annotate(engine) -> None:
    """Each annotator judges a few comparisons; ann2 contradicts the others on every third."""
    rng = random.Random(3)
    with engine.begin() as conn:
        project = get_project(conn, demo_seed.PROJECT)
    start = utcnow() - timedelta(days=4)
    for a, name in enumerate(("ann1", "ann2", "ann3")):
        with engine.begin() as conn:
            person = get_user(conn, name)
        done = 0
        for step in range(40):
            now = start + timedelta(hours=step * 7 + a * 0.3, seconds=rng.random())
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, now)
                if claim is None:
                    break
                if claim.task.kind != "comparison":
                    submissions.skip(conn, person, claim.assignment_id, "other", now)
                    continue
                ids = sorted(r.id for r in claim.task.responses)
                contrary = name == "ann2" and done % 3 == 0
                best, worst = (ids[1], ids[0]) if contrary else (ids[0], ids[1])
                ratings = {rid: {d.name: 4 if rid == best else 3 for d in project.dimensions}
                           for rid in ids}
                judgment = Judgment(
                    ranking=[[best], [worst]], strength=2, ratings=ratings,
                    rationale=f"{best} is more accurate and answers the question directly.",
                    active_ms=rng.randint(25_000, 90_000))
                submissions.submit(conn, person, claim.assignment_id, judgment, now)
            done += 1
            if done >= SUBMISSIONS_EACH:
                break


def _split_and_settle(engine) -> str:
    """The report moves the splits to adjudication; the reviewer settles the first one.

    The threshold is raised (in this throwaway database only) so that a two-to-one vote,
    whose agreement is 2/3, counts as split.
    """
    with engine.begin() as conn:
        conn.execute(update(projects).where(projects.c.name == demo_seed.PROJECT)
                     .values(agreement_threshold=0.75))
        project = get_project(conn, demo_seed.PROJECT)
        build_report(conn, project, utcnow(), store_consensus=True)
        split = conn.execute(select(tasks.c.external_id).where(
            tasks.c.project_id == project.id, tasks.c.status == "needs_adjudication")
            .order_by(tasks.c.id)).scalars().all()
        if len(split) < 2:
            raise SystemExit(f"expected two split decisions in the demo, found {len(split)}")
        reviewer = get_user(conn, "reviewer")
        item = adjudication.split_task(conn, reviewer, demo_seed.PROJECT, split[0])
        ranking = [[rid] for rid, _ in item.responses]
        adjudication.decide(conn, reviewer, demo_seed.PROJECT, split[0], ranking,
                            "The first response is accurate; the other invents a detail.",
                            utcnow())
    return split[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "accord.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, "ACCORD_DATABASE_URL": url})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)  # a script waiting for a server, not a test
    process.terminate()
    raise SystemExit("the demo server did not start")


def _judgments_in_view(page: Page) -> None:
    """The reviewer's screen: the judgments side by side, then the matrix."""
    page.locator(".judgments").evaluate("element => element.scrollIntoView()")


def _start_draft(page: Page) -> None:
    """The guideline editor: a manager starts a draft of the next version."""
    page.get_by_role("button", name="Start a new draft").click()
    page.wait_for_load_state("networkidle")


def _shoot(base: str, passwords: dict[str, str], split: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    shots = (
        ("ann1", "/projects/demo/annotate", "workbench.png", None),
        ("reviewer", f"/projects/demo/review/{split}", "reviewer.png", _judgments_in_view),
        ("admin", "/projects/demo/dashboard", "dashboard.png", None),
        ("admin", "/projects/demo/digest", "digest.png", None),
        ("admin", "/projects/demo/guidelines", "guidelines.png", _start_draft),
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, path, file, prepare in shots:
            context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("#username", name)
            page.fill("#password", passwords[name])
            page.press("#password", "Enter")
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            if prepare:
                prepare(page)
            page.screenshot(path=str(OUT / file))
            print(f"saved {OUT / file}")
            context.close()
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        logins = demo_seed.seed(engine)
        _annotate(engine)
        split = _split_and_settle(engine)
        engine.dispose()
        process, base = _serve(url)
        try:
            _shoot(base, {login.name: login.password for login in logins}, split)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
