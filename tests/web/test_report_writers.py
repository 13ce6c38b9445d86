"""The writers' figures in the quality report: the ``demonstrations`` section equals
``demonstration_quality``'s figures on a planted project (two writers, one demonstration sent
back then accepted, one rejected), over the API, in the text and HTML reports and in the
dashboard's table; a project without demonstrations leaves the section out."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from accord.core.demonstrations import lifecycle, rubric
from accord.core.demonstrations.writers import demonstration_quality
from accord.core.projects.project import get_project
from accord.core.report import build_report
from accord.db.types import utcnow
from accord.exports.report_html import render_html
from accord.exports.report_text import render_text
from tests.demonstration_helpers import reviewer, write, writer
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer, log_in


def _review(engine, who, demo, decision, score, version=1, **fields):
    with engine.begin() as conn:
        rules = rubric.rules_of(get_project(conn, "prefs"))
        scores = {d.name: score for d in rules.dimensions}
        return lifecycle.decide(conn, who, "prefs", demo, version=version, decision=decision,
                                scores=scores, checks=dict.fromkeys(rules.checks, True),
                                now=utcnow(), **fields)


def _planted(engine):
    """wendy: one sent back, revised and accepted, one rejected; ben: one accepted at once."""
    project = make_project(engine, overlap=1)
    wendy, ben = writer(engine, project, "wendy"), writer(engine, project, "ben")
    rita = reviewer(engine, project, "rita")
    kept = write(engine, project, wendy, "kept", "Short.", active_ms=30_000)
    dropped = write(engine, project, wendy, "dropped", "Wrong.", active_ms=12_000)
    fine = write(engine, project, ben, "fine", "Just right.", active_ms=90_000)
    _review(engine, rita, kept, "send_back", 2, comment="More.")
    with engine.begin() as conn:
        lifecycle.revise(conn, wendy, "prefs", kept, version=1, text="Short, longer.",
                         now=utcnow())
    _review(engine, rita, kept, "accept", 4, version=2)
    _review(engine, rita, dropped, "reject", 1, comment="No.")
    _review(engine, rita, fine, "accept", 5)
    return project


def test_the_report_s_writers_equal_demonstration_quality(api, engine):
    project = _planted(engine)
    lead = bearer(make_user(engine, "lead", project=project, roles=("manager",)).token)
    section = api.get("/api/v1/projects/prefs/report", headers=lead).json()["demonstrations"]
    with engine.connect() as conn:
        expected = demonstration_quality(conn, project.id, [d.name for d in project.dimensions])
    assert section == {
        "writers": [asdict(w) for w in expected.writers],
        "double_reviewed": expected.double_reviewed,
        "reviewer_alpha": expected.reviewer_alpha,
        "reviewer_alpha_by_dimension": expected.reviewer_alpha_by_dimension,
    }
    ben, wendy = section["writers"]
    assert (wendy["writer"], wendy["written"], wendy["accepted"], wendy["rejected"],
            wendy["acceptance_rate"], wendy["mean_rounds_to_acceptance"]) == \
        ("wendy", 2, 1, 1, 0.5, 2)
    assert wendy["mean_edit_distance_to_accepted"] == len(", longer")
    assert wendy["active_ms"] == 42_000
    assert (ben["writer"], ben["accepted"], ben["acceptance_rate"]) == ("ben", 1, 1.0)
    assert (section["double_reviewed"], section["reviewer_alpha"]) == (0, None)


def test_the_text_and_html_reports_show_the_writers(engine):
    project = _planted(engine)
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    assert report.demonstrations is not None
    text = render_text(report)
    assert "Writers (demonstrations as review judged them)" in text
    assert "over 0 double-reviewed demonstration versions" in text
    writers = text.split("Writers (demonstrations")[1].split("\n\n")[0]
    [line] = [x for x in writers.splitlines() if x.strip().startswith("wendy")]
    assert line.split()[:7] == ["wendy", "2", "1", "1", "0.50", "2.00", "n/a"]
    assert "0.7" in line.split()  # 42 s of writing, in minutes
    html = render_html(report)
    assert "<h2>Writers</h2>" in html
    assert ("<tr><td>wendy</td><td class=num>2</td><td class=num>1</td><td class=num>1</td>"
            "<td class=num>0.50</td><td class=num>2.00</td>") in html
    assert "<tr><td>ben</td><td class=num>1</td><td class=num>1</td><td class=num>0</td>" \
        "<td class=num>1.00</td><td class=num>1.00</td>" in html


def test_the_dashboard_shows_the_writers_table(api, engine):
    project = _planted(engine)
    make_user(engine, "lead", project=project, roles=("manager",), password="pw")
    log_in(api, "lead", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert page.status_code == 200
    assert '<h2 id="writers-title">Writers</h2>' in page.text
    assert 'aria-labelledby="writers-title"' in page.text
    assert '<th scope="col">Writer</th>' in page.text
    assert ('<tr><th scope="row">wendy</th><td class="num">2</td><td class="num">1</td>'
            '<td class="num">1</td><td class="num">0.50</td><td class="num">2.00</td>') \
        in page.text
    assert "over 0 double-reviewed demonstration versions" in page.text


@pytest.mark.parametrize("path", ["/api/v1/projects/prefs/report"])
def test_a_project_without_demonstrations_has_no_writers(api, engine, path):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    lead = bearer(make_user(engine, "lead", project=project, roles=("manager",),
                            password="pw").token)
    assert "demonstrations" not in api.get(path, headers=lead).json()
    log_in(api, "lead", "pw")
    assert 'id="writers-title"' not in api.get("/projects/prefs/dashboard").text
