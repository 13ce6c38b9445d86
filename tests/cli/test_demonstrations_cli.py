"""``accord demonstrations``: the review rules set and shown from a shell, and the count of
demonstrations in each state."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app
from tests.demonstration_helpers import write, writer
from tests.factories import make_project


def run(db_url, *args):
    return CliRunner().invoke(app, list(args), env={"ACCORD_DATABASE_URL": db_url})


def test_rules_are_set_and_shown(engine, db_url):
    make_project(engine, "sft")
    done = run(db_url, "demonstrations", "rules", "sft", "--check", "cites a source",
               "--check", "safe", "--double-share", "0.25", "--two-accepts-for", "safety",
               "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"rubric_checks": ["cites a source", "safe"],
                                       "double_share": 0.25, "two_accepts_for": ["safety"],
                                       "seed": 0}
    shown = run(db_url, "demonstrations", "rules", "sft")
    assert "checks: cites a source; safe" in shown.output
    assert "double review: 25% of demonstrations" in shown.output


def test_a_bad_share_is_one_clear_line(engine, db_url):
    make_project(engine, "sft")
    bad = run(db_url, "demonstrations", "rules", "sft", "--double-share", "3")
    assert bad.exit_code != 0
    assert "double_share must be a number from 0 to 1" in bad.output


def test_status_counts_every_state(engine, db_url):
    project = make_project(engine, "sft")
    write(engine, project, writer(engine, project, "wendy"), "d-1", "An answer.")
    shown = run(db_url, "demonstrations", "status", "sft", "--json")
    assert json.loads(shown.output) == {"in_review": 1, "sent_back": 0, "accepted": 0,
                                        "rejected": 0}
