"""The XSS corpus in every user-controlled string, every page visited in Chromium: nothing
runs, nothing is requested from elsewhere, the Content-Security-Policy is never even tested."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accord.core.errors import InvalidInput
from accord.core.people import users as user_rules
from accord.core.projects import project as project_rules
from accord.core.projects.project import Dimension
from accord.db.tables import annotations
from tests.browser.helpers import Watch, log_in, wait_for_workbench
from tests.browser.xss_corpus import IDS, PAYLOADS, all_payloads
from tests.factories import import_lines, make_project, make_user, publish_guideline

pytestmark = pytest.mark.browser

BLOCKS = all_payloads()  # each payload its own Markdown block
INLINE = all_payloads(" ")  # all of them in one paragraph


def _fitting(limit: int) -> str:
    """As many whole payloads, in one line, as a field of ``limit`` characters takes."""
    line = ""
    for payload in PAYLOADS:
        joined = f"{line} {payload}" if line else payload
        if len(joined) > limit:
            break
        line = joined
    return line


TITLE = _fitting(500)  # a worked example's title holds 500 characters; the rest are below


def hostile_project(engine) -> None:
    """A project whose every free-text field carries the whole corpus."""
    project = make_project(
        engine, "xss", overlap=1, allow_ties=True, ranking_mode="kway", description=BLOCKS,
        dimensions=[Dimension("helpfulness", 1, 5, BLOCKS), Dimension("honesty", 1, 5, INLINE)],
    )
    chat = [{"role": "system", "content": BLOCKS}, {"role": "user", "content": INLINE},
            {"role": "assistant", "content": BLOCKS}, {"role": "user", "content": BLOCKS}]
    responses = [{"id": IDS[0], "content": BLOCKS}, {"id": IDS[1], "content": INLINE},
                 {"id": IDS[2], "content": "\n\n".join(reversed(PAYLOADS))},
                 {"id": IDS[3], "content": "\n".join(PAYLOADS)}]
    import_lines(
        engine, project,
        {"id": IDS[0], "kind": "comparison", "messages": chat, "responses": responses,
         "category": "qa", "priority": 3},
        {"id": IDS[1], "kind": "demonstration", "messages": chat, "category": "qa",
         "priority": 2},
        {"id": IDS[2], "kind": "red_team", "topic": BLOCKS, "model_response": INLINE,
         "category": "safety", "priority": 1},
    )
    # After the import: worked examples link tasks, here the hostile one with its hostile id,
    # prompt excerpt and response ids.
    publish_guideline(
        engine, project, BLOCKS,
        dimensions=[{"name": "helpfulness", "definition": BLOCKS},
                    {"name": "honesty", "definition": INLINE}],
        edge_cases={payload: payload for payload in PAYLOADS},
        escalation_rules=[*PAYLOADS, {"title": PAYLOADS[0], "text": BLOCKS}],
        change_note=BLOCKS,
        examples=[{"task": IDS[0], "title": TITLE, "better_response": IDS[1],
                   "explanation": BLOCKS},
                  *({"task": None, "title": payload, "better_response": payload,
                     "explanation": payload} for payload in PAYLOADS)],
    )
    make_user(engine, "ann", project=project, roles=("annotator",), password="pw")


def assert_inert(page: Page, watch: Watch) -> None:
    """Nothing on this page ran: no marker, no retitling, no dialog, no violation."""
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") == 0, page.url
    assert "pwned" not in page.title(), page.url
    watch.assert_clean()


def test_the_corpus_runs_nowhere(site, page, watch):
    hostile_project(site.engine)
    watch.expected_statuses = {401, 404}  # the failed login, the unknown projects

    # The login page reflects the user name typed and the page to return to.
    page.goto(f"{site.base}/login?next={quote('/' + PAYLOADS[4] + BLOCKS[:300])}")
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.insert_text(INLINE[:2000])
    page.keyboard.press("Tab")
    page.keyboard.type("wrong")
    page.keyboard.press("Enter")
    expect(page.locator("#login-error")).to_be_visible()
    assert_inert(page, watch)

    log_in(page, site.base, "ann", "pw")
    expect(page.locator(".project-card")).to_contain_text("{{7*7}}")
    assert_inert(page, watch)

    page.goto(f"{site.base}/projects/xss/annotate")
    wait_for_workbench(page, IDS[0])
    expect(page.locator(".response").first).to_contain_text("<script>alert(1)</script>")
    expect(page.locator(".guideline-panel")).to_contain_text("{{7*7}}")
    expect(page.locator(".worked-examples .example")).to_have_count(len(PAYLOADS) + 1)
    assert_inert(page, watch)
    for key in ("1", "2", "3", "4", "r"):
        page.keyboard.press(key)
    page.keyboard.insert_text(BLOCKS)
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")

    wait_for_workbench(page, IDS[1])
    assert_inert(page, watch)
    page.keyboard.insert_text(BLOCKS)  # into the demonstration, previewed by the server
    expect(page.locator("#preview")).to_contain_text("{{constructor.constructor")
    assert_inert(page, watch)
    page.keyboard.press("Control+Enter")

    wait_for_workbench(page, IDS[2])
    assert_inert(page, watch)
    page.keyboard.insert_text(BLOCKS)
    page.keyboard.press("Control+Enter")
    expect(page.locator(".nothing-waiting")).to_be_visible()
    assert_inert(page, watch)

    for payload in PAYLOADS[::7]:  # a project name in the address, echoed by the 404 page
        page.goto(f"{site.base}/projects/{quote(payload, safe='')}/annotate")
        assert_inert(page, watch)

    with site.engine.connect() as conn:
        stored = conn.execute(select(annotations.c.rationale, annotations.c.response_text,
                                     annotations.c.attack).order_by(annotations.c.id)).all()
    assert stored[0].rationale == BLOCKS
    assert stored[1].response_text == BLOCKS and stored[2].attack == BLOCKS


def test_names_cannot_carry_markup_at_all(engine):
    """Project and user names are plain identifiers, so no payload can become one."""
    for payload in PAYLOADS:
        with engine.begin() as conn, pytest.raises(InvalidInput):
            user_rules.create_user(conn, payload)
        with engine.begin() as conn, pytest.raises(InvalidInput):
            project_rules.create_project(conn, payload)
