"""The lead's cockpit in Chromium at 1440x900 on the 500-annotator population of
``bench/quality_population.py``: the alerts and the risk panel above the fold, the page short
(the reliability chart draws the worst few, the table pages), headings sort on the server,
pages page, and the κ heatmap's cells name their pair to the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bench import quality_population as population
from playwright.sync_api import Browser, Page, expect

from accord.db.engine import make_engine
from tests.browser.helpers import Watch, log_in
from tests.factories import make_user
from tests.live import running_servers

pytestmark = pytest.mark.browser
TASKS = 10_000  # five judgments each: 50,000 annotations by 500 annotators (fatigue shows)
PAGE_HEIGHT_LIMIT = 6_000


@pytest.fixture(scope="module")
def cockpit(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("cockpit") / "accord.db"
    population.build_database(population.planted(TASKS, 11), db)
    engine = make_engine(f"sqlite:///{db}")
    make_user(engine, "lead", project=population.project(), roles=("manager",), password="pw")
    engine.dispose()
    with running_servers(f"sqlite:///{db}") as (base,):
        yield base


@pytest.fixture
def lead_page(chromium: Browser, cockpit: str) -> Iterator[Page]:
    watch = Watch(cockpit)
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch.attach(page)
    log_in(page, cockpit, "lead", "pw")
    yield page
    context.close()
    watch.assert_clean()


def _column(page: Page, index: int) -> list[str]:
    return page.locator(f".risk-table tbody tr td:nth-child({index})").all_inner_texts()


def test_alerts_and_the_planted_annotators_are_above_the_fold(lead_page, cockpit):
    page = lead_page
    page.goto(f"{cockpit}/projects/bench/dashboard")
    alerts = page.locator("#alerts-title")
    expect(alerts).to_be_in_viewport()
    expect(page.locator("#risk-title")).to_contain_text("of 500")
    first_rows = page.locator(".risk-table tbody th[scope=row]").all_inner_texts()[:6]
    assert set(population.PLANTED) <= set(first_rows)
    top_row = page.locator(".risk-table tbody tr").first
    expect(top_row).to_be_in_viewport()
    expect(page.locator(".risk-table tbody tr")).to_have_count(25)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < PAGE_HEIGHT_LIMIT, f"the cockpit is {height} px tall"
    bars = page.locator('svg[aria-label^="reliability by annotator"] rect')
    expect(bars).to_have_count(20)


def test_a_heading_sorts_and_the_pager_pages(lead_page, cockpit):
    page = lead_page
    page.goto(f"{cockpit}/projects/bench/dashboard")
    page.locator('.risk-table a[data-sort="reliability"]').click()
    page.wait_for_url("**sort=reliability**")
    values = [float(v) for v in _column(page, 3)]
    assert values == sorted(values)
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Reliability")
    page.locator('.risk-table a[data-sort="reliability"]').click()
    page.wait_for_url("**order=desc**")
    values = [float(v) for v in _column(page, 3)]
    assert values == sorted(values, reverse=True)
    last_on_first = values[-1]
    page.locator('.pager a[rel="next"]').click()
    page.wait_for_url("**page=2**")
    expect(page.locator(".pager")).to_contain_text("Page 2 of 20")
    second = [float(v) for v in _column(page, 3)]
    assert second[0] <= last_on_first and second == sorted(second, reverse=True)


def test_the_kappa_heatmap_names_each_cell_to_the_keyboard(lead_page, cockpit):
    page = lead_page
    page.goto(f"{cockpit}/projects/bench/dashboard")
    cells = page.locator(".kappa-heatmap .kappa-cell")
    assert 0 < cells.count() <= 30 * 29 // 2
    cells.first.focus()
    expect(cells.first).to_be_focused()
    label = cells.first.get_attribute("aria-label") or ""
    assert " and " in label and "shared items" in label
    page.locator(".kappa summary").click()
    expect(page.locator(".kappa-table tbody tr")).to_have_count(cells.count())
