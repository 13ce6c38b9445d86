"""The dashboard's risk panel over the planted population of the report's tests: alerts
first, the at-risk annotators at the top by default, every column sorts on the server, pages
page, and a bad query parameter is a clear error."""

from __future__ import annotations

import re

import pytest

from accord.web.pages import risk_panel
from tests.core.test_report import HONEST, LENGTH_BIASED, POSITION_BIASED, planted
from tests.factories import make_user
from tests.web.conftest import bearer, log_in

__all__ = ["planted"]  # the fixture, shared with the report's tests
ROW = re.compile(r'<th scope="row">([^<]+)</th>')


def _panel(html: str) -> str:
    start = html.index('class="card risk-panel"')
    return html[start:html.index("</section>", start)]


def _names(html: str) -> list[str]:
    return ROW.findall(_panel(html))


@pytest.fixture
def lead(api, engine, planted):
    member = make_user(engine, "lead", project=planted.project, roles=("manager",),
                       password="pw")
    log_in(api, "lead", "pw")
    report = api.get("/api/v1/projects/prefs/report", headers=bearer(member.token)).json()
    return {row["name"]: row for row in report["annotators"]}, report


def test_alerts_then_the_at_risk_annotators_come_first(api, lead):
    _, report = lead
    html = api.get("/projects/prefs/dashboard").text
    assert html.index('id="alerts-title"') < html.index('id="risk-title"') \
        < html.index('id="progress-title"')
    flagged = {a["annotator"] for a in report["monitors"]["alerts"]
               if a.get("annotator") and a["severity"] != "info"}
    assert {POSITION_BIASED, LENGTH_BIASED} <= flagged
    names = _names(html)
    assert sorted(names) == sorted((*HONEST, POSITION_BIASED, LENGTH_BIASED))
    assert set(names[:len(flagged)]) == flagged  # every flagged one above every other
    assert f"· {len(flagged)} of 6" in _panel(html)


@pytest.mark.parametrize(("sort", "field"), [("reliability", "reliability"),
                                             ("agreement", "agreement_with_consensus"),
                                             ("speed", "median_seconds_per_task")])
def test_each_column_sorts_both_ways(api, lead, sort, field):
    rows, _ = lead
    up = _names(api.get(f"/projects/prefs/dashboard?sort={sort}&order=asc").text)
    assert [rows[n][field] for n in up] == sorted(rows[n][field] for n in up)
    down = _names(api.get(f"/projects/prefs/dashboard?sort={sort}&order=desc").text)
    assert [rows[n][field] for n in down] == sorted((rows[n][field] for n in down),
                                                    reverse=True)


def test_the_position_column_puts_the_position_biased_first(api, lead):
    names = _names(api.get("/projects/prefs/dashboard?sort=position").text)
    assert names[0] == POSITION_BIASED  # ascending p-value by default: most biased first


def test_pages_hold_page_size_rows_and_link_to_each_other(api, lead, monkeypatch):
    monkeypatch.setattr(risk_panel, "PAGE_SIZE", 4)
    first = api.get("/projects/prefs/dashboard?sort=name&order=asc").text
    second = api.get("/projects/prefs/dashboard?sort=name&order=asc&page=2").text
    everyone = sorted((*HONEST, POSITION_BIASED, LENGTH_BIASED))
    assert _names(first) == everyone[:4] and _names(second) == everyone[4:]
    assert 'href="?sort=name&amp;order=asc&amp;page=2#risk-title"' in first
    assert "Page 2 of 2" in second and 'rel="next"' not in second


@pytest.mark.parametrize(("query", "named"), [("sort=height", "sort='height'"),
                                              ("order=up", "order='up'"),
                                              ("page=0", "page='0'"), ("page=9", "page=9")])
def test_a_bad_query_parameter_is_a_clear_error(api, lead, query, named):
    answer = api.get(f"/projects/prefs/dashboard?{query}")
    assert answer.status_code in (400, 422)
    assert named in answer.text.replace("&#39;", "'")
