"""``accord project set --mix`` and ``accord report``'s prompt-mix lines."""

from __future__ import annotations

import orjson

from tests.factories import make_project
from tests.mix_world import build_mixed


def test_the_cli_sets_and_clears_targets_and_refuses_bad_ones(accord, engine):
    make_project(engine, "p")
    done = accord("project", "set", "p", "--mix", "coding=0.3,Open QA=0.4", "--json")
    assert done.exit_code == 0, done.output
    assert orjson.loads(done.stdout)["mix"] == {"coding": 0.3, "open-qa": 0.4}
    bad = accord("project", "set", "p", "--mix", "coding=lots")
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == ['error: --mix: the share of coding must be a number, '
                                       'not "lots"']
    over = accord("project", "set", "p", "--mix", "coding=0.9,qa=0.2")
    assert over.stderr.splitlines() == [
        "error: mix: the shares sum to 1.1; they may sum to at most 1"]
    cleared = accord("project", "set", "p", "--mix", "none", "--json")
    assert orjson.loads(cleared.stdout)["mix"] == {}


def test_the_text_and_html_reports_show_target_against_actual(accord, engine, tmp_path):
    build_mixed(engine)
    text = accord("report", "mixed")
    assert text.exit_code == 0, text.output
    assert "  coding                50.0%; 50.0% / 0.0% / 50.0% / 50.0%; +0.0 pts" in text.stdout
    assert "  q-a                   30.0%; 37.5% / 0.0% / 50.0% / 50.0%; -20.0 pts" in \
        text.stdout
    html = accord("report", "mixed", "--html", str(tmp_path / "r.html"))
    assert html.exit_code == 0, html.output
    page = (tmp_path / "r.html").read_text()
    assert "<h2>Prompt mix</h2>" in page and "50.0% of 50.0%" in page
