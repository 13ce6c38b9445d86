"""Work rules and calibration rounds from the command line: ``accord project create/set
--gold-rate --rules`` and ``accord calibration start/list``; bad input is one clear line."""

from __future__ import annotations

import orjson
import pytest

from accord.core.people.users import get_user
from accord.core.projects.project import get_project
from accord.core.work import claims
from accord.db.types import utcnow
from tests.factories import import_lines
from tests.web.routing_helpers import item

CALIBRATION = '{"calibration": {"tasks": 2, "pass_threshold": 0.8}}'


def test_project_create_takes_a_gold_rate_and_rules(accord, engine):
    made = accord("project", "create", "p", "--gold-rate", "0.1", "--rules", CALIBRATION,
                  "--json")
    assert made.exit_code == 0, made.output
    body = orjson.loads(made.stdout)
    assert body["gold_rate"] == 0.1
    assert body["rules"] == {"calibration": {"tasks": 2, "pass_threshold": 0.8}}


def test_project_set_changes_and_removes_rules(accord, engine):
    assert accord("project", "create", "p").exit_code == 0
    changed = accord("project", "set", "p", "--rules",
                     '{"breaks": {"work_minutes": 90, "break_minutes": 10}, '
                     '"rotation": {"after": 20}}', "--gold-rate", "0.05", "--json")
    assert changed.exit_code == 0, changed.output
    body = orjson.loads(changed.stdout)  # every setting; these are the ones changed
    assert {k: body[k] for k in ("name", "gold_rate", "rules")} == {
        "name": "p", "gold_rate": 0.05,
        "rules": {"breaks": {"work_minutes": 90.0, "break_minutes": 10.0},
                  "rotation": {"after": 20}}}
    removed = accord("project", "set", "p", "--rules", '{"rotation": null}')
    assert removed.exit_code == 0, removed.output
    assert '"rotation"' not in removed.stdout and '"breaks"' in removed.stdout


@pytest.mark.parametrize(("rules", "message"), [
    ('{"exposure": {"per_day": 0}}', "settings.exposure.per_day must be a whole number"),
    ('{"calibration": {"tasks": 2', "--rules is not JSON"),
    ('[1]', "--rules must be a JSON object"),
    ('{"breaks": {"work_minutes": -5, "break_minutes": 10}}', "settings.breaks.work_minutes"),
])
def test_bad_rules_are_one_line_and_change_nothing(accord, engine, rules, message):
    assert accord("project", "create", "p").exit_code == 0
    refused = accord("project", "set", "p", "--rules", rules)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: ") and message in refused.stderr
    assert refused.stderr.count("\n") == 1
    with engine.connect() as conn:
        assert get_project(conn, "p").settings == {}
    created = accord("project", "create", "q", "--rules", rules)
    assert created.exit_code == 1
    assert "q" not in accord("project", "list").stdout.split()


def test_calibration_start_sends_a_failed_annotator_through_a_new_round(accord, engine):
    assert accord("project", "create", "p", "--rules", CALIBRATION).exit_code == 0
    assert accord("user", "add", "ann", "--project", "p", "--role", "annotator").exit_code == 0
    with engine.connect() as conn:
        project = get_project(conn, "p")
    import_lines(engine, project, item("c-1", gold=[["a"], ["b"]]), item("p-1"))

    started = accord("calibration", "start", "p", "ann", "--json")
    assert started.exit_code == 0, started.output
    assert orjson.loads(started.stdout)["status"] == "pending"
    with engine.begin() as conn:
        first = claims.claim_next(conn, get_project(conn, "p"), get_user(conn, "ann"), utcnow())
    assert first.task.id == "c-1" and first.calibration is not None
    listed = accord("calibration", "list", "p")
    assert listed.exit_code == 0 and listed.stdout.startswith("ann: pending, not scored")
    nobody = accord("calibration", "start", "p", "nobody")
    assert nobody.exit_code == 1 and 'user "nobody" does not exist' in nobody.stderr
