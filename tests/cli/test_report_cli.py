"""``accord report``: text by default, one JSON object with --json, an HTML page with --html."""

from __future__ import annotations

import orjson
from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.importing import import_file
from accord.core.people.users import get_user
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import task_consensus
from accord.db.types import utcnow
from tests.factories import (
    add_comparison,
    add_comparisons,
    make_project,
    make_user,
    publish_guideline,
)


def _annotated(engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 4)
    for name in ("x", "y"):
        user = make_user(engine, name, project=project, roles=("annotator",)).user
        with engine.begin() as conn:
            while claim := claims.claim_next(conn, project, user, utcnow()):
                submissions.submit(conn, user, claim.assignment_id,
                                   Judgment(ranking=[["a"], ["b"]], active_ms=2000), utcnow())
    return project


def test_report_prints_text_json_and_writes_html(engine, db_url, monkeypatch, tmp_path):
    _annotated(engine)
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    runner = CliRunner()

    text = runner.invoke(app, ["report", "prefs"])
    as_json = runner.invoke(app, ["report", "prefs", "--json", "--html", str(tmp_path / "r.html")])

    assert text.exit_code == 0, text.output
    assert "Krippendorff alpha" in text.stdout and "Annotators" in text.stdout
    assert as_json.exit_code == 0, as_json.output
    report = orjson.loads(as_json.stdout)
    assert report["agreement"]["percent_agreement"]["ties_counted"] == 1.0
    page = (tmp_path / "r.html").read_text()
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(task_consensus)).scalar_one() == 4


def test_report_on_an_unknown_project_is_one_line(engine, db_url, monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["report", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr.strip() == 'error: project "nowhere" does not exist'


def test_report_on_a_project_without_annotations(engine, db_url, monkeypatch):
    project = make_project(engine)
    add_comparisons(engine, project, 3)
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["report", "prefs", "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report["counts"]["annotations"] == 0
    assert report["agreement"]["krippendorff_alpha"] is None
    assert report["annotators"] == []


def test_report_cut_by_guideline_version_counts_that_version_and_stores_nothing(
        engine, db_url, monkeypatch):
    project = _annotated(engine)  # judged before any guideline was published
    publish_guideline(engine, project)
    with engine.begin() as conn:
        for i in range(4):
            add_comparison(conn, project, f"after-{i}")
    for name in ("x", "y"):
        with engine.begin() as conn:
            user = get_user(conn, name)
            while claim := claims.claim_next(conn, project, user, utcnow()):
                submissions.submit(conn, user, claim.assignment_id,
                                   Judgment(ranking=[["b"], ["a"]], active_ms=2000), utcnow())
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)

    cut = CliRunner().invoke(app, ["report", "prefs", "--json", "--guideline-version", "1"])

    assert cut.exit_code == 0, cut.output
    report = orjson.loads(cut.stdout)
    assert report["counts"]["annotations"] == 8
    assert report["counts"]["left_out_by_guideline_version"] == 8
    assert report["scope"] == {"guideline_versions": [1], "include_ai": False}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(task_consensus)).scalar_one() == 0


def test_report_with_an_unknown_guideline_version_is_one_line(engine, db_url, monkeypatch):
    _annotated(engine)
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["report", "prefs", "--guideline-version", "4"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ('error: guideline version 4 does not exist in project '
                                     '"prefs" (versions: none published)')


def test_report_of_a_project_judged_by_an_ai_prints_its_judge_apart(engine, db_url,
                                                                     monkeypatch, tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    verdicts = tmp_path / "judge_annotations.json"
    verdicts.write_text(orjson.dumps([
        {"instruction": f"q{i}", "output_1": f"reference {i}", "generator_1": "reference",
         "output_2": f"answer {i}", "generator_2": "model-x", "annotator": "judge-1",
         "preference": 1.8} for i in range(3)]).decode())
    import_file(engine, project, verdicts, file_format="alpaca-eval")
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    runner = CliRunner()

    text = runner.invoke(app, ["report", "judged", "--html", str(tmp_path / "r.html")])
    as_json = runner.invoke(app, ["report", "judged", "--json"])

    assert text.exit_code == 0, text.output
    assert "judge-1" in text.stdout and "n/a" in text.stdout
    assert "AI judges (3 annotations, not counted in the figures above)" in text.stdout
    # no person judged these tasks: the audit has nothing to measure the judge against
    assert "agrees with people n/a  kappa n/a on 0 pairs" in text.stdout
    assert "judge-1" in (tmp_path / "r.html").read_text()
    report = orjson.loads(as_json.stdout)
    assert (report["counts"]["annotations"], report["counts"]["ai_annotations"]) == (0, 3)
    assert report["judges"]["judges"] == [{"name": "judge-1", "annotations": 3}]
    assert [(a["judge"], a["pairs"]) for a in report["judges"]["audit"]] == [("judge-1", 0)]
    (row,) = report["consensus"]["win_rates"]
    assert row["n_total"] == 3
