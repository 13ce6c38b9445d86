"""Adaptive overlap from the command line: ``accord project create/set --rules`` with an
``overlap`` section, the project's overlap following ``min``, and one clear error line for a
wrong rule or a fixed overlap while the rule is on, with nothing changed."""

from __future__ import annotations

import orjson

from accord.core.projects.project import get_project

RULE = '{"overlap": {"min": 2, "max": 5, "stop": {"confidence": 0.9}}}'


def test_a_project_is_created_and_set_with_adaptive_overlap(accord, engine):
    made = accord("project", "create", "p", "--rules", RULE, "--json")
    assert made.exit_code == 0, made.output
    body = orjson.loads(made.stdout)
    assert body["overlap"] == 2
    assert body["rules"] == {"overlap": {"min": 2, "max": 5, "stop": {"confidence": 0.9}}}
    changed = accord("project", "set", "p", "--rules",
                     '{"overlap": {"min": 3, "max": 4, "stop": "unanimous"}}', "--json")
    assert changed.exit_code == 0, changed.output
    assert orjson.loads(changed.stdout)["overlap"] == 3
    off = accord("project", "set", "p", "--overlap", "5", "--rules", '{"overlap": null}',
                 "--json")
    assert off.exit_code == 0, off.output
    assert orjson.loads(off.stdout)["overlap"] == 5 and orjson.loads(off.stdout)["rules"] == {}


def test_a_wrong_rule_or_a_fixed_overlap_under_the_rule_is_one_line(accord, engine):
    assert accord("project", "create", "p", "--rules", RULE).exit_code == 0
    for args, message in (
        (("--rules", '{"overlap": {"min": 4, "max": 3, "stop": "unanimous"}}'),
         "settings.overlap.max (3) must be at least settings.overlap.min (4)"),
        (("--overlap", "4"), "is set by its adaptive overlap rule"),
    ):
        refused = accord("project", "set", "p", *args)
        assert refused.exit_code == 1
        assert refused.stderr.startswith("error: ") and message in refused.stderr
        assert refused.stderr.count("\n") == 1
    with engine.connect() as conn:
        project = get_project(conn, "p")
    assert project.overlap == 2
    assert project.settings == {"overlap": {"min": 2, "max": 5, "stop": {"confidence": 0.9}}}
