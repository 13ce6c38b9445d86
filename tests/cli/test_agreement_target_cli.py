"""``accord project set --agreement-target``: the dashboard's percent-agreement band set,
restored to the default and refused with the reason when malformed."""

from __future__ import annotations

import orjson

from tests.factories import make_project


def test_the_cli_sets_restores_and_refuses_the_band(accord, engine):
    make_project(engine, "p")
    done = accord("project", "set", "p", "--agreement-target", "0.65-0.85", "--json")
    assert done.exit_code == 0, done.output
    assert orjson.loads(done.stdout)["agreement_target"] == {"low": 0.65, "high": 0.85}
    bad = accord("project", "set", "p", "--agreement-target", "high")
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == ['error: --agreement-target: "high" must look like '
                                       '0.7-0.8 (low-high shares) or default']
    upside = accord("project", "set", "p", "--agreement-target", "0.8-0.7")
    assert upside.stderr.splitlines() == ["error: agreement_target.low (0.8) must be below "
                                          "agreement_target.high (0.7)"]
    restored = accord("project", "set", "p", "--agreement-target", "default", "--json")
    assert orjson.loads(restored.stdout)["agreement_target"] == {"low": 0.7, "high": 0.8}
