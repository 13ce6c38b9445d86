"""The weekly guideline review in Chromium: the disagreement digest lists the disputed task
first with every annotator's ranking and rationale, and a manager turns the decision into
a worked example of the next draft; the XSS corpus stays inert on every page of the cycle."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accord.core.guidelines import drafts as guideline_drafts
from accord.core.review import adjudication
from accord.db.tables import guideline_examples, guideline_versions
from accord.db.types import utcnow
from tests.browser.helpers import log_in
from tests.browser.xss_corpus import PAYLOADS, all_payloads
from tests.factories import add_comparison, make_project, make_user, publish_guideline
from tests.review_helpers import annotate, split_task

pytestmark = pytest.mark.browser


def test_a_manager_reads_the_digest_and_adds_a_decision_to_the_draft(site, page):
    project = make_project(site.engine)
    publish_guideline(site.engine, project, "Rank best first.")
    with site.engine.begin() as conn:
        add_comparison(conn, project, "calm")
    annotate(site.engine, project, {"u1": [["a"], ["b"]], "u2": [["a"], ["b"]],
                                    "u3": [["a"], ["b"]]})
    split_task(site.engine, project)
    make_user(site.engine, "boss", project=project, roles=("manager",), password="pw")

    log_in(page, site.base, "boss", "pw")
    page.get_by_role("link", name="Digest").click()
    page.wait_for_url(f"{site.base}/projects/prefs/digest")
    entries = page.locator(".digest-entry")
    expect(entries).to_have_count(2)
    first = entries.first
    expect(first.locator(".task-id")).to_have_text("split-1")
    expect(first.locator(".judgment-card")).to_have_count(3)
    for name, winner in (("ann1", "a"), ("ann2", "b"), ("ann3", "a")):
        card = first.locator(f'.judgment-card[data-annotator="{name}"]')
        expect(card.locator(".rationale")).to_have_text(f"{name} thinks {winner} is better")
    expect(first.locator('.judgment-card[data-annotator="ann2"] .ranking')).to_have_text("b > a")

    first.locator(".add-to-draft summary").click()
    form = first.locator(".add-form")
    form.get_by_label("Title").fill("Answer the question that was asked")
    form.get_by_label("Better response").select_option("b")
    form.get_by_label("Why").fill("B answers the question; A answers another one.")
    form.get_by_role("button", name="Add to draft").click()
    expect(page.locator(".notice.success")).to_contain_text("version 2")

    with site.engine.connect() as conn:
        draft = conn.execute(select(guideline_versions.c.id, guideline_versions.c.text)
                             .where(guideline_versions.c.status == "draft")).one()
        assert draft.text == "Rank best first."  # copied from the current version
        assert conn.execute(select(guideline_examples.c.title,
                                   guideline_examples.c.better_response).where(
            guideline_examples.c.guideline_version_id == draft.id)).all() == \
            [("Answer the question that was asked", "b")]
    page.get_by_role("link", name="Open the guideline versions").click()
    page.get_by_role("link", name="Edit draft").click()
    expect(page.locator(".guideline-preview .example h4")).to_have_text(
        "Answer the question that was asked")


def test_the_corpus_runs_nowhere_on_the_guideline_digest_and_audit_pages(site, page, watch):
    blocks = all_payloads()
    project = make_project(site.engine)
    publish_guideline(site.engine, project, "Safe first version.")
    split_task(site.engine, project, contents={"a": blocks, "b": all_payloads(" ")},
               rationale=blocks)
    publish_guideline(site.engine, project, blocks, change_note=blocks,
                      edge_cases=[{"title": PAYLOADS[0], "text": blocks}],
                      examples=[{"task": "split-1", "title": PAYLOADS[1],
                                 "better_response": PAYLOADS[2], "explanation": blocks}])
    boss = make_user(site.engine, "boss", project=project, roles=("manager", "reviewer"),
                     password="pw").user
    with site.engine.begin() as conn:
        adjudication.decide(conn, boss, "prefs", "split-1", [["b"], ["a"]], blocks, utcnow())
        guideline_drafts.create_draft(conn, boss, "prefs", {"text": blocks}, utcnow())
    log_in(page, site.base, "boss", "pw")
    for path in ("digest", "guidelines", "guidelines/3/edit", "guidelines/changes",
                 "guidelines/changes?from=1&to=2", "audit"):
        page.goto(f"{site.base}/projects/prefs/{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") == 0, path
        watch.assert_clean()
    page.goto(f"{site.base}/projects/prefs/guidelines/3/edit")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") == 0
