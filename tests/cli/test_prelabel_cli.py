"""``accord project set --prelabel``: pre-labelling turned on, changed and off from the shell,
with the API's checks and words; a refused change leaves the setting as it was."""

from __future__ import annotations

import orjson
import pytest

from accord.core.judging import ai_judges
from accord.core.projects.project import get_project
from tests.factories import make_project


def _project_with_judges(engine) -> None:
    project = make_project(engine, "p")
    with engine.begin() as conn:
        for name in ("judge-a", "judge-b"):
            ai_judges.ensure_judge(conn, project, name, {"backend": "test", "model_id": "t"})


def _stored(engine) -> dict | None:
    with engine.connect() as conn:
        return get_project(conn, "p").settings.get("prelabel")


def test_the_cli_turns_prelabelling_on_changes_it_and_turns_it_off(accord, engine):
    _project_with_judges(engine)
    on = accord("project", "set", "p", "--prelabel", "judge-a", "--json")
    assert on.exit_code == 0, on.output
    assert orjson.loads(on.stdout)["prelabel"] == {"judge": "judge-a", "show_rate": 0.5,
                                                   "seed": 0}
    changed = accord("project", "set", "p", "--prelabel", "judge-b", "--show-rate", "0.25",
                     "--prelabel-seed", "7")
    assert changed.exit_code == 0, changed.output
    assert _stored(engine) == {"judge": "judge-b", "show_rate": 0.25, "seed": 7}
    off = accord("project", "set", "p", "--no-prelabel", "--json")
    assert off.exit_code == 0, off.output
    assert orjson.loads(off.stdout)["prelabel"] is None and _stored(engine) is None


@pytest.mark.parametrize(("args", "message"), [
    (["--prelabel", "judge-a", "--show-rate", "1.5"],
     "error: prelabel.show_rate must be a number from 0 to 1, not 1.5"),
    (["--prelabel", "judge a"],
     "error: prelabel.judge must name an AI judge (letters, digits and . _ @ -), not 'judge a'"),
    (["--prelabel", "judge-a", "--prelabel-seed", "-1"],
     "error: prelabel.seed must be a whole number from 0 to 9223372036854775807, not -1"),
    (["--prelabel", "ghost"], 'error: prelabel.judge: project "p" has no AI judge "ghost"; '
                              "run accord judge p --judge ghost first"),
    (["--show-rate", "0.3"], "error: --show-rate goes with --prelabel JUDGE"),
    (["--prelabel-seed", "3"], "error: --prelabel-seed goes with --prelabel JUDGE"),
    (["--no-prelabel", "--prelabel", "judge-a"],
     "error: --no-prelabel turns pre-labelling off: give it alone, without --prelabel, "
     "--show-rate or --prelabel-seed"),
])
def test_a_bad_prelabel_option_is_one_line_and_changes_nothing(accord, engine, args, message):
    _project_with_judges(engine)
    assert accord("project", "set", "p", "--prelabel", "judge-a", "--show-rate", "0.4"
                  ).exit_code == 0
    refused = accord("project", "set", "p", *args)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [message]
    assert _stored(engine) == {"judge": "judge-a", "show_rate": 0.4, "seed": 0}
